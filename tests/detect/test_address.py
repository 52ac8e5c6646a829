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


PEOPLE = [
    ("山田 太郎", "東京都", "千代田区", "千代田1-1", "ハイツ101"),
    ("佐藤 花子", "大阪府", "大阪市北区", "梅田2-3-4", ""),
    ("鈴木 一郎", "北海道", "札幌市中央区", "北1条西2-1", ""),
]


@pytest.mark.parametrize(
    "header",
    [
        ["氏名", "都道府県", "市区町村", "町名・番地", "建物"],
        ["name", "jusho1", "jusho2", "jusho3", "jusho4"],
        ["氏名", "住所", "", "", ""],
    ],
)
def test_an_address_split_over_columns_is_one_address(
    detector: Detector, header: list[str]
) -> None:
    from tests.conftest import table_detection

    detection = table_detection(detector, [header, *map(list, PEOPLE)])
    assert detection.records == 3
    assert detection.counts["ADDRESS"] == 3
    first = next(f for f in detection.findings if f.entity == "ADDRESS")
    assert first.location.endswith("B2") and first.excerpt.startswith("東京都 千代田区")
    assert "4 columns" in first.explanation.pattern and "1-1" not in first.excerpt


def test_prefecture_and_municipality_in_one_column_then_the_rest(detector: Detector) -> None:
    from tests.conftest import table_detection

    rows = [["氏名", "住所1", "住所2"]] + [[p[0], p[1] + p[2], p[3]] for p in PEOPLE]
    assert table_detection(detector, rows).counts.get("ADDRESS") == 3


def test_districts_by_column_are_not_addresses(detector: Detector) -> None:
    # a population table by 町丁目: a district is nobody's address
    from tests.conftest import table_detection

    rows = [
        ["地区", "町丁目", "人口"],
        ["大和町", "1丁目", 120],
        ["本町", "2丁目", 130],
        ["栄町", "3丁目", 90],
    ]
    assert "ADDRESS" not in table_detection(detector, rows).counts


def test_a_split_facility_address_describes_nobody(detector: Detector) -> None:
    from tests.conftest import table_detection

    rows = [["施設名", "都道府県", "市区町村", "所在地"]] + [
        [f"ひまわり保育園{i}", p[1], p[2], p[3]] for i, p in enumerate(PEOPLE)
    ]
    detection = table_detection(detector, rows)
    assert detection.counts.get("ADDRESS") == 3 and detection.records == 0


@pytest.mark.parametrize(
    "text", ["住所 東京都 千代田区 千代田1-1", "大阪府　大阪市北区　梅田2-3-4に転居"]
)
def test_spaces_between_the_parts_of_an_address(detector: Detector, text: str) -> None:
    assert entities_in(detector, text) == ["ADDRESS"]


def _every_position(recognizer, text: str) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """The reference: try an address at every position, left to right."""
    found, i = [], 0
    while i < len(text):
        match = recognizer._address_at(text, i)
        if match is None:
            i += 1
            continue
        found.append((i, match[0], match[1].name))
        i = match[0]
    return found


@pytest.mark.parametrize("seed", range(40))
def test_looking_only_before_numbers_finds_what_every_position_finds(seed: int) -> None:
    import random

    from faker import Faker

    from sekisho.detect.normalize import normalize
    from sekisho.detect.recognizers.address import AddressRecognizer

    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    extra = [
        "北海道札幌市中央区北一条西二丁目",
        "東京都 千代田区 千代田1-1",
        "大阪府架空市中町3番地の5",  # an unlisted municipality
        "横浜市港北区日吉本町一丁目2番3号 ハイツ日吉201号室",
        "〒100-0001 東京都千代田区千代田1番1号",
        "大和町26丁目",
    ]
    pieces = []
    for _ in range(rng.randint(3, 12)):
        pieces.append(fake.text(max_nb_chars=rng.choice([10, 60, 300]))[: rng.randint(0, 300)])
        pieces.append(rng.choice([fake.address(), fake.address(), *extra]))
    text = normalize("".join(pieces)).text
    recognizer = AddressRecognizer()
    got = [(c.start, c.end, c.pattern.name) for c in recognizer.candidates(text)]
    assert got == _every_position(recognizer, text)
    assert got  # the generated text holds addresses
