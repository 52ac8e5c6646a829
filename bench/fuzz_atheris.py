"""Coverage-guided fuzzing of the scanner with atheris (not part of CI; atheris is not a
declared dependency). Any exception escaping ``scan_bytes`` is a bug: bad input must end
as a report with problems.

    .venv/bin/pip install atheris
    .venv/bin/python bench/fuzz_atheris.py -atheris_runs=20000 [corpus_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import atheris

with atheris.instrument_imports():
    from sekisho.scan import Scanner

_SCANNER = Scanner()
_NAMES = ("a.xlsx", "a.zip", "a.csv", "a.eml", "a.docx", "a.pdf", "a.txt")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    name = _NAMES[data[0] % len(_NAMES)]
    report = _SCANNER.scan_bytes(data[1:], name)
    for problem in report.problems:
        assert problem.reason


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
