"""The journal of what left: an encrypted copy of every message that left with personal
data (relayed, released after approval, encrypted, or sent as links), kept for the
policy's ``journal_days`` so that, if it turns out to be a mistake, the people affected
can be listed and told. Mail without personal data is not kept.

The copy is sealed like the links' files (``store.sealed``: AES-256-GCM, a key per copy,
the key in the database and the bytes in the blob store), written before the message is
relayed: a message never leaves without its copy, and a relay retried after a failure
writes the same copy again. Each purge of an expired copy is audited.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from sekisho.store.blobs import Blobs
from sekisho.store.database import Database
from sekisho.store.models import JournalEntry
from sekisho.store.sealed import BlobDamaged, BlobStore

__all__ = ["BlobDamaged", "Journal"]


class Journal:
    def __init__(self, database: Database, files: Blobs) -> None:
        self.database = database
        self.files = BlobStore(files)

    def keep(
        self,
        sekisho_id: str,
        data: bytes,
        records: int,
        now: datetime,
        days: int,
        entities: dict[str, int] | None = None,
        envelope: tuple[str, list[str]] = ("", []),
        how: str = "",
    ) -> None:
        """Seal ``data`` and record it until ``now + days`` (again for a retried relay:
        the newer copy replaces the older)."""
        # A name of its own each time: two gateways keeping one message at once (an MTA's
        # duplicate) never write over each other's file under the other's key.
        blob = f"{sekisho_id}.{secrets.token_hex(4)}.journal"
        key = self.files.put(blob, data)
        values = {
            "blob": blob,
            "key": key,
            "size": len(data),
            "records": records,
            "entities": dict(entities or {}),
            "sender": envelope[0],
            "recipients": list(envelope[1]),
            "how": how,
            "kept_at": now,
            "expires_at": now + timedelta(days=days),
            "purged_at": None,
        }
        with self.database.session() as session:
            entry = session.get(JournalEntry, sekisho_id, with_for_update=True)
            replaced = entry.blob if entry is not None else None
            if entry is not None:
                for name, value in values.items():
                    setattr(entry, name, value)
            else:
                session.add(JournalEntry(sekisho_id=sekisho_id, **values))
                detail = {"days": days, "size": len(data), "records": records}
                self.database._audit(session, "gateway", "journal.kept", sekisho_id, detail)
        if replaced is not None and replaced != blob:
            self.files.remove(replaced)  # after the commit, as in ``purge``

    def entry(self, sekisho_id: str) -> JournalEntry | None:
        with self.database.reading() as session:
            return session.get(JournalEntry, sekisho_id)

    def state(self, sekisho_id: str) -> str:
        """What is kept of a message: "kept", "purged" (its time was up), "missing" (the
        record is there but its sealed file is gone or cut short: the people in it can no
        longer be listed), or "none" (nothing was kept: no personal data left with it)."""
        return self.state_of(self.entry(sekisho_id))

    def state_of(self, entry: JournalEntry | None) -> str:
        """``state`` of an entry already read."""
        if entry is None:
            return "none"
        if entry.purged_at is not None:
            return "purged"
        return "kept" if self.files.intact(entry.blob, entry.size) else "missing"

    def open(self, sekisho_id: str) -> Iterator[bytes]:
        """The kept copy, chunk by chunk. ``KeyError`` when none was kept (or it was
        purged); ``BlobDamaged`` when its sealed file is missing or altered."""
        entry = self.entry(sekisho_id)
        if entry is None or entry.purged_at is not None:
            raise KeyError(sekisho_id)
        return self.files.open(entry.blob, entry.key, entry.size)

    def purge(self, now: datetime) -> int:
        """Remove every copy kept past its time; each removal audited."""
        with self.database.reading() as session:
            due = list(
                session.scalars(
                    select(JournalEntry.sekisho_id).where(
                        JournalEntry.expires_at <= now, JournalEntry.purged_at.is_(None)
                    )
                )
            )
        purged = 0
        for sekisho_id in due:
            with self.database.session() as session:
                entry = session.get(JournalEntry, sekisho_id, with_for_update=True)
                if entry is None or entry.purged_at is not None or entry.expires_at > now:
                    continue  # another process purged it, or a retried relay renewed it
                blob = entry.blob
                entry.purged_at = now
                entry.key = b""
                self.database._audit(
                    session,
                    "scheduler",
                    "journal.purged",
                    sekisho_id,
                    {"kept_at": entry.kept_at.isoformat(), "size": entry.size},
                )
            # After the commit (the blob store may be this database: its own transaction
            # must not wait on ours). A crash in between leaves a sealed file whose key
            # is already wiped: unreadable.
            self.files.remove(blob)
            purged += 1
        return purged
