import pytest

from sekisho.detect import Detector
from tests.conftest import entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("山田 太郎様 要介護3", True),
        ("山田 太郎様 要介護３", True),  # full width
        ("山田 太郎様 要介護三", True),  # kanji numeral
        ("山田 太郎様 要支援2", True),
        ("山田 太郎様 事業対象者", True),
        ("山田 太郎様 要介護6", False),  # no such level
        ("要介護3の方は3名でした", False),  # nobody named
    ],
)
def test_care_level_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("CARE_LEVEL" in entities_in(detector, text)) is found


def test_roster_column(detector: Detector) -> None:
    rows = [
        ["氏名", "要介護度"],
        ["山田 太郎", "要介護1"],
        ["佐藤 花子", "要支援２"],
        ["鈴木 一郎", "要介護五"],
    ]
    assert table_detection(detector, rows).counts["CARE_LEVEL"] == 3


def test_headers_over_counts_are_not_care_levels(detector: Detector) -> None:
    rows = [
        ["地区", "要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"],
        ["北部", 12, 30, 44, 21, 13, 9, 4],
        ["南部", 8, 22, 31, 17, 10, 6, 3],
    ]
    detection = table_detection(detector, rows)
    assert detection.counts == {}
    assert detection.records == 0
