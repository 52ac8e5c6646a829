import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("住民票コード 12345678901", True),
        ("住民票コード：１２３４５６７８９０１", True),
        ("12345678901", False),
        ("住民票コード 1234567890", False),
    ],
)
def test_resident_code_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_RESIDENT_CODE" in entities_in(detector, text)) is found


def test_resident_code_column(detector: Detector) -> None:
    assert column_entities(detector, "住民票コード", ["12345678901", 98765432109]) == {
        "JP_RESIDENT_CODE": 2
    }
