"""Scan speed on the incident's workbook (7,203 rows x 7 columns, generated).

Prints the scan time (extract + detect, end to end), python-calamine's bare read of the
same file, their ratio, and the peak RSS of a process that only scans it; medians of
several runs; then ``sekisho scan`` itself, cold, in JSON and in human output.
Run: ``make bench-speed`` (or ``.venv/bin/python bench/speed.py --runs 7``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import python_calamine
from tests.factories import incident_rows, write_xlsx

from sekisho.scan import Scanner


def bare_read(path: Path) -> int:
    cells = 0
    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python():
                cells += len(row)
    return cells


def _scan_once(path: str) -> None:
    report = Scanner().scan_file(Path(path))
    print(f"  child: records={report.records} findings={len(report.findings)}", flush=True)


def peak_rss_mb(path: Path) -> float:
    """Peak RSS of a fresh process that imports Sekisho and scans the file once."""
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_scan_once, args=(str(path),))
    child.start()
    child.join()
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def median_seconds(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_seconds(path: Path, fmt: str, runs: int) -> float:
    """``sekisho scan --format FMT`` as a user runs it: a fresh process each time (cold)."""
    script = Path(sys.executable).with_name("sekisho")
    command = [str(script), "scan", "--format", fmt, "--no-progress", str(path)]
    return median_seconds(lambda: subprocess.run(command, stdout=subprocess.DEVNULL), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=7203)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "incident.xlsx", {"元データ": incident_rows(args.rows)})
        scanner = Scanner()
        report = scanner.scan_file(path)  # warm-up: imports, dictionaries, regex compilation
        scan_s = median_seconds(lambda: scanner.scan_file(path), args.runs)
        bare_s = median_seconds(lambda: bare_read(path), args.runs)
        rss = peak_rss_mb(path)
        json_s = cli_seconds(path, "json", args.runs)
        human_s = cli_seconds(path, "human", args.runs)
        size = path.stat().st_size
    print(f"file: {args.rows} rows x 7 columns, {size:,} bytes")
    print(f"records: {report.records}  entities: {report.entities}")
    print(f"scan (median of {args.runs}): {scan_s * 1000:.0f} ms")
    print(f"calamine bare read (median of {args.runs}): {bare_s * 1000:.0f} ms")
    print(f"ratio scan / bare read: {scan_s / bare_s:.2f}x")
    print(f"peak RSS of a scanning process: {rss:.0f} MB")
    print(f"sekisho scan --format json, cold (median of {args.runs}): {json_s * 1000:.0f} ms")
    print(f"sekisho scan --format human, cold (median of {args.runs}): {human_s * 1000:.0f} ms")
    print(f"ratio json / human: {json_s / human_s:.2f}x")


if __name__ == "__main__":
    main()
