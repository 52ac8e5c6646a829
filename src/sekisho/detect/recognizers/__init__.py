"""One module per recognizer; adding one is adding a module here and a test file."""

from sekisho.detect.recognizers.credit_card import CreditCardRecognizer
from sekisho.detect.recognizers.email_address import EmailAddressRecognizer
from sekisho.detect.recognizers.jp_corporate_number import JpCorporateNumberRecognizer
from sekisho.detect.recognizers.jp_my_number import JpMyNumberRecognizer
from sekisho.detect.recognizers.phone_number import PhoneNumberRecognizer

ALL_RECOGNIZERS = (
    JpMyNumberRecognizer,
    JpCorporateNumberRecognizer,
    CreditCardRecognizer,
    PhoneNumberRecognizer,
    EmailAddressRecognizer,
)

__all__ = [
    "ALL_RECOGNIZERS",
    "CreditCardRecognizer",
    "EmailAddressRecognizer",
    "JpCorporateNumberRecognizer",
    "JpMyNumberRecognizer",
    "PhoneNumberRecognizer",
]
