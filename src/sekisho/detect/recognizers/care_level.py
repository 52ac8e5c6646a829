"""CARE_LEVEL: 要介護度 (long-term care certification level)."""

from __future__ import annotations

import re

from sekisho.detect.entities import CARE_LEVEL
from sekisho.detect.recognizer import Pattern, Recognizer

_KANJI = str.maketrans("一二三四五", "12345")
_LEVEL = re.compile(
    r"(?P<value>要支援\s*[12一二]|要介護\s*(?:度\s*)?[1-5一二三四五]|事業対象者)(?![0-9])"
)
_CELL = re.compile(r"\s*(?:要支援\s*[12一二]|要介護\s*(?:度\s*)?[1-5一二三四五]|事業対象者)\s*")


class CareLevelRecognizer(Recognizer):
    """要支援1–2, 要介護1–5 (Arabic, full-width or kanji numerals) and 事業対象者 (介護保険法
    第七条, 要介護認定等に係る介護認定審査会による審査及び判定の基準等に関する省令).

    It is sensitive but identifies nobody: reported only in a row or near a line that
    names a person, so a header 要介護1 over counts of a statistics table is not one.
    """

    name = "CareLevelRecognizer"
    entity = CARE_LEVEL
    patterns = (Pattern("care level", _LEVEL, 0.7),)
    context_words = ("要介護度", "介護度", "認定", "介護")
    needs = "letter"
    header_words = (
        "要介護度",
        "介護度",
        "要介護状態区分",
        "認定区分",
        "介護区分",
        "care level",
        "要介護認定",
    )
    column_score = 0.6
    column_shape = _CELL

    def cell_value(self, cell: object, text: str) -> str | None:
        if isinstance(cell, str) and len(text) <= 12 and _CELL.fullmatch(text):
            return text.strip()
        return None

    def canonical(self, value: str) -> str:
        return value.translate(_KANJI).replace(" ", "").replace("度", "")

    def mask(self, value: str) -> str:
        return re.sub(r"[1-5一二三四五12345]", "*", value) if value != "事業対象者" else "事業****"
