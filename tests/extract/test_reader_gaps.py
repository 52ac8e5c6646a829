"""Valid files that readers used to refuse or misname, some written by other projects."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sekisho.extract import ProblemCode, TablePart, TextPart, extract_bytes, extract_path
from tests.factories import write_xlsx

CALAMINE = Path(__file__).parent.parent / "data" / "calamine"
CSV = "氏名,電話\n山田 太郎,090-1234-5678\n佐藤 花子,080-2345-6789\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_byte_order_mark(codec: str) -> None:
    extraction = extract_bytes(CSV.encode(codec), "a.csv")
    assert extraction.problems == []
    (table,) = extraction.parts
    assert isinstance(table, TablePart) and table.rows[1] == ["山田 太郎", "090-1234-5678"]


def test_zeros_in_every_lane_are_still_binary() -> None:
    data = bytes(range(256)) * 8
    assert [p.code for p in extract_bytes(data, "a.csv").problems] == [ProblemCode.BINARY]


def test_old_mac_line_ends() -> None:
    (table,) = extract_bytes(CSV.replace("\n", "\r").encode("cp932"), "a.csv").parts
    assert isinstance(table, TablePart) and len(table.rows) == 3
    (text,) = extract_bytes("一行目\r二行目\r".encode("cp932"), "a.txt").parts
    assert isinstance(text, TextPart) and text.location(2) == "line 2"
    assert text.text.split("\n")[1] == "二行目"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_after_other_bytes_is_read_and_so_are_those_bytes() -> None:
    data = "氏名：山田 太郎\n".encode() + _zip({"名簿.csv": CSV.encode()})
    extraction = extract_bytes(data, "a.zip")
    assert extraction.kind == "zip" and extraction.problems == []
    assert [p.origin for p in extraction.parts] == ["data before the zip", "名簿.csv"]


def test_an_empty_member_with_a_control_character_is_suspicious() -> None:
    extraction = extract_bytes(_zip({"a\x01b.txt": b""}), "a.zip")
    assert [p.code for p in extraction.problems] == [ProblemCode.SUSPICIOUS_NAME, ProblemCode.EMPTY]


def test_an_xls_whose_workbook_stream_is_in_capitals() -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("名簿")
    for r, row in enumerate(CSV.splitlines()):
        for c, value in enumerate(row.split(",")):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue().replace("Workbook".encode("utf-16-le"), "WORKBOOK".encode("utf-16-le"))
    extraction = extract_bytes(data, "a.xls")
    assert extraction.problems == []
    assert isinstance(extraction.parts[0], TablePart)


def test_xlsb_with_a_chart_sheet_is_read() -> None:
    # python-calamine's own test file: a chart sheet has no cells to read
    extraction = extract_path(CALAMINE / "any_sheets.xlsb")
    assert extraction.problems == []
    assert [p.origin for p in extraction.parts][:2] == ["sheet Visible", "chart 1"]


@pytest.mark.parametrize("name", ["password.ods", "password.xls"])
def test_password_protected_files_of_another_project_are_encrypted(name: str) -> None:
    extraction = extract_path(CALAMINE / name)
    assert [p.code for p in extraction.problems] == [ProblemCode.ENCRYPTED]


def test_a_charts_cached_values_are_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"名簿": [["氏名", "点数"], ["山田 太郎", 3]]})
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        "<c:chart><c:plotArea><c:barChart><c:ser><c:cat><c:strRef><c:strCache>"
        '<c:pt idx="0"><c:v>佐藤 花子</c:v></c:pt><c:pt idx="1"><c:v>鈴木 一郎</c:v></c:pt>'
        "</c:strCache></c:strRef></c:cat></c:ser></c:barChart></c:plotArea></c:chart>"
        "</c:chartSpace>"
    )
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in source.infolist():
            zf.writestr(info, source.read(info.filename))
        zf.writestr("xl/charts/chart1.xml", chart)
    extraction = extract_bytes(out.getvalue(), "a.xlsx")
    (text,) = [p for p in extraction.parts if p.origin == "chart 1"]
    assert isinstance(text, TextPart) and text.text == "佐藤 花子\n鈴木 一郎"


def _with_unicode_path(
    legacy: bytes, unicode_name: str, data: bytes, crc_of: bytes | None = None
) -> bytes:
    """A zip whose member's header name is ``legacy`` bytes (no UTF-8 flag) and whose
    Info-ZIP Unicode Path field says ``unicode_name``."""
    import struct
    import zlib

    name_crc = zlib.crc32(crc_of if crc_of is not None else legacy)
    field = struct.pack("<BI", 1, name_crc) + unicode_name.encode()
    info = zipfile.ZipInfo(legacy.decode("cp437"))
    info.extra = struct.pack("<HH", 0x7075, len(field)) + field
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(info, data)
    return buffer.getvalue()


def test_info_zip_unicode_path_names_the_member() -> None:
    data = _with_unicode_path(b"meibo.csv", "名簿.exe", CSV.encode())
    extraction = extract_bytes(data, "a.zip")
    assert extraction.files[1].name == "名簿.exe"  # the name 7-Zip shows
    stale = _with_unicode_path(b"meibo.csv", "名簿.exe", CSV.encode(), crc_of=b"other")
    assert extract_bytes(stale, "a.zip").files[1].name == "meibo.csv"


def test_an_excel4_macro_sheet_does_not_fail_the_workbook(tmp_path: Path) -> None:
    # calamine refuses a workbook with a macro sheet whole ("Unrecognized sheet type")
    path = write_xlsx(
        tmp_path / "m.xlsx", {"名簿": [["氏名", "電話"], ["山田 太郎", "090-1234-5678"]]}
    )
    macro = (
        '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="str"><f>CONCATENATE("佐藤 花子","080-2345-6789")</f><v>0</v></c>'
        "</row></sheetData></xm:macrosheet>"
    )
    rel = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(
                    b"</sheets>", b'<sheet name="Macro1" sheetId="9" r:id="rId99"/></sheets>'
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                entry = f'<Relationship Id="rId99" Type="{rel}" Target="macrosheets/sheet1.xml"/>'
                data = data.replace(b"</Relationships>", entry.encode() + b"</Relationships>")
            zf.writestr(info, data)
        zf.writestr("xl/macrosheets/sheet1.xml", macro)
    extraction = extract_bytes(out.getvalue(), "m.xlsx")
    assert extraction.problems == []
    origins = [p.origin for p in extraction.parts]
    assert "sheet 名簿" in origins and "macro sheet Macro1" in origins
    (macro_text,) = [p for p in extraction.parts if p.origin == "macro sheet Macro1"]
    assert isinstance(macro_text, TextPart) and "080-2345-6789" in macro_text.text


def test_7z_filters_and_an_unsupported_coder(monkeypatch: pytest.MonkeyPatch) -> None:
    import py7zr
    from py7zr.exceptions import UnsupportedCompressionMethodError

    for filters in (
        [{"id": py7zr.FILTER_ZSTD}],
        [{"id": py7zr.FILTER_ARM}, {"id": py7zr.FILTER_LZMA2}],
        [{"id": py7zr.FILTER_X86}, {"id": py7zr.FILTER_LZMA2}],
    ):
        buffer = io.BytesIO()
        with py7zr.SevenZipFile(buffer, "w", filters=filters) as archive:
            archive.writestr(CSV.encode(), "名簿.csv")
        extraction = extract_bytes(buffer.getvalue(), "a.7z")
        assert extraction.problems == [] and isinstance(extraction.parts[0], TablePart), filters

    def refuse(*args: object, **kwargs: object) -> None:  # as py7zr does for BCJ2
        raise UnsupportedCompressionMethodError(b"\x03\x03\x01\x1b", "BCJ2 filter is not supported")

    monkeypatch.setattr(py7zr.SevenZipFile, "extractall", refuse)
    extraction = extract_bytes(buffer.getvalue(), "a.7z")
    assert [p.code for p in extraction.problems] == [ProblemCode.UNSUPPORTED]
    assert "BCJ2" in extraction.problems[0].detail
