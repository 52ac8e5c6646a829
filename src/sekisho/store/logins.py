"""The login throttle's memory, in the store: at most ``attempts`` failed logins per key
(an account, a client address) in ``window`` seconds, counted over every web process and
host that shares the database. Keys are kept as SHA-256 hashes: the table says how often,
not who or from where (the audit log has that)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, func, select

from sekisho.store.database import Database, utcnow
from sekisho.store.models import LoginFailure


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class LoginThrottle:
    def __init__(self, database: Database, attempts: int = 5, window: float = 300.0) -> None:
        self.database = database
        self.attempts = attempts
        self.window = timedelta(seconds=window)

    def blocked(self, *keys: str) -> bool:
        since = utcnow() - self.window
        with self.database.reading() as session:
            counts = session.execute(
                select(LoginFailure.key, func.count())
                .where(LoginFailure.key.in_([_hashed(k) for k in keys]), LoginFailure.at > since)
                .group_by(LoginFailure.key)
            )
            return any(count >= self.attempts for _, count in counts)

    def failed(self, *keys: str) -> None:
        now = utcnow()
        with self.database.session() as session:
            session.add_all(LoginFailure(key=_hashed(k), at=now) for k in keys)
            # What no window can count any more goes; the table stays the size of a window.
            session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
