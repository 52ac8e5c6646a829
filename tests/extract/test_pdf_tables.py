"""Lists in PDFs are read as tables: rows by baseline, cells by gaps, across pages."""

from __future__ import annotations

from sekisho.extract import TablePart, TextPart, extract_bytes
from sekisho.scan import Scanner
from tests.extract.builders import pdf_bytes, pdf_table_bytes

HEADER = ["氏名", "生年月日", "電話番号", "住所"]
PAGE_1 = [
    HEADER,
    ["山田 太郎", "1950/01/02", "090-1234-5678", "東京都千代田区千代田1-1"],
    ["佐藤 花子", "", "080-2345-6789", "大阪府大阪市北区梅田2-3-4"],
]
PAGE_2 = [
    ["鈴木 一郎", "1972/05/06", "", "北海道札幌市中央区北1条西2-1"],
    ["高橋 由美", "1980/07/08", "070-3456-7890", "福岡県福岡市中央区天神1-2-3"],
    ["田中 陽子", "1990/09/10", "090-4567-8901", "愛知県名古屋市中区栄3-4-5"],
]


def test_a_pdf_list_keeps_its_columns_and_empty_cells() -> None:
    extraction = extract_bytes(pdf_table_bytes([PAGE_1 + PAGE_2]), "list.pdf")
    (table,) = [p for p in extraction.parts if isinstance(p, TablePart)]
    assert table.rows[0] == HEADER and table.header_row == 0
    assert table.rows[2] == ["佐藤 花子", "", "080-2345-6789", "大阪府大阪市北区梅田2-3-4"]
    assert table.cell_location(2, 2) == "page 1, lines 1-6, C3"


def test_a_list_over_two_pages_carries_its_header() -> None:
    report = Scanner().scan_bytes(pdf_table_bytes([PAGE_1, PAGE_2]), "list.pdf")
    assert report.records == 5
    # birth dates have no label in their cells: only the carried header names them
    assert report.entities["DATE_OF_BIRTH"] == 4
    assert report.entities["PHONE_NUMBER"] == 4
    assert any(f.location == "page 2, lines 1-3, B1" for f in report.findings)


def test_prose_and_two_column_pages_stay_text() -> None:
    extraction = extract_bytes(pdf_bytes(["お知らせ", "敬老会を開催します。"]), "a.pdf")
    assert all(isinstance(p, TextPart) for p in extraction.parts)
    two = [
        ["市長あいさつ", "地域の皆様へ"],
        ["本年も", "よろしくお願いします"],
        ["令和8年", "12月"],
    ]
    extraction = extract_bytes(pdf_table_bytes([two], columns=(50, 300)), "b.pdf")
    assert all(isinstance(p, TextPart) for p in extraction.parts)
