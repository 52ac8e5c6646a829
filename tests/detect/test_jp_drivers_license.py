import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("運転免許証番号 301234567890", True),  # 30 = 東京都公安委員会
        ("免許証 5412-3456-7890", True),  # 54 = 愛知
        ("運転免許証番号 991234567890", False),  # 99: no such commission
        ("運転免許証番号 151234567890", False),  # 15: no such commission
        ("301234567890", False),  # no context
    ],
)
def test_license_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_DRIVERS_LICENSE" in entities_in(detector, text)) is found


def test_license_column(detector: Detector) -> None:
    assert column_entities(detector, "運転免許証番号", ["301234567890", "971234567890"]) == {
        "JP_DRIVERS_LICENSE": 2
    }
