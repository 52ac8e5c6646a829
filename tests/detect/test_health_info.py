import pytest

from sekisho.detect import Detector
from tests.conftest import entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("山田 太郎様は認知症のため通院中です", True),
        ("佐藤 花子さん 身体障害者手帳2級", True),
        ("鈴木 一郎様（療育手帳A）", True),
        ("田中 陽子様 糖尿病でインスリン使用", True),
        ("認知症カフェを開催します", False),  # nobody named
        ("糖尿病予防教室のお知らせ", False),
    ],
)
def test_health_info_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("HEALTH_INFO" in entities_in(detector, text)) is found


def test_diagnosis_column_beside_names(detector: Detector) -> None:
    rows = [["氏名", "主な疾患"], ["山田 太郎", "脳梗塞後遺症"], ["佐藤 花子", "高血圧、骨粗鬆症"]]
    assert table_detection(detector, rows).counts["HEALTH_INFO"] == 2


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("山田太郎様 HIV陽性", True),
        ("山田太郎様 胃がんで入院", True),
        ("山田太郎様 がんと診断", True),
        ("山田太郎様 see the ARCHIVE folder", False),  # HIV inside a word
        ("山田太郎様 こがん思うとよ", False),  # dialect, not cancer
        ("山田太郎様 ひがんだ団地にお住まい", False),
        ("山田太郎様 がんばってください", False),
    ],
)
def test_terms_are_whole_words(detector: Detector, text: str, found: bool) -> None:
    assert ("HEALTH_INFO" in entities_in(detector, text)) is found
