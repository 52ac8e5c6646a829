"""``sekisho minimise`` on the incident workbook: counts by care level leave no one in the
file (the scan before and after says so), kept columns are as asked, and a wrong column or
an unreadable file is exit 2 with the reason in Japanese and English."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from sekisho.cli.main import cli
from tests.factories import incident_rows, write_xlsx

ROWS = incident_rows(300, seed=9)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["minimise", *args])
    return result.exit_code, result.output


def test_counts_by_care_level_leave_no_one_in_the_file(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "認定者一覧.xlsx", {"認定者": ROWS})
    out = tmp_path / "要介護度別.xlsx"
    code, output = _run(str(source), "--aggregate", "要介護度", "--out", str(out))
    assert code == 0, output
    assert "300 行 → 7 区分" in output and "300人 → 0人" in output
    assert "氏名" in output  # named among the personal columns left out
    table = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes())).get_sheet_by_index(0)
    rows = table.to_python()
    assert len(rows) == 9 and sum(r[1] for r in rows[1:-1]) == 300 == rows[-1][1]

    kept = tmp_path / "抜粋.xlsx"
    code, output = _run(str(source), "--keep", "性別、要介護度", "--out", str(kept),
                        "--format", "json")  # fmt: skip
    assert code == 0, output
    report = json.loads(output)
    assert report["people_before"] == 300 and report["people_after"] == 0
    assert report["rows_out"] == 300 and "氏名" in report["dropped_personal_columns"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(kept.read_bytes())).get_sheet_by_index(0)
    got = Counter(tuple(r) for r in sheet.to_python()[1:])
    assert got == Counter((r[3], r[6]) for r in ROWS[1:])

    ages = tmp_path / "年齢別.xlsx"
    code, output = _run(str(source), "--aggregate", "性別", "--age-bands", "10",
                        "--as-of", "2026-12-01", "--out", str(ages), "--format", "json")  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["people_after"] == 0


def test_a_kept_name_column_is_still_personal_data(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "a.xlsx", {"認定者": ROWS})
    code, output = _run(str(source), "--keep", "氏名,要介護度", "--out", str(tmp_path / "b.xlsx"))
    assert code == 0 and "300人 → 300人" in output and "まだ個人データを含みます" in output


def test_wrong_columns_and_unreadable_files_are_usage_errors(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "a.xlsx", {"認定者": ROWS[:20]})
    out = tmp_path / "out.xlsx"
    code, output = _run(str(source), "--aggregate", "地区", "--out", str(out))
    assert code == 2 and "列「地区」がありません" in output and "no column" in output
    assert not out.exists()
    broken = tmp_path / "壊れた.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    code, output = _run(str(broken), "--aggregate", "性別", "--out", str(out))
    assert code == 2 and "表を読み取れません" in output
    code, output = _run(str(source), "--aggregate", "性別", "--keep", "性別", "--out", str(out))
    assert code == 2


def test_split_writes_a_file_per_value(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0].append("担当センター")
    for i, row in enumerate(rows[1:]):
        row.append(("北部センター", "南部センター")[i % 2])
    source = write_xlsx(tmp_path / "利用者.xlsx", {"利用者": rows})
    code, output = _run(str(source), "--split", "担当センター", "--out",
                        str(tmp_path / "利用者.xlsx"), "--format", "json")  # fmt: skip
    assert code == 0, output
    parts = {p["value"]: p for p in json.loads(output)["parts"]}
    assert sorted(parts) == ["北部センター", "南部センター"]
    assert parts["北部センター"]["rows"] == 150 == parts["北部センター"]["people"]
    north = CalamineWorkbook.from_filelike(
        io.BytesIO(Path(parts["北部センター"]["out"]).read_bytes())
    )
    assert {r[-1] for r in north.get_sheet_by_index(0).to_python()[1:]} == {"北部センター"}
    code, output = _run(str(source), "--split", "地区", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "列「地区」がありません" in output
