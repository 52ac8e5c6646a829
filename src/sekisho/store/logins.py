"""The login throttle's memory, in the store: failed logins per client address, per
account from an address, and per account, in ``window`` seconds, counted over every web
process and host that shares the database. Keys are kept as SHA-256 hashes: the table says how often,
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
    """Failed logins, counted three ways: per client address (one machine spraying many
    accounts: refused after ``per_client``), per account *from* one address (guessing one
    password: refused after ``attempts``), and per account from anywhere — which only
    slows every further try for that account (growing delays up to ``MAX_DELAY``), never
    locks it: twenty wrong passwords typed by someone else must not keep the security
    officer out when they sign in from their own desk."""

    MAX_DELAY = 4.0  # seconds

    def __init__(
        self,
        database: Database,
        attempts: int = 5,
        window: float = 300.0,
        per_client: int = 20,
    ) -> None:
        self.database = database
        self.attempts = attempts
        self.per_client = per_client
        self.window = timedelta(seconds=window)

    @staticmethod
    def _keys(account: str, client: str) -> tuple[str, str, str]:
        account = account.lower()
        return (f"client:{client}", f"pair:{account}|{client}", f"user:{account}")

    def verdict(self, account: str, client: str) -> tuple[bool, float]:
        """(refused now, seconds to wait before checking the password)."""
        keys = self._keys(account, client)
        since = utcnow() - self.window
        with self.database.reading() as session:
            rows = session.execute(
                select(LoginFailure.key, func.count())
                .where(LoginFailure.key.in_([_hashed(k) for k in keys]), LoginFailure.at > since)
                .group_by(LoginFailure.key)
            )
            counts = dict(rows.all())
        by_client, pair, account_wide = (counts.get(_hashed(k), 0) for k in keys)
        refused = by_client >= self.per_client or pair >= self.attempts
        over = account_wide - self.attempts
        delay = 0.0 if over < 0 else min(self.MAX_DELAY, 0.25 * 2**over)
        return refused, delay

    def failed(self, account: str, client: str) -> None:
        now = utcnow()
        with self.database.session() as session:
            session.add_all(
                LoginFailure(key=_hashed(k), at=now) for k in self._keys(account, client)
            )
            # What no window can count any more goes; the table stays the size of a window.
            session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
