import os
from pathlib import Path

import pytest

from sekisho.extract import Limits, ProblemCode, TablePart, extract_bytes, extract_path
from tests.factories import csv_bytes, write_xlsx


def test_empty_file() -> None:
    extraction = extract_bytes(b"", "a.csv")
    assert [p.code for p in extraction.problems] == [ProblemCode.EMPTY]
    assert extraction.problems[0].reason_ja == "ファイルが空です"


def test_binary_garbage_named_csv() -> None:
    extraction = extract_bytes(os.urandom(4096) + b"\x00", "名簿.csv")
    assert [p.code for p in extraction.problems] == [ProblemCode.BINARY]


def test_content_type_comes_from_bytes_not_name(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "x.xlsx", {"s": [["氏名"], ["鈴木"]]}).read_bytes()
    extraction = extract_bytes(xlsx, "名簿.csv")  # a workbook renamed .csv
    assert extraction.kind == "xlsx"
    assert isinstance(extraction.parts[0], TablePart)
    exe = extract_bytes(b"MZ\x90\x00" + os.urandom(200), "名簿.xlsx")
    assert exe.kind == "executable"
    assert exe.problems[0].code == ProblemCode.UNSUPPORTED


@pytest.mark.parametrize(
    ("data", "kind", "code"),
    [
        (b"Rar!\x1a\x07\x01\x00" + bytes(200), "rar", ProblemCode.UNSUPPORTED),
        (b"\x1f\x8b\x08" + bytes(100), "gzip", ProblemCode.CORRUPT),  # read, but damaged
        (b"%PDF-1.7\n...", "pdf", ProblemCode.CORRUPT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ole", ProblemCode.CORRUPT),
    ],
)
def test_unreadable_formats_fail_closed(data: bytes, kind: str, code: ProblemCode) -> None:
    extraction = extract_bytes(data, "x")
    assert extraction.kind == kind
    assert [p.code for p in extraction.problems] == [code]


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([["a"]] * 100))
    extraction = extract_path(path, Limits(max_file_bytes=10))
    assert [p.code for p in extraction.problems] == [ProblemCode.TOO_LARGE]


def test_unreadable_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    extraction = extract_path(tmp_path / "missing.csv")
    assert [p.code for p in extraction.problems] == [ProblemCode.UNREADABLE]


def test_every_reader_named_in_the_table_exists() -> None:
    """Readers are imported when their kind is first met; a misspelt entry would turn a
    file kind into 'unsupported' only when such a file arrives."""
    from sekisho.extract.dispatch import _READERS, _reader

    for kind in _READERS:
        assert callable(_reader(kind)), kind
    assert _reader("rar") is None
