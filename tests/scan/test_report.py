import json
from pathlib import Path

import pytest

from sekisho.scan import ExitStatus, Scanner, worst
from tests.factories import csv_bytes


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), ExitStatus.CLEAN),
        ((ExitStatus.CLEAN, ExitStatus.FOUND), ExitStatus.FOUND),
        ((ExitStatus.FOUND, ExitStatus.UNSCANNABLE, ExitStatus.CLEAN), ExitStatus.UNSCANNABLE),
        ((ExitStatus.UNSCANNABLE, ExitStatus.USAGE), ExitStatus.USAGE),
    ],
)
def test_exit_status_ranking(statuses: tuple[ExitStatus, ...], expected: ExitStatus) -> None:
    assert worst(*statuses) is expected


# The keys of one file in `sekisho scan --format json` (docs/architecture.md).
CONTRACT_KEYS = {"path", "unscannable", "problems", "notes", "records", "entities", "findings"}


def test_report_has_exactly_the_contract_keys(scanner: Scanner) -> None:
    report = scanner.scan_bytes(csv_bytes([["個人番号"], ["123456789018"]]), "a.csv")
    data = report.to_dict()
    assert set(data) == CONTRACT_KEYS
    assert set(data["findings"][0]) == {"entity", "location", "score", "excerpt"}
    assert data["entities"] == {"JP_MY_NUMBER": 1}
    assert data["records"] == 1
    assert report.status is ExitStatus.FOUND
    assert "123456789018" not in json.dumps(data)


def test_unscannable_file_carries_a_reason(scanner: Scanner) -> None:
    report = scanner.scan_bytes(b"", "empty.csv")
    data = report.to_dict()
    assert data["unscannable"] is True
    assert data["problems"] == [
        {
            "code": "empty",
            "location": "",
            "reason": "the file is empty",
            "reason_ja": "ファイルが空です",
        }
    ]
    assert report.status is ExitStatus.UNSCANNABLE


def test_directory_scan_is_recursive_and_ordered(scanner: Scanner, tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("なし")
    (tmp_path / "a.txt").write_text("090-1234-5678")
    report = scanner.scan_paths([tmp_path])
    assert [Path(f.path).name for f in report.files] == ["a.txt", "z.txt"]
    assert report.status is ExitStatus.FOUND


@pytest.mark.parametrize("explain", [False, True])
def test_json_findings_equal_the_findings_listed_one_by_one(
    scanner: Scanner, explain: bool
) -> None:
    """The JSON report lists column cells without making Finding objects: same entries,
    same order, as expanding the findings (loose text findings and split addresses too)."""
    from tests.factories import incident_rows

    rows = incident_rows(40)
    rows[0] = [*rows[0], "備考"]
    for i, row in enumerate(rows[1:], start=1):
        row.append("連絡先 090-1234-5678 田中様" if i % 7 == 0 else "")
    report = scanner.scan_bytes(csv_bytes(rows), "roster.csv")
    fast = report.to_dict(explain=explain)["findings"]
    report.detection._findings = None
    slow = [f.to_dict(explain=explain) for f in report.detection.findings]
    assert len(fast) > 40 * 6
    assert fast == slow
