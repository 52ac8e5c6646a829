"""The database engine and its transactions: SQLite by default, PostgreSQL for several
processes and hosts, the schema kept by Alembic migrations. ``Store`` is the base every
part of ``Database`` (messages, outbox, users, policies, audit) builds on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sekisho.errors import StoreLostError


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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("sekisho.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The engine, and short transactions that notice a lost SQLite file."""

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

    def ping(self) -> None:
        """One round trip: the database answers (a health check), or this raises."""
        self.check()
        with self.reading() as session:
            session.execute(text("SELECT 1"))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: does not wait for writers (WAL)."""
        with self._reads.begin() as session:
            yield session
