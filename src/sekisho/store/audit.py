"""The audit log's hash chain: each event stores the hash of the one before it, so that a
changed or deleted event breaks the chain and ``sekisho audit verify`` finds it.

The chain cannot show the removal of the newest events by itself; an operator who keeps
the last hash elsewhere (a printed report, a second system) closes that gap.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import String, cast, insert, select, text
from sqlalchemy.orm import Session

from sekisho.store.engine import Store, utcnow
from sekisho.store.models import AuditEvent

if TYPE_CHECKING:
    from sekisho.store.database import Database

GENESIS = "0" * 64


def event_hash(
    prev_hash: str, at: datetime, actor: str, action: str, sekisho_id: str | None, detail: dict
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor, action, sekisho_id, detail],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def verify(database: Database) -> list[str]:
    """Every break in the chain, in words; an empty list when the log is intact."""
    problems: list[str] = []
    previous_hash, previous_id = GENESIS, 0
    with database.session() as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            # A gap in the numbers with the chain unbroken is a number the database gave
            # out to a transaction that then rolled back (PostgreSQL's sequences do not
            # roll back: a crashed process, a lost race). A deleted event breaks the chain.
            if event.id != previous_id + 1 and event.prev_hash != previous_hash:
                missing = (
                    f"{previous_id + 1}"
                    if event.id == previous_id + 2
                    else f"{previous_id + 1}–{event.id - 1}"
                )
                problems.append(
                    f"event {missing} missing (deleted?) / イベント {missing} が欠落しています"
                )
            if event.prev_hash != previous_hash:
                problems.append(
                    f"event {event.id}: does not follow the event before it / 直前のイベントとつながりません"
                )
            if (
                event_hash(
                    event.prev_hash,
                    event.at,
                    event.actor,
                    event.action,
                    event.sekisho_id,
                    event.detail,
                )
                != event.hash
            ):
                problems.append(
                    f"event {event.id}: changed after it was written / 記録後に変更されています"
                )
            previous_hash, previous_id = event.hash, event.id
    return problems


# Any constant: the key of PostgreSQL's advisory lock that makes the audit chain's
# read-last-hash-then-insert one writer at a time across every process sharing the base.
_AUDIT_LOCK_KEY = 0x5E415D17


class AuditLog(Store):
    """Appending to the chain and searching it."""

    def events(self, **filters: str) -> list[AuditEvent]:
        """Audit events, newest first, filtered by actor, action, sekisho_id, the message's
        sender and a recipient domain (substrings) and the date range ``since`` / ``until``."""
        with self.session() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc())
            for name in ("actor", "action", "sekisho_id"):
                if filters.get(name):
                    query = query.where(getattr(AuditEvent, name).contains(filters[name]))
            detail = cast(AuditEvent.detail, String)
            for name, key in (("sender", '"sender"'), ("domain", '"domains"')):
                if filters.get(name):  # JSON text: the key present and the value in it
                    query = query.where(detail.contains(key), detail.icontains(filters[name]))
            if filters.get("since"):
                query = query.where(AuditEvent.at >= datetime.fromisoformat(filters["since"]))
            if filters.get("until"):
                query = query.where(
                    AuditEvent.at < datetime.fromisoformat(filters["until"]) + timedelta(days=1)
                )
            return list(session.scalars(query.limit(5000)))

    def audit_many(self, events: list[tuple[str, str, str | None, dict]]) -> None:
        """Many events in one statement and one commit (the gateway's batches)."""
        if events:
            with self.session() as session:
                self._append(session, events)

    def audit(
        self, actor: str, action: str, sekisho_id: str | None = None, detail: dict | None = None
    ) -> None:
        with self.session() as session:
            self._audit(session, actor, action, sekisho_id, detail or {})

    @classmethod
    def _audit(
        cls, session: Session, actor: str, action: str, sekisho_id: str | None, detail: dict
    ) -> None:
        """One event, in the caller's transaction (it commits or rolls back with the change
        it records)."""
        cls._append(session, [(actor, action, sekisho_id, detail)])

    @staticmethod
    def _append(session: Session, events: list[tuple[str, str, str | None, dict]]) -> None:
        """Append events chained by hash to the last one (tampering breaks the chain).

        One appender at a time: on SQLite the writing transaction already holds the
        write lock (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock
        serialises every process's appends until commit."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
        previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
        previous = previous or GENESIS
        rows = []
        for actor, action, sekisho_id, detail in events:
            at = utcnow()
            digest = event_hash(previous, at, actor, action, sekisho_id, detail)
            rows.append(
                {
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "sekisho_id": sekisho_id,
                    "detail": detail,
                    "prev_hash": previous,
                    "hash": digest,
                }
            )
            previous = digest
        session.execute(insert(AuditEvent), rows)
