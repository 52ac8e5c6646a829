"""Incidents in the store: opened from a message, more messages added, the officer's
records (discovery time, cause, notes, unlawful intent, whether a key leaked), closed.
Every change is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from sekisho.store.database import Database
from sekisho.store.models import Incident, IncidentMessage

RECORDABLE = (
    "discovered_at",
    "cause",
    "notes",
    "unlawful_intent",
    "key_leaked",
    "override_required",
    "override_reason",
)


class Incidents:
    def __init__(self, database: Database) -> None:
        self.database = database

    def open(
        self,
        sekisho_ids: list[str],
        actor: str,
        now: datetime,
        discovered_at: datetime | None = None,
    ) -> int:
        """A new incident about ``sekisho_ids``; its number."""
        with self.database.session() as session:
            incident = Incident(
                opened_at=now,
                opened_by=actor,
                discovered_at=discovered_at or now,
                cause="",
                notes="",
                unlawful_intent=False,
                override_reason="",
            )
            session.add(incident)
            session.flush()
            for sekisho_id in dict.fromkeys(sekisho_ids):
                session.add(IncidentMessage(incident_id=incident.id, sekisho_id=sekisho_id))
            self.database._audit(
                session,
                actor,
                "incident.opened",
                None,
                {"incident": incident.id, "messages": sekisho_ids},
            )
            return incident.id

    def add(self, incident_id: int, sekisho_id: str, actor: str) -> bool:
        """Add a related message; False when it was already part of the incident."""
        with self.database.session() as session:
            if session.get(Incident, incident_id) is None:
                raise KeyError(incident_id)
            if session.get(IncidentMessage, (incident_id, sekisho_id)) is not None:
                return False
            session.add(IncidentMessage(incident_id=incident_id, sekisho_id=sekisho_id))
            self.database._audit(
                session, actor, "incident.message_added", sekisho_id, {"incident": incident_id}
            )
            return True

    def get(self, incident_id: int) -> Incident | None:
        with self.database.reading() as session:
            return session.get(Incident, incident_id)

    def newest(self, limit: int = 100) -> list[Incident]:
        with self.database.reading() as session:
            return list(session.scalars(select(Incident).order_by(Incident.id.desc()).limit(limit)))

    def messages(self, incident_id: int) -> list[str]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(IncidentMessage.sekisho_id)
                    .where(IncidentMessage.incident_id == incident_id)
                    .order_by(IncidentMessage.sekisho_id)
                )
            )

    def record(self, incident_id: int, actor: str, **values: Any) -> None:
        """The officer's records; audited with what changed (the cause and notes by
        length only: they may name people)."""
        unknown = set(values) - set(RECORDABLE)
        if unknown:
            raise ValueError(f"not recordable: {sorted(unknown)}")
        with self.database.session() as session:
            incident = session.get(Incident, incident_id, with_for_update=True)
            if incident is None:
                raise KeyError(incident_id)
            detail: dict[str, Any] = {"incident": incident_id}
            for name, value in values.items():
                setattr(incident, name, value)
                detail[name] = (
                    f"{len(value)} characters"
                    if name in ("cause", "notes", "override_reason")
                    else str(value)
                )
            self.database._audit(session, actor, "incident.recorded", None, detail)

    def close(self, incident_id: int, actor: str, now: datetime) -> bool:
        with self.database.session() as session:
            incident = session.get(Incident, incident_id, with_for_update=True)
            if incident is None:
                raise KeyError(incident_id)
            if incident.closed_at is not None:
                return False
            incident.closed_at = now
            self.database._audit(session, actor, "incident.closed", None, {"incident": incident_id})
            return True
