"""JP_PASSPORT: 旅券番号."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_PASSPORT
from sekisho.detect.mask import mask_text
from sekisho.detect.recognizer import Pattern
from sekisho.detect.recognizers._codes import LetterCodeRecognizer


class JpPassportRecognizer(LetterCodeRecognizer):
    """Two Latin letters and seven digits (e.g. TK1234567), the number printed on Japanese
    passports (旅券法; ICAO Doc 9303 machine-readable zone). The shape is common in product
    and order codes, so a value needs a label, header or context (旅券, パスポート)."""

    name = "JpPassportRecognizer"
    entity = JP_PASSPORT
    patterns = (
        Pattern(
            "2 letters + 7 digits",
            re.compile(r"(?<![A-Za-z0-9])(?P<value>[A-Z]{2}[0-9]{7})(?![A-Za-z0-9])"),
            0.3,
        ),
    )
    context_words = ("旅券", "パスポート", "passport")
    negative_words = ("商品", "品番", "型番", "注文", "order", "item")
    requires_context = True
    value_classifiable = False
    needs = "digit"
    header_words = ("旅券番号", "パスポート", "passport")
    column_shape = re.compile(r"[A-Z]{2}[0-9]{7}")

    def mask(self, value: str) -> str:
        return mask_text(value, keep=2)[:-2] + value[-2:]
