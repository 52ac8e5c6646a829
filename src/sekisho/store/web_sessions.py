"""Signed-in browsers, kept in the store so that every web process and host sees the same
sessions, and so that a session can be ended from outside it: logging out, changing or
resetting a password, a new role and disabling end them at once. A session also ends
after ``idle`` without a request and ``lifetime`` after it began."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from sekisho.store.database import Database
from sekisho.store.engine import utcnow
from sekisho.store.models import WebSession

IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=8)
_TOUCH = timedelta(minutes=1)  # last_seen is written at most this often


def _id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class WebSessions:
    def __init__(
        self, database: Database, idle: timedelta = IDLE, lifetime: timedelta = LIFETIME
    ) -> None:
        self.database = database
        self.idle = idle
        self.lifetime = lifetime

    def start(self, username: str, client: str = "") -> str:
        """A new session; the token for the cookie (only its hash is kept)."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.database.session() as session:
            session.add(
                WebSession(
                    id=_id(token),
                    username=username.lower(),
                    csrf=secrets.token_urlsafe(24),
                    client=client[:64],
                    created_at=now,
                    last_seen=now,
                    ended_why="",
                )
            )
        return token

    def find(self, token: str | None, now: datetime | None = None) -> WebSession | None:
        """The live session of ``token``: not ended, not idle too long, not too old."""
        if not token or len(token) > 200:
            return None
        now = now or utcnow()
        with self.database.reading() as session:
            found = session.get(WebSession, _id(token))
        if found is None or found.ended_at is not None:
            return None
        if now - found.last_seen > self.idle or now - found.created_at > self.lifetime:
            self._end(found.id, "expired", now)
            return None
        if now - found.last_seen > _TOUCH:
            with self.database.session() as session:
                session.execute(
                    update(WebSession).where(WebSession.id == found.id).values(last_seen=now)
                )
        return found

    def second_factor_given(self, session_id: str) -> None:
        with self.database.session() as session:
            session.execute(
                update(WebSession)
                .where(WebSession.id == session_id)
                .values(second_factor_at=utcnow())
            )

    def of_user(self, username: str) -> list[WebSession]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(WebSession)
                    .where(WebSession.username == username.lower(), WebSession.ended_at.is_(None))
                    .order_by(WebSession.created_at)
                )
            )

    def end(self, token: str, why: str = "logout") -> None:
        self._end(_id(token), why, utcnow())

    def end_one(self, session_id: str, username: str, why: str) -> bool:
        """End one of ``username``'s sessions by its ID (its owner's page)."""
        with self.database.session() as session:
            return bool(
                session.execute(
                    update(WebSession)
                    .where(
                        WebSession.id == session_id,
                        WebSession.username == username.lower(),
                        WebSession.ended_at.is_(None),
                    )
                    .values(ended_at=utcnow(), ended_why=why)
                ).rowcount
            )

    def end_all(self, username: str, why: str, keep: str | None = None) -> int:
        """End every session of ``username`` (but ``keep``, an ID); how many ended."""
        with self.database.session() as session:
            query = update(WebSession).where(
                WebSession.username == username.lower(), WebSession.ended_at.is_(None)
            )
            if keep is not None:
                query = query.where(WebSession.id != keep)
            return session.execute(query.values(ended_at=utcnow(), ended_why=why)).rowcount

    def _end(self, session_id: str, why: str, now: datetime) -> None:
        with self.database.session() as session:
            session.execute(
                update(WebSession)
                .where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                .values(ended_at=now, ended_why=why)
            )
