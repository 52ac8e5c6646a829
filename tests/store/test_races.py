"""Decisions and the audit chain under real concurrency: threads and processes racing on one
SQLite file, started together by a barrier. The store, not timing luck, must make exactly
one of them win (issue 10: approve and reject both "succeeded" in 8 of 10 rounds, and one
message left after a committed rejection). Each runs on SQLite and on a real PostgreSQL
(row locks and an advisory lock there, BEGIN IMMEDIATE here)."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from sekisho.errors import DecisionError
from sekisho.store import AuditEvent, Database, utcnow
from sekisho.store.audit import verify
from tests.store.test_store import _record

ROUNDS = 100
SENDER = "clerk@city.example.lg.jp"


def _race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released at the same instant; each one's result or the
    DecisionError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except DecisionError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _decisions(database: Database, sekisho_id: str) -> list[str]:
    with database.reading() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.sekisho_id == sekisho_id)
        )
        return [a for a in actions if a not in ("message.held", "message.delayed")]


def test_approve_reject_and_expiry_of_one_hold_have_one_winner(database_url: str) -> None:
    database = Database(database_url)
    winners: Counter[str] = Counter()
    for round_ in range(ROUNDS):
        record = _record(f"h{round_}")
        record.mail_from = SENDER
        record.expires_at = utcnow() - timedelta(seconds=1)  # expiry is due as well
        database.add_message(record)
        sid = record.sekisho_id
        results = _race(
            [
                lambda sid=sid: database.decide(sid, approve=True, actor="a@city", comment="可"),
                lambda sid=sid: database.decide(sid, approve=False, actor="b@city", comment="不可"),
                lambda sid=sid: database.expire(sid, utcnow()),
                lambda sid=sid: database.decide(sid, approve=True, actor="c@city", comment="可"),
            ]
        )
        won = [r for r in results if r not in (False,) and not isinstance(r, DecisionError)]
        assert len(won) == 1, (round_, results)
        final = database.get(sid).state
        assert final == {"approved": "approved", "rejected": "rejected", True: "expired"}[won[0]]
        assert _decisions(database, sid) == [f"message.{final}"]
        losers = [r for r in results if isinstance(r, DecisionError)]
        assert all("already" in str(e) for e in losers)
        winners[final] += 1
        if final == "rejected":  # never released after a committed rejection
            assert database.claim_release(sid, utcnow()) is None
    assert sum(winners.values()) == ROUNDS
    assert verify(database) == []


def test_two_person_approval_counts_each_approver_once_under_races(database_url: str) -> None:
    database = Database(database_url)
    for round_ in range(ROUNDS // 4):
        record = _record(f"t{round_}")
        record.mail_from = SENDER
        database.add_message(record)
        sid = record.sekisho_id
        results = _race(
            [
                lambda sid=sid: database.decide(
                    sid, approve=True, actor="a@city", comment="1", required=2
                ),
                lambda sid=sid: database.decide(
                    sid, approve=True, actor="A@City", comment="2", required=2
                ),
                lambda sid=sid: database.decide(
                    sid, approve=True, actor="b@city", comment="3", required=2
                ),
            ]
        )
        final = database.get(sid)
        assert final.state == "approved", results
        assert sorted(a["by"] for a in final.approvals) == ["a@city", "b@city"]
        assert sum(isinstance(r, DecisionError) for r in results) == 1


def test_cancel_against_release_of_a_delayed_message(database_url: str) -> None:
    database = Database(database_url)
    for round_ in range(ROUNDS):
        record = _record(f"d{round_}", state="delayed")
        record.mail_from = SENDER
        record.release_at = utcnow() - timedelta(seconds=1)
        database.add_message(record)
        sid = record.sekisho_id
        results = _race(
            [
                lambda sid=sid, n=round_: database.cancel(
                    sid, actor=f"Clerk+{n}@City.Example.lg.jp"
                ),
                lambda sid=sid: database.claim_release(sid, utcnow()),
                lambda sid=sid: database.claim_release(sid, utcnow()),
            ]
        )
        cancelled = results[0] is None
        claims = [r for r in results[1:] if r is not None]
        state = database.get(sid).state
        if cancelled:
            assert claims == [] and state == "cancelled"
        else:
            assert isinstance(results[0], DecisionError) and len(claims) == 1
            assert state == "releasing"


def _process_decider(url: str, approve: bool, barrier, results) -> None:  # type: ignore[no-untyped-def]
    database = Database(url)
    actor = "a@city" if approve else "b@city"
    for round_ in range(ROUNDS):
        barrier.wait()
        try:
            outcome = database.decide(f"p{round_}", approve=approve, actor=actor, comment="x")
        except DecisionError:
            outcome = "refused"
        results.put((round_, actor, outcome))
    database.engine.dispose()


def _process_auditor(url: str, name: str, barrier) -> None:  # type: ignore[no-untyped-def]
    database = Database(url)
    barrier.wait()
    for number in range(60):
        if number % 3:
            database.audit(name, "test.single", None, {"n": number})
        else:
            database.audit_many(
                [(name, "test.batch", None, {"n": number, "i": i}) for i in range(4)]
            )
    database.engine.dispose()


@pytest.fixture
def fork() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork")


def test_approve_against_reject_from_two_processes(database_url: str, fork) -> None:  # type: ignore[no-untyped-def]
    url = database_url
    database = Database(url)
    for round_ in range(ROUNDS):
        record = _record(f"p{round_}")
        record.mail_from = SENDER
        database.add_message(record)
    database.engine.dispose()
    barrier, results = fork.Barrier(2), fork.Queue()
    workers = [
        fork.Process(target=_process_decider, args=(url, approve, barrier, results))
        for approve in (True, False)
    ]
    for worker in workers:
        worker.start()
    outcomes: dict[int, list[str]] = {}
    for _ in range(2 * ROUNDS):
        round_, _actor, outcome = results.get(timeout=60)
        outcomes.setdefault(round_, []).append(outcome)
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    for round_, got in outcomes.items():
        assert sorted(got) in (["approved", "refused"], ["refused", "rejected"]), (round_, got)
        state = database.get(f"p{round_}").state
        assert state in got
        assert _decisions(database, f"p{round_}") == [f"message.{state}"]
    assert verify(database) == []


def test_the_audit_chain_has_one_writer_across_threads_and_processes(
    database_url: str,
    fork,  # type: ignore[no-untyped-def]
) -> None:
    url = database_url
    Database(url).engine.dispose()
    barrier = fork.Barrier(3)
    processes = [
        fork.Process(target=_process_auditor, args=(url, f"p{i}", barrier)) for i in range(2)
    ]
    for process in processes:
        process.start()
    database = Database(url)
    barrier.wait()
    _race(
        [
            lambda name=name: [
                database.audit(name, "test.thread", None, {"n": n}) for n in range(40)
            ]
            for name in ("t1", "t2", "t3")
        ]
    )
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    with database.reading() as session:
        count = len(list(session.scalars(select(AuditEvent.id))))
    assert count == 2 * (40 * 1 + 20 * 4) + 3 * 40
    assert verify(database) == []
