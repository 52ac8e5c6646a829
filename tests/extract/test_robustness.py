"""The scanner never dies on input: each case a small generated file that once crashed it,
took gigabytes, or read as clean."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sekisho.extract import ProblemCode, extract_bytes
from sekisho.scan import Scanner


def _xls_with_a_corner_cell() -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("名簿")
    sheet.write(0, 0, "氏名")
    sheet.write(65535, 255, "x")  # calamine would build 65,536 × 256 cells (~1 GB)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_with_a_far_cell(tmp_path: Path) -> bytes:
    import xlsxwriter

    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名簿")
    sheet.write(0, 0, "氏名")
    sheet.write(200_000, 2_000, "x")  # 400 million cells: 12 GB in calamine
    book.close()
    return path.read_bytes()


def test_a_sheet_spanning_a_huge_grid_is_refused_before_it_is_built(tmp_path: Path) -> None:
    for data in (_xls_with_a_corner_cell(), _xlsx_with_a_far_cell(tmp_path)):
        extraction = extract_bytes(data, "a.xls")
        assert [p.code for p in extraction.problems] == [ProblemCode.TOO_LARGE]
        assert "cells) > 4,000,000" in extraction.problems[0].detail


@pytest.mark.parametrize(
    ("xml", "rows", "columns"),
    [
        (b'<row r="9"><c r="B9"/></row>', 9, 2),
        (b"<row\tr='120000'><c\nr='AB120000'/></row>", 120_000, 28),  # odd but valid XML
        (b'<c r="A1"/>' * 50 + b'<c r="XFD1048576"/>', 1_048_576, 16_384),
    ],
)
def test_worksheet_extent_is_read_from_any_reference_spelling(
    xml: bytes, rows: int, columns: int
) -> None:
    import zipfile

    from sekisho.extract.sheet_extent import xlsx_extents

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + xml + b"</sheetData>")
    (extent,) = xlsx_extents(buffer.getvalue(), 1 << 20, limit=0)  # limit 0: exact read
    assert (extent.rows, extent.columns) == (rows, columns)
    (bound,) = xlsx_extents(buffer.getvalue(), 1 << 20, limit=10**12)  # the cheap bound
    assert bound.rows >= rows and bound.columns >= columns


def test_text_longer_than_the_tokenizer_accepts_is_read_in_windows(scanner: Scanner) -> None:
    line = "あ" * 40_000 + " 氏名 山田 太郎様 携帯 090-1234-5678 " + "い" * 40_000  # > 49,149 bytes
    report = scanner.scan_bytes(line.encode("utf-8"), "long.txt")
    assert not report.unscannable
    assert {"PERSON_NAME", "PHONE_NUMBER"} <= set(report.entities)


def test_a_native_panic_in_a_reader_is_a_corrupt_file_not_a_crash(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sekisho.extract import spreadsheet

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panic(*_args: object) -> None:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(spreadsheet, "read_workbook", panic)
    data = _xlsx_with_a_far_cell(tmp_path)
    extraction = extract_bytes(data, "a.xlsx")
    assert [p.code for p in extraction.problems] == [ProblemCode.CORRUPT]
    assert "index out of bounds" in extraction.problems[0].detail


def test_a_directory_scan_reports_a_failed_file_and_goes_on(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("携帯 090-1234-5678 山田 太郎様", encoding="utf-8")
    (tmp_path / "b.txt").write_text("boom", encoding="utf-8")
    (tmp_path / "c.txt").write_text("携帯 090-8765-4321 佐藤 花子様", encoding="utf-8")
    real = scanner.detector.detect

    def failing(parts):  # type: ignore[no-untyped-def]
        parts = list(parts)
        if any("boom" in getattr(p, "text", "") for p in parts):
            raise TypeError("detector bug")
        return real(parts)

    monkeypatch.setattr(scanner.detector, "detect", failing)
    report = scanner.scan_paths([tmp_path])
    assert [Path(f.path).name for f in report.files] == ["a.txt", "b.txt", "c.txt"]
    failed = report.files[1]
    assert failed.unscannable and "detector bug" in failed.problems[0].reason
    assert report.files[0].records == 1 and report.files[2].records == 1


def test_iso_2022_jp_2004_is_decoded_not_read_as_ascii(scanner: Scanner) -> None:
    text = "氏名 山田 剝太郎様\n携帯 090-1234-5678\n"
    report = scanner.scan_bytes(text.encode("iso2022_jp_2004"), "memo.txt")
    assert "PHONE_NUMBER" in report.entities and "PERSON_NAME" in report.entities


def test_pdf_form_field_values_are_read(scanner: Scanner, tmp_path: Path) -> None:
    """What a filled-in form shows is in its fields, not in the page's text layer."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "form.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(50, 800, "Application form")
    page.acroForm.textfield(
        name="tel", value="Mobile 090-1234-5678", x=50, y=700, width=300, height=20
    )
    page.save()
    report = scanner.scan_bytes(path.read_bytes(), "form.pdf")
    assert "PHONE_NUMBER" in report.entities
    assert any("form fields" in f.location for f in report.findings)


def _repack(data: bytes, rename) -> bytes:  # type: ignore[no-untyped-def]
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(rename(info.filename), src.read(info))
    return out.getvalue()


def test_ooxml_is_found_by_its_content_types_and_read_with_backslash_names(
    scanner: Scanner,
) -> None:
    from tests.extract.builders import docx_bytes

    original = docx_bytes(["氏名 山田 太郎様 携帯 090-1234-5678"])
    backslashes = _repack(original, lambda n: n.replace("/", "\\"))
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/doc/main.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    moved = _repack(original, lambda n: "doc/main.xml" if n == "word/document.xml" else n)
    moved = _repack(moved, lambda n: n)
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(moved)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            body = types.encode() if info.filename == "[Content_Types].xml" else src.read(info)
            dst.writestr(info.filename, body)
    for data in (backslashes, buffer.getvalue()):
        report = scanner.scan_bytes(data, "a.docx")
        assert report.kind == "docx"
        assert not report.unscannable and "PHONE_NUMBER" in report.entities


def test_a_docx_without_its_main_part_is_corrupt_not_clean(scanner: Scanner) -> None:
    """The content types name a main document that is not in the package: unscannable,
    never an empty (clean) document."""
    import zipfile

    from tests.extract.builders import docx_bytes

    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes(["x"]))) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                continue
            body = types.encode() if info.filename == "[Content_Types].xml" else src.read(info)
            dst.writestr(info.filename, body)
    report = scanner.scan_bytes(buffer.getvalue(), "a.docx")
    assert report.kind == "docx"
    assert report.unscannable and "main document part" in report.problems[0].reason


def test_a_zip_asking_for_an_unknown_zip_version_is_unscannable(scanner: Scanner) -> None:
    from tests.extract.builders import zip_bytes
    from tests.factories import csv_bytes

    data = bytearray(zip_bytes({"名簿.csv": csv_bytes([["氏名"], ["山田 太郎"]])}))
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 84  # "version needed to extract: 8.4": zipfile refuses the directory
    report = scanner.scan_bytes(bytes(data), "a.zip")
    assert report.unscannable
    assert report.problems[0].code in {ProblemCode.CORRUPT, ProblemCode.UNSUPPORTED}
