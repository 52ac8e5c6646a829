"""Lists of organisations describe nobody (issue 11): the rules that keep a facility list,
a tourist-spot table or a newsletter from being counted as residents, and the near
misses on the other side that must still count."""

from __future__ import annotations

import pytest

from sekisho.detect import Detector
from sekisho.detect.headers import names_a_thing, names_something_else
from sekisho.detect.normalize import fold
from sekisho.extract import TablePart, TextPart
from sekisho.extract.sniff import sniff


def _table(rows: list[list[object]]) -> TablePart:
    return TablePart(rows=rows, header_row=0, origin="")


def _names(detector: Detector, text: str) -> list[str]:
    return [
        h.candidate.value for h in detector.hits(text, "") if h.recognizer.entity == "PERSON_NAME"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "東大成保育園",
        "国木田独歩旧宅",
        "辻南小児童クラブ",
        "菊池寛記念館",
        "大宮聖苑",
        "学区 大井川南",
    ],
)
def test_facility_and_place_names_are_not_people(detector: Detector, text: str) -> None:
    assert _names(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("山田太郎様", "山田太郎"),
        ("鈴木次郎館長", "鈴木次郎"),  # a title after a name is a person's
        ("山田太郎が館内で待っています", "山田太郎"),
        ("氏名 佐藤 花子", "佐藤 花子"),
    ],
)
def test_people_next_to_such_words_stay_people(detector: Detector, text: str, name: str) -> None:
    assert _names(detector, text) == [name]


def test_a_name_mentioned_in_prose_is_found_but_makes_no_record(detector: Detector) -> None:
    prose = (
        "明治の文豪、国木田独歩は青年時代の数年間をこの地で過ごし、ゆかりの品が展示されています。"
    )
    detection = detector.detect([TextPart(prose)])
    assert [f.entity for f in detection.findings] == ["PERSON_NAME"]
    assert detection.records == 0
    told = "山田太郎さんの携帯は090-1234-5678です。至急ご連絡をお願いいたします、とのことでした。"
    assert detector.detect([TextPart(told)]).records == 1


def test_headers_that_name_something_else_win_over_values(detector: Detector) -> None:
    rows = [
        ["NO", "火山名", "開設日", "介護保険事業所番号", "定員", "氏名", "生年月日"],
        ["0000000001", "雲仙岳", "1998-04-01", "1410000001", 30, "山田 太郎", "1940-05-06"],
        ["0000000002", "浅間山", "2001-10-01", "1410000002", 40, "佐藤 花子", "1938-11-02"],
        ["0000000003", "阿蘇山", "2010-04-01", "1410000003", 50, "鈴木 一郎", "1945-01-20"],
    ]
    detection = detector.detect([_table(rows)])
    by_column = {(f.entity, f.location[0]) for f in detection.findings}
    assert by_column == {("PERSON_NAME", "F"), ("DATE_OF_BIRTH", "G")}
    assert detection.records == 3


def test_numbers_typed_as_numbers_are_not_identifiers_without_a_header(
    detector: Detector,
) -> None:
    # 4111111111111111 passes Luhn: as grouped text in a cell it reads as a card number;
    # as a float's digits or a number typed as a number it is a measurement.
    for cell in (0.4111111111111111, 4111111111111111):
        detection = detector.detect([_table([["測定値"], [cell], [1.5]])])
        assert detection.findings == [], cell
    as_text = detector.detect([_table([["測定値"], ["4111 1111 1111 1111"], ["7"]])])
    assert [f.entity for f in as_text.findings] == ["CREDIT_CARD"]
    labelled = [["個人番号"], [123456789018]]
    assert [f.entity for f in detector.detect([_table(labelled)]).findings] == ["JP_MY_NUMBER"]


def test_hyphenated_landlines_under_an_unknown_header_are_phones(detector: Detector) -> None:
    phones = ["04992-7-9615", "0982-84-1791", "0982-84-1792", "03-1234-5678"] * 10
    rows = [["denwa"]] + [[p[:-1] + str(i % 10)] for i, p in enumerate(phones)]
    entities = {f.entity for f in detector.detect([_table(rows)]).findings}
    assert entities == {"PHONE_NUMBER"}


def test_header_words() -> None:
    assert names_something_else(fold("NO")) and names_something_else(fold("世帯数"))
    assert names_something_else(fold("介護保険事業所番号"))
    assert not names_something_else(fold("被保険者番号")) and not names_something_else("")
    assert names_a_thing("火山名") and names_a_thing("スポット名")
    assert not names_a_thing("氏名") and not names_a_thing("代表者名") and not names_a_thing("名")


def test_a_tab_separated_text_file_is_a_table() -> None:
    data = "名称\t住所\t電話\n柳井市町並み資料館\t山口県柳井市柳井津\t0820-22-1111\n".encode() * 3
    assert sniff(data, "export.txt") == "csv"
    assert sniff("会議のお知らせ\n日時\t10時\n場所\t本庁舎\n".encode(), "memo.txt") == "text"


def test_people_named_in_a_description_column_are_mentioned(detector: Detector) -> None:
    # 柳井市's tourist spots: the architect of a building, named with 氏, is history
    about = "設計者は長野宇平治氏の高弟佐藤節雄氏で、平成10年に柳井市に寄贈されました。"
    rows = [["名称", "電話番号", "説明"], ["むろやの園", "0820-22-1234", about]]
    detection = detector.detect([_table(rows)])
    assert detection.counts.get("PERSON_NAME", 0) >= 1  # reported
    assert detection.records == 0  # but nobody's data
    remarks = [["受付日", "備考"], ["12/1", "佐藤節雄氏より電話"]]  # a remark is no description
    assert detector.detect([_table(remarks)]).records == 1
