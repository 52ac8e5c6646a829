"""The journal keeps a sealed copy for its days, opens it back, and purges it when its
time is up, each purge audited; a missing copy is said to be missing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sekisho.store import Database, utcnow
from sekisho.store.blobs import journal_files
from sekisho.store.journal import BlobDamaged, Journal

MAIL = "Subject: 名簿\r\n\r\n山田 太郎 090-1234-5678\r\n".encode() * 2000


@pytest.fixture(params=["directory", "database"])
def journal(request: pytest.FixtureRequest, tmp_path: Path, database_url: str) -> Journal:
    database = Database(database_url)
    blobs = "db" if request.param == "database" else str(tmp_path / "blobs")
    return Journal(database, journal_files(database, blobs))


def test_a_copy_is_kept_sealed_and_read_back(journal: Journal, tmp_path: Path) -> None:
    now = utcnow()
    journal.keep("m1", MAIL, 2000, now, 30)
    assert b"".join(journal.open("m1")) == MAIL
    entry = journal.entry("m1")
    assert entry is not None and entry.records == 2000
    assert entry.expires_at == now + timedelta(days=30)
    stored = journal.files._files.read(entry.blob)
    assert MAIL[:40] not in stored  # sealed at rest
    if (tmp_path / "journal").exists():  # the directory backend: beside var/blobs
        assert [p.name for p in (tmp_path / "journal").iterdir()] == [entry.blob]
    journal.keep("m1", MAIL, 2000, now, 30)  # a retried relay: a new copy replaces it
    renewed = journal.entry("m1")
    assert renewed is not None and renewed.blob != entry.blob
    assert journal.files._files.size(entry.blob) is None
    assert b"".join(journal.open("m1")) == MAIL
    (event,) = journal.database.events(action="journal.kept")
    assert event.sekisho_id == "m1" and event.detail["days"] == 30
    with pytest.raises(KeyError):
        journal.open("never-kept")


def test_copies_are_purged_when_their_time_is_up(journal: Journal) -> None:
    now = utcnow()
    journal.keep("old", MAIL, 1, now - timedelta(days=31), 30)
    journal.keep("new", MAIL, 1, now - timedelta(days=29), 30)
    assert journal.purge(now) == 1
    assert journal.purge(now) == 0  # once
    with pytest.raises(KeyError):
        journal.open("old")
    assert b"".join(journal.open("new")) == MAIL
    old = journal.entry("old")
    assert old is not None and old.purged_at == now and old.key == b""
    assert journal.files._files.size(old.blob) is None  # the file is gone too
    (event,) = journal.database.events(action="journal.purged")
    assert event.sekisho_id == "old" and event.actor == "scheduler"
    assert journal.purge(now + timedelta(days=2)) == 1  # "new" in its turn


def test_a_missing_copy_is_damaged_not_empty(journal: Journal) -> None:
    journal.keep("m1", MAIL, 1, utcnow(), 30)
    entry = journal.entry("m1")
    assert entry is not None
    assert journal.state("m1") == "kept"
    journal.files._files.remove(entry.blob)
    assert journal.state("m1") == "missing"
    with pytest.raises(BlobDamaged, match="missing"):
        journal.open("m1")
    assert journal.state("never-kept") == "none"
    journal.keep("old", MAIL, 1, utcnow() - timedelta(days=40), 30)
    journal.purge(utcnow())
    assert journal.state("old") == "purged"
