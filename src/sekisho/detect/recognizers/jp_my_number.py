"""JP_MY_NUMBER: the 12-digit Individual Number (個人番号, マイナンバー)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sekisho.detect.checkdigits import is_valid_my_number
from sekisho.detect.entities import JP_MY_NUMBER
from sekisho.detect.recognizer import NUM_END, NUM_START, Candidate, Pattern, Recognizer

# "MN:123456789018", "My No. 1234-5678-9018": the abbreviations are labels of their own.
_ABBREVIATED = re.compile(
    r"(?<![A-Za-z])(?:MN|M\.N\.|my\s?no\.?)\s*[:：#.=]?\s*"
    r"(?P<value>[0-9]{12}|[0-9]{4}([- ])[0-9]{4}\2[0-9]{4})" + NUM_END,
    re.IGNORECASE,
)


class JpMyNumberRecognizer(Recognizer):
    """12 digits, written plain or as 4-4-4 with hyphens or spaces.

    The last digit is a check digit (行政手続における特定の個人を識別するための番号の利用等に
    関する法律施行令 第八条; 総務省令第八十五号 第五条): the 11 leading digits weighted
    6,5,4,3,2,7,6,5,4,3,2 from the left, summed, mod 11; a remainder of 0 or 1 gives 0,
    otherwise 11 minus the remainder.

    About 1 in 11 random 12-digit numbers pass, so a valid number is reported only with a
    label, a column header or a context word; product and order codes push it down.
    """

    name = "JpMyNumberRecognizer"
    entity = JP_MY_NUMBER
    patterns = (
        Pattern("12 digits", re.compile(NUM_START + r"(?P<value>[0-9]{12})" + NUM_END), 0.3),
        Pattern(
            "4-4-4",
            re.compile(NUM_START + r"(?P<value>[0-9]{4}([- ])[0-9]{4}\2[0-9]{4})" + NUM_END),
            0.35,
        ),
    )
    context_words = (
        "マイナンバー",
        "個人番号",
        "通知カード",
        "個人番号カード",
        "my number",
        "mynumber",
        "individual number",
        "マイナ",
    )
    negative_words = (
        "商品",
        "品番",
        "型番",
        "製品",
        "注文",
        "受注",
        "伝票",
        "jan",
        "sku",
        "product",
        "item",
        "order",
        "serial",
        "シリアル",
        "部品",
    )
    requires_context = True
    value_min_sample = 8
    value_min_share = 0.9
    header_words = ("個人番号", "マイナンバー", "my number", "mynumber", "individual number")
    validation_name = "check digit"

    def candidates(self, text: str) -> Iterator[Candidate]:
        yield from super().candidates(text)
        if "n" in text or "N" in text:
            for match in _ABBREVIATED.finditer(text):
                value = match.group("value")
                yield Candidate(
                    match.start("value"), match.end("value"), value, self.patterns[0], ("MN",)
                )

    def validate(self, value: str) -> bool | None:
        return is_valid_my_number(self.canonical(value))
