import random

import pytest

from sekisho.detect import Detector
from sekisho.extract import TablePart
from tests.conftest import entities_in
from tests.factories import my_number, product_code

VALID = "123456789018"
INVALID = "123456789017"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"個人番号：{VALID}", True),
        (f"マイナンバー {VALID[:4]}-{VALID[4:8]}-{VALID[8:]}", True),
        (f"マイナンバー {VALID[:4]} {VALID[4:8]} {VALID[8:]}", True),
        ("個人番号：１２３４５６７８９０１８", True),  # full-width digits
        ("個人番号：１２３４ー５６７８ー９０１８", True),  # prolonged-sound-mark dashes
        (f"番号{VALID}です（個人番号）", True),  # glued to kanji, label after
        (f"My Number: {VALID}", True),
        (f"通知カードの番号は{VALID}", True),
        (f"マイナンバー：\n{VALID}", True),  # label on the line above
        (f"個人番号：{INVALID}", False),  # check digit fails
        (f"番号{VALID}です", False),  # no context word
        (VALID, False),
        (f"商品コード {VALID}", False),
        (f"個人番号：{VALID[:4]}-{VALID[4:8]} {VALID[8:]}", False),  # mixed separators
        (f"個人番号：1{VALID}", False),  # 13 digits
        (f"個人番号：{VALID}3", False),
        (f"個人番号：{VALID} 4567", False),  # part of a longer grouped number
    ],
)
def test_my_number_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_MY_NUMBER" in entities_in(detector, text)) is found


def test_header_gives_context_to_every_cell(detector: Detector) -> None:
    rng = random.Random(11)
    numbers = [my_number(rng) for _ in range(20)]
    table = TablePart(rows=[["個人番号"], *[[n] for n in numbers]], header_row=0)
    findings = detector.detect([table]).findings
    assert [f.entity for f in findings] == ["JP_MY_NUMBER"] * 20
    assert findings[0].location == "A2"
    assert "個人番号" in findings[0].explanation.context


def test_product_codes_under_a_product_header_are_not_my_numbers(detector: Detector) -> None:
    rng = random.Random(12)
    codes = [product_code(rng) for _ in range(400)]
    table = TablePart(rows=[["商品コード"], *[[c] for c in codes]], header_row=0)
    assert detector.detect([table]).findings == []


def test_excerpt_is_masked_and_explanation_complete(detector: Detector) -> None:
    from sekisho.extract import TextPart

    (finding,) = detector.text(TextPart(f"個人番号 {VALID}"))
    assert VALID not in finding.excerpt
    assert finding.excerpt.endswith("18")
    e = finding.explanation
    assert e.recognizer == "JpMyNumberRecognizer"
    assert e.validation == "check digit valid"
    assert e.score_after > e.score_before
