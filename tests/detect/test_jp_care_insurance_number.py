import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("介護保険 被保険者番号 0001234567", True),
        ("被保険者番号：１２３４５６７８９０", True),
        ("介護保険の被保険者証（番号 1234567890）", True),
        ("番号 1234567890", False),  # no context: any 10 digits
        ("被保険者番号 123456789", False),  # 9 digits
        ("被保険者番号 12345678901", False),
    ],
)
def test_care_insurance_number_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_CARE_INSURANCE_NUMBER" in entities_in(detector, text)) is found


def test_column_with_leading_zeros_lost_by_excel(detector: Detector) -> None:
    # Numbers typed as numbers lose their zeros: 0001234567 arrives as 1234567.
    counts = column_entities(detector, "被保険者番号", [1234567, "0000012345", 9876543210])
    assert counts == {"JP_CARE_INSURANCE_NUMBER": 3}


def test_ten_digit_column_without_header_is_not_claimed(detector: Detector) -> None:
    assert "JP_CARE_INSURANCE_NUMBER" not in column_entities(detector, None, ["1234567890"] * 20)


def test_same_number_on_two_rows_is_one_person(detector: Detector) -> None:
    rows = [["被保険者番号", "要介護度"], ["0001234567", "要介護1"], ["0001234567", "要介護2"]]
    assert table_detection(detector, rows).records == 1
