from datetime import date
from pathlib import Path

from sekisho.extract import ProblemCode, TablePart, extract_bytes, extract_path
from tests.factories import write_xlsx


def test_all_sheets_are_read_with_types_and_places(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "認定者.xlsx",
        {
            "集計": [["地区", "人数"], ["北", 12], ["南", 7]],
            "元データ": [
                None,
                [None, "氏名", "生年月日", "被保険者番号"],
                [None, "鈴木 一郎", date(1940, 3, 2), 123456789],
            ],
        },
        hidden=["元データ"],
    )
    extraction = extract_path(path)
    assert extraction.kind == "xlsx"
    assert extraction.problems == []
    summary, raw = extraction.parts
    assert isinstance(summary, TablePart) and isinstance(raw, TablePart)
    assert summary.origin == "sheet 集計"
    assert raw.origin == "sheet 元データ (hidden)"
    assert raw.header == ("氏名", "生年月日", "被保険者番号")
    data_row = raw.rows[raw.header_row + 1]  # type: ignore[operator]
    assert data_row[1] == date(1940, 3, 2)  # a date stays a date
    assert data_row[2] == 123456789 and isinstance(
        data_row[2], int | float
    )  # a number stays a number
    assert raw.cell_location(raw.header_row + 1, 2) == "sheet 元データ (hidden)!D3"  # type: ignore[operator]


def test_truncated_workbook_is_corrupt(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"名簿": [["氏名"], ["鈴木"]] * 50})
    data = path.read_bytes()
    extraction = extract_bytes(data[: len(data) // 2], "a.xlsx")
    assert extraction.parts == []
    assert [p.code for p in extraction.problems] == [ProblemCode.CORRUPT]
    assert extraction.problems[0].reason.startswith("the file is damaged")
