"""The gateway's streaming mode counts exactly what the full scan counts."""

from pathlib import Path

from sekisho.extract import TablePart, extract_bytes
from sekisho.extract.delimited import CHUNK_ROWS
from sekisho.scan import Scanner
from tests.factories import csv_bytes, incident_rows, roster_rows, write_xlsx


def test_long_csv_comes_in_chunks_that_keep_their_places() -> None:
    rows = roster_rows(CHUNK_ROWS + 50)
    extraction = extract_bytes(csv_bytes(rows, "cp932"), "名簿.csv")
    tables = [p for p in extraction.parts if isinstance(p, TablePart)]
    assert len(tables) == 2
    second = tables[1]
    assert second.header == ("氏名", "個人番号", "電話番号")  # the header repeated
    assert second.cell_location(1, 1) == f"B{CHUNK_ROWS + 1}"  # the first row of the second chunk
    assert list(second.rows[1]) == rows[CHUNK_ROWS]


def test_summary_mode_counts_like_the_full_scan(scanner: Scanner, tmp_path: Path) -> None:
    data = write_xlsx(
        tmp_path / "a.xlsx", {"元データ": incident_rows(CHUNK_ROWS + 500)}
    ).read_bytes()
    full = scanner.scan_bytes(data, "a.xlsx")
    summary = scanner.scan_bytes(data, "a.xlsx", summary=True)
    assert summary.records == full.records == CHUNK_ROWS + 500
    assert summary.entities == full.entities
    assert summary.detection.samples() == full.detection.samples()
    assert len(summary.findings) < 50  # only samples are kept
    assert summary.detection.summary and not full.detection.summary


def test_same_person_in_two_chunks_is_one_person(scanner: Scanner) -> None:
    rows = roster_rows(CHUNK_ROWS + 10)
    rows.append(rows[1])  # the first resident again, in the second chunk
    report = scanner.scan_bytes(csv_bytes(rows, "cp932"), "a.csv", summary=True)
    assert report.records == CHUNK_ROWS + 10
