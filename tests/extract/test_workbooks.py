"""xlsx hidden places, xls, encrypted Office documents."""

from pathlib import Path

import xlsxwriter

from sekisho.extract import ProblemCode, extract_bytes
from sekisho.scan import Scanner
from tests.extract.builders import (
    PIVOT_DEFINITION,
    PIVOT_RECORDS,
    ROSTER,
    add_members,
    encrypt_office,
    xls_bytes,
)
from tests.factories import csv_bytes, write_xlsx


def _workbook(tmp_path: Path) -> bytes:
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"author": "高橋 一郎", "company": "○○市"})
    visible = book.add_worksheet("集計")
    visible.write_row(0, 0, ["地区", "人数"])
    visible.write_row(1, 0, ["北部", 2])
    visible.write_comment("B2", "内訳：山田 太郎様、佐藤 花子様")
    visible.set_row(5, None, None, {"hidden": True})
    visible.write(5, 0, "携帯 090-1234-5678")
    visible.set_column("D:D", None, None, {"hidden": True})
    visible.write(0, 3, "個人番号 123456789018")
    hidden = book.add_worksheet("元データ")
    for r, row in enumerate(ROSTER):
        hidden.write_row(r, 0, row)
    hidden.hide()
    very = book.add_worksheet("退避")
    very.write_row(0, 0, ["電話番号"])
    very.write_row(1, 0, ["080-9999-8888"])
    very.very_hidden()
    book.define_name("連絡先", '="山田 太郎 090-1234-5678"')
    book.close()
    return path.read_bytes()


def test_every_hidden_place_of_a_workbook(scanner: Scanner, tmp_path: Path) -> None:
    data = add_members(
        _workbook(tmp_path),
        {
            "xl/pivotCache/pivotCacheDefinition1.xml": PIVOT_DEFINITION.encode(),
            "xl/pivotCache/pivotCacheRecords1.xml": PIVOT_RECORDS.encode(),
            "xl/embeddings/名簿.csv": csv_bytes([["電話"], ["070-1212-3434"]]),
        },
    )
    report = scanner.scan_bytes(data, "集計.xlsx")
    places = {(f.entity, f.location) for f in report.findings}
    assert ("JP_MY_NUMBER", "sheet 元データ (hidden)!B2") in places
    assert ("PHONE_NUMBER", "sheet 退避 (very hidden)!A2") in places
    assert ("PHONE_NUMBER", "sheet 集計!A6") in places  # a hidden row
    assert ("JP_MY_NUMBER", "sheet 集計!D1") in places  # a hidden column
    assert ("PERSON_NAME", "sheet 集計, comment at B2, line 1") in places
    assert ("JP_MY_NUMBER", "pivot cache 1, record 1, field B") in places
    assert ("PERSON_NAME", "pivot cache 1, record 2, field A") in places
    assert ("PHONE_NUMBER", "defined names, line 1") in places
    assert ("PHONE_NUMBER", "xl/embeddings/名簿.csv, A2") in places
    assert ("PERSON_NAME", "document properties, line 1") in places  # the author is reported …
    assert "一郎" not in str(report.to_dict())  # … masked


def test_the_author_is_not_a_resident(scanner: Scanner, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"author": "高橋 一郎"})
    book.add_worksheet("集計").write_row(0, 0, ["地区", "人数"])
    book.close()
    report = scanner.scan_bytes(path.read_bytes(), "a.xlsx")
    assert report.entities == {"PERSON_NAME": 2}  # author and last editor
    assert report.records == 0  # … but never counted as a person


def test_xls_biff8(scanner: Scanner) -> None:
    report = scanner.scan_bytes(xls_bytes(ROSTER), "名簿.xls")
    assert report.entities == {"JP_MY_NUMBER": 2, "PERSON_NAME": 2, "PHONE_NUMBER": 2}
    assert report.findings[0].location == "sheet 名簿!A2"


def test_encrypted_xlsx_is_unscannable(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "a.xlsx", {"名簿": ROSTER}).read_bytes()
    extraction = extract_bytes(encrypt_office(plain), "名簿.xlsx")
    assert extraction.kind == "ole"
    assert [p.code for p in extraction.problems] == [ProblemCode.ENCRYPTED]


def test_workbook_declaring_entities_is_refused(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "a.xlsx", {"名簿": ROSTER}).read_bytes()
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    data = add_members(plain, {"xl/sharedStrings2.xml": bomb.encode()})
    extraction = extract_bytes(data, "a.xlsx")
    assert [p.code for p in extraction.problems] == [ProblemCode.UNSAFE_CONTENT]
    assert extraction.parts == []
