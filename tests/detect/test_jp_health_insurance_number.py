import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("保険者番号 33120015", True),  # Luhn-style check digit valid
        ("保険者番号 33120016", False),  # check digit wrong
        ("後期高齢者医療 被保険者番号 39123456", True),  # 後期高齢 numbers start with 39
        ("国民健康保険 保険者番号 138017", False),  # 6 digits, check digit wrong
        ("国民健康保険 保険者番号 138040", True),
        ("保険証 記号 1234 番号 56", True),
        ("保険証の記号・番号 12・345", True),
        ("33120015", False),  # no context
        ("〒 3312001 保険者番号欄", False),
    ],
)
def test_health_insurance_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_HEALTH_INSURANCE_NUMBER" in entities_in(detector, text)) is found


def test_insurer_number_column(detector: Detector) -> None:
    assert column_entities(detector, "保険者番号", ["33120015", "06139981"]) == {
        "JP_HEALTH_INSURANCE_NUMBER": 2
    }
