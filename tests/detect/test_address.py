import pytest

from sekisho.detect import Detector
from sekisho.detect.gazetteer import gazetteer
from tests.conftest import column_entities, entities_in


def test_gazetteer_is_complete() -> None:
    places = gazetteer()
    assert len(places.prefectures) == 47
    assert "札幌市中央区" in places.municipalities
    assert "山武郡芝山町" in places.municipalities
    assert "浜松市中央区" in places.municipalities  # added by hand (2024)
    assert places.municipalities["府中市"] == frozenset({"東京都", "広島県"})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("住所：東京都千代田区千代田1-1", True),
        ("〒100-0001 東京都千代田区千代田1丁目1番1号", True),
        ("横浜市港北区東三島17丁目4番16号 パレス101", True),  # without prefecture
        ("大阪府大阪市北区梅田一丁目二番地の三", True),  # kanji numerals, 番地の
        ("山武郡芝山町箪笥町2丁目17番8号", True),
        ("自宅は千葉県印旛郡本埜村滝1-2です", True),  # merged away in 2010, real prefecture
        ("東京都千代田区", False),  # no house number
        ("会場：東京都千代田区丸の内3-5-1 東京国際フォーラム", False),  # a venue
        ("市役所所在地 東京都千代田区千代田1-1", False),
        ("架空県架空市1-2-3", False),
    ],
)
def test_address_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("ADDRESS" in entities_in(detector, text)) is found


def test_address_excerpt_keeps_only_the_municipality(detector: Detector) -> None:
    from sekisho.extract import TextPart

    (finding,) = detector.text(TextPart("住所：東京都千代田区千代田1-1-1"))
    assert finding.excerpt.startswith("東京都千代田区")
    assert "1-1" not in finding.excerpt


def test_address_column(detector: Detector) -> None:
    values = [
        "東京都千代田区千代田1-1",
        "〒530-0001 大阪府大阪市北区梅田1丁目2番3号",
        "札幌市中央区北1条西2丁目1",
    ]
    assert column_entities(detector, "住所", values) == {"ADDRESS": 3}


def test_municipality_names_alone_are_not_addresses(detector: Detector) -> None:
    assert column_entities(detector, None, ["千代田区", "港区", "新宿区", "渋谷区"]) == {}
