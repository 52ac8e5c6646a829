"""The database: SQLite by default (PostgreSQL later), schema kept by Alembic migrations,
and the operations the gateway and the web need, each in its own short transaction."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    String,
    and_,
    cast,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from sekisho.addresses import DEFAULT_DELIMITERS, same_mailbox
from sekisho.errors import DecisionError, StoreLostError
from sekisho.store.approvals import rule_on
from sekisho.store.audit import GENESIS, event_hash
from sekisho.store.models import AuditEvent, MessageRecord, Notice, PolicyVersion, User
from sekisho.store.states import FINAL, State, allowed


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
            # Transactions are begun by the "begin" hook below, not by pysqlite (which
            # begins only at the first write: a read of the last audit hash then ran
            # outside the transaction that appended after it, and the chain forked).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (the web) do not block the gateway
            cursor.execute("PRAGMA synchronous=FULL")  # a committed hold survives power loss
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
            # A writing transaction takes SQLite's write lock at BEGIN, so that what it
            # reads (a message's state, the last audit hash) is still true when it
            # writes: one writer at a time, across threads and processes. SQLite has
            # no row locks; ``with_for_update`` is silently ignored there.
            read_only = connection.get_execution_options().get(_READ_ONLY, False)
            connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    return engine


_READ_ONLY = "sekisho_read_only"
# Any constant: the key of PostgreSQL's advisory lock that makes the audit chain's
# read-last-hash-then-insert one writer at a time across every process sharing the base.
_AUDIT_LOCK_KEY = 0x5E415D17


def _private_sqlite_file(path: str | None) -> None:
    """The database holds masked findings, reasons and who sent what to whom: readable by
    the service's user only. The file is created 0600 before SQLite opens it (SQLite gives
    its -wal and -shm files the same mode), and an existing file is narrowed."""
    if not _is_file(path):
        return
    assert path is not None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    Path(path).chmod(0o600)


def _is_file(path: str | None) -> bool:
    return bool(path) and path != ":memory:" and not str(path).startswith("file:")


def _identity(path: str) -> tuple[int, int]:
    status = Path(path).stat()
    return status.st_dev, status.st_ino


def _unclaimed(now: datetime):  # type: ignore[no-untyped-def]
    """A notice no sender holds right now (never claimed, or its lease ran out)."""
    return or_(Notice.claimed_until.is_(None), Notice.claimed_until <= now)


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
        self._reads = sessionmaker(
            self.engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False
        )
        path = self.engine.url.database if url.startswith("sqlite") else None
        self._file = path if _is_file(path) else None
        self._file_identity = _identity(self._file) if self._file else None
        self.lost: str | None = None

    def check(self) -> None:
        """StoreLostError when the SQLite file this process opened is no longer the one at
        its path (deleted, replaced, restored from a backup under it). SQLite would go on
        writing into the unlinked file, and every "held" would then be a message nowhere;
        so once lost, always lost, until the process is restarted on the file."""
        if self.lost is None and self._file is not None:
            try:
                identity: tuple[int, int] | None = _identity(self._file)
            except OSError:
                identity = None
            if identity != self._file_identity:
                self.lost = (
                    f"the database file {self._file} was removed or replaced while in use; "
                    "restart Sekisho on the right file"
                )
        if self.lost is not None:
            raise StoreLostError(self.lost)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing transaction (SQLite: BEGIN IMMEDIATE), checked against a lost file
        before it starts and after it commits."""
        self.check()
        with self._sessions.begin() as session:
            yield session
        self.check()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: does not wait for writers (WAL)."""
        with self._reads.begin() as session:
            yield session

    def add_message(
        self, record: MessageRecord, actor: str = "gateway", notice: Notice | None = None
    ) -> None:
        """The row, its audit event and the notice to its sender, in one transaction."""
        with self.session() as session:
            session.add(record)
            self._audit(
                session, actor, f"message.{record.state}", record.sekisho_id, message_detail(record)
            )
            if notice is not None:
                self._enqueue(session, notice)

    def get(self, sekisho_id: str) -> MessageRecord | None:
        with self.reading() as session:
            return session.scalar(
                select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id)
            )

    def messages(self, state: str | None = None) -> list[MessageRecord]:
        with self.reading() as session:
            query = select(MessageRecord).order_by(MessageRecord.id)
            if state is not None:
                query = query.where(MessageRecord.state == state)
            return list(session.scalars(query))

    def due(self, now: datetime) -> list[MessageRecord]:
        """Messages to release: delayed ones whose time has come, approved holds, and
        releases whose claimant died (its lease ran out)."""
        with self.reading() as session:
            query = select(MessageRecord).where(
                or_(
                    and_(MessageRecord.state == State.DELAYED, MessageRecord.release_at <= now),
                    MessageRecord.state == State.APPROVED,
                    and_(
                        MessageRecord.state == State.RELEASING,
                        MessageRecord.claimed_until <= now,
                    ),
                )
            )
            return list(session.scalars(query.order_by(MessageRecord.id)))

    def expired(self, now: datetime) -> list[MessageRecord]:
        with self.reading() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == State.HELD, MessageRecord.expires_at <= now
            )
            return list(session.scalars(query))

    # -- state changes: each one conditional update, along states.TRANSITIONS ----------

    @staticmethod
    def _record(session: Session, sekisho_id: str) -> MessageRecord | None:
        return session.scalar(
            select(MessageRecord).where(MessageRecord.sekisho_id == sekisho_id).with_for_update()
        )

    @staticmethod
    def _update(session: Session, record: MessageRecord, **values: Any) -> bool:
        """Write ``values`` only if the row is still as read (state and version): the
        same statement on SQLite and PostgreSQL, and the row count says who won."""
        result = session.execute(
            update(MessageRecord)
            .where(
                MessageRecord.id == record.id,
                MessageRecord.state == record.state,
                MessageRecord.version == record.version,
            )
            .values(version=record.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for key, value in values.items():
            set_committed_value(record, key, value)
        set_committed_value(record, "version", record.version + 1)
        return True

    def _move(
        self,
        session: Session,
        record: MessageRecord,
        state: State,
        actor: str,
        detail: dict | None = None,
        **values: Any,
    ) -> bool:
        previous = record.state
        if not allowed(previous, state) or not self._update(
            session, record, state=str(state), **values
        ):
            return False
        self._audit(
            session,
            actor,
            f"message.{state}",
            record.sekisho_id,
            {"from": previous, **(detail or {})},
        )
        return True

    def transition(
        self, sekisho_id: str, allowed_from: set[str], state: str, actor: str, **changes: Any
    ) -> bool:
        """Move a message to ``state`` only from one of ``allowed_from``, with an audit
        event. False if another change got there first."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or record.state not in allowed_from:
                return False
            detail = {k: str(v) for k, v in changes.items() if k != "last_error"}
            return self._move(session, record, State(state), actor, detail, **changes)

    def decide(
        self,
        sekisho_id: str,
        *,
        approve: bool,
        actor: str,
        comment: str,
        required: int = 1,
        delimiters: str = DEFAULT_DELIMITERS,
    ) -> str:
        """An approver's decision on a held message; the state it leaves the message in.

        ``approvals.rule_on`` says what the decision does (two-person approval keeps the
        message held until a second, different approver agrees; one rejection is
        enough); it is written by one conditional update, so of two decisions at the
        same moment one wins and the other is told "already decided". The gateway
        carries the outcome out (the outbox pattern)."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None:
                raise DecisionError("no such message", "該当するメールがありません")
            now = utcnow()
            ruling = rule_on(
                state=record.state,
                sender=record.mail_from,
                approvals=list(record.approvals or []),
                actor=actor,
                approve=approve,
                comment=comment,
                required=required,
                now=now,
                delimiters=delimiters,
            )
            actor = actor.strip().lower()
            if ruling.state is State.HELD:
                won = self._update(session, record, approvals=ruling.approvals)
                detail = {"approvals": len(ruling.approvals), "required": required}
                if won:
                    self._audit(session, actor, ruling.action, sekisho_id, detail)
            else:
                won = self._move(
                    session,
                    record,
                    ruling.state,
                    actor,
                    {"approvals": len(ruling.approvals)},
                    approvals=ruling.approvals,
                    decided_by=actor,
                    decided_at=now,
                    decision_comment=comment.strip(),
                )
            if not won:
                raise DecisionError("already decided", "すでに処理済みです")
            return str(ruling.state)

    def cancel(self, sekisho_id: str, *, actor: str, delimiters: str = DEFAULT_DELIMITERS) -> None:
        """The sender takes back a delayed message before it leaves (against its release:
        one of the two wins)."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or not same_mailbox(actor, record.mail_from, delimiters):
                raise DecisionError(
                    "only the sender can cancel a message", "取り消せるのは送信者本人だけです"
                )
            actor = actor.strip().lower()
            if record.state != State.DELAYED or not self._move(
                session, record, State.CANCELLED, actor, decided_by=actor, decided_at=utcnow()
            ):
                raise DecisionError(f"already {record.state}", "すでに送信済みか処理済みです")

    def expire(self, sekisho_id: str, now: datetime, notice: Notice | None = None) -> bool:
        """A hold nobody decided in time; its notice queued in the same transaction."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if (
                record is None
                or record.state != State.HELD
                or record.expires_at is None
                or record.expires_at > now
                or not self._move(session, record, State.EXPIRED, "scheduler", decided_at=now)
            ):
                return False
            if notice is not None:
                self._enqueue(session, notice)
            return True

    def claim_release(
        self, sekisho_id: str, now: datetime, lease: timedelta = timedelta(minutes=10)
    ) -> MessageRecord | None:
        """Claim a due message for release by this process for ``lease``: the record as
        claimed, or None when it is not due or another process holds it (or a cancel
        won). A claimant that dies leaves the lease to run out; the next one takes over."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None:
                return None
            due = (
                record.state == State.APPROVED
                or (
                    record.state == State.DELAYED
                    and record.release_at is not None
                    and record.release_at <= now
                )
                or (
                    record.state == State.RELEASING
                    and (record.claimed_until is None or record.claimed_until <= now)
                )
            )
            if not due or not self._move(
                session,
                record,
                State.RELEASING,
                "scheduler",
                {"attempt": record.attempts + 1},
                claimed_until=now + lease,
                attempts=record.attempts + 1,
            ):
                return None
            return record

    def released(self, sekisho_id: str) -> bool:
        """The next hop took the released message: delivered, and any notice that waited
        for it (the zip's password) may go."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is None or not self._move(
                session,
                record,
                State.DELIVERED,
                "scheduler",
                delivered_at=utcnow(),
                claimed_until=None,
            ):
                return False
            self._ready(session, sekisho_id)
            return True

    def release_failed(self, sekisho_id: str, error: str) -> None:
        """The next hop refused or timed out: the claim is given back for the next pass."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.state == State.RELEASING:
                self._update(session, record, claimed_until=utcnow(), last_error=error[:500])

    def rejections_to_tell(self) -> list[MessageRecord]:
        """Holds an approver rejected whose sender's notice is not queued yet."""
        with self.reading() as session:
            query = select(MessageRecord).where(
                MessageRecord.state == State.REJECTED,
                MessageRecord.decided_by.is_not(None),
                MessageRecord.notice_sent_at.is_(None),
            )
            return list(session.scalars(query))

    def tell(self, sekisho_id: str, notice: Notice) -> None:
        """Queue the rejection notice of a decided hold, and mark the hold told."""
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.notice_sent_at is None:
                self._update(session, record, notice_sent_at=utcnow())
                self._enqueue(session, notice)

    # -- the outbox of notices ----------------------------------------------------------

    @staticmethod
    def _enqueue(session: Session, notice: Notice) -> bool:
        """Queue a notice in the caller's transaction; False when one of its kind for its
        message is already queued (a retried release tells its password once)."""
        if notice.created_at is None:
            notice.created_at = utcnow()
        if notice.sekisho_id is not None:
            existing = session.scalar(
                select(Notice.id).where(
                    Notice.sekisho_id == notice.sekisho_id, Notice.kind == notice.kind
                )
            )
            if existing is not None:
                return False
        session.add(notice)
        session.flush()
        return True

    def queue_notice(self, notice: Notice) -> bool:
        """Queue a notice on its own (the web's: a link's code); False when one of its kind
        for its message is already queued."""
        with self.session() as session:
            return self._enqueue(session, notice)

    def put_secret(self, notice: Notice) -> None:
        """Store the secret notice of a message that has not left yet, replacing one
        stored before for the same message that is neither ready nor sent (its zip was
        never written to the spool, so its password opens nothing)."""
        with self.session() as session:
            existing = session.scalar(
                select(Notice).where(
                    Notice.sekisho_id == notice.sekisho_id, Notice.kind == notice.kind
                )
            )
            if existing is None:
                self._enqueue(session, notice)
            elif not existing.ready and existing.sent_at is None:
                existing.body = notice.body
                existing.recipient = notice.recipient
            else:
                raise ValueError(f"{notice.kind} notice of {notice.sekisho_id} already told")

    @staticmethod
    def _ready(session: Session, sekisho_id: str) -> None:
        session.execute(
            update(Notice)
            .where(Notice.sekisho_id == sekisho_id, Notice.sent_at.is_(None))
            .values(ready=True)
        )

    def notice_ready(self, sekisho_id: str) -> None:
        with self.session() as session:
            self._ready(session, sekisho_id)

    def notice(self, sekisho_id: str, kind: str) -> Notice | None:
        with self.reading() as session:
            return session.scalar(
                select(Notice).where(Notice.sekisho_id == sekisho_id, Notice.kind == kind)
            )

    def notices_to_send(
        self, sekisho_id: str | None = None, now: datetime | None = None, limit: int = 200
    ) -> list[Notice]:
        """Ready notices not sent yet and not claimed by another sender right now."""
        now = now or utcnow()
        with self.reading() as session:
            query = select(Notice).where(
                Notice.sent_at.is_(None), Notice.ready.is_(True), _unclaimed(now)
            )
            if sekisho_id is not None:
                query = query.where(Notice.sekisho_id == sekisho_id)
            return list(session.scalars(query.order_by(Notice.id).limit(limit)))

    def claim_notice(
        self, notice_id: int, now: datetime, lease: timedelta = timedelta(minutes=2)
    ) -> bool:
        """This process sends the notice for ``lease``; False when another one does."""
        with self.session() as session:
            result = session.execute(
                update(Notice)
                .where(Notice.id == notice_id, Notice.sent_at.is_(None), _unclaimed(now))
                .values(claimed_until=now + lease)
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    def notice_sent(self, notice_id: int) -> bool:
        """Sent: once only (False if another process sent it first); a secret's body is
        wiped."""
        with self.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is None or notice.sent_at is not None:
                return False
            notice.sent_at = utcnow()
            notice.attempts += 1
            if notice.secret:
                notice.body = b""
            return True

    def notice_failed(self, notice_id: int, error: str) -> None:
        with self.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is not None:
                notice.attempts += 1
                notice.last_error = error[:500]
                notice.claimed_until = None  # the next pass tries again

    # -- quarantine retention ----------------------------------------------------------

    def spool_to_remove(self, now: datetime, grace: timedelta) -> list[MessageRecord]:
        """Messages whose story is over (delivered, expired, cancelled, rejected) for
        longer than ``grace``, whose notices have all gone, and whose spool copy is
        still there."""
        with self.reading() as session:
            pending = select(Notice.sekisho_id).where(Notice.sent_at.is_(None))
            ended = func.coalesce(
                MessageRecord.delivered_at, MessageRecord.decided_at, MessageRecord.created_at
            )
            query = select(MessageRecord).where(
                MessageRecord.state.in_([str(s) for s in FINAL]),
                MessageRecord.spool_removed_at.is_(None),
                ended <= now - grace,
                MessageRecord.sekisho_id.not_in(pending.where(Notice.sekisho_id.is_not(None))),
                or_(
                    MessageRecord.state != State.REJECTED,
                    MessageRecord.decided_by.is_(None),
                    MessageRecord.notice_sent_at.is_not(None),
                ),
            )
            return list(session.scalars(query.order_by(MessageRecord.id)))

    def spool_removed(self, sekisho_id: str, names: list[str]) -> None:
        with self.session() as session:
            record = self._record(session, sekisho_id)
            if record is not None and record.spool_removed_at is None:
                record.spool_removed_at = utcnow()
                self._audit(
                    session, "scheduler", "message.spool_removed", sekisho_id, {"files": names}
                )

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
        """Append events chained by hash to the last one (tampering breaks the chain).

        One appender at a time: on SQLite the writing transaction already holds the
        write lock (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock
        serialises every process's appends until commit."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
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
