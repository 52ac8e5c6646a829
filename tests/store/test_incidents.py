"""Incidents in the store: opened, messages added once, the officer's records and the
close audited (the cause and notes by length: they may name people)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sekisho.store import Database, utcnow
from sekisho.store.incidents import Incidents


def test_an_incident_is_opened_recorded_and_closed(database_url: str) -> None:
    incidents = Incidents(Database(database_url))
    now = utcnow()
    number = incidents.open(["m1", "m1"], "ciso@city", now)
    assert incidents.messages(number) == ["m1"]
    assert incidents.add(number, "m2", "ciso@city") is True
    assert incidents.add(number, "m2", "ciso@city") is False
    assert incidents.messages(number) == ["m1", "m2"]
    found = now - timedelta(days=2)
    incidents.record(number, "ciso@city", discovered_at=found, cause="山田様の名簿を誤送信")
    incident = incidents.get(number)
    assert incident is not None and incident.discovered_at == found
    assert incident.cause == "山田様の名簿を誤送信" and incident.key_leaked is None
    with pytest.raises(ValueError):
        incidents.record(number, "ciso@city", opened_by="someone")
    assert incidents.close(number, "ciso@city", now) is True
    assert incidents.close(number, "ciso@city", now) is False
    actions = [e.action for e in incidents.database.events()]
    assert actions.count("incident.opened") == 1 and actions.count("incident.closed") == 1
    (recorded,) = incidents.database.events(action="incident.recorded")
    assert recorded.detail["cause"] == "10 characters"
    assert "山田" not in str([e.detail for e in incidents.database.events()])
    with pytest.raises(KeyError):
        incidents.add(999, "m3", "ciso@city")
