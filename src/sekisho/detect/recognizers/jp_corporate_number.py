"""JP_CORPORATE_NUMBER: the 13-digit Corporate Number (法人番号). Identifies a company,
never a person: it is reported so that policy can see it, and never counted as a record."""

from __future__ import annotations

import re

from sekisho.detect.checkdigits import is_valid_corporate_number
from sekisho.detect.entities import JP_CORPORATE_NUMBER
from sekisho.detect.mask import mask_digits
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer


class JpCorporateNumberRecognizer(Recognizer):
    """13 digits whose *first* digit checks the other twelve (法人番号の指定等に関する省令
    第二条): 9 - (Σ Pn×Qn mod 9), Pn the n-th digit of the base counted from the right,
    Qn = 1 for odd n and 2 for even n.

    The qualified-invoice registration number (適格請求書発行事業者登録番号) is "T" followed
    by the corporate number; the T counts as context. EAN/JAN barcodes are also 13 digits,
    so a number needs a label or header.
    """

    name = "JpCorporateNumberRecognizer"
    entity = JP_CORPORATE_NUMBER
    patterns = (
        Pattern(
            "T + 13 digits", re.compile(r"(?<![0-9A-Za-z])T-?(?P<value>[0-9]{13})" + NUM_END), 0.5
        ),
        Pattern("13 digits", re.compile(NUM_START + r"(?P<value>[0-9]{13})" + NUM_END), 0.3),
    )
    context_words = (
        "法人番号",
        "登録番号",
        "適格請求書",
        "インボイス",
        "事業者番号",
        "corporate number",
        "registration number",
        "invoice",
    )
    negative_words = ("jan", "ean", "バーコード", "商品", "barcode", "product")
    requires_context = True
    value_min_sample = 8
    value_min_share = 0.9
    header_words = ("法人番号", "登録番号", "corporate number", "registration number")
    validation_name = "check digit"

    def validate(self, value: str) -> bool | None:
        return is_valid_corporate_number(self.canonical(value))

    def mask(self, value: str) -> str:
        # A company's number is public (法人番号公表サイト); show enough to look it up.
        return mask_digits(value, head=4, tail=4)
