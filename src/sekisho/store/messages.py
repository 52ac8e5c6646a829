"""Messages and their states: every change one conditional update along
``states.TRANSITIONS``, with its audit event (and any notice) in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sekisho.addresses import DEFAULT_DELIMITERS, canonical, same_mailbox
from sekisho.errors import DecisionError
from sekisho.store.approvals import rule_on
from sekisho.store.engine import Store, utcnow
from sekisho.store.models import MessageRecord, Notice
from sekisho.store.states import FINAL, State, allowed


def recipient_domains(recipients: list[str]) -> list[str]:
    """The domains mail went to: what an auditor searches by ("everything to the care centre")."""
    return sorted({r.rpartition("@")[2].lower() for r in recipients})


def message_detail(record: MessageRecord) -> dict:
    """What the audit log says of a message: sender, recipient domains, rule, counts — no
    values (the sender's and recipients' addresses are the mail's envelope, not residents')."""
    return {
        "sender": record.mail_from,
        "domains": recipient_domains(record.rcpt_to),
        "verdict": record.verdict_header,
        "records": record.records,
        "entities": record.entities,
    }


class Messages(Store):
    """The message table's operations (``_audit`` and ``_enqueue`` come from the audit
    log and the outbox parts of ``Database``)."""

    def add_message(
        self, record: MessageRecord, actor: str = "gateway", notice: Notice | None = None
    ) -> None:
        """The row, its audit event and the notice to its sender, in one transaction."""
        with self.session() as session:
            session.add(record)
            self._audit(
                session, actor, f"message.{record.state}", record.sekisho_id, message_detail(record)
            )
            if notice is not None:
                self._enqueue(session, notice)

    def get(self, sekisho_id: str) -> MessageRecord | None:
        with self.reading() as session:
            return session.scalar(
                select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id)
            )

    def messages(self, state: str | None = None) -> list[MessageRecord]:
        with self.reading() as session:
            query = select(MessageRecord).order_by(MessageRecord.id)
            if state is not None:
                query = query.where(MessageRecord.state == state)
            return list(session.scalars(query))

    def messages_from(
        self, mailbox: str, delimiters: str = DEFAULT_DELIMITERS, limit: int = 1000
    ) -> list[MessageRecord]:
        """The newest ``limit`` messages whose sender is ``mailbox`` in any spelling, newest
        first (a sender's own page). SQL narrows to senders that contain its local part,
        which every spelling does; ``same_mailbox`` decides."""
        local = canonical(mailbox, delimiters).partition("@")[0]
        with self.reading() as session:
            query = (
                select(MessageRecord)
                .where(MessageRecord.mail_from.icontains(local, autoescape=True))
                .order_by(MessageRecord.id.desc())
            )
            found = []
            for record in session.scalars(query.execution_options(yield_per=200)):
                if same_mailbox(record.mail_from, mailbox, delimiters):
                    found.append(record)
                    if len(found) == limit:
                        break
            return found

    def count_by_state(self) -> dict[str, int]:
        """How many messages are in each state (counted by the database, not loaded)."""
        with self.reading() as session:
            rows = session.execute(
                select(MessageRecord.state, func.count()).group_by(MessageRecord.state)
            )
            return {str(state): int(count) for state, count in rows}

    def due(self, now: datetime) -> list[MessageRecord]:
        """Messages to release: delayed ones whose time has come, approved holds, and
        releases whose claimant died (its lease ran out)."""
        with self.reading() as session:
            query = select(MessageRecord).where(
                or_(
                    and_(MessageRecord.state == State.DELAYED, MessageRecord.release_at <= now),
                    MessageRecord.state == State.APPROVED,
                    and_(
                        MessageRecord.state == State.RELEASING,
                        MessageRecord.claimed_until <= now,
                    ),
                )
            )
            return list(session.scalars(query.order_by(MessageRecord.id)))

    def expired(self, now: datetime) -> list[MessageRecord]:
        with self.reading() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == State.HELD, MessageRecord.expires_at <= now
            )
            return list(session.scalars(query))

    # -- state changes: each one conditional update, along states.TRANSITIONS ----------

    @staticmethod
    def _record(session: Session, sekisho_id: str) -> MessageRecord | None:
        return session.scalar(
            select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id).with_for_update()
        )

    @staticmethod
    def _update(session: Session, record: MessageRecord, **values: Any) -> bool:
        """Write ``values`` only if the row is still as read (state and version): the
        same statement on SQLite and PostgreSQL, and the row count says who won."""
        result = session.execute(
            update(MessageRecord)
            .where(
                MessageRecord.id == record.id,
                MessageRecord.state == record.state,
                MessageRecord.version == record.version,
            )
            .values(version=record.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for key, value in values.items():
            set_committed_value(record, key, value)
        set_committed_value(record, "version", record.version + 1)
        return True

    def _move(
        self,
        session: Session,
        record: MessageRecord,
        state: State,
        actor: str,
        detail: dict | None = None,
        **values: Any,
    ) -> bool:
        previous = record.state
        if not allowed(previous, state) or not self._update(
            session, record, state=str(state), **values
        ):
            return False
        self._audit(
            session,
            actor,
            f"message.{state}",
            record.sekisho_id,
            {"from": previous, **(detail or {})},
        )
        return True

    def transition(
        self, sekisho_id: str, allowed_from: set[str], state: str, actor: str, **changes: Any
    ) -> bool:
        """Move a message to ``state`` only from one of ``allowed_from``, with an audit
        event. False if another change got there first."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or record.state not in allowed_from:
                return False
            detail = {k: str(v) for k, v in changes.items() if k != "last_error"}
            return self._move(session, record, State(state), actor, detail, **changes)

    def decide(
        self,
        sekisho_id: str,
        *,
        approve: bool,
        actor: str,
        comment: str,
        required: int = 1,
        delimiters: str = DEFAULT_DELIMITERS,
    ) -> str:
        """An approver's decision on a held message; the state it leaves the message in.

        ``approvals.rule_on`` says what the decision does (two-person approval keeps the
        message held until a second, different approver agrees; one rejection is
        enough); it is written by one conditional update, so of two decisions at the
        same moment one wins and the other is told "already decided". The gateway
        carries the outcome out (the outbox pattern)."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None:
                raise DecisionError("no such message", "該当するメールがありません")
            now = utcnow()
            ruling = rule_on(
                state=record.state,
                sender=record.mail_from,
                approvals=list(record.approvals or []),
                actor=actor,
                approve=approve,
                comment=comment,
                required=required,
                now=now,
                delimiters=delimiters,
            )
            actor = actor.strip().lower()
            if ruling.state is State.HELD:
                won = self._update(session, record, approvals=ruling.approvals)
                detail = {"approvals": len(ruling.approvals), "required": required}
                if won:
                    self._audit(session, actor, ruling.action, sekisho_id, detail)
            else:
                won = self._move(
                    session,
                    record,
                    ruling.state,
                    actor,
                    {"approvals": len(ruling.approvals)},
                    approvals=ruling.approvals,
                    decided_by=actor,
                    decided_at=now,
                    decision_comment=comment.strip(),
                )
            if not won:
                raise DecisionError("already decided", "すでに処理済みです")
            return str(ruling.state)

    def cancel(self, sekisho_id: str, *, actor: str, delimiters: str = DEFAULT_DELIMITERS) -> None:
        """The sender takes back a delayed message before it leaves (against its release:
        one of the two wins)."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or not same_mailbox(actor, record.mail_from, delimiters):
                raise DecisionError(
                    "only the sender can cancel a message", "取り消せるのは送信者本人だけです"
                )
            actor = actor.strip().lower()
            if record.state != State.DELAYED or not self._move(
                session, record, State.CANCELLED, actor, decided_by=actor, decided_at=utcnow()
            ):
                raise DecisionError(f"already {record.state}", "すでに送信済みか処理済みです")

    def expire(self, sekisho_id: str, now: datetime, notice: Notice | None = None) -> bool:
        """A hold nobody decided in time; its notice queued in the same transaction."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if (
                record is None
                or record.state != State.HELD
                or record.expires_at is None
                or record.expires_at > now
                or not self._move(session, record, State.EXPIRED, "scheduler", decided_at=now)
            ):
                return False
            if notice is not None:
                self._enqueue(session, notice)
            return True

    def claim_release(
        self, sekisho_id: str, now: datetime, lease: timedelta = timedelta(minutes=10)
    ) -> MessageRecord | None:
        """Claim a due message for release by this process for ``lease``: the record as
        claimed, or None when it is not due or another process holds it (or a cancel
        won). A claimant that dies leaves the lease to run out; the next one takes over."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None:
                return None
            due = (
                record.state == State.APPROVED
                or (
                    record.state == State.DELAYED
                    and record.release_at is not None
                    and record.release_at <= now
                )
                or (
                    record.state == State.RELEASING
                    and (record.claimed_until is None or record.claimed_until <= now)
                )
            )
            if not due or not self._move(
                session,
                record,
                State.RELEASING,
                "scheduler",
                {"attempt": record.attempts + 1},
                claimed_until=now + lease,
                attempts=record.attempts + 1,
            ):
                return None
            return record

    def released(self, sekisho_id: str) -> bool:
        """The next hop took the released message: delivered, and any notice that waited
        for it (the zip's password) may go."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or not self._move(
                session,
                record,
                State.DELIVERED,
                "scheduler",
                delivered_at=utcnow(),
                claimed_until=None,
            ):
                return False
            self._ready(session, sekisho_id)
            return True

    def release_failed(self, sekisho_id: str, error: str) -> None:
        """The next hop refused or timed out: the claim is given back for the next pass."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.state == State.RELEASING:
                self._update(session, record, claimed_until=utcnow(), last_error=error[:500])

    def rejections_to_tell(self) -> list[MessageRecord]:
        """Holds an approver rejected whose sender's notice is not queued yet."""
        with self.reading() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == State.REJECTED,
                MessageRecord.decided_by.is_not(None),
                MessageRecord.notice_sent_at.is_(None),
            )
            return list(session.scalars(query))

    def tell(self, sekisho_id: str, notice: Notice) -> None:
        """Queue the rejection notice of a decided hold, and mark the hold told."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.notice_sent_at is None:
                self._update(session, record, notice_sent_at=utcnow())
                self._enqueue(session, notice)

    # -- quarantine retention ----------------------------------------------------------

    def spool_to_remove(self, now: datetime, grace: timedelta) -> list[MessageRecord]:
        """Messages whose story is over (delivered, expired, cancelled, rejected) for
        longer than ``grace``, whose notices have all gone, and whose spool copy is
        still there."""
        with self.reading() as session:
            pending = select(Notice.sekisho_id).where(Notice.sent_at.is_(None))
            ended = func.coalesce(
                MessageRecord.delivered_at, MessageRecord.decided_at, MessageRecord.created_at
            )
            query = select(MessageRecord).where(
                MessageRecord.state.in_([str(s) for s in FINAL]),
                MessageRecord.spool_removed_at.is_(None),
                ended <= now - grace,
                MessageRecord.sekisho_id.not_in(pending.where(Notice.sekisho_id.is_not(None))),
                or_(
                    MessageRecord.state != State.REJECTED,
                    MessageRecord.decided_by.is_(None),
                    MessageRecord.notice_sent_at.is_not(None),
                ),
            )
            return list(session.scalars(query.order_by(MessageRecord.id)))

    def spool_removed(self, sekisho_id: str, names: list[str]) -> None:
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.spool_removed_at is None:
                record.spool_removed_at = utcnow()
                self._audit(
                    session, "scheduler", "message.spool_removed", sekisho_id, {"files": names}
                )
