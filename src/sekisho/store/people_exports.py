"""Exports of an incident's people (本人通知の一覧): the one way personal data leaves
Sekisho whole after the fact, so it takes two admins above a threshold and is audited at
every step — asked for, approved, downloaded. The admin who asked downloads it, once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from sekisho.errors import SekishoError
from sekisho.store.database import Database
from sekisho.store.models import PeopleExport

# Above this many people a second admin must approve (the count that makes a leak
# reportable for a local government: a list that long is itself a serious leak).
SECOND_APPROVAL_ABOVE = 100


class ExportRefused(SekishoError):
    """An export step that is not allowed; ``str`` says why in Japanese and English."""


class PeopleExports:
    def __init__(self, database: Database) -> None:
        self.database = database

    def request(self, incident_id: int, actor: str, now: datetime, people: int) -> PeopleExport:
        with self.database.session() as session:
            export = PeopleExport(
                incident_id=incident_id, requested_by=actor, requested_at=now, people=people
            )
            session.add(export)
            session.flush()
            self.database._audit(
                session,
                actor,
                "incident.export_requested",
                None,
                {"incident": incident_id, "export": export.id, "people": people},
            )
            session.expunge(export)
            return export

    def of_incident(self, incident_id: int) -> list[PeopleExport]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(PeopleExport)
                    .where(PeopleExport.incident_id == incident_id)
                    .order_by(PeopleExport.id)
                )
            )

    def get(self, export_id: int) -> PeopleExport | None:
        with self.database.reading() as session:
            return session.get(PeopleExport, export_id)

    def approve(self, export_id: int, actor: str, now: datetime) -> None:
        """A second admin's approval: never the one who asked."""
        with self.database.session() as session:
            export = session.get(PeopleExport, export_id, with_for_update=True)
            if export is None:
                raise KeyError(export_id)
            if export.requested_by == actor:
                raise ExportRefused(
                    "依頼した管理者とは別の管理者が承認してください / "
                    "a second admin must approve, not the one who asked"
                )
            if export.approved_by is not None:
                return
            export.approved_by, export.approved_at = actor, now
            self.database._audit(
                session,
                actor,
                "incident.export_approved",
                None,
                {"incident": export.incident_id, "export": export_id, "people": export.people},
            )

    def claim(self, export_id: int, actor: str, now: datetime, people: int) -> PeopleExport:
        """The download, once: by the admin who asked, with ``people`` in the list now
        (a copy added since the approval may have taken it over the threshold)."""
        with self.database.session() as session:
            export = session.get(PeopleExport, export_id)
            if export is None:
                raise KeyError(export_id)
            if export.requested_by != actor:
                raise ExportRefused(
                    "一覧は依頼した管理者だけが取得できます / only the admin who asked may download it"
                )
            if people > SECOND_APPROVAL_ABOVE and export.approved_by is None:
                raise ExportRefused(
                    f"{people:,}人分の一覧には別の管理者の承認が必要です / "
                    f"a list of {people:,} people needs a second admin's approval"
                )
            claimed = session.execute(
                update(PeopleExport)
                .where(PeopleExport.id == export_id, PeopleExport.downloaded_at.is_(None))
                .values(downloaded_at=now)
            ).rowcount
            if not claimed:
                raise ExportRefused(
                    "この一覧は取得済みです。改めて依頼してください / "
                    "already downloaded: ask for a new export"
                )
            self.database._audit(
                session,
                actor,
                "incident.people_exported",
                None,
                {
                    "incident": export.incident_id,
                    "export": export_id,
                    "people": people,
                    "approved_by": export.approved_by,
                },
            )
            session.refresh(export)
            session.expunge(export)
            return export
