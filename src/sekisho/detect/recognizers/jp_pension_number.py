"""JP_PENSION_NUMBER: 基礎年金番号."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_PENSION_NUMBER
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits


class JpPensionNumberRecognizer(Recognizer):
    """The 10-digit Basic Pension Number (基礎年金番号, 国民年金法 第十四条), written as a
    4-digit office code and a 6-digit serial ("1234-567890") on the pension book
    (年金手帳) and notice. No check digit is published, so it needs a label, a header or
    context (年金).
    """

    name = "JpPensionNumberRecognizer"
    entity = JP_PENSION_NUMBER
    patterns = (
        Pattern("4-6", re.compile(NUM_START + r"(?P<value>[0-9]{4}[- ][0-9]{6})" + NUM_END), 0.4),
        Pattern("10 digits", re.compile(NUM_START + r"(?P<value>[0-9]{10})" + NUM_END), 0.3),
    )
    context_words = ("基礎年金番号", "年金番号", "年金手帳", "年金", "pension")
    negative_words = ("電話", "tel", "携帯", "商品", "注文")
    requires_context = True
    value_classifiable = False
    header_words = ("基礎年金番号", "年金番号", "pension")
    column_score = 0.6
    column_shape = re.compile(r"[0-9]{4}-?[0-9]{6}")

    def cell_value(self, cell: object, text: str) -> str | None:
        return cell_digits(cell, text, 10)
