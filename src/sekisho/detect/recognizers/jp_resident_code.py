"""JP_RESIDENT_CODE: 住民票コード."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_RESIDENT_CODE
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits


class JpResidentCodeRecognizer(Recognizer):
    """The 11-digit Resident Record Code (住民票コード, 住民基本台帳法 第七条第十三号).

    Its last digit is a check digit set by ministerial ordinance, but the algorithm is not
    one we can cite, so it is not checked: the value needs a label, header or context
    word (住民票コード, 住基).
    """

    name = "JpResidentCodeRecognizer"
    entity = JP_RESIDENT_CODE
    patterns = (
        Pattern("11 digits", re.compile(NUM_START + r"(?P<value>[0-9]{11})" + NUM_END), 0.4),
    )
    context_words = ("住民票コード", "住民票", "住基", "resident code", "resident record")
    negative_words = ("電話", "tel", "携帯", "商品", "注文")
    requires_context = True
    value_classifiable = False
    header_words = ("住民票コード", "住民票code", "住基コード", "resident code")
    column_shape = re.compile(r"[0-9]{11}")

    def cell_value(self, cell: object, text: str) -> str | None:
        return cell_digits(cell, text, 11)
