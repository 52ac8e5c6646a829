"""The database: SQLite by default (PostgreSQL later), schema kept by Alembic migrations,
and the operations the gateway and the web need, each in its own short transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import String, cast, create_engine, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sekisho.errors import DecisionError
from sekisho.store.audit import GENESIS, event_hash
from sekisho.store.models import AuditEvent, MessageRecord, PolicyVersion, User


def recipient_domains(recipients: list[str]) -> list[str]:
    """The domains mail went to: what an auditor searches by ("everything to the care centre")."""
    return sorted({r.rpartition("@")[2].lower() for r in recipients})


def message_detail(record: MessageRecord) -> dict:
    """What the audit log says of a message: sender, recipient domains, rule, counts — no
    values (the sender's and recipients' addresses are the mail's envelope, not residents')."""
    return {
        "sender": record.mail_from,
        "domains": recipient_domains(record.rcpt_to),
        "verdict": record.verdict_header,
        "records": record.records,
        "entities": record.entities,
    }


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if url.startswith("sqlite"):
        _private_sqlite_file(engine.url.database)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (the web) do not block the gateway
            cursor.execute("PRAGMA synchronous=FULL")  # a committed hold survives power loss
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def _private_sqlite_file(path: str | None) -> None:
    """The database holds masked findings, reasons and who sent what to whom: readable by
    the service's user only. The file is created 0600 before SQLite opens it (SQLite gives
    its -wal and -shm files the same mode), and an existing file is narrowed."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    import os
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    Path(path).chmod(0o600)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("sekisho.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Database:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def add_message(self, record: MessageRecord, actor: str = "gateway") -> None:
        with self.session() as session:
            session.add(record)
            self._audit(
                session, actor, f"message.{record.state}", record.sekisho_id, message_detail(record)
            )

    def get(self, sekisho_id: str) -> MessageRecord | None:
        with self.session() as session:
            return session.scalar(
                select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id)
            )

    def messages(self, state: str | None = None) -> list[MessageRecord]:
        with self.session() as session:
            query = select(MessageRecord).order_by(MessageRecord.id)
            if state is not None:
                query = query.where(MessageRecord.state == state)
            return list(session.scalars(query))

    def due(self, now: datetime) -> list[MessageRecord]:
        """Delayed messages whose time has come, and approved holds."""
        with self.session() as session:
            delayed = select(MessageRecord).where(
                MessageRecord.state == "delayed", MessageRecord.release_at <= now
            )
            approved = select(MessageRecord).where(MessageRecord.state == "approved")
            return list(session.scalars(delayed)) + list(session.scalars(approved))

    def expired(self, now: datetime) -> list[MessageRecord]:
        with self.session() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == "held", MessageRecord.expires_at <= now
            )
            return list(session.scalars(query))

    def transition(
        self, sekisho_id: str, allowed_from: set[str], state: str, actor: str, **changes: Any
    ) -> bool:
        """Move a message to ``state`` only from one of ``allowed_from`` (so that a cancel
        and a release cannot both win), with an audit event. False if it was not there."""
        with self.session() as session:
            record = session.scalar(
                select(MessageRecord)
                .where(MessageRecord.sekisho_id == sekisho_id)
                .with_for_update()
            )
            if record is None or record.state not in allowed_from:
                return False
            previous = record.state
            record.state = state
            for key, value in changes.items():
                setattr(record, key, value)
            self._audit(
                session,
                actor,
                f"message.{state}",
                sekisho_id,
                {"from": previous, **{k: str(v) for k, v in changes.items() if k != "last_error"}},
            )
            return True

    def decide(
        self, sekisho_id: str, *, approve: bool, actor: str, comment: str, required: int = 1
    ) -> str:
        """An approver's decision on a held message; the state it leaves the message in.

        With ``required`` = 2 (two-person approval) the first approval is recorded and the
        message stays held until a second, different approver agrees; one rejection is
        enough to reject. The gateway carries the outcome out (the outbox pattern), so a
        decision survives a restart of either process."""
        if not comment.strip():
            raise DecisionError("a comment is required", "コメントを入力してください")
        actor = actor.strip().lower()
        with self.session() as session:
            record = session.scalar(
                select(MessageRecord)
                .where(MessageRecord.sekisho_id == sekisho_id)
                .with_for_update()
            )
            if record is None:
                raise DecisionError("no such message", "該当するメールがありません")
            if actor == record.mail_from.strip().lower():
                raise DecisionError(
                    "approvers cannot decide on their own mail",
                    "自分のメールは承認・却下できません",
                )
            if record.state != "held":
                raise DecisionError(f"already {record.state}", "すでに処理済みです")
            now = utcnow()
            if approve:
                given = list(record.approvals or [])
                if any(a["by"] == actor for a in given):
                    raise DecisionError(
                        "the same approver cannot approve twice", "同じ承認者は二度承認できません"
                    )
                given.append({"by": actor, "at": now.isoformat(), "comment": comment.strip()})
                record.approvals = given
                if len(given) < required:
                    self._audit(
                        session,
                        actor,
                        "message.approval",
                        sekisho_id,
                        {"approvals": len(given), "required": required},
                    )
                    return "held"
            state = "approved" if approve else "rejected"
            record.state = state
            record.decided_by = actor
            record.decided_at = now
            record.decision_comment = comment.strip()
            self._audit(
                session,
                actor,
                f"message.{state}",
                sekisho_id,
                {"from": "held", "approvals": len(record.approvals or [])},
            )
            return state

    def cancel(self, sekisho_id: str, *, actor: str) -> None:
        """The sender takes back a delayed message before it leaves."""
        record = self.get(sekisho_id)
        if record is None or actor.strip().lower() != record.mail_from.strip().lower():
            raise DecisionError(
                "only the sender can cancel a message", "取り消せるのは送信者本人だけです"
            )
        if not self.transition(
            sekisho_id, {"delayed"}, "cancelled", actor, decided_by=actor, decided_at=utcnow()
        ):
            raise DecisionError(f"already {record.state}", "すでに送信済みか処理済みです")

    def rejections_to_tell(self) -> list[MessageRecord]:
        """Holds an approver rejected whose sender has not been told yet."""
        with self.session() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == "rejected",
                MessageRecord.decided_by.is_not(None),
                MessageRecord.notice_sent_at.is_(None),
            )
            return list(session.scalars(query))

    def mark_told(self, sekisho_id: str) -> None:
        with self.session() as session:
            record = session.scalar(
                select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id)
            )
            if record is not None:
                record.notice_sent_at = utcnow()

    def note_attempt(self, sekisho_id: str, error: str) -> None:
        with self.session() as session:
            record = session.scalar(
                select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id)
            )
            if record is not None:
                record.attempts += 1
                record.last_error = error[:500]

    def add_user(
        self,
        username: str,
        password_hash: str,
        role: str,
        departments: list[str] | None = None,
        actor: str = "admin",
    ) -> None:
        with self.session() as session:
            session.add(
                User(
                    username=username.lower(),
                    password_hash=password_hash,
                    role=role,
                    departments=list(departments or []),
                    created_at=utcnow(),
                )
            )
            detail = {
                "username": username.lower(),
                "role": role,
                "departments": list(departments or []),
            }
            self._audit(session, actor, "user.added", None, detail)

    def change_user(
        self,
        username: str,
        actor: str,
        *,
        role: str | None = None,
        disabled: bool | None = None,
        password_hash: str | None = None,
    ) -> None:
        """Change an account's role, disable or enable it, or set a new password; audited
        as ``user.changed`` with what changed (never the hash)."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                raise KeyError(username)
            detail: dict = {"username": user.username}
            if role is not None and role != user.role:
                detail["role"] = [user.role, role]
                user.role = role
            if disabled is not None and disabled != user.disabled:
                detail["disabled"] = disabled
                user.disabled = disabled
            if password_hash is not None:
                detail["password"] = "reset"
                user.password_hash = password_hash
            if len(detail) > 1:
                self._audit(session, actor, "user.changed", None, detail)

    def save_policy(self, text: str, actor: str) -> int:
        """Store an uploaded policy (already linted by the caller) and audit the change."""
        with self.session() as session:
            version = PolicyVersion(text=text, uploaded_by=actor, uploaded_at=utcnow())
            session.add(version)
            session.flush()
            digest = hashlib.sha256(text.encode()).hexdigest()
            self._audit(
                session, actor, "policy.changed", None, {"version": version.id, "sha256": digest}
            )
            return version.id

    def latest_policy(self) -> PolicyVersion | None:
        with self.session() as session:
            return session.scalar(select(PolicyVersion).order_by(PolicyVersion.id.desc()).limit(1))

    def users(self) -> list[User]:
        with self.session() as session:
            return list(session.scalars(select(User).order_by(User.username)))

    def user(self, username: str) -> User | None:
        with self.session() as session:
            return session.scalar(select(User).where(User.username == username.lower()))

    def events(self, **filters: str) -> list[AuditEvent]:
        """Audit events, newest first, filtered by actor, action, sekisho_id, the message's
        sender and a recipient domain (substrings) and the date range ``since`` / ``until``."""
        with self.session() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc())
            for name in ("actor", "action", "sekisho_id"):
                if filters.get(name):
                    query = query.where(getattr(AuditEvent, name).contains(filters[name]))
            detail = cast(AuditEvent.detail, String)
            for name, key in (("sender", '"sender"'), ("domain", '"domains"')):
                if filters.get(name):  # JSON text: the key present and the value in it
                    query = query.where(detail.contains(key), detail.icontains(filters[name]))
            if filters.get("since"):
                query = query.where(AuditEvent.at >= datetime.fromisoformat(filters["since"]))
            if filters.get("until"):
                query = query.where(
                    AuditEvent.at < datetime.fromisoformat(filters["until"]) + timedelta(days=1)
                )
            return list(session.scalars(query.limit(5000)))

    def audit_many(self, events: list[tuple[str, str, str | None, dict]]) -> None:
        """Many events in one statement and one commit (the gateway's batches)."""
        if events:
            with self.session() as session:
                self._append(session, events)

    def audit(
        self, actor: str, action: str, sekisho_id: str | None = None, detail: dict | None = None
    ) -> None:
        with self.session() as session:
            self._audit(session, actor, action, sekisho_id, detail or {})

    @classmethod
    def _audit(
        cls, session: Session, actor: str, action: str, sekisho_id: str | None, detail: dict
    ) -> None:
        """One event, in the caller's transaction (it commits or rolls back with the change
        it records)."""
        cls._append(session, [(actor, action, sekisho_id, detail)])

    @staticmethod
    def _append(session: Session, events: list[tuple[str, str, str | None, dict]]) -> None:
        """Append events chained by hash to the last one (tampering breaks the chain)."""
        previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
        previous = previous or GENESIS
        rows = []
        for actor, action, sekisho_id, detail in events:
            at = utcnow()
            digest = event_hash(previous, at, actor, action, sekisho_id, detail)
            rows.append(
                {
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "sekisho_id": sekisho_id,
                    "detail": detail,
                    "prev_hash": previous,
                    "hash": digest,
                }
            )
            previous = digest
        session.execute(insert(AuditEvent), rows)
