"""The audit log's hash chain: each event stores the hash of the one before it, so that a
changed or deleted event breaks the chain and ``sekisho audit verify`` finds it.

The chain cannot show the removal of the newest events by itself; an operator who keeps
the last hash elsewhere (a printed report, a second system) closes that gap.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from sekisho.store.models import AuditEvent

if TYPE_CHECKING:
    from sekisho.store.database import Database

GENESIS = "0" * 64


def event_hash(
    prev_hash: str, at: datetime, actor: str, action: str, sekisho_id: str | None, detail: dict
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor, action, sekisho_id, detail],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def verify(database: Database) -> list[str]:
    """Every break in the chain, in words; an empty list when the log is intact."""
    problems: list[str] = []
    previous_hash, previous_id = GENESIS, 0
    with database.session() as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            if event.id != previous_id + 1:
                missing = (
                    f"{previous_id + 1}"
                    if event.id == previous_id + 2
                    else f"{previous_id + 1}–{event.id - 1}"
                )
                problems.append(
                    f"event {missing} missing (deleted?) / イベント {missing} が欠落しています"
                )
            if event.prev_hash != previous_hash:
                problems.append(
                    f"event {event.id}: does not follow the event before it / 直前のイベントとつながりません"
                )
            if (
                event_hash(
                    event.prev_hash,
                    event.at,
                    event.actor,
                    event.action,
                    event.sekisho_id,
                    event.detail,
                )
                != event.hash
            ):
                problems.append(
                    f"event {event.id}: changed after it was written / 記録後に変更されています"
                )
            previous_hash, previous_id = event.hash, event.id
    return problems
