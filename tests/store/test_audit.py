from click.testing import CliRunner
from sqlalchemy import delete, select

from sekisho.cli.main import cli
from sekisho.store import AuditEvent, Database
from sekisho.store.audit import verify


def _log(url: str) -> tuple[Database, str]:
    database = Database(url)
    for number in range(5):
        database.audit(
            "ciso@city.example.lg.jp", "message.approved", f"m{number}", {"comment": "ok"}
        )
    return database, url


def test_an_intact_log_verifies(database_url: str) -> None:
    database, url = _log(database_url)
    assert verify(database) == []
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", url])
    assert result.exit_code == 0 and "intact" in result.output


def test_a_changed_event_is_found(database_url: str) -> None:
    database, url = _log(database_url)
    with database.session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.id == 3))
        event.actor = "someone-else"
    (problem,) = verify(database)
    assert problem.startswith("event 3: changed after it was written")
    assert CliRunner().invoke(cli, ["audit", "verify", "--db", url]).exit_code == 1


def test_a_deleted_event_is_found(database_url: str) -> None:
    database, _ = _log(database_url)
    with database.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    problems = verify(database)
    assert problems[0].startswith("event 2 missing")
    assert problems[1].startswith("event 3: does not follow")


def test_a_rolled_back_append_is_not_a_deleted_event(database_url: str) -> None:
    """PostgreSQL hands out the number of an event whose transaction then rolls back (a
    process killed mid-commit, a lost race): a gap in the numbers, the chain unbroken."""
    database, _ = _log(database_url)
    try:
        with database.session() as session:
            database._audit(session, "gateway", "journal.kept", "m9", {})
            raise RuntimeError("the process dies before the commit")
    except RuntimeError:
        pass
    database.audit("gateway", "message.relayed", "m10", {})
    with database.session() as session:
        ids = list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    if database.engine.dialect.name == "postgresql":
        assert ids[-1] == ids[-2] + 2  # the gap is there
    assert verify(database) == []
