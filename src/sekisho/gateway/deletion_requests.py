"""Deletion requests carried out: queue each recipient's request (and one reminder) in the
notice outbox, with the link rows marked asked. The mail and the signed confirmation link
are ``actions.deletion``'s; this is where they meet the store."""

from __future__ import annotations

from sekisho.actions.deletion import confirmation_url, request_mail
from sekisho.store import Database, Notice, utcnow


def ask_to_delete(  # type: ignore[no-untyped-def]
    database: Database,
    links,
    sekisho_id: str,
    addresses: list[str],
    secret: str,
    public_url: str,
    actor: str,
) -> int:
    """Queue a deletion request to every recipient not asked yet; the number queued."""
    now = utcnow()
    queued = 0
    sender = next((r.sender for r in links.recipients(sekisho_id)), "")
    record = database.get(sekisho_id)
    if record is not None:
        sender = record.mail_from
    for address in addresses:
        row = links.tracking_row(sekisho_id, address, sender, now)
        url = confirmation_url(secret, public_url, row.id)
        body = request_mail(address, url, sekisho_id, sender, reminder=False)
        notice = Notice(
            sekisho_id=sekisho_id,
            kind=f"delete:{row.id}",
            recipient=address,
            body=body,
            secret=False,
            ready=True,
            attempts=0,
        )
        if links.deletion_requested(row, notice, actor, now):
            queued += 1
    return queued


def remind(database: Database, links, secret: str, public_url: str, hours: int) -> int:  # type: ignore[no-untyped-def]
    """One reminder to each recipient who was asked ``hours`` ago and has not confirmed."""
    now = utcnow()
    sent = 0
    for row in links.deletions_to_remind(now, hours):
        url = confirmation_url(secret, public_url, row.id)
        body = request_mail(row.address, url, row.sekisho_id, row.sender, reminder=True)
        notice = Notice(
            sekisho_id=row.sekisho_id,
            kind=f"delete-remind:{row.id}",
            recipient=row.address,
            body=body,
            secret=False,
            ready=True,
            attempts=0,
        )
        if links.deletion_reminded(row, notice, now):
            sent += 1
    return sent
