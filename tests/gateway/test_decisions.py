"""Decisions recorded in the store and carried out by the gateway's scheduler (the outbox
pattern the web UI writes into)."""

from __future__ import annotations

import time

import pytest

from sekisho.errors import DecisionError
from sekisho.store import Database
from tests.gateway.conftest import RunningGateway
from tests.gateway.test_gateway import CLERK, _decoded, _subject, message, send

OUTSIDER = "someone@example.com"
CISO = "ciso@city.example.lg.jp"


def _held(gateway: RunningGateway) -> tuple[Database, str]:
    code, _ = send(
        gateway.port, CLERK, [OUTSIDER], message([OUTSIDER], "氏名：山田 太郎\n携帯 090-1234-5678")
    )
    assert code == 250
    database = Database(gateway.config.database_url)
    (record,) = database.messages("held")
    return database, record.sekisho_id


def _wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_approved_hold_is_relayed(gateway: RunningGateway) -> None:
    database, sekisho_id = _held(gateway)
    database.decide(sekisho_id, approve=True, actor=CISO, comment="業務上必要と確認")
    _wait_for(lambda: database.get(sekisho_id).state == "delivered")
    assert any(m[1] == [OUTSIDER] for m in gateway.sink.messages)
    record = database.get(sekisho_id)
    assert (record.decided_by, record.decision_comment) == (CISO, "業務上必要と確認")


def test_rejected_hold_tells_the_sender_once(gateway: RunningGateway) -> None:
    database, sekisho_id = _held(gateway)
    database.decide(sekisho_id, approve=False, actor=CISO, comment="集計値だけを送ってください")
    _wait_for(lambda: database.notice(sekisho_id, "rejected_by_approver") is not None)
    _wait_for(lambda: database.notice(sekisho_id, "rejected_by_approver").sent_at is not None)
    # Told once however many passes run: tests/gateway/test_scheduler.py drives passes.
    notices = [
        m
        for m in gateway.sink.messages
        if _subject(m[2]).startswith("[Sekisho] 承認されませんでした")
    ]
    assert len(notices) == 1
    assert "集計値だけを送ってください" in _decoded(notices[0][2]).decode()
    assert not any(m[1] == [OUTSIDER] for m in gateway.sink.messages)


@pytest.mark.parametrize(
    ("actor", "comment", "reason"),
    [
        (CLERK, "ok", "approvers cannot decide on their own mail"),
        (CISO, "  ", "a comment is required"),
    ],
)
def test_decisions_that_are_not_allowed(
    gateway: RunningGateway, actor: str, comment: str, reason: str
) -> None:
    database, sekisho_id = _held(gateway)
    with pytest.raises(DecisionError, match=reason) as refused:
        database.decide(sekisho_id, approve=True, actor=actor, comment=comment)
    assert refused.value.reason_ja
    assert database.get(sekisho_id).state == "held"


def test_a_decision_cannot_be_taken_twice(gateway: RunningGateway) -> None:
    database, sekisho_id = _held(gateway)
    database.decide(sekisho_id, approve=False, actor=CISO, comment="不可")
    with pytest.raises(DecisionError, match="already rejected"):
        database.decide(sekisho_id, approve=True, actor="security@city.example.lg.jp", comment="可")


def test_only_the_sender_cancels_a_delayed_message(gateway: RunningGateway) -> None:
    from tests.extract.builders import zip_bytes
    from tests.factories import csv_bytes

    archive = zip_bytes({"集計.csv": csv_bytes([["地区", "人数"], ["北部", 12]])})
    code, _ = send(
        gateway.port, CLERK, [OUTSIDER], message([OUTSIDER], "集計です", {"集計.zip": archive})
    )
    assert code == 250
    database = Database(gateway.config.database_url)
    (record,) = database.messages("delayed")
    with pytest.raises(DecisionError, match="only the sender"):
        database.cancel(record.sekisho_id, actor=CISO)
    database.cancel(record.sekisho_id, actor=CLERK)
    assert database.get(record.sekisho_id).state == "cancelled"
    # That it then stays, even when its time comes: test_scheduler drives that pass.
