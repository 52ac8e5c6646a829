"""One module per recognizer; adding one is adding a module here and a test file.

Order matters only where two recognizers propose the same span with the same score; the
earlier one wins.
"""

from sekisho.detect.recognizers.address import AddressRecognizer
from sekisho.detect.recognizers.bank_account import BankAccountRecognizer
from sekisho.detect.recognizers.care_level import CareLevelRecognizer
from sekisho.detect.recognizers.credit_card import CreditCardRecognizer
from sekisho.detect.recognizers.date_of_birth import DateOfBirthRecognizer
from sekisho.detect.recognizers.email_address import EmailAddressRecognizer
from sekisho.detect.recognizers.gender import GenderRecognizer
from sekisho.detect.recognizers.health_info import HealthInfoRecognizer
from sekisho.detect.recognizers.jp_care_insurance_number import JpCareInsuranceNumberRecognizer
from sekisho.detect.recognizers.jp_corporate_number import JpCorporateNumberRecognizer
from sekisho.detect.recognizers.jp_drivers_license import JpDriversLicenseRecognizer
from sekisho.detect.recognizers.jp_health_insurance_number import JpHealthInsuranceNumberRecognizer
from sekisho.detect.recognizers.jp_my_number import JpMyNumberRecognizer
from sekisho.detect.recognizers.jp_passport import JpPassportRecognizer
from sekisho.detect.recognizers.jp_pension_number import JpPensionNumberRecognizer
from sekisho.detect.recognizers.jp_residence_card import JpResidenceCardRecognizer
from sekisho.detect.recognizers.jp_resident_code import JpResidentCodeRecognizer
from sekisho.detect.recognizers.person_name import PersonNameRecognizer
from sekisho.detect.recognizers.phone_number import PhoneNumberRecognizer

ALL_RECOGNIZERS = (
    JpMyNumberRecognizer,
    JpCorporateNumberRecognizer,
    JpCareInsuranceNumberRecognizer,
    JpHealthInsuranceNumberRecognizer,
    JpPensionNumberRecognizer,
    JpResidentCodeRecognizer,
    JpDriversLicenseRecognizer,
    JpPassportRecognizer,
    JpResidenceCardRecognizer,
    CreditCardRecognizer,
    BankAccountRecognizer,
    PhoneNumberRecognizer,
    EmailAddressRecognizer,
    DateOfBirthRecognizer,
    AddressRecognizer,
    PersonNameRecognizer,
    GenderRecognizer,
    CareLevelRecognizer,
    HealthInfoRecognizer,
)

__all__ = ["ALL_RECOGNIZERS", *(cls.__name__ for cls in ALL_RECOGNIZERS)]
