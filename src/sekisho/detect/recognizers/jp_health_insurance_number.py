"""JP_HEALTH_INSURANCE_NUMBER: health-insurance numbers (保険者番号, 後期高齢者医療の
被保険者番号, 被保険者証の記号・番号)."""

from __future__ import annotations

import re

from sekisho.detect.checkdigits import luhn_valid
from sekisho.detect.entities import JP_HEALTH_INSURANCE_NUMBER
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits


class JpHealthInsuranceNumberRecognizer(Recognizer):
    """Three forms, all needing a label or context (健康保険, 保険証, 後期高齢, 記号, 番号):

    - 保険者番号 of 8 digits (法別番号 2 + 都道府県番号 2 + 保険者別番号 3 + 検証番号 1) or of
      6 digits for 国民健康保険 (no 法別番号). The check digit (保険局長通知, 保険者番号等の
      設定について) weights the digits 2, 1, 2, 1, … from the right, adds the digits of each
      product, and is 10 minus the last digit of the sum (0 when that is 0): the Luhn scheme.
    - 後期高齢者医療 被保険者番号: 8 digits, with 後期高齢 context (insurer numbers of that
      scheme start with 39).
    - 記号・番号 of an employee's insurance card: "記号 1234 番号 56" and similar.
    """

    name = "JpHealthInsuranceNumberRecognizer"
    entity = JP_HEALTH_INSURANCE_NUMBER
    patterns = (
        Pattern(
            "記号・番号 label",
            re.compile(
                r"記号\s*[・･]\s*番号\s*[:：]?\s*(?P<value>[0-9A-Za-z]{1,8}\s*[・･/-]\s*[0-9]{1,8})"
                + NUM_END
            ),
            0.6,
        ),
        Pattern(
            "記号・番号",
            re.compile(
                r"記号\s*[:：]?\s*(?P<value>[0-9A-Za-z-]{1,8}\s*(?:[・･/]|番号\s*[:：]?)\s*[0-9]{1,8})"
                + NUM_END
            ),
            0.6,
        ),
        Pattern("8 digits", re.compile(NUM_START + r"(?P<value>[0-9]{8})" + NUM_END), 0.3),
        Pattern("6 digits", re.compile(NUM_START + r"(?P<value>[0-9]{6})" + NUM_END), 0.2),
    )
    context_words = (
        "保険者番号",
        "保険証",
        "健康保険",
        "後期高齢",
        "国民健康保険",
        "国保",
        "被保険者証",
        "記号",
        "health insurance",
    )
    negative_words = ("郵便", "〒", "商品", "注文", "電話", "tel", "年", "円")
    requires_context = True
    value_classifiable = False
    validation_name = "check digit"
    header_words = (
        "保険者番号",
        "保険証番号",
        "健康保険",
        "後期高齢",
        "記号番号",
        "記号・番号",
        "国保番号",
        "insurer",
        "health insurance",
    )
    header_exclude = ("介護",)

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        if "記号" in value or not value.isdigit():
            return None  # 記号・番号: no check digit
        if len(digits) in (6, 8):
            if luhn_valid(digits):
                return True
            # 後期高齢者医療 numbers (39…) are accepted on their prefix.
            return None if digits.startswith("39") and len(digits) == 8 else False
        return False

    def cell_value(self, cell: object, text: str) -> str | None:
        for length in (8, 6):
            digits = cell_digits(cell, text, length, zero_pad=False)
            if digits is not None:
                return digits
        stripped = text.strip()
        if 3 <= len(stripped) <= 20 and re.fullmatch(
            r"[0-9A-Za-z]{1,8}\s*[・･/-]\s*[0-9]{1,8}", stripped
        ):
            return stripped
        return None
