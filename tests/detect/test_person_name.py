import pytest

from sekisho.detect import Detector
from tests.conftest import column_entities, entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("山田 太郎", True),
        ("山田太郎", True),
        ("田中陽子さんの件で", True),
        ("鈴木様", True),  # family name with an honorific
        ("ヤマダ タロウ", True),  # katakana
        ("氏名：佐藤 花子", True),
        ("Name: Taro Yamada", True),
        ("担当の佐藤です", False),  # a lone family name is staff, not a resident
        ("Taro Yamada", False),  # romaji needs a label
        ("東京都千代田区", False),  # a place
        ("昭和15年", False),  # an era
        ("株式会社山田製作所", False),  # an organisation
        ("高齢福祉課", False),
    ],
)
def test_name_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("PERSON_NAME" in entities_in(detector, text)) is found


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("氏名", ["山田 太郎", "佐藤花子", "鈴木 一郎"]),
        ("フリガナ", ["ヤマダ タロウ", "サトウ ハナコ", "スズキ イチロウ"]),
        ("Name", ["Taro Yamada", "Hanako Sato", "Ichiro Suzuki"]),
        ("セイ", ["ヤマダ", "サトウ", "スズキ"]),
        (None, ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 由美"]),  # no header at all
    ],
)
def test_name_columns(detector: Detector, header: str | None, values: list[str]) -> None:
    assert column_entities(detector, header, values) == {"PERSON_NAME": len(values)}


def test_district_names_are_not_people(detector: Detector) -> None:
    assert column_entities(detector, None, ["北部", "南部", "東部", "西部", "中央"]) == {}
    assert column_entities(detector, "施設名", ["山田ホーム", "さくら苑", "みどり荘"]) == {}


def test_name_excerpt_is_masked(detector: Detector) -> None:
    from sekisho.extract import TextPart

    (finding,) = detector.text(TextPart("氏名：鈴木 一郎"))
    assert finding.excerpt == "鈴木 **"


def test_roster_rows_are_people(detector: Detector) -> None:
    rows = [["氏名", "フリガナ"], ["山田 太郎", "ヤマダ タロウ"], ["佐藤 花子", "サトウ ハナコ"]]
    assert table_detection(detector, rows).records == 2


def test_given_name_unknown_to_the_dictionary_before_an_honorific(detector: Detector) -> None:
    from sekisho.extract import TextPart

    (finding,) = detector.text(TextPart("長谷川 零さんについて"))
    assert finding.entity == "PERSON_NAME"
    assert finding.excerpt == "長谷川 *"


def test_romaji_and_given_name_columns_are_names(detector: Detector) -> None:
    rows = [
        ["姓（ローマ字）", "名", "携帯"],
        ["YAMADA", "太郎", "090-1111-2222"],
        ["SATO", "花子", "090-3333-4444"],
        ["SUZUKI", "一郎", "080-5555-6666"],
    ]
    detection = table_detection(detector, rows)
    assert detection.counts["PERSON_NAME"] == 6
    assert detection.records == 3


def test_name_alone_as_a_header_is_exact(detector: Detector) -> None:
    # 名 names a given name only as the whole header; 名称 over Latin words is not names
    places = ["Tokyo", "Sendai", "Kobe", "Nagoya"]
    assert "PERSON_NAME" not in column_entities(detector, "名称", places)
    assert "PERSON_NAME" not in column_entities(detector, None, places)


def test_a_reading_or_romaji_header_vouches_for_the_shape(detector: Detector) -> None:
    # a third-party dummy roster: readings without a space, romaji in camel case
    rows = [
        ["氏名", "氏名（カタカナ）", "氏名（ローマ字）", "生年月日"],
        ["滝雛", "タキヒナ", "TakiHina", "1962/05/16"],
        ["富田理絵", "トミダリエ", "TomidaRie", "1978/12/26"],
        ["原口広幸", "ハラグチヒロユキ", "HaraguchiHiroyuki", "1988/06/22"],
    ]
    detection = table_detection(detector, rows)
    assert detection.counts["PERSON_NAME"] == 9 and detection.records == 3
    products = [["商品名（カナ）"], ["コーヒー"], ["パソコン"], ["ノート"]]
    assert "PERSON_NAME" not in table_detection(detector, products).counts
