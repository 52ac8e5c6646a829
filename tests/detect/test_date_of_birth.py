from datetime import date

import pytest

from sekisho.detect import Detector
from sekisho.detect.dates import era_date, parse_date, to_era
from tests.conftest import column_entities, entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1940/03/02", date(1940, 3, 2)),
        ("1940-3-2", date(1940, 3, 2)),
        ("1940.03.02", date(1940, 3, 2)),
        ("19400302", date(1940, 3, 2)),
        ("1940年3月2日", date(1940, 3, 2)),
        ("昭和15年3月2日", date(1940, 3, 2)),
        ("S15.3.2", date(1940, 3, 2)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("H1.1.8", date(1989, 1, 8)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("昭和64年1月8日", None),  # already 平成
        ("平成元年1月7日", None),  # still 昭和
        ("平成31年5月1日", None),  # already 令和
        ("昭和65年1月1日", None),
        ("1940/02/30", None),
        ("1940/13/01", None),
    ],
)
def test_date_parsing_respects_era_bounds(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_era_round_trip() -> None:
    for day in (date(1926, 12, 25), date(1950, 6, 1), date(1989, 1, 8), date(2019, 5, 1)):
        era, year = to_era(day)
        assert era_date(era, year, day.month, day.day) == day


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("生年月日：昭和15年3月2日", True),
        ("誕生日 1940/03/02", True),
        ("昭和15年3月2日生", True),
        ("1940年3月2日生まれ", True),
        ("DOB: 1940-03-02", True),
        ("昭和15年3月2日（86歳）", True),  # an age that matches
        ("昭和15年3月2日（40歳）", False),  # an age that does not
        ("申請日：令和4年5月20日", False),
        ("認定日 2022/05/20", False),
        ("会議は2022年5月20日に開催", False),
        ("有効期間 令和4年6月1日～令和5年5月31日", False),
        ("生年月日：昭和64年1月8日", False),  # not a date
        ("生年月日：1890/01/01", False),  # 136 years old
    ],
)
def test_birth_date_needs_evidence(detector: Detector, text: str, found: bool) -> None:
    assert ("DATE_OF_BIRTH" in entities_in(detector, text)) is found


def test_excel_date_cells_under_header(detector: Detector) -> None:
    counts = column_entities(
        detector, "生年月日", [date(1940, 3, 2), date(1951, 12, 1), "昭和20年8月15日"]
    )
    assert counts == {"DATE_OF_BIRTH": 3}


def test_application_dates_are_not_birth_dates(detector: Detector) -> None:
    rows = [["氏名", "申請日"], ["山田 太郎", date(2022, 5, 20)], ["佐藤 花子", date(2022, 5, 21)]]
    assert "DATE_OF_BIRTH" not in table_detection(detector, rows).counts


def test_headerless_birth_dates_beside_names(detector: Detector) -> None:
    rows = [
        ["山田 太郎", date(1940, 3, 2)],
        ["佐藤 花子", date(1951, 12, 1)],
        ["鈴木 一郎", date(1933, 7, 7)],
        ["高橋 由美", date(1962, 1, 15)],
    ]
    detection = table_detection(detector, rows, header=False)
    assert detection.counts == {"DATE_OF_BIRTH": 4, "PERSON_NAME": 4}
    assert detection.records == 4


def test_birth_date_with_another_item_is_a_person(detector: Detector) -> None:
    rows = [["生年月日", "性別"], [date(1940, 3, 2), "女"], [date(1950, 1, 1), "男"]]
    assert table_detection(detector, rows).records == 2
    assert table_detection(detector, [["生年月日"], [date(1940, 3, 2)]]).records == 0
