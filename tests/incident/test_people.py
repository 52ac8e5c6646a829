"""The people in what left, listed from the journaled copies with their values (for
telling them): one row per person, the same person in two copies once, the fields as the
file wrote them; a copy that is gone is named, never a silently shorter list."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sekisho.incident.people import affected_people, people_xlsx
from sekisho.store import Database, utcnow
from sekisho.store.blobs import journal_files
from sekisho.store.journal import Journal
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, roster_rows


@pytest.fixture
def journal(tmp_path: Path, database_url: str) -> Journal:
    database = Database(database_url)
    blobs = "db" if database_url.startswith("postgresql") else str(tmp_path / "blobs")
    return Journal(database, journal_files(database, blobs))


def _mail(rows: list[list[str]], body: str = "名簿を送ります。") -> bytes:
    return eml_bytes(body, {"名簿.csv": csv_bytes(rows, "cp932")}, charset="utf-8")


def test_each_person_once_with_the_values_the_file_holds(journal: Journal) -> None:
    roster = roster_rows(30)
    body = "別件です。\n氏名：佐藤 花子　携帯 090-4321-8765\n"
    journal.keep("m1", _mail(roster, body), 31, utcnow(), 30)
    journal.keep("m2", _mail(roster[:11]), 10, utcnow(), 30)  # ten of them sent again
    listed = affected_people(journal, ["m1", "m2", "never-kept"])
    assert listed.unlisted == []
    by_number = {p.fields.get("JP_MY_NUMBER"): p for p in listed.people}
    for name, number, phone in roster[1:]:
        person = by_number[number]
        assert person.fields["PERSON_NAME"] == name and person.fields["PHONE_NUMBER"] == phone
    assert len(listed.people) == 31  # 30 in the roster, one in the body's text
    twice = by_number[roster[1][1]]
    assert [s.split(":")[0] for s in twice.sources] == ["m1", "m2"]
    assert len(by_number[roster[20][1]].sources) == 1
    (in_text,) = [p for p in listed.people if "JP_MY_NUMBER" not in p.fields]
    assert in_text.fields["PHONE_NUMBER"] == "090-4321-8765"

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(people_xlsx(listed, "インシデント1")))
    rows = workbook.get_sheet_by_name("本人一覧").to_python()
    assert rows[0][:3] == ["氏名", "電話番号", "個人番号（マイナンバー）"]
    assert len(rows) == 32
    assert [roster[1][0], roster[1][2], roster[1][1]] in [r[:3] for r in rows]


def test_a_copy_that_is_gone_is_named_not_skipped(journal: Journal) -> None:
    journal.keep("m1", _mail(roster_rows(5)), 5, utcnow(), 30)
    journal.keep("m2", _mail(roster_rows(8, seed=2)), 8, utcnow(), 30)
    entry = journal.entry("m2")
    assert entry is not None
    journal.files._files.remove(entry.blob)
    listed = affected_people(journal, ["m1", "m2"])
    assert len(listed.people) == 5
    ((sekisho_id, why),) = listed.unlisted
    assert sekisho_id == "m2" and "保管コピーが見つかりません" in why
    notes = CalamineWorkbook.from_filelike(io.BytesIO(people_xlsx(listed, "t")))
    text = str(notes.get_sheet_by_name("注意").to_python())
    assert "m2" in text and "見つかりません" in text
