"""``sekisho scan`` as a user runs it: JSON contract, human output, exit statuses."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sekisho.cli.main import cli
from tests.factories import csv_bytes, product_code, roster_rows, write_xlsx


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["scan", *args])
    return result.exit_code, result.output


def test_cp932_roster_of_1000_people(tmp_path: Path) -> None:
    rows = roster_rows(1000)
    path = tmp_path / "名簿.csv"
    path.write_bytes(csv_bytes(rows, "cp932"))
    status, out = run("--format", "json", str(path))
    assert status == 1
    (file,) = json.loads(out)["files"]
    assert file["entities"]["JP_MY_NUMBER"] == 1000
    assert file["entities"]["PHONE_NUMBER"] == 1000
    assert file["records"] == 1000
    assert file["unscannable"] is False
    raw_values = {cell for row in rows[1:] for cell in row[1:]}
    assert not any(value in out for value in raw_values), "a raw value reached the JSON output"


def test_product_codes_report_nothing(tmp_path: Path) -> None:
    rng = random.Random(4)
    path = tmp_path / "商品.csv"
    path.write_bytes(
        csv_bytes(
            [["商品コード", "数量"], *[[product_code(rng), "3"] for _ in range(1000)]], "cp932"
        )
    )
    status, out = run("--format", "json", str(path))
    (file,) = json.loads(out)["files"]
    assert (status, file["records"], file["entities"], file["findings"]) == (0, 0, {}, [])


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.csv", b"", 3, "empty"),
        ("garbage.csv", bytes(random.Random(1).randbytes(3000)) + b"\x00", 3, "binary"),
        ("latin.txt", "café résumé".encode("latin-1"), 3, "unknown-encoding"),
        ("clean.txt", "会議は5月20日です。".encode("cp932"), 0, None),
        ("phone.txt", "携帯 090-1234-5678".encode("euc_jp"), 1, None),
    ],
)
def test_exit_status_per_file(
    tmp_path: Path, name: str, data: bytes, status: int, code: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    got, out = run("--format", "json", str(path))
    assert got == status
    (file,) = json.loads(out)["files"]
    assert [p["code"] for p in file["problems"]] == ([code] if code else [])
    assert file["unscannable"] is (code is not None)


def test_truncated_xlsx_is_unscannable_not_a_traceback(tmp_path: Path) -> None:
    full = write_xlsx(tmp_path / "full.xlsx", {"名簿": [["個人番号"], *[["123456789018"]] * 200]})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(full.read_bytes()[:1500])
    status, out = run("--format", "json", str(broken))
    assert status == 3
    (file,) = json.loads(out)["files"]
    assert file["problems"][0]["code"] == "corrupt"


def test_unscannable_outranks_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("携帯 090-1234-5678")
    (tmp_path / "b.csv").write_bytes(b"")
    assert run(str(tmp_path))[0] == 3


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing"))[0] == 2
    assert run("--format", "xml", str(tmp_path))[0] == 2
    assert CliRunner().invoke(cli, ["scan"]).exit_code == 2


def test_human_output_and_explain(tmp_path: Path) -> None:
    path = tmp_path / "mail.txt"
    path.write_text("マイナンバー 1234 5678 9018\n", encoding="utf-8")
    status, out = run("--explain", str(path))
    assert status == 1
    assert "1人 (1 person)" in out
    assert "個人番号（マイナンバー） My Number 1" in out
    assert "line 1" in out and "**** **** **18" in out
    assert "JpMyNumberRecognizer" in out and "check digit valid" in out
    assert "1234 5678 9018" not in out


def test_json_explain_adds_the_explanation(tmp_path: Path) -> None:
    path = tmp_path / "mail.txt"
    path.write_text("マイナンバー 123456789018\n", encoding="utf-8")
    _, out = run("--format", "json", "--explain", str(path))
    finding = json.loads(out)["files"][0]["findings"][0]
    assert finding["explanation"]["context"] == ["マイナンバー", "マイナ"]


def test_installed_entry_point(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("sekisho")
    assert script.exists(), "the console script is installed with the package"
    path = tmp_path / "a.txt"
    path.write_text("携帯 090-1234-5678")
    done = subprocess.run(
        [str(script), "scan", "--format", "json", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["files"][0]["entities"] == {"PHONE_NUMBER": 1}
    missing = subprocess.run(
        [str(script), "scan", str(tmp_path / "nope")], capture_output=True, text=True
    )
    assert missing.returncode == 2


def test_json_lists_a_roster_cell_by_cell_in_reading_order(tmp_path: Path) -> None:
    """Column findings are expanded one by one for JSON: every cell once, row by row,
    masked, with the sheet's Japanese name written as UTF-8 rather than escaped."""
    rows = [["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"], ["佐藤 花子", "080-2345-6789"]]
    path = write_xlsx(tmp_path / "roster.xlsx", {"名簿": rows})
    result = CliRunner().invoke(cli, ["scan", "--format", "json", str(path)])
    assert result.exit_code == 1
    assert "sheet 名簿!A2".encode() in result.stdout_bytes
    findings = json.loads(result.output)["files"][0]["findings"]
    assert [f["location"] for f in findings] == [
        f"sheet 名簿!{c}" for c in ("A2", "B2", "A3", "B3")
    ]
    assert [f["excerpt"] for f in findings] == [
        "山田 **",
        "***-****-**78",
        "佐藤 **",
        "***-****-**89",
    ]
    assert "太郎" not in result.output and "5678" not in result.output
