"""Hostile message shapes (``tests/extract/hostile_mail.py``) through the scanner: per
shape, how many of the 100 generated residents were found, or why it is unscannable,
and the time. A shape that wants people and reads as clean is the gate letting data
through.

Run: ``python bench/hostile_mail.py``. To measure another checkout's scanner on the same
shapes: ``PYTHONPATH=OTHER/src python bench/hostile_mail.py`` from this checkout.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.extract.hostile_mail import SHAPES, partial_fragments

from sekisho.scan import Scanner


def main() -> None:
    scanner = Scanner()
    passed = 0
    for name, (make, want) in SHAPES.items():
        started = time.perf_counter()
        report = scanner.scan_bytes(make(), "message.eml")
        took = time.perf_counter() - started
        reason = report.problems[0].reason[:70] if report.problems else ""
        leaked = not report.unscannable and report.records < (80 if want == "people" else 1)
        passed += not leaked
        mark = "LEAK" if leaked else "ok  "
        print(f"{mark} {name:45s} want={want:11s} people={report.records:4d} {took:5.2f}s {reason}")
    fragments = partial_fragments(6)
    held = sum(scanner.scan_bytes(f, "message.eml").unscannable for f in fragments)
    print(
        f"\n{passed} of {len(SHAPES)} shapes held or found; {held} of 6 message/partial "
        "fragments unscannable"
    )


if __name__ == "__main__":
    main()
