"""Minimising rosters: the 7,203-row incident workbook aggregated by one and by two
columns, against python-calamine's bare read of the same file (target <= 2x), and a
1,000,000-row CSV aggregated with the peak resident memory of the process that did it
(target <= 300 MB).

    PYTHONPATH=. .venv/bin/python bench/minimise.py

Best of 5 for the workbook (the detector warm, as in a running web process); the CSV in a
child process of its own so that its peak RSS is its own.
"""

from __future__ import annotations

import csv
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook
from tests.factories import incident_rows, write_xlsx

from sekisho.detect import Detector
from sekisho.minimise import Request, minimise


def best(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def workbook() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "認定者一覧.xlsx", {"認定者": incident_rows(7203)})
        data = path.read_bytes()
    detector = Detector()
    minimise(data, path.name, Request(aggregate=["要介護度"]), detector)  # warm

    def bare() -> None:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for _row in book.get_sheet_by_index(0).iter_rows():
            pass

    read = best(bare)
    print(
        f"7,203-row workbook ({len(data) / 1e6:.1f} MB): calamine's bare read {read * 1000:.0f} ms"
    )
    for groups in (["要介護度"], ["性別", "要介護度"]):
        took = best(lambda g=groups: minimise(data, path.name, Request(aggregate=g), detector))
        print(
            f"  aggregate by {'×'.join(groups)}: {took * 1000:.0f} ms = {took / read:.2f}x the bare read"
        )


def big_csv(path: Path, rows: int) -> None:
    rng = random.Random(1)
    levels = ["要支援1", "要支援2"] + [f"要介護{n}" for n in range(1, 6)]
    with path.open("w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["地区", "性別", "要介護度", "利用単位数"])
        for _ in range(rows):
            writer.writerow(
                [
                    f"地区{rng.randint(1, 40)}",
                    rng.choice("男女"),
                    rng.choice(levels),
                    rng.randint(0, 30000),
                ]
            )


def child(path: str) -> None:
    data = Path(path).read_bytes()
    start = time.perf_counter()
    result = minimise(data, "big.csv", Request(aggregate=["地区", "要介護度"], sums=["利用単位数"]))
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"1,000,000-row CSV ({len(data) / 1e6:.0f} MB, cp932): {result.rows_in:,} rows → "
        f"{result.rows_out} groups in {took:.1f} s; peak RSS {peak:.0f} MB"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    workbook()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        big_csv(path, 1_000_000)
        subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
