"""Records written as SQL INSERTs or JSON arrays are read as tables."""

from __future__ import annotations

from pathlib import Path

from sekisho.extract import TablePart, TextPart
from sekisho.extract.structured import record_parts
from sekisho.scan import Scanner

SQL = """-- 抽出 2026-11-30
INSERT INTO `residents` (name, birth_date, sex, note) VALUES
  ('山田 太郎', '1950-01-02', '男', 'O''Brien さん経由'),
  ('佐藤 花子', DATE '1961-03-04', '女', NULL),
  ('鈴木 一郎', '1972-05-06', '男', 'a\\'b');
SELECT 1;
"""


def test_insert_tuples_become_rows_under_the_column_names() -> None:
    table, rest = record_parts(SQL, "dump.sql")
    assert isinstance(table, TablePart) and isinstance(rest, TextPart)
    assert table.rows[0] == ["name", "birth_date", "sex", "note"]
    assert table.rows[1] == ["山田 太郎", "1950-01-02", "男", "O'Brien さん経由"]
    assert table.rows[2] == ["佐藤 花子", "1961-03-04", "女", None]  # DATE '…' keeps its string
    assert table.rows[3][3] == "a'b"
    assert (
        table.cell_location(2, 1) == "dump.sql, INSERT INTO residents (line 2), record 2, field B"
    )
    # the statement is blanked, the other lines keep their numbers
    lines = rest.text.split("\n")
    assert lines[0].startswith("-- 抽出") and lines[5] == "SELECT 1;" and "山田" not in rest.text


def test_json_arrays_of_objects_become_tables_and_other_values_stay_text() -> None:
    doc = '{"office": "高齢福祉課", "residents": [{"name": "山田 太郎", "tel": "090-1234-5678"},'
    doc += ' {"name": "佐藤 花子", "tel": "080-2345-6789", "extra": {"k": 1}}]}'
    parts = record_parts(doc, "")
    table, values = parts
    assert isinstance(table, TablePart) and table.origin == "JSON $.residents"
    assert table.rows[0] == ["name", "tel", "extra"]
    assert table.rows[1] == ["山田 太郎", "090-1234-5678", None]
    assert table.rows[2][2] == '{"k": 1}'
    assert isinstance(values, TextPart) and values.text == "$.office: 高齢福祉課"


def test_text_that_is_neither_stays_text() -> None:
    for text in ("[not json", "please insert the card", "INSERT INTO t VALUES (1, 2)"):
        assert record_parts(text, "") == [TextPart(text, "")]


def test_a_dump_mailed_as_sql_counts_its_people(tmp_path: Path) -> None:
    path = tmp_path / "residents.sql"
    path.write_text(SQL, encoding="utf-8")
    report = Scanner().scan_file(path)
    assert report.records == 3
    assert report.entities["DATE_OF_BIRTH"] == 3 and report.entities["GENDER"] == 3


def test_a_range_pasted_from_excel_into_a_mail_is_a_table() -> None:
    body = "お世話になります。\n\n氏名\t生年月日\t電話\n山田 太郎\t1950/01/02\t090-1234-5678\n"
    body += "佐藤 花子\t1961/03/04\t080-2345-6789\n\n以上です。\tよろしく\n"
    table, rest = record_parts(body, "body")
    assert isinstance(table, TablePart) and table.header_row == 0
    assert table.rows[2] == ["佐藤 花子", "1961/03/04", "080-2345-6789"]
    assert table.cell_location(1, 1) == "body, lines 3-5, B2"
    assert isinstance(rest, TextPart) and "山田" not in rest.text and "以上です" in rest.text


def test_an_html_only_mail_keeps_its_table_rows(tmp_path: Path) -> None:
    from tests.extract.builders import eml_bytes

    html = (
        "<p>下記の方です。</p><table><tr><th>氏名</th><th>生年月日</th><th>電話</th></tr>"
        "<tr><td>山田 太郎</td><td>1950/01/02</td><td>090-1234-5678</td></tr>"
        "<tr><td>佐藤 花子</td><td>1961/03/04</td><td>080-2345-6789</td></tr></table>"
    )
    report = Scanner().scan_bytes(eml_bytes("", html=html), "m.eml")
    assert report.records == 2
    assert report.entities["DATE_OF_BIRTH"] == 2  # no label on a row read as text
    assert any(f.location.endswith("lines 3-5, B3") for f in report.findings)


def test_a_markdown_table_is_a_table() -> None:
    text = "名簿です\n\n| 氏名 | フリガナ | 生年月日 |\n|---|:--|--:|\n| 滝 雛 | タキヒナ | 1962/05/16 |\n"
    text += "| 富田 理絵 | トミダリエ | 1978/12/26 |\n\n以上\n"
    table, rest = record_parts(text, "")
    assert isinstance(table, TablePart) and table.header_row == 0
    assert table.rows == [
        ["氏名", "フリガナ", "生年月日"],
        ["滝 雛", "タキヒナ", "1962/05/16"],
        ["富田 理絵", "トミダリエ", "1978/12/26"],
    ]
    assert isinstance(rest, TextPart) and "富田" not in rest.text and "以上" in rest.text


def test_a_json_key_that_may_be_personal_data_is_no_place_name() -> None:
    doc = '{"山田太郎": [{"tel": "090-1234-5678"}, {"tel": "080-2345-6789"}]}'
    table, keys = record_parts(doc, "")
    assert isinstance(table, TablePart) and table.origin == "JSON $.{…}"
    assert isinstance(keys, TextPart) and keys.text == "$.山田太郎"  # read, not a place
