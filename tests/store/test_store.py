from pathlib import Path

from sqlalchemy import inspect, select

from sekisho.store import AuditEvent, Database, MessageRecord, Spool, utcnow


def _record(sekisho_id: str, state: str = "held") -> MessageRecord:
    return MessageRecord(
        sekisho_id=sekisho_id,
        state=state,
        mail_from="a@city.example.lg.jp",
        rcpt_to=["b@example.com"],
        action="hold",
        verdict_header="hold; rules=x",
        rule="x",
        role=None,
        then=None,
        modifiers=[],
        reasons=[],
        entities={"PERSON_NAME": 1},
        samples={"PERSON_NAME": ["山田 **"]},
        records=1,
        unscannable=False,
        size=10,
        spool_name=f"{sekisho_id}.eml",
        created_at=utcnow(),
        attempts=0,
    )


def test_migrations_create_the_schema_and_are_idempotent(database_url: str) -> None:
    url = database_url
    Database(url)
    database = Database(url)  # a second start must not fail or redo anything
    tables = set(inspect(database.engine).get_table_names())
    assert {"messages", "audit_events", "alembic_version"} <= tables


def test_transition_is_exclusive(database_url: str) -> None:
    database = Database(database_url)
    database.add_message(_record("m1"))
    assert database.transition("m1", {"held"}, "approved", "approver@city")
    assert not database.transition("m1", {"held"}, "rejected", "someone-else")  # already decided
    assert database.get("m1").state == "approved"


def test_a_senders_messages_and_the_counts_come_from_sql(database_url: str) -> None:
    database = Database(database_url)
    senders = {
        "m1": "Clerk@City.example.lg.jp",  # case
        "m2": "clerk+tax@city.example.lg.jp",  # sub-address
        "m3": "clerk%city.example.lg.jp@relay.example.lg.jp",  # the % hack
        "m4": "clerk2@city.example.lg.jp",  # another person, same prefix
        "m5": "clerk@other.example.jp",  # another domain
        "m6": "c_erk@city.example.lg.jp",  # LIKE's wildcard is not one here
    }
    for sekisho_id, sender in senders.items():
        record = _record(sekisho_id, "delivered" if sekisho_id in ("m2", "m4") else "held")
        record.mail_from = sender
        database.add_message(record)
    mine = database.messages_from("clerk@city.example.lg.jp")
    assert [r.sekisho_id for r in mine] == ["m3", "m2", "m1"]  # newest first
    assert [r.sekisho_id for r in database.messages_from("c_erk@city.example.lg.jp")] == ["m6"]
    assert len(database.messages_from("CLERK@city.example.lg.jp", limit=2)) == 2
    assert database.count_by_state() == {"held": 4, "delivered": 2}
    database.ping()


def test_audit_events_form_a_hash_chain(database_url: str) -> None:
    database = Database(database_url)
    database.add_message(_record("m1"))
    database.transition("m1", {"held"}, "approved", "ciso")
    with database.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["message.held", "message.approved"]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert "山田" not in str([e.detail for e in events])  # no personal data in the log


def test_spool_writes_durably_and_atomically(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    path = spool.write("m1.eml", b"Subject: x\r\n\r\nbody")
    assert path.read_bytes() == b"Subject: x\r\n\r\nbody"
    assert spool.names() == {"m1.eml"}  # no temporary file left behind
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the quarantine is not world-readable


def test_database_file_and_spool_are_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import stat

    from sekisho.store import Database, Spool

    Database(f"sqlite:///{tmp_path / 'sekisho.db'}")
    spool = Spool(tmp_path / "spool")
    spool.write("a.eml", b"x")
    assert stat.S_IMODE((tmp_path / "sekisho.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "spool").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "spool" / "a.eml").stat().st_mode) == 0o600
