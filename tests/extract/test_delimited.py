import pytest

from sekisho.extract import TablePart, extract_bytes
from tests.factories import csv_bytes

ROWS = [["氏名", "個人番号", "電話番号"], ["鈴木 一郎", "123456789018", "090-1234-5678"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16"])
def test_csv_in_each_encoding_keeps_its_header(encoding: str) -> None:
    extraction = extract_bytes(csv_bytes(ROWS, encoding), "名簿.csv")
    assert extraction.problems == []
    (table,) = extraction.parts
    assert isinstance(table, TablePart)
    assert table.header == ("氏名", "個人番号", "電話番号")
    assert list(table.rows[1]) == ROWS[1]
    assert table.cell_location(1, 2) == "C2"


def test_tsv_by_name_and_by_content() -> None:
    data = csv_bytes(ROWS, "cp932", delimiter="\t")
    for name in ("list.tsv", "list.csv", "list.txt.csv"):
        (table,) = extract_bytes(data, name).parts
        assert isinstance(table, TablePart)
        assert table.rows[1][1] == "123456789018"


def test_text_named_txt_stays_text() -> None:
    extraction = extract_bytes(csv_bytes(ROWS, "cp932"), "memo.txt")
    assert extraction.kind == "text"
    assert "鈴木 一郎" in extraction.parts[0].text  # type: ignore[union-attr]


def test_quoted_fields_with_newlines_and_commas() -> None:
    rows = [["氏名", "備考"], ["鈴木", "1行目,続き\n2行目"]]
    (table,) = extract_bytes(csv_bytes(rows), "a.csv").parts
    assert isinstance(table, TablePart)
    assert table.rows[1][1] == "1行目,続き\n2行目"
