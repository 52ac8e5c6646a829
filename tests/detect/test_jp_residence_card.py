import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("在留カード番号 AB12345678CD", True),
        ("AB12345678CD", True),  # distinctive without a label
        ("型番 AB12345678CD", False),  # a product code
        ("AB1234567CD", False),
        ("XAB12345678CD", False),
    ],
)
def test_residence_card_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_RESIDENCE_CARD" in entities_in(detector, text)) is found


def test_residence_card_column(detector: Detector) -> None:
    assert column_entities(detector, "在留カード番号", ["AB12345678CD", "ZZ00000001AA"]) == {
        "JP_RESIDENCE_CARD": 2
    }
