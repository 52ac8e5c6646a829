"""Shared fixtures. Integration tests call ``require(...)``: they skip on a laptop without
the service, and fail in CI where SEKISHO_REQUIRE_INTEGRATION=1 says it must be there."""

from __future__ import annotations

import os

import pytest
from argon2 import PasswordHasher

from sekisho.detect import Detector
from sekisho.scan import Scanner
from sekisho.web import security

# Cheap argon2 parameters for every hash the tests make (the web tests spent most of their
# time hashing); set before any test module builds a hash at import. The production
# parameters are tested once (tests/web/test_password_hashing.py).
security.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def require(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("SEKISHO_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{what} is required in CI (SEKISHO_REQUIRE_INTEGRATION=1) but missing")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner()


def entities_in(detector: Detector, text: str) -> list[str]:
    """Entity types found in ``text`` read as one plain-text part."""
    from sekisho.extract import TextPart

    return [f.entity for f in detector.text(TextPart(text))]


def column_entities(detector: Detector, header: str | None, values: list[object]) -> dict[str, int]:
    """Entity counts of a one-column table (with ``header`` as its header row, if given)."""
    from sekisho.extract import TablePart

    rows = ([[header]] if header is not None else []) + [[v] for v in values]
    table = TablePart(rows=rows, header_row=0 if header is not None else None)
    return detector.detect([table]).counts


def table_detection(detector: Detector, rows: list[list[object]], header: bool = True):  # type: ignore[no-untyped-def]
    from sekisho.extract import TablePart

    return detector.detect([TablePart(rows=rows, header_row=0 if header else None)])


@pytest.fixture(scope="session")
def postgres_cluster():  # type: ignore[no-untyped-def]
    """One private PostgreSQL 15 for the session (started on first use)."""
    from tests import postgres

    require(postgres.available(), "PostgreSQL 15 (apt-get install postgresql) and psycopg")
    cluster = postgres.Cluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The store's URL, once for each engine users run: SQLite (the embedded default)
    and PostgreSQL (the shared store of several processes and hosts)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sekisho.db'}"
    return request.getfixturevalue("postgres_cluster").new_database()
