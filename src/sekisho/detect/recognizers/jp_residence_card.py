"""JP_RESIDENCE_CARD: 在留カード番号."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_RESIDENCE_CARD
from sekisho.detect.recognizer import Pattern
from sekisho.detect.recognizers._codes import LetterCodeRecognizer


class JpResidenceCardRecognizer(LetterCodeRecognizer):
    """Two letters, eight digits, two letters (AB12345678CD): the number of the residence
    card (在留カード, 出入国管理及び難民認定法 第十九条の四) and of the special permanent
    resident certificate. The shape is distinctive enough to report without a label;
    context (在留カード) raises the score."""

    name = "JpResidenceCardRecognizer"
    entity = JP_RESIDENCE_CARD
    patterns = (
        Pattern(
            "2 letters + 8 digits + 2 letters",
            re.compile(r"(?<![A-Za-z0-9])(?P<value>[A-Z]{2}[0-9]{8}[A-Z]{2})(?![A-Za-z0-9])"),
            0.55,
        ),
    )
    context_words = ("在留カード", "在留", "特別永住者証明書", "residence card")
    negative_words = ("商品", "品番", "型番", "注文", "order", "serial", "シリアル")
    header_words = ("在留カード", "在留番号", "residence card")
    column_shape = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")

    def mask(self, value: str) -> str:
        return value[:2] + "*" * 8 + value[-2:]
