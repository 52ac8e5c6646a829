"""What the message page shows of a message's links and deletion requests, per recipient.

Kept apart from the routes so that the page, ``sekisho message show`` and the tests read the
same facts the same way: a row is "sent", then perhaps "code confirmed", "downloaded", and
ends "revoked", "expired" or "exhausted"; a deletion request is counted as confirmed out of
asked ("確認済み 9/11").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sekisho.japan_time import japan_time
from sekisho.store.links import link_state
from sekisho.store.models import LinkRecipient

STATE_LABELS = {
    "active": ("有効", "active"),
    "revoked": ("取り消し済み", "revoked"),
    "expired": ("期限切れ", "expired"),
    "exhausted": ("回数上限", "used up"),
    "none": ("リンクなし", "no link"),
}


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    address: str
    state: str
    sent: str
    code_confirmed: str
    downloads: int
    max_downloads: int
    last_download: str
    revoked: str
    revoked_by: str
    deletion_asked: str
    deletion_confirmed: str

    @property
    def label_ja(self) -> str:
        return STATE_LABELS[self.state][0]

    @property
    def label_en(self) -> str:
        return STATE_LABELS[self.state][1]


@dataclass(frozen=True, slots=True)
class LinkStatus:
    recipients: list[RecipientStatus]

    @property
    def has_links(self) -> bool:
        return any(r.state != "none" for r in self.recipients)

    @property
    def revocable(self) -> int:
        return sum(r.state in ("active", "exhausted") for r in self.recipients)

    @property
    def asked(self) -> int:
        return sum(bool(r.deletion_asked) for r in self.recipients)

    @property
    def confirmed(self) -> int:
        return sum(bool(r.deletion_confirmed) for r in self.recipients)


def _when(moment: datetime | None) -> str:
    return japan_time(moment) if moment is not None else ""


def link_status(rows: list[LinkRecipient], now: datetime) -> LinkStatus:
    return LinkStatus(
        [
            RecipientStatus(
                address=row.address,
                state=link_state(row, now),
                sent=_when(row.sent_at),
                code_confirmed=_when(row.confirmed_at) if row.code_required else "不要 not needed",
                downloads=row.downloads,
                max_downloads=row.max_downloads,
                last_download=_when(row.last_download_at),
                revoked=_when(row.revoked_at),
                revoked_by=row.revoked_by or "",
                deletion_asked=_when(row.deletion_requested_at),
                deletion_confirmed=_when(row.deletion_confirmed_at),
            )
            for row in rows
        ]
    )
