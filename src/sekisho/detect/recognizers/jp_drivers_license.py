"""JP_DRIVERS_LICENSE: 運転免許証の番号."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_DRIVERS_LICENSE
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits

# 公安委員会コード: the issuing prefectural public safety commission (Hokkaido has five
# areas: 10 札幌 … 14 北見).
PUBLIC_SAFETY_COMMISSIONS = frozenset(
    {10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 30}
    | set(range(40, 56))
    | set(range(60, 66))
    | set(range(70, 75))
    | set(range(80, 84))
    | set(range(90, 98))
)


class JpDriversLicenseRecognizer(Recognizer):
    """12 digits: issuing public safety commission (2), year first licensed (2), serial (6),
    check digit (1), reissue count (1) (道路交通法施行規則 別記様式第十四). Only the commission
    code is checked; a value needs a label, header or context word (免許証)."""

    name = "JpDriversLicenseRecognizer"
    entity = JP_DRIVERS_LICENSE
    patterns = (
        Pattern("12 digits", re.compile(NUM_START + r"(?P<value>[0-9]{12})" + NUM_END), 0.3),
        Pattern(
            "4-4-4",
            re.compile(NUM_START + r"(?P<value>[0-9]{4}([- ])[0-9]{4}\2[0-9]{4})" + NUM_END),
            0.3,
        ),
    )
    context_words = ("運転免許", "免許証", "免許番号", "driver", "licence", "license")
    negative_words = ("商品", "注文", "マイナンバー", "個人番号")
    requires_context = True
    value_classifiable = False
    validation_name = "commission code"
    valid_bonus = 0.1
    header_words = ("運転免許", "免許証番号", "免許番号", "driver", "license no", "licence no")

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        return len(digits) == 12 and int(digits[:2]) in PUBLIC_SAFETY_COMMISSIONS

    def cell_value(self, cell: object, text: str) -> str | None:
        digits = cell_digits(cell, text, 12, zero_pad=False)
        return digits if digits is not None and self.validate(digits) else None
