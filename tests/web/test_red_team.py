"""Part of issue 16's red-team list, each closed and shown closed: login CSRF, a refused
login that takes a password check whether or not the account exists, a megabyte of user
name, formula injection into the audit CSV, a bad date in the audit search, and the
security headers on a failure's page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sekisho.store import Database
from sekisho.web import security
from tests.web.test_web import AUDITOR, PASSWORD, login, site

__all__ = ["site"]


def test_a_foreign_page_cannot_sign_a_browser_in(site: tuple[TestClient, Database]) -> None:
    client, _ = site
    form = {"username": AUDITOR, "password": PASSWORD}
    foreign = client.post(
        "/login", data=form, headers={"Origin": "https://evil.example"}, follow_redirects=False
    )
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    cross = client.post(
        "/login", data=form, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False
    )
    assert cross.status_code == 403
    own = client.post(
        "/login", data=form, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert own.status_code == 303


def test_a_refused_login_costs_a_password_check_either_way(
    site: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = site
    checks: list[str] = []
    inner = security._hasher

    class Counting:
        hash = staticmethod(inner.hash)

        @staticmethod
        def verify(digest: str, password: str) -> bool:
            checks.append(password)
            return inner.verify(digest, password)

    monkeypatch.setattr(security, "_hasher", Counting())
    for name in (AUDITOR, "nobody@city.example.lg.jp"):
        response = client.post("/login", data={"username": name, "password": "wrong guess"})
        assert response.status_code == 401
    assert checks == ["wrong guess", "wrong guess"]


def test_a_megabyte_of_name_is_refused_before_it_is_stored(
    site: tuple[TestClient, Database],
) -> None:
    client, database = site
    response = client.post("/login", data={"username": "x" * 1_000_000, "password": "p"})
    assert response.status_code == 400
    assert not database.events(action="login.failed")


def test_the_audit_csv_runs_no_formula(site: tuple[TestClient, Database]) -> None:
    client, _ = site
    for name in ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@sum(1+1)"):
        client.post("/login", data={"username": name, "password": "wrong"})
    csrf = login(client, AUDITOR)
    exported = client.post("/audit.csv", data={"action": "login.failed", "csrf": csrf})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    actors = [row[2] for row in rows[1:]]
    assert len(actors) == 3 and all(a.startswith("'") for a in actors), actors
    assert all(not cell.startswith(("=", "+", "@", "-")) for row in rows[1:] for cell in row)


def test_a_bad_date_and_a_failure_keep_the_security_headers(
    site: tuple[TestClient, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, database = site
    login(client, AUDITOR)
    bad = client.get("/audit", params={"since": "yesterday"})
    assert bad.status_code == 400 and "frame-ancestors" in bad.headers["content-security-policy"]

    def broken(**_filters: str) -> list:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(database, "events", broken)
    failing = TestClient(client.app, raise_server_exceptions=False)
    failing.cookies.update(client.cookies)
    response = failing.get("/audit")
    assert response.status_code == 500
    assert response.headers["x-frame-options"] == "DENY" and "database" not in response.text


def test_guessing_at_the_officer_never_locks_the_officer_out(
    site: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sekisho.store.logins import LoginThrottle
    from tests.web.test_web import CISO

    client, database = site
    monkeypatch.setattr(LoginThrottle, "MAX_DELAY", 0.01)  # the waits, not their length
    attacker = TestClient(client.app, client=("198.51.100.7", 40000))
    codes = [
        attacker.post("/login", data={"username": CISO, "password": f"guess {i}"}).status_code
        for i in range(20)
    ]
    assert codes == [401] * 5 + [429] * 15  # that address may not go on guessing
    refusals = database.events(action="login.refused")
    assert len(refusals) == 15 and refusals[0].detail["why"] == "throttled"
    # Every further try at the account is slowed, from anywhere, but none is refused.
    refused, delay = LoginThrottle(database).verdict(CISO, "203.0.113.9")
    assert not refused and delay > 0
    officer = TestClient(client.app, client=("203.0.113.9", 40001))
    signed = officer.post(
        "/login", data={"username": CISO, "password": PASSWORD}, follow_redirects=False
    )
    assert signed.status_code == 303

    # One address spraying many accounts is stopped after 20 failures in all.
    sprayer = TestClient(client.app, client=("198.51.100.8", 40002))
    for i in range(20):
        sprayer.post("/login", data={"username": f"u{i}@city.example.lg.jp", "password": "x"})
    blocked = sprayer.post("/login", data={"username": AUDITOR, "password": PASSWORD})
    assert blocked.status_code == 429
