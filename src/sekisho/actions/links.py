"""Links in notice mails: signed, short-lived and single-use, and they still require
logging in. A link only says which message and what for; the page it leads to asks for the
decision (with its CSRF token), so a forwarded notice cannot cancel anybody's mail."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

LINK_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Link:
    sekisho_id: str
    purpose: str
    nonce: str


class LinkSigner:
    def __init__(self, secret: str, base_url: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="sekisho-link")
        self.base_url = base_url.rstrip("/")

    def url(self, sekisho_id: str, purpose: str) -> str:
        token = self._serializer.dumps(
            {"i": sekisho_id, "p": purpose, "n": secrets.token_urlsafe(9)}
        )
        return f"{self.base_url}/link/{token}"

    def read(self, token: str) -> Link | None:
        try:
            data = self._serializer.loads(token, max_age=LINK_SECONDS)
        except BadSignature:
            return None
        return Link(data["i"], data["p"], data["n"])
