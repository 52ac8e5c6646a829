import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("基礎年金番号 1234-567890", True),
        ("年金手帳の番号は１２３４－５６７８９０です", True),
        ("基礎年金番号：1234567890", True),
        ("1234-567890", False),
        ("基礎年金番号 123-4567890", False),
    ],
)
def test_pension_number_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_PENSION_NUMBER" in entities_in(detector, text)) is found


def test_pension_column(detector: Detector) -> None:
    assert column_entities(detector, "基礎年金番号", ["1234-567890", "2345678901"]) == {
        "JP_PENSION_NUMBER": 2
    }
