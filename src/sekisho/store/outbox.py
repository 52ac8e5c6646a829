"""The outbox of notices: queued in the transaction of the change they tell of, sent by
whichever gateway process claims each one first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from sekisho.store.engine import Store, utcnow
from sekisho.store.models import Notice


def _unclaimed(now: datetime):  # type: ignore[no-untyped-def]
    """A notice no sender holds right now (never claimed, or its lease ran out)."""
    return or_(Notice.claimed_until.is_(None), Notice.claimed_until <= now)


class Outbox(Store):
    @staticmethod
    def _enqueue(session: Session, notice: Notice) -> bool:
        """Queue a notice in the caller's transaction; False when one of its kind for its
        message is already queued (a retried release tells its password once)."""
        if notice.created_at is None:
            notice.created_at = utcnow()
        if notice.sekisho_id is not None:
            existing = session.scalar(
                select(Notice.id).where(
                    Notice.sekisho_id == notice.sekisho_id, Notice.kind == notice.kind
                )
            )
            if existing is not None:
                return False
        session.add(notice)
        session.flush()
        return True

    def queue_notice(self, notice: Notice) -> bool:
        """Queue a notice on its own (the web's: a link's code); False when one of its kind
        for its message is already queued."""
        with self.session() as session:
            return self._enqueue(session, notice)

    def put_secret(self, notice: Notice) -> None:
        """Store the secret notice of a message that has not left yet, replacing one
        stored before for the same message that is neither ready nor sent (its zip was
        never written to the spool, so its password opens nothing)."""
        with self.session() as session:
            existing = session.scalar(
                select(Notice).where(
                    Notice.sekisho_id == notice.sekisho_id, Notice.kind == notice.kind
                )
            )
            if existing is None:
                self._enqueue(session, notice)
            elif not existing.ready and existing.sent_at is None:
                existing.body = notice.body
                existing.recipient = notice.recipient
            else:
                raise ValueError(f"{notice.kind} notice of {notice.sekisho_id} already told")

    @staticmethod
    def _ready(session: Session, sekisho_id: str) -> None:
        session.execute(
            update(Notice)
            .where(Notice.sekisho_id == sekisho_id, Notice.sent_at.is_(None))
            .values(ready=True)
        )

    def notice_ready(self, sekisho_id: str) -> None:
        with self.session() as session:
            self._ready(session, sekisho_id)

    def notice(self, sekisho_id: str, kind: str) -> Notice | None:
        with self.reading() as session:
            return session.scalar(
                select(Notice).where(Notice.sekisho_id == sekisho_id, Notice.kind == kind)
            )

    def notices_to_send(
        self, sekisho_id: str | None = None, now: datetime | None = None, limit: int = 200
    ) -> list[Notice]:
        """Ready notices not sent yet and not claimed by another sender right now."""
        now = now or utcnow()
        with self.reading() as session:
            query = select(Notice).where(
                Notice.sent_at.is_(None), Notice.ready.is_(True), _unclaimed(now)
            )
            if sekisho_id is not None:
                query = query.where(Notice.sekisho_id == sekisho_id)
            return list(session.scalars(query.order_by(Notice.id).limit(limit)))

    def claim_notice(
        self, notice_id: int, now: datetime, lease: timedelta = timedelta(minutes=2)
    ) -> bool:
        """This process sends the notice for ``lease``; False when another one does."""
        with self.session() as session:
            result = session.execute(
                update(Notice)
                .where(Notice.id == notice_id, Notice.sent_at.is_(None), _unclaimed(now))
                .values(claimed_until=now + lease)
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    def notice_sent(self, notice_id: int) -> bool:
        """Sent: once only (False if another process sent it first); a secret's body is
        wiped."""
        with self.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is None or notice.sent_at is not None:
                return False
            notice.sent_at = utcnow()
            notice.attempts += 1
            if notice.secret:
                notice.body = b""
            return True

    def notice_failed(self, notice_id: int, error: str) -> None:
        with self.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is not None:
                notice.attempts += 1
                notice.last_error = error[:500]
                notice.claimed_until = None  # the next pass tries again
