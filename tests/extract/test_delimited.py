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


def _tables(data: bytes, name: str = "名簿.csv") -> tuple[list[list[str]], list]:  # type: ignore[type-arg]
    extraction = extract_bytes(data, name)
    rows: list[list[str]] = []
    for number, part in enumerate(extraction.parts):
        assert isinstance(part, TablePart)
        rows += [list(r) for r in part.rows[(1 if number else 0) :]]  # the repeated header
    return rows, extraction.problems


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp"])
def test_a_large_csv_read_in_pieces_gives_what_the_whole_text_gives(
    encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``STREAM_BYTES`` the text is decoded a megabyte at a time (lines and quoted
    fields cross the pieces); the rows must be the same as from the whole text."""
    from sekisho.extract import delimited, textcodec

    rows = [["氏名", "備考", "電話番号"]] + [
        [
            f"鈴木 {n}郎",
            "一行目,続き\n二行目" if n % 997 == 0 else "備考なし",
            f"090-1234-{n % 10000:04d}",
        ]
        for n in range(5_000)
    ]
    data = csv_bytes(rows, encoding)
    whole, whole_problems = _tables(data)
    monkeypatch.setattr(delimited, "STREAM_BYTES", 1)
    monkeypatch.setattr(textcodec, "_PIECE", 4093)  # pieces that cut characters and lines
    pieces, piece_problems = _tables(data)
    assert pieces == whole == rows
    assert piece_problems == whole_problems == []
    streamed = textcodec.stream_text(data)
    assert streamed is not None and streamed[0] == textcodec.decode_text(data).encoding  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data",
    [
        "氏名,電話\r\n山田,090\r\n".encode("utf-16"),  # BOM: decode_text decides
        "氏名,電話\r山田,090\r".encode("cp932"),  # old Mac line ends
        b"\x1b$B;3ED\x1b(B,090\n",  # ISO-2022-JP
        b"abc,\xff\xfe\xfd\x80\n" * 10,  # fits no Japanese encoding
    ],
)
def test_what_pieces_cannot_decide_goes_the_whole_way(data: bytes) -> None:
    from sekisho.extract.textcodec import stream_text

    assert stream_text(data) is None
