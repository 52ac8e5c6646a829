"""A private PostgreSQL 15 cluster for the tests: its own data directory in a temporary
place, loopback TCP on a free port, a socket directory of its own, trust authentication
on 127.0.0.1 only. initdb and pg_ctl refuse to run as root, so as root they run as the
``postgres`` system user (Debian's package creates it).

The schema is migrated once into a template database; each test gets a fresh database
copied from it (``CREATE DATABASE … TEMPLATE``), which takes milliseconds."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
TEMPLATE = "sekisho_template"


def available() -> bool:
    if not (BIN / "initdb").exists():
        return False
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sekisho-pg-"))
        self.port = _free_port()
        self.data = self.root / "data"

    def _run(self, *command: str) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            command = ("runuser", "-u", "postgres", "--", *command)
        # cwd: the postgres user may not be able to enter the directory the tests run in
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr or done.stdout}")

    def start(self) -> None:
        self.root.chmod(0o700)
        self._run(
            str(BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        self._run(
            str(BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )
        self._admin(f"CREATE DATABASE {TEMPLATE}")
        from sekisho.store import Database

        Database(self.url(TEMPLATE)).engine.dispose()  # the schema, once

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(statement)

    def new_database(self) -> str:
        """A database of its own, with the schema already in it."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
