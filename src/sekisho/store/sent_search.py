"""Finding the messages an incident concerns when nobody has their Sekisho ID: by sender,
time range and recipient domain, over what the store knows — held and released messages,
and the journal's record of what left at once. Only counts and addresses come back,
never content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sekisho.store.database import Database
from sekisho.store.models import JournalEntry, MessageRecord


@dataclass(frozen=True)
class SentMessage:
    sekisho_id: str
    at: datetime
    sender: str
    recipients: tuple[str, ...]
    records: int
    state: str  # the message's state, or how it left ("relayed", "linked", …)


def find_sent(
    database: Database,
    *,
    sender: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    domain: str = "",
    limit: int = 200,
) -> list[SentMessage]:
    """Messages matching every criterion given (a sender's address or part of it, received
    in [since, until), a recipient in ``domain`` or its subdomains), newest first."""
    domain = domain.strip().lower().lstrip("@").rstrip(".")
    sender = sender.strip()
    found: dict[str, SentMessage] = {}
    with database.reading() as session:
        held = select(MessageRecord).order_by(MessageRecord.created_at.desc())
        kept = select(JournalEntry).order_by(JournalEntry.kept_at.desc())
        if sender:
            held = held.where(MessageRecord.mail_from.icontains(sender, autoescape=True))
            kept = kept.where(JournalEntry.sender.icontains(sender, autoescape=True))
        if since is not None:
            held = held.where(MessageRecord.created_at >= since)
            kept = kept.where(JournalEntry.kept_at >= since)
        if until is not None:
            held = held.where(MessageRecord.created_at < until)
            kept = kept.where(JournalEntry.kept_at < until)
        for record in session.scalars(held.execution_options(yield_per=500)):
            if _to_domain(record.rcpt_to, domain):
                found[record.sekisho_id] = SentMessage(
                    record.sekisho_id,
                    record.created_at,
                    record.mail_from,
                    tuple(record.rcpt_to),
                    record.records,
                    record.state,
                )
                if len(found) >= limit:
                    break
        for entry in session.scalars(kept.execution_options(yield_per=500)):
            if len(found) >= limit:
                break
            if entry.sekisho_id not in found and _to_domain(entry.recipients, domain):
                found[entry.sekisho_id] = SentMessage(
                    entry.sekisho_id,
                    entry.kept_at,
                    entry.sender,
                    tuple(entry.recipients),
                    entry.records,
                    entry.how or "relayed",
                )
    return sorted(found.values(), key=lambda m: m.at, reverse=True)[:limit]


def _to_domain(recipients: list[str], domain: str) -> bool:
    if not domain:
        return True
    for address in recipients:
        host = address.rpartition("@")[2].lower().rstrip(".>")
        if host == domain or host.endswith("." + domain):
            return True
    return False
