"""The people list of an incident (本人通知): time and peak memory to rescan a journaled
copy of the 2022 incident's workbook (7,203 people, seven columns) and write the xlsx.

    .venv/bin/python bench/people_export.py [people]

Prints seconds for the list, seconds for the workbook, the people listed and the peak
resident memory of the process (dictionaries included).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from tests.extract.builders import eml_bytes
from tests.factories import incident_rows, write_xlsx

from sekisho.detect import Detector
from sekisho.incident.people import affected_people, people_xlsx
from sekisho.store import Database, utcnow
from sekisho.store.blobs import journal_files
from sekisho.store.journal import Journal


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 7203
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        database = Database(f"sqlite:///{root / 'b.db'}")
        journal = Journal(database, journal_files(database, str(root / "blobs")))
        workbook = write_xlsx(root / "認定者一覧.xlsx", {"認定者": incident_rows(people)})
        mail = eml_bytes("一覧です", {workbook.name: workbook.read_bytes()}, charset="utf-8")
        journal.keep("m1", mail, people, utcnow(), 30)
        detector = Detector()
        start = time.perf_counter()
        listed = affected_people(journal, ["m1"], detector)
        listing = time.perf_counter() - start
        start = time.perf_counter()
        data = people_xlsx(listed, "bench")
        writing = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(listed.people):,} people listed in {listing:.2f} s, workbook "
        f"{len(data) / 1e6:.1f} MB in {writing:.2f} s; peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
