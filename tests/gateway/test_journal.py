"""What left with personal data is journaled before it leaves (relayed at once, or
released after approval); a memo is not; the scheduler purges copies past their days."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sekisho.gateway.scheduler import run_once
from sekisho.gateway.submission import Submission
from sekisho.store import utcnow
from sekisho.store.blobs import journal_files
from sekisho.store.journal import Journal
from sekisho.store.models import JournalEntry
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes
from tests.gateway.test_scheduler import CISO, CLERK, Gate, _gate, _held

COLLEAGUE = "colleague@city.example.lg.jp"


def _journaled_gate(tmp_path: Path) -> tuple[Gate, Journal]:
    gate = _gate(tmp_path)
    journal = Journal(gate.database, journal_files(gate.database, str(tmp_path / "blobs")))
    gate.pipeline.journal = journal
    return gate, journal


def _mail(body: str, attachments: dict[str, bytes] | None = None) -> Submission:
    data = eml_bytes(body, attachments or {}, charset="utf-8").replace(b"\n", b"\r\n")
    return Submission.received(CLERK, [COLLEAGUE], data)


def test_internal_mail_with_people_is_journaled_and_a_memo_is_not(tmp_path: Path) -> None:
    gate, journal = _journaled_gate(tmp_path)
    sheet = csv_bytes([["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]], "cp932")
    roster = _mail("一覧です", {"名簿.csv": sheet})
    memo = _mail("会議は三時からです。")
    assert " relayed as " in gate.receive(roster)
    assert " relayed as " in gate.receive(memo)
    assert b"".join(journal.open(roster.sekisho_id)).endswith(roster.data[-200:])
    assert journal.entry(memo.sekisho_id) is None
    (event,) = gate.database.events(action="journal.kept")
    assert event.sekisho_id == roster.sekisho_id


def test_a_hold_is_journaled_when_released_not_when_held(tmp_path: Path) -> None:
    gate, journal = _journaled_gate(tmp_path)
    record = _held(gate)
    assert journal.entry(record.sekisho_id) is None  # held: nothing left yet
    gate.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="確認済み")
    assert gate.run().released == 1
    entry = journal.entry(record.sekisho_id)
    assert entry is not None and entry.records == record.records
    # The original as it was held (attachments and all), not what the copies looked like.
    assert b"".join(journal.open(record.sekisho_id)) == gate.spool.read(record.spool_name)


def test_the_scheduler_purges_copies_past_their_days(tmp_path: Path) -> None:
    gate, _ = _journaled_gate(tmp_path)
    sheet = csv_bytes([["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]], "cp932")
    roster = _mail("一覧です", {"名簿.csv": sheet})
    gate.receive(roster)
    assert asyncio.run(run_once(gate.pipeline)).journal_purged == 0
    with gate.database.session() as session:
        entry = session.get(JournalEntry, roster.sekisho_id)
        assert entry is not None
        assert entry.expires_at - entry.kept_at == timedelta(days=30)  # the policy's default
        entry.expires_at = utcnow() - timedelta(seconds=1)
    assert asyncio.run(run_once(gate.pipeline)).journal_purged == 1
    (event,) = gate.database.events(action="journal.purged")
    assert event.sekisho_id == roster.sekisho_id


def test_the_running_gateway_journals_where_its_files_live(gateway, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On SQLite beside the blob directory, on PostgreSQL in the database (--blobs db)."""
    import re

    from sekisho.store import Database
    from tests.gateway.test_gateway import message, send

    sheet = csv_bytes([["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]], "cp932")
    data = message([COLLEAGUE], "一覧です", {"名簿.csv": sheet})
    code, reply = send(gateway.port, CLERK, [COLLEAGUE], data)
    assert code == 250 and b"relayed" in reply
    sekisho_id = re.search(rb"as (\w+)", reply).group(1).decode()  # type: ignore[union-attr]
    database = Database(gateway.config.database_url)
    journal = Journal(database, journal_files(database, gateway.config.blob_dir))
    gateway.sink.wait(1)
    ((_, _, relayed),) = gateway.sink.messages
    assert b"".join(journal.open(sekisho_id)) == relayed
    in_database = gateway.config.blob_dir == "db"
    assert (tmp_path / "journal").exists() != in_database
