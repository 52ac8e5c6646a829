"""People and entity types that Sekisho reports on files others wrote: a local check on
real documents that are known to describe nobody (or somebody), run before calling
accuracy done. The files are not committed (their licences vary); fetch them:

    # municipal open data (AED list of さいたま市, hospitals, tourist spots of 柳井市, 八丈町,
    # 葛飾区, 島原市, onsen, volcano damage, census tables) collected by NII's tablelinker
    git clone https://github.com/NII-CPS-Center/tablelinker-lib   # sample/datafiles
    .venv/bin/python bench/real_files.py tablelinker-lib/sample/datafiles

Every file in the directory is scanned; each line gives the people counted and the
entities found, and the last line how many files report people.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sekisho.scan import Scanner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    scanner = Scanner()
    files = sorted(p for p in args.directory.rglob("*") if p.is_file())
    with_people = people = 0
    for path in files:
        report = scanner.scan_file(path)
        entities = ", ".join(f"{k} {v}" for k, v in sorted(report.entities.items()))
        flag = " UNSCANNABLE" if report.unscannable else ""
        print(f"{report.records:6}  {path.name[:48]:48}  {entities}{flag}")
        with_people += report.records > 0
        people += report.records
    print(f"{with_people} of {len(files)} files report people ({people} people in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
