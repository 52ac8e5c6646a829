"""The scheduler driven pass by pass (``run_once``) against a recording upstream: what each
pass sent, and what it did not, is asserted on the upstream itself — no sleeping, no
background loop, so a scheduler that does nothing fails these tests."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
import pyzipper

from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.scheduler import run_once
from sekisho.gateway.submission import Submission
from sekisho.gateway.upstream import UpstreamError
from sekisho.policy import load_policy
from sekisho.scan import Scanner
from sekisho.store import Database, MessageRecord, utcnow
from sekisho.store.blobs import Blobs, held_files
from tests.extract.builders import eml_bytes, zip_bytes
from tests.factories import csv_bytes
from tests.gateway.conftest import EXAMPLE_POLICY

CLERK = "clerk@kourei.city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
OUTSIDER = "someone@example.com"


@dataclass
class Recorder:
    """The next hop: records every attempt; refuses while ``down`` is set."""

    attempts: list[Submission] = field(default_factory=list)
    down: bool = False

    async def send(self, submission: Submission) -> None:
        self.attempts.append(submission)
        if self.down:
            raise UpstreamError("connection refused (test)")

    @property
    def delivered(self) -> list[Submission]:
        return [] if self.down else self.attempts

    def to(self, address: str) -> list[Submission]:
        return [s for s in self.attempts if address in s.recipients]


@dataclass
class Gate:
    pipeline: Pipeline
    upstream: Recorder
    database: Database
    spool: Blobs

    def receive(self, submission: Submission) -> str:
        return asyncio.run(self.pipeline.process(submission)).reply

    def run(self):  # type: ignore[no-untyped-def]
        return asyncio.run(run_once(self.pipeline))


def _gate(
    tmp_path: Path, name: str = "gate", database: Database | None = None, blobs: str = ""
) -> Gate:
    """A pipeline on ``database``; its quarantine the spool directory, or with blobs="db"
    (and on PostgreSQL) the database, as several hosts with nothing else shared run."""
    upstream = Recorder()
    database = database or Database(f"sqlite:///{tmp_path / 'sekisho.db'}")
    if database.engine.dialect.name == "postgresql":
        blobs = "db"
    spool = held_files(database, tmp_path / "spool", blobs or str(tmp_path / "blobs"))
    pipeline = Pipeline(Scanner(), load_policy(EXAMPLE_POLICY), database, spool, upstream)
    return Gate(pipeline, upstream, database, spool)


def _roster_mail(to: str = OUTSIDER, options: tuple[str, ...] = ()) -> Submission:
    sheet = csv_bytes([["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]], "cp932")
    data = eml_bytes("一覧です", {"名簿.csv": sheet}, charset="utf-8").replace(b"\n", b"\r\n")
    return Submission.received(CLERK, [to], data, options)


def _held(gate: Gate, options: tuple[str, ...] = ()) -> MessageRecord:
    reply = gate.receive(_roster_mail(options=options))
    assert " held as " in reply, reply
    (record,) = gate.database.messages("held")
    return record


def _subjects(submissions: list[Submission]) -> list[str]:
    return [
        str(message_from_bytes(s.data, policy=email_policy.default)["Subject"]) for s in submissions
    ]


def test_an_approved_hold_leaves_once_with_its_envelope_parameters(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    record = _held(gate, options=("BODY=8BITMIME",))
    gate.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="確認済み")
    assert gate.run().released == 1
    (zipped,) = gate.upstream.to(OUTSIDER)
    assert zipped.mail_options == ("BODY=8BITMIME",) and "BODY=8BITMIME" in zipped.relay_options
    assert zipped.sekisho_id == record.sekisho_id
    assert gate.database.get(record.sekisho_id).state == "delivered"
    again = gate.run()
    assert again.released == 0 and len(gate.upstream.to(OUTSIDER)) == 1


def test_a_failed_encrypted_release_resends_the_same_bytes_and_tells_one_password(
    tmp_path: Path,
) -> None:
    gate = _gate(tmp_path)
    record = _held(gate)
    gate.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="確認済み")
    gate.upstream.down = True
    assert gate.run().released == 0
    stored = gate.database.get(record.sekisho_id)
    assert stored.state == "releasing" and "connection refused" in stored.last_error
    gate.upstream.down = False
    gate.run()
    first, second = gate.upstream.to(OUTSIDER)
    assert first.data == second.data  # the zip and its password were made once
    passwords = [
        s
        for s, subject in zip(
            gate.upstream.attempts, _subjects(gate.upstream.attempts), strict=True
        )
        if CLERK in s.recipients and subject.startswith("[Sekisho] 暗号化")
    ]
    assert len(passwords) == 1
    text = message_from_bytes(passwords[0].data, policy=email_policy.default)
    body = text.get_body(("plain",)).get_content()
    secret = next(line.split()[-1] for line in body.splitlines() if "パスワード" in line)
    archive = next(
        part.get_payload(decode=True)
        for part in message_from_bytes(second.data).walk()
        if part.get_filename() == "attachments.zip"
    )
    with pyzipper.AESZipFile(io.BytesIO(archive)) as opened:
        opened.setpassword(secret.encode())
        assert "山田 太郎".encode("cp932") in opened.read(opened.namelist()[0])
    assert gate.database.notice(record.sekisho_id, "password").body == b""  # wiped once sent
    gate.run()
    assert len(gate.upstream.to(OUTSIDER)) == 2


def test_a_rejected_hold_is_told_once_and_never_sent(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    record = _held(gate)
    gate.database.decide(record.sekisho_id, approve=False, actor=CISO, comment="集計値のみ")
    first = gate.run()
    assert first.rejections_told == 1 and first.notices_sent == 1
    second = gate.run()
    assert second.rejections_told == 0 and second.notices_sent == 0
    assert gate.upstream.to(OUTSIDER) == []
    told = [s for s in _subjects(gate.upstream.to(CLERK)) if "承認されませんでした" in s]
    assert len(told) == 1


def test_a_cancelled_delayed_message_stays_while_a_due_one_leaves(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    for number, to in enumerate(("a@example.com", "b@example.com")):
        archive = zip_bytes({"集計.txt": f"北部 {number}".encode()})
        data = eml_bytes(f"集計です {number}", {"集計.zip": archive}, charset="utf-8")
        assert " delayed as " in gate.receive(
            Submission.received(CLERK, [to], data.replace(b"\n", b"\r\n"))
        )
    kept, cancelled = gate.database.messages("delayed")
    gate.database.cancel(cancelled.sekisho_id, actor="Clerk+mobile@Kourei.City.Example.LG.JP")
    with gate.database.session() as session:  # both due now
        for record in session.query(MessageRecord):
            record.release_at = utcnow() - timedelta(seconds=1)
    assert gate.run().released == 1
    assert [s.recipients for s in gate.upstream.attempts if CLERK not in s.recipients] == [
        tuple(kept.rcpt_to)
    ]
    assert gate.database.get(cancelled.sekisho_id).state == "cancelled"


def test_an_expired_hold_is_told_and_cannot_be_approved_after(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    record = _held(gate)
    with gate.database.session() as session:
        session.get(MessageRecord, record.id).expires_at = utcnow() - timedelta(seconds=1)
    assert gate.run().expired == 1
    assert any("期限" in s for s in _subjects(gate.upstream.to(CLERK)))
    from sekisho.errors import DecisionError

    with pytest.raises(DecisionError, match="already expired"):
        gate.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="遅れて承認")
    assert gate.run().released == 0 and gate.upstream.to(OUTSIDER) == []


def test_notices_wait_in_the_outbox_until_the_port_takes_them(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    gate.upstream.down = True
    record = _held(gate)  # 250 held although the notice could not go
    notice = gate.database.notice(record.sekisho_id, "held")
    assert notice.sent_at is None and notice.attempts == 1
    assert gate.run().notices_sent == 0
    gate.upstream.down = False
    assert gate.run().notices_sent == 1
    assert gate.run().notices_sent == 0
    assert len(gate.upstream.to(CLERK)) == 3  # two refused attempts, one delivered


def test_two_gateways_on_one_database_release_a_message_once(
    tmp_path: Path, database_url: str
) -> None:
    one = _gate(tmp_path, database=Database(database_url))
    two = _gate(tmp_path, database=Database(database_url))
    record = _held(one)
    one.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="確認済み")

    async def both():  # type: ignore[no-untyped-def]
        return await asyncio.gather(run_once(one.pipeline), run_once(two.pipeline))

    passes = asyncio.run(both())
    assert sum(p.released for p in passes) == 1
    assert len(one.upstream.to(OUTSIDER)) + len(two.upstream.to(OUTSIDER)) == 1


@pytest.mark.parametrize("blobs", ["", "db"])
def test_the_quarantine_copy_goes_after_the_grace_period(tmp_path: Path, blobs: str) -> None:
    gate = _gate(tmp_path, blobs=blobs)
    old = _held(gate)
    gate.receive(_roster_mail(to="other@example.com"))
    recent = next(r for r in gate.database.messages("held") if r.id != old.id)
    for record in (old, recent):
        gate.database.decide(record.sekisho_id, approve=True, actor=CISO, comment="確認済み")
    gate.run()
    with gate.database.session() as session:
        for record, days in ((old, 8), (recent, 6)):
            session.get(MessageRecord, record.id).delivered_at = utcnow() - timedelta(days=days)
    assert gate.run().spool_removed == 1
    names = gate.spool.names()
    assert old.spool_name not in names and f"{old.sekisho_id}.encrypted.eml" not in names
    assert recent.spool_name in names
    (event,) = gate.database.events(action="message.spool_removed")
    assert event.sekisho_id == old.sekisho_id and old.spool_name in event.detail["files"]
    assert gate.run().spool_removed == 0
    assert (tmp_path / "spool").exists() != (blobs == "db")  # the database held the copies


def test_a_password_goes_only_to_someone_the_city_knows(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    spoofed = _roster_mail()
    spoofed = Submission.received(
        "ciso%evil.example@city.example.lg.jp", spoofed.recipients, spoofed.data
    )
    assert gate.pipeline.policy.recipient_class(spoofed.mail_from) == "external"
    assert not gate.pipeline.may_receive_secret(spoofed.mail_from)
    assert gate.pipeline.may_receive_secret("Clerk+x@kourei.city.example.lg.jp")


def test_two_gateways_send_a_waiting_notice_once(tmp_path: Path, database_url: str) -> None:
    one = _gate(tmp_path, database=Database(database_url))
    two = _gate(tmp_path, database=Database(database_url))
    one.upstream.down = True
    record = _held(one)
    one.upstream.down = False

    async def both():  # type: ignore[no-untyped-def]
        return await asyncio.gather(run_once(one.pipeline), run_once(two.pipeline))

    passes = asyncio.run(both())
    assert sum(p.notices_sent for p in passes) == 1
    told = [s for s in one.upstream.attempts + two.upstream.attempts if CLERK in s.recipients]
    assert len(told) == 2  # the refused attempt at receipt, and one delivery
    assert one.database.notice(record.sekisho_id, "held").sent_at is not None
