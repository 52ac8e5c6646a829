import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("旅券番号 TK1234567", True),
        ("パスポート番号：ＭＺ７６５４３２１", True),  # full width
        ("Passport No. TR0000001", True),
        ("品番 TK1234567", False),
        ("TK1234567", False),
        ("旅券番号 TK123456", False),
    ],
)
def test_passport_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_PASSPORT" in entities_in(detector, text)) is found


def test_passport_column(detector: Detector) -> None:
    assert column_entities(detector, "旅券番号", ["TK1234567", "mz7654321"]) == {"JP_PASSPORT": 2}
