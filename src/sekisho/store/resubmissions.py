"""A held message replaced by its sender's minimised version. The web cannot scan and
relay: it writes the new bytes to the held blobs and, in one transaction, moves the
original to ``minimised`` (never to be sent, audited) and queues the new message here. A
gateway claims each one (a lease, like releases and notices) and handles it exactly as a
message received over SMTP — scanned, policy applied, relayed or held — so that what
leaves is decided by what it now holds. A retried resubmission carries the same
Sekisho ID: the new message's ID is fixed when it is queued."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from sekisho.addresses import DEFAULT_DELIMITERS, same_mailbox
from sekisho.errors import DecisionError
from sekisho.store.engine import Store, utcnow
from sekisho.store.models import Notice, Resubmission
from sekisho.store.states import State


class Resubmissions(Store):
    def minimise(
        self,
        sekisho_id: str,
        *,
        actor: str,
        parts: list[tuple[str, list[str] | None, str]],
        detail: dict[str, Any],
        delimiters: str = DEFAULT_DELIMITERS,
    ) -> None:
        """The sender replaces their held message by new messages, each ``(ID, recipients
        or None for the original's, blob)``: one, or one per recipient when split."""
        with self.session() as session:
            record = self._record(session, sekisho_id)  # type: ignore[attr-defined]
            if record is None or not same_mailbox(actor, record.mail_from, delimiters):
                raise DecisionError(
                    "only the sender can minimise a message",
                    "必要な情報だけにできるのは送信者本人だけです",
                )
            actor = actor.strip().lower()
            moved = record.state == State.HELD and self._move(  # type: ignore[attr-defined]
                session,
                record,
                State.MINIMISED,
                actor,
                {"replaced_by": [new_id for new_id, _, _ in parts], **detail},
                decided_by=actor,
                decided_at=utcnow(),
            )
            if not moved:
                raise DecisionError(f"already {record.state}", "すでに承認・却下などの処理済みです")
            for new_id, recipients, blob in parts:
                session.add(
                    Resubmission(
                        sekisho_id=new_id,
                        replaces=sekisho_id,
                        mail_from=record.mail_from,
                        rcpt_to=list(recipients if recipients is not None else record.rcpt_to),
                        blob=blob,
                        created_at=utcnow(),
                        outcome="",
                        attempts=0,
                    )
                )

    def ask_to_minimise(self, sekisho_id: str, actor: str, comment: str, notice: Notice) -> bool:
        """An approver returns a held message to its sender with "please minimise": the
        request audited and the sender's notice queued together; False when the message
        is no longer held."""
        with self.session() as session:
            record = self._record(session, sekisho_id)  # type: ignore[attr-defined]
            if record is None or record.state != State.HELD:
                return False
            self._audit(  # type: ignore[attr-defined]
                session,
                actor,
                "message.minimise_asked",
                sekisho_id,
                {"comment": f"{len(comment)} characters"},
            )
            notice.created_at = utcnow()
            session.add(notice)
            return True

    def resubmissions_due(self, now: datetime) -> list[Resubmission]:
        with self.reading() as session:
            return list(
                session.scalars(
                    select(Resubmission)
                    .where(
                        Resubmission.done_at.is_(None),
                        or_(
                            Resubmission.claimed_until.is_(None),
                            Resubmission.claimed_until <= now,
                        ),
                    )
                    .order_by(Resubmission.created_at)
                )
            )

    def claim_resubmission(
        self, sekisho_id: str, now: datetime, lease: timedelta = timedelta(minutes=10)
    ) -> Resubmission | None:
        """This process handles it for ``lease``: the row, or None when another one does
        (or it is done)."""
        with self.session() as session:
            claimed = session.execute(
                update(Resubmission)
                .where(
                    Resubmission.sekisho_id == sekisho_id,
                    Resubmission.done_at.is_(None),
                    or_(Resubmission.claimed_until.is_(None), Resubmission.claimed_until <= now),
                )
                .values(claimed_until=now + lease, attempts=Resubmission.attempts + 1)
            ).rowcount
            return session.get(Resubmission, sekisho_id) if claimed == 1 else None

    def resubmitted(self, sekisho_id: str, outcome: str) -> None:
        with self.session() as session:
            item = session.get(Resubmission, sekisho_id, with_for_update=True)
            if item is None or item.done_at is not None:
                return
            item.done_at, item.outcome, item.claimed_until = utcnow(), outcome[:32], None
            self._audit(  # type: ignore[attr-defined]
                session,
                "gateway",
                "message.resubmitted",
                sekisho_id,
                {"replaces": item.replaces, "outcome": outcome},
            )

    def resubmit_failed(self, sekisho_id: str, error: str) -> None:
        """Given back for the next pass (the gateway answered 451, a relay failed)."""
        with self.session() as session:
            session.execute(
                update(Resubmission)
                .where(Resubmission.sekisho_id == sekisho_id)
                .values(claimed_until=None, last_error=error[:500])
            )
