"""GENDER: sex as recorded in rosters (性別)."""

from __future__ import annotations

import re

from sekisho.detect.entities import GENDER
from sekisho.detect.recognizer import Pattern, Recognizer

_WORDS = frozenset(
    {"男", "女", "男性", "女性", "m", "f", "male", "female", "man", "woman", "♂", "♀"}
)
# 1 男 2 女 (住民基本台帳 and most municipal systems; JIS X 0303 adds 0 unknown, 9 not
# applicable), or 0/1 flags: under a 性別 header every one of them is a person's sex.
_CODES = frozenset({"0", "1", "2", "9"})


class GenderRecognizer(Recognizer):
    """A 性別 / Sex column (男/女, 男性/女性, M/F, male/female, and 1/2 or 0/1 codes under
    such a header),
    or "性別: 女" in running text. It describes a person and identifies nobody, so it is
    reported only beside a person (same row, or within two lines)."""

    name = "GenderRecognizer"
    entity = GENDER
    patterns = (
        Pattern(
            "labelled",
            re.compile(
                r"(?:性別|sex|gender)\s*[:：]?\s*[(（]?(?P<value>男性|女性|男|女|male|female|m|f)(?![a-z])",
                re.I,
            ),
            0.9,
        ),
    )
    needs = "letter"
    header_words = ("性別", "sex", "gender", "男女")
    header_exclude = ("男女別", "男女計")
    column_score = 0.6
    column_shape = re.compile(r"男|女|男性|女性|[MFmf0129]|[Mm]ale|MALE|[Ff]emale|FEMALE")

    def cell_value(self, cell: object, text: str) -> str | None:
        value = text.strip().lower()
        if value in _WORDS:
            return value
        if isinstance(cell, int | str) and not isinstance(cell, bool) and value in _CODES:
            return value
        return None

    def plausible_column(self, values: list[str]) -> bool:
        # Without a header, 1s and 2s (or 0s and 1s) are just numbers.
        return any(v not in _CODES for v in values)

    def canonical(self, value: str) -> str:
        return value

    def mask(self, value: str) -> str:
        return "*"
