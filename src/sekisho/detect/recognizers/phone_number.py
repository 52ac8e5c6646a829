"""PHONE_NUMBER: Japanese telephone numbers of people (fixed, mobile, IP), domestic or +81."""

from __future__ import annotations

import re

from sekisho.detect.entities import PHONE_NUMBER
from sekisho.detect.mask import mask_digits
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer

_SEP = r"(?:[- ]|\)[ -]?|[ -]?\()"
# Numbers of businesses, not people: free dial, navi dial, and the like.
_BUSINESS_PREFIXES = ("0120", "0800", "0570", "0180", "0990", "0910")
_ELEVEN_DIGIT_PREFIXES = ("050", "060", "070", "080", "090")


class PhoneNumberRecognizer(Recognizer):
    """Numbers of the Japanese numbering plan (総務省 電気通信番号計画):

    - fixed lines: 0 + area code + local number, 10 digits in all, area code of 2–5 digits
      including the 0 ("03-1234-5678", "0982-12-3456", "(03)1234-5678");
    - mobile 070/080/090, IP 050 and 060: 11 digits ("090-1234-5678");
    - international "+81" with the leading 0 dropped ("+81-90-1234-5678", "+81 3 1234 5678").

    0120 / 0800 (free dial), 0570 (navi dial), 0180 and 0990 belong to businesses and are
    not reported. Separated forms are strong; a bare digit run is a weak candidate that
    needs a label (電話, TEL, 携帯) unless it is an 11-digit mobile number.
    """

    name = "PhoneNumberRecognizer"
    entity = PHONE_NUMBER
    patterns = (
        Pattern(
            "+81",
            re.compile(
                r"(?<![0-9+])(?P<value>\+81[- ]?(?:\(0\)[- ]?)?[1-9][0-9]{0,3}"
                r"[- ]?[0-9]{1,4}[- ]?[0-9]{4})" + NUM_END
            ),
            0.7,
        ),
        Pattern(
            "separated",
            re.compile(
                NUM_START
                + rf"(?P<value>\(?0[0-9]{{1,4}}{_SEP}[0-9]{{1,4}}{_SEP}[0-9]{{4}})"
                + NUM_END
            ),
            0.7,
        ),
        Pattern(
            "bare mobile", re.compile(NUM_START + r"(?P<value>0[5-9]0[0-9]{8})" + NUM_END), 0.55
        ),
        Pattern("bare fixed", re.compile(NUM_START + r"(?P<value>0[1-9][0-9]{8})" + NUM_END), 0.3),
    )
    context_words = (
        "電話",
        "tel",
        "携帯",
        "連絡先",
        "☎",
        "phone",
        "mobile",
        "自宅",
        "fax",
        "緊急連絡",
        "ケータイ",
    )
    header_words = ("電話", "tel", "携帯", "連絡先", "phone", "mobile", "fax", "ファクス")
    # An organisation's number: "お問い合わせ：高齢福祉課 電話 03-…（直通）".
    negative_words = (
        "問い合わせ",
        "問合せ",
        "問合わせ",
        "直通",
        "代表",
        "窓口",
        "課",
        "係",
        "事務局",
        "内線",
        "受付",
        "センター",
    )
    validation_name = "numbering plan"
    valid_bonus = 0.0

    column_shape = re.compile(r"(?!0120|0800|0570|0180|0990)0[1-9][0-9]{0,3}-[0-9]{1,4}-[0-9]{4}")
    _cell = re.compile(r"\+?[0-9]{1,5}[- ()]{1,2}[0-9]{1,4}[- )]{1,2}[0-9]{4}")

    def cell_value(self, cell: object, text: str) -> str | None:
        """Under a phone header, a number grouped like a phone number is one even when it
        breaks the numbering plan (a typo, or a number of a plan we do not know); business
        prefixes (0120, 0570, …) are still not a person's."""
        value = super().cell_value(cell, text)
        if value is not None or not isinstance(cell, str):
            return value
        stripped = text.strip()
        digits = self.canonical(stripped)
        if (
            self._cell.fullmatch(stripped)
            and len(digits) in (10, 11)
            and not digits.startswith(_BUSINESS_PREFIXES)
        ):
            return stripped
        return None

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        if digits.startswith("81") and value.lstrip().startswith("+"):
            digits = "0" + digits[2:]
        if digits.startswith(_BUSINESS_PREFIXES):
            return False
        if len(digits) == 11:
            return digits.startswith(_ELEVEN_DIGIT_PREFIXES)
        if len(digits) == 10:
            return digits[1] != "0" and not digits.startswith(_ELEVEN_DIGIT_PREFIXES)
        return False

    def canonical(self, value: str) -> str:
        digits = super().canonical(value)
        if value.lstrip().startswith("+") and digits.startswith("81"):
            return "0" + digits[2:]
        return digits

    def mask(self, value: str) -> str:
        head = 2 if value.startswith("+") else 0
        return mask_digits(value, head=head, tail=2)
