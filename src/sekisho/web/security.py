"""The web UI's safety: argon2 password hashes, sessions in the store (a random token in
the cookie) carrying a CSRF token, and security headers on every response."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sekisho.store.web_sessions import WebSessions

SESSION_COOKIE = "sekisho_session"
SESSION_SECONDS = 8 * 3600
# argon2id with the library's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes):
# ~50-100 ms a login by design. Tests inject a cheap set with ``use_hasher``; each hash
# names its own parameters, so a hash made either way verifies.
PRODUCTION_HASHER = PasswordHasher()
_hasher = PRODUCTION_HASHER
_dummy: str | None = None  # nobody's hash, made with the hasher in use on first need


def use_hasher(hasher: PasswordHasher) -> None:
    global _hasher, _dummy
    _hasher, _dummy = hasher, None


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def spend_a_check(password: str) -> None:
    """The work of a password check against nobody's hash: a refused login takes as long
    whether or not the account exists (its time must not tell which names are real)."""
    global _dummy
    if _dummy is None:
        _dummy = _hasher.hash(secrets.token_urlsafe(16))
    check_password(_dummy, password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    csrf: str
    id: str = ""  # the stored session's ID (the hash of the cookie's token)
    second_factor_at: datetime | None = None  # when this session gave its second factor


class Sessions:
    """Sessions kept in the store (``store.web_sessions``): the cookie carries a random
    token and nothing else; ending a session there ends it for every web process."""

    def __init__(self, store: WebSessions) -> None:
        self.store = store

    def issue(self, username: str, client: str = "") -> str:
        return self.store.start(username, client)

    def read(self, cookie: str | None) -> Session | None:
        found = self.store.find(cookie)
        if found is None:
            return None
        return Session(found.username, found.csrf, found.id, found.second_factor_at)
