"""Excel 2–4 files: bare BIFF streams that python-calamine does not read."""

from pathlib import Path

import pytest

from sekisho.extract import ProblemCode, TablePart, extract_bytes
from sekisho.extract.sniff import sniff
from sekisho.scan import Scanner
from tests.factories import biff_bytes, incident_rows

XLRD_SAMPLE = Path(__file__).parent.parent / "data" / "xlrd" / "biff4_no_format_no_window2.xls"


@pytest.mark.parametrize("version", [3, 4])
def test_a_cp932_ledger_is_read_as_a_table(version: int) -> None:
    data = biff_bytes(
        [["氏名", "被保険者番号", "金額"], ["山田 太郎", "0001234567", 1200]], version
    )
    assert sniff(data, "台帳.xls") == "biff"
    extraction = extract_bytes(data, "台帳.xls")
    assert extraction.problems == []
    (table,) = extraction.parts
    assert isinstance(table, TablePart)
    assert table.origin == "sheet Sheet 1"  # what xlrd calls the one sheet of a BIFF3/4 file
    assert table.rows[1] == ["山田 太郎", "0001234567", 1200.0]
    assert table.header_row == 0


def test_people_in_an_excel4_roster_are_counted() -> None:
    report = Scanner().scan_bytes(biff_bytes(incident_rows(30)), "介護台帳.xls")
    assert not report.unscannable
    assert report.records == 30
    assert report.entities["PERSON_NAME"] == 30
    assert report.entities["DATE_OF_BIRTH"] == 30


def test_another_programs_biff4_file_is_read() -> None:
    extraction = extract_bytes(XLRD_SAMPLE.read_bytes(), XLRD_SAMPLE.name)
    assert extraction.kind == "biff"
    assert extraction.problems == []
    (table,) = extraction.parts
    assert isinstance(table, TablePart)
    assert table.rows[0] == ["ID", "TOTAL", "MAIN", "SUB"]
    assert len(table.rows) == 27


def test_a_truncated_stream_is_corrupt_not_a_crash() -> None:
    data = biff_bytes([["氏名"], ["山田 太郎"]])
    extraction = extract_bytes(data[:-14], "台帳.xls")  # cut inside the last LABEL
    assert [p.code for p in extraction.problems] == [ProblemCode.CORRUPT]
    assert "Excel 2–4" in extraction.problems[0].detail


def test_bytes_that_only_begin_like_a_bof_are_not_biff() -> None:
    assert sniff(b"\x09\x04\x06\x00\x00\x00\x99\x00" + b"x" * 40, "a.xls") != "biff"
    assert sniff(b"\x09\x04\xff\x00\x00\x00\x10\x00" + b"x" * 40, "a.xls") != "biff"
