import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in, table_detection


@pytest.mark.parametrize(
    ("header", "values", "count"),
    [
        ("性別", ["男", "女", "男性", "女性"], 4),
        ("Sex", ["M", "F", "male", "female"], 4),
        ("性別", [1, 2, 2, 1], 4),  # codes only under a header
        ("性別", [1, 0, 0, 1, 0], 5),  # 0/1 flags: the 0s are sexes too
        ("SEX", ["MALE", "FEMALE", "MALE"], 3),
        (None, [1, 0, 0, 1, 0, 1], 0),  # 0s and 1s alone are flags
        (None, ["男", "女", "女", "男", "女"], 5),  # recognised from the values
        (None, [1, 2, 2, 1, 2, 1], 0),  # 1s and 2s alone are numbers
    ],
)
def test_gender_column_beside_a_name(
    detector: Detector, header: str | None, values: list[object], count: int
) -> None:
    names = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 由美", "田中 陽子", "伊藤 健"]
    rows: list[list[object]] = [["氏名", header]] if header else []
    rows += [[names[i], v] for i, v in enumerate(values)]
    detection = table_detection(detector, rows, header=header is not None)
    assert detection.counts.get("GENDER", 0) == count


def test_gender_alone_is_not_reported(detector: Detector) -> None:
    assert column_entities(detector, "性別", ["男", "女", "女"]) == {}


def test_gender_in_text_needs_a_person_near(detector: Detector) -> None:
    assert entities_in(detector, "性別：女") == []
    assert sorted(entities_in(detector, "氏名：山田 花子\n性別：女")) == ["GENDER", "PERSON_NAME"]
