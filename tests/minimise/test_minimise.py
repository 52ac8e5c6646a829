"""Minimising a roster: counts equal to counts made here independently from the generated
rows, small counts suppressed with exact totals, age bands from every way a birth date is
written, every input format and encoding kept in the output, headerless tables, titles
above merged headers, empty columns, error cells, and clear refusals."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sekisho.minimise import MinimiseError, Request, minimise
from tests.extract.builders import odf_bytes, xls_bytes
from tests.factories import csv_bytes, incident_rows, write_xlsx

TODAY = date(2026, 12, 1)
ROWS = incident_rows(400, seed=5)
HEADER = ROWS[0]
CARE = HEADER.index("要介護度")
SEX = HEADER.index("性別")
BORN = HEADER.index("生年月日")


def _sheet(data: bytes, index: int = 0) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(index).to_python()


def _xlsx(tmp_path: Path, rows: list[list[object]], **kwargs: object) -> bytes:
    return write_xlsx(tmp_path / "認定者一覧.xlsx", {"認定者": rows}, **kwargs).read_bytes()  # type: ignore[arg-type]


def _counts(table: list[list[object]], groups: int) -> dict[tuple, object]:
    """{group: count} of an aggregate's rows, the total row left out."""
    return {tuple(row[:groups]): row[groups] for row in table[1:-1]}


def test_counts_by_one_and_two_columns_equal_counts_made_here(tmp_path: Path) -> None:
    data = _xlsx(tmp_path, ROWS)
    result = minimise(data, "認定者一覧.xlsx", Request(aggregate=["要介護度"], today=TODAY))
    table = _sheet(result.data)
    expected = Counter(row[CARE] for row in ROWS[1:])
    assert table[0] == ["要介護度", "人数"]
    assert _counts(table, 1) == {(k,): float(v) for k, v in expected.items()}
    assert table[-1] == ["合計", 400.0] and result.rows_in == 400 and result.rows_out == 7
    assert [row[0] for row in table[1:3]] == ["要支援1", "要支援2"]  # the scale's order
    assert {c.name for c in result.dropped} == {
        "被保険者番号", "氏名", "生年月日", "性別", "住所", "電話番号",
    }  # fmt: skip
    notes = _sheet(result.data, 1)
    assert "400 行" in notes[0][0] and "要介護度" in notes[1][0]

    two = minimise(data, "認定者一覧.xlsx", Request(aggregate=["性別", "要介護度"], today=TODAY))
    pairs = Counter((row[SEX], row[CARE]) for row in ROWS[1:])
    got = _counts(_sheet(two.data), 2)
    assert got == {k: (float(v) if v >= 3 else "<3") for k, v in pairs.items()}


def test_small_counts_are_suppressed_and_totals_stay_exact(tmp_path: Path) -> None:
    rows = [["地区", "要介護度", "利用単位数"]]
    rows += [["北", "要介護1", 100]] * 5 + [["南", "要介護1", 40]] * 2 + [["東", "要介護2", 7]]
    data = csv_bytes(rows, "utf-8")
    result = minimise(
        data, "集計.csv", Request(aggregate=["地区"], sums=["利用単位数"], min_cell=3)
    )
    lines = result.data.decode("utf-8").splitlines()
    assert lines[:5] == [
        "地区,人数,利用単位数（合計）",
        "北,5,500",
        "南,<3,—",
        "東,<3,—",
        "合計,8,587",
    ]
    assert result.suppressed == 2
    assert lines[-1].startswith("# Derived by Sekisho from 8 rows")


def _age(born: date) -> int:
    years = TODAY.year - born.year
    return years - 1 if (TODAY.month, TODAY.day) < (born.month, born.day) else years


BIRTHS = [  # (as written in the file, the date it means)
    ("昭和22年3月4日", date(1947, 3, 4)),
    ("S22.3.4", date(1947, 3, 4)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("Ｈ２．１２．２", date(1990, 12, 2)),
    ("令和2年5月1日", date(2020, 5, 1)),
    ("大正15年12月24日", date(1926, 12, 24)),
    ("1961/12/01", date(1961, 12, 1)),
    ("19611202", date(1961, 12, 2)),
    (datetime(1950, 6, 30), date(1950, 6, 30)),
    ((date(1940, 2, 29) - date(1899, 12, 30)).days, date(1940, 2, 29)),  # an Excel serial
]


@pytest.mark.parametrize("width", ["5", "10", "65"])
def test_age_bands_from_every_way_a_birth_date_is_written(tmp_path: Path, width: str) -> None:
    rows: list[list[object]] = [["氏名", "生年月日", "性別"]]
    names = [r[1] for r in ROWS[1:]]
    for i, (written, _) in enumerate(BIRTHS):
        rows.append([names[i], written, "女"])
    rows.append([names[20], "不詳", "男"])
    result = minimise(
        _xlsx(tmp_path, rows), "a.xlsx", Request(age_bands=width, min_cell=1, today=TODAY)
    )
    table = _sheet(result.data)

    def band(born: date) -> str:
        age = _age(born)
        if width == "65":
            return "65歳未満" if age < 65 else "65-74歳" if age < 75 else "75歳以上"
        low = age - age % int(width)
        return f"{low}-{low + int(width) - 1}歳"

    expected = Counter(band(born) for _, born in BIRTHS)
    expected["不明"] += 1
    assert _counts(table, 1) == {(k,): float(v) for k, v in expected.items()}
    assert table[-2][0] == "不明"  # unknown ages last


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_csv_stays_a_csv_in_its_encoding(encoding: str, delimiter: str) -> None:
    rows = [[str(c) for c in row] for row in ROWS[:60]]
    data = csv_bytes(rows, encoding, delimiter)
    result = minimise(data, "名簿.csv", Request(aggregate=["要介護度"], today=TODAY))
    assert result.suffix == ".csv"
    if encoding == "utf-8-sig":
        assert result.data.startswith(b"\xef\xbb\xbf")
    text = result.data.decode(encoding)
    lines = text.splitlines()
    assert lines[0] == f"要介護度{delimiter}人数"
    expected = Counter(row[CARE] for row in ROWS[1:60])
    for level, count in expected.items():
        shown = str(count) if count >= 3 else "<3"
        assert f"{level}{delimiter}{shown}" in lines
    assert f"合計{delimiter}59" in lines and "\r\n" in text


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_an_xls_or_ods_becomes_xlsx_and_says_so(kind: str) -> None:
    rows = [[str(c) for c in row] for row in ROWS[:40]]
    data = xls_bytes(rows) if kind == "xls" else odf_bytes("ods", [], rows)
    result = minimise(data, f"名簿.{kind}", Request(keep=["性別", "要介護度"], today=TODAY))
    assert result.suffix == ".xlsx"
    table = _sheet(result.data)
    assert table[0] == ["性別", "要介護度"]
    assert table[1:] == [[row[SEX], row[CARE]] for row in ROWS[1:40]]
    assert any(f"元の形式 {kind}" in line for line in result.derivation)


def test_a_headerless_table_is_named_by_what_it_holds() -> None:
    rows = [[str(c) for c in row] for row in ROWS[1:80]]  # no header row
    data = csv_bytes(rows, "cp932")
    result = minimise(data, "無題.csv", Request(aggregate=["要介護度"], today=TODAY))
    lines = result.data.decode("cp932").splitlines()
    assert lines[0] == "要介護度,人数"
    assert "合計,79" in lines
    by_letter = minimise(data, "無題.csv", Request(aggregate=["G"], today=TODAY))
    assert by_letter.data.decode("cp932").splitlines()[1:9] == lines[1:9]
    names = [c.name for c in by_letter.table.columns]
    assert "氏名" in names and "要介護度" in names


def test_a_title_above_merged_headers_an_empty_column_and_error_cells(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "一覧.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("一覧")
    sheet.merge_range(0, 0, 0, 3, "令和8年度 要介護認定者一覧")
    sheet.write_row(1, 0, ["氏名", "要介護度", "備考", "点数"])
    names = [r[1] for r in ROWS[1:]]
    for r in range(30):
        sheet.write_row(2 + r, 0, [names[r], f"要介護{r % 3 + 1}"])
        if r < 4:
            sheet.write_formula(2 + r, 3, "=NA()", None, "#N/A")
        else:
            sheet.write_number(2 + r, 3, r)
    book.close()
    data = path.read_bytes()
    levels = minimise(data, path.name, Request(aggregate=["要介護度"], today=TODAY))
    assert _counts(_sheet(levels.data), 1) == {(f"要介護{n}",): 10.0 for n in (1, 2, 3)}
    empty = minimise(data, path.name, Request(aggregate=["備考"], today=TODAY))
    assert _sheet(empty.data)[1:] == [["（空欄）", 30.0], ["合計", 30.0]]
    # The workbook reader gives no value for an error cell (=NA()): it counts as blank,
    # never as a number. In a CSV the error's text is named as an error.
    errors = minimise(data, path.name, Request(aggregate=["点数"], min_cell=1, today=TODAY))
    counted = _counts(_sheet(errors.data), 1)
    assert counted[("（空欄）",)] == 4.0 and sum(counted.values()) == 30.0
    text = csv_bytes([["点数"], ["#N/A"], ["#DIV/0!"], ["3"]])
    named = minimise(text, "点数.csv", Request(aggregate=["点数"], min_cell=1, today=TODAY))
    assert "（エラー値）,2" in named.data.decode().splitlines()


def test_long_tables_are_counted_across_chunks() -> None:
    rows = [["地区", "性別"]] + [[f"地区{i % 12}", "男女"[i % 2]] for i in range(25_000)]
    result = minimise(csv_bytes(rows), "大.csv", Request(aggregate=["地区"], today=TODAY))
    lines = result.data.decode().splitlines()
    assert lines[1] == "地区0,2084" and lines[12] == "地区11,2083" and lines[13] == "合計,25000"


def test_clear_refusals(tmp_path: Path) -> None:
    data = _xlsx(tmp_path, ROWS[:20])
    with pytest.raises(MinimiseError, match="no column '地区'") as unknown:
        minimise(data, "a.xlsx", Request(aggregate=["地区"]))
    assert "要介護度" in unknown.value.ja and "地区" in unknown.value.ja
    with pytest.raises(MinimiseError, match="no table"):
        minimise(b"PK\x03\x04 not really a workbook", "a.xlsx", Request(aggregate=["x"]))
    with pytest.raises(MinimiseError, match="no table"):
        minimise("会議は3時からです。".encode(), "memo.txt", Request(aggregate=["x"]))
    empty = write_xlsx(tmp_path / "空.xlsx", {"Sheet1": []}).read_bytes()
    with pytest.raises(MinimiseError, match="no table"):
        minimise(empty, "空.xlsx", Request(aggregate=["x"]))
    with pytest.raises(MinimiseError, match="either"):
        Request(aggregate=["性別"], keep=["性別"])
    with pytest.raises(MinimiseError, match="no sheet"):
        minimise(data, "a.xlsx", Request(aggregate=["性別"], sheet="別紙"))
    no_births = [["氏名", "要介護度"], ["山田 太郎", "要介護1"]]
    with pytest.raises(MinimiseError, match="birth-date"):
        minimise(_xlsx(tmp_path, no_births), "b.xlsx", Request(age_bands="10"))
