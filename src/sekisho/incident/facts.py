"""The facts of an incident, read from the store: for each message, whether and how it
left, its people count and entity types (never values), its recipients and what each did
with links; and the officer's records. ``assess`` and the reports read only these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sekisho.store.database import Database
from sekisho.store.incidents import Incidents
from sekisho.store.journal import Journal
from sekisho.store.links import LinkStore
from sekisho.store.models import Incident
from sekisho.store.states import State


@dataclass(frozen=True)
class RecipientState:
    address: str
    delivered: bool  # the message (or its link) reached this address's server
    link: bool = False  # sent as a link rather than the data itself
    downloads: int = 0
    revoked_at: datetime | None = None
    deletion_confirmed_at: datetime | None = None


@dataclass(frozen=True)
class MessageLeft:
    sekisho_id: str
    sender: str
    left: bool  # reached anyone outside Sekisho
    how: str  # "relayed", "released", "encrypted", "linked", or the state it is in
    records: int
    entities: dict[str, int]
    encrypted: bool
    recipients: tuple[RecipientState, ...]
    # What the journal holds of it: "kept" (the people can be listed), "purged" (its time
    # was up), "missing" (the sealed copy is gone: say so, never list fewer people
    # silently), "none" (nothing kept).
    journal: str

    @property
    def journaled(self) -> bool:
        return self.journal == "kept"


@dataclass(frozen=True)
class IncidentFacts:
    incident_id: int
    opened_at: datetime
    opened_by: str
    discovered_at: datetime
    unlawful_intent: bool
    key_leaked: bool | None  # None: not recorded (a zip password goes to the sender only)
    cause: str
    notes: str
    closed_at: datetime | None
    override_required: bool | None = None  # the officer's answer, with override_reason
    override_reason: str = ""
    messages: tuple[MessageLeft, ...] = field(default_factory=tuple)

    @property
    def left(self) -> tuple[MessageLeft, ...]:
        return tuple(m for m in self.messages if m.left)

    @property
    def people(self) -> int:
        """People in what left: the sum over messages (an upper bound when several
        messages hold the same people)."""
        return sum(m.records for m in self.left)

    @property
    def entities(self) -> dict[str, int]:
        return entities_of(self.left)

    @property
    def unlisted(self) -> tuple[MessageLeft, ...]:
        """Messages that left with people in them whose copy is not kept: the people in
        them cannot be listed for notification."""
        return tuple(m for m in self.left if m.records and m.journal != "kept")

    @property
    def recipients(self) -> tuple[RecipientState, ...]:
        return tuple(r for m in self.left for r in m.recipients)

    def counts(self) -> tuple[int, int, int]:
        """Recipients whose link was revoked, who confirmed deletion, who downloaded."""
        recipients = self.recipients
        return (
            sum(1 for r in recipients if r.revoked_at is not None),
            sum(1 for r in recipients if r.deletion_confirmed_at is not None),
            sum(1 for r in recipients if r.downloads),
        )


def entities_of(messages: tuple[MessageLeft, ...] | list[MessageLeft]) -> dict[str, int]:
    """Each entity type with its largest count in any of ``messages`` (one roster sent
    twice is not twice the people)."""
    found: dict[str, int] = {}
    for message in messages:
        for entity, count in message.entities.items():
            found[entity] = max(found.get(entity, 0), count)
    return dict(sorted(found.items()))


def gather(
    database: Database, incident_id: int, links: LinkStore | None, journal: Journal | None
) -> IncidentFacts:
    incidents = Incidents(database)
    incident = incidents.get(incident_id)
    if incident is None:
        raise KeyError(incident_id)
    messages = tuple(
        _message(database, sekisho_id, links, journal)
        for sekisho_id in incidents.messages(incident_id)
    )
    return _facts(incident, messages)


def _facts(incident: Incident, messages: tuple[MessageLeft, ...]) -> IncidentFacts:
    return IncidentFacts(
        incident_id=incident.id,
        opened_at=incident.opened_at,
        opened_by=incident.opened_by,
        discovered_at=incident.discovered_at,
        unlawful_intent=incident.unlawful_intent,
        key_leaked=incident.key_leaked,
        cause=incident.cause,
        notes=incident.notes,
        closed_at=incident.closed_at,
        messages=messages,
        override_required=incident.override_required,
        override_reason=incident.override_reason,
    )


def _message(
    database: Database, sekisho_id: str, links: LinkStore | None, journal: Journal | None
) -> MessageLeft:
    record = database.get(sekisho_id)
    entry = journal.entry(sekisho_id) if journal is not None else None
    rows = {r.address: r for r in (links.recipients(sekisho_id) if links else [])}
    if record is not None:
        sender, addresses = record.mail_from, list(record.rcpt_to)
        records, entities = record.records, dict(record.entities or {})
        left = record.state == State.DELIVERED
        how = (entry.how if entry is not None else "released") if left else record.state
        encrypted = left and _encrypted(record.action, record.then)
    elif entry is not None:
        sender, addresses = entry.sender, list(entry.recipients)
        records, entities = entry.records, dict(entry.entities or {})
        left, how, encrypted = True, entry.how, entry.how == "encrypted"
    elif rows:
        first = next(iter(rows.values()))
        sender, addresses = first.sender, list(rows)
        records, entities, left, how, encrypted = 0, {}, True, "linked", False
    else:
        raise KeyError(sekisho_id)
    recipients = tuple(
        RecipientState(
            address=address,
            delivered=left and (address not in rows or rows[address].sent_at is not None),
            link=address in rows,
            downloads=rows[address].downloads if address in rows else 0,
            revoked_at=rows[address].revoked_at if address in rows else None,
            deletion_confirmed_at=(
                rows[address].deletion_confirmed_at if address in rows else None
            ),
        )
        for address in addresses
    )
    return MessageLeft(
        sekisho_id=sekisho_id,
        sender=sender,
        left=left,
        how=how,
        records=records,
        entities=entities,
        encrypted=encrypted,
        recipients=recipients,
        journal=journal.state_of(entry) if journal is not None else "none",
    )


def _encrypted(action: str, then: str | None) -> bool:
    return action == "encrypt" or then == "encrypt"


# What the timeline says of each audited action (others show the action's own name).
_EVENTS = {
    "message.held": "保留（承認待ち）",
    "message.approved": "承認",
    "message.rejected": "却下",
    "message.releasing": "送信開始",
    "message.delivered": "送信",
    "message.relayed": "送信",
    "message.encrypted": "添付を暗号化して送信",
    "message.linked": "ダウンロードリンクで送信",
    "link.sent": "リンクを送信",
    "link.downloaded": "ダウンロード",
    "link.revoked": "リンク取り消し",
    "message.ask_delete": "削除依頼",
    "link.deletion_confirmed": "削除確認",
    "incident.opened": "インシデント登録（発覚）",
    "incident.recorded": "記録",
    "incident.closed": "インシデント終了",
}


def timeline(database: Database, incident_id: int) -> list[tuple[datetime, str, str]]:
    """(when, who, what in Japanese) of the incident's messages and of the incident itself,
    in order, from the audit log."""
    events = []
    for sekisho_id in Incidents(database).messages(incident_id):
        events += database.events(sekisho_id=sekisho_id)
    events += [
        e for e in database.events(action="incident.") if e.detail.get("incident") == incident_id
    ]
    events.sort(key=lambda e: e.id)
    return [(e.at, e.actor, _EVENTS.get(e.action, e.action)) for e in events]
