"""Every route of the staff UI, tried by nobody and by each role: only the session's own
pages are open, and each page family answers 403 to the roles it is not for. New routes
are caught by the same walk (a route the table does not know fails the test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sekisho.store import Database, utcnow
from sekisho.store.blobs import held_files
from sekisho.store.incidents import Incidents
from sekisho.store.links import LinkStore
from sekisho.store.sealed import BlobStore
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.web.test_web import PASSWORD, _record

OPEN = {"/login", "/healthz", "/metrics", "/lang/{code}", "/link/{token}"}
# Who may use each route on mail that is not their own (a sender may see and take back
# their own; tests/web/test_link_pages.py has that).
ALLOWED = {
    "/": {"sender", "approver", "auditor", "admin"},
    "/logout": {"sender", "approver", "auditor", "admin"},
    "/password": {"sender", "approver", "auditor", "admin"},
    "/sessions": {"sender", "approver", "auditor", "admin"},
    "/login/code": {"sender", "approver", "auditor", "admin"},
    "/totp": {"sender", "approver", "auditor", "admin"},
    "/totp/qr.png": {"sender", "approver", "auditor", "admin"},
    "/sessions/end": {"sender", "approver", "auditor", "admin"},
    "/mine": {"sender", "approver", "auditor", "admin"},
    "/queue": {"approver", "admin"},
    "/messages/{sekisho_id}": {"approver", "auditor", "admin"},
    "/messages/{sekisho_id}/original": {"approver", "admin"},
    "/messages/{sekisho_id}/approve": {"approver", "admin"},
    "/messages/{sekisho_id}/reject": {"approver", "admin"},
    "/messages/{sekisho_id}/revoke": {"approver", "admin"},  # auditors see, do not act
    "/messages/{sekisho_id}/ask-delete": {"approver", "admin"},
    "/messages/{sekisho_id}/cancel": {"sender", "approver", "auditor", "admin"},
    "/admin/users": {"admin"},
    "/admin/users/change": {"admin"},
    "/admin/policy": {"admin"},
    "/admin/links": {"admin"},
    "/messages/{sekisho_id}/incident": {"auditor", "admin"},
    "/incidents/{incident_id}": {"auditor", "admin"},
    "/incidents/{incident_id}/record": {"auditor", "admin"},
    "/incidents/{incident_id}/add": {"auditor", "admin"},
    "/incidents/{incident_id}/revoke": {"admin"},
    "/incidents/{incident_id}/ask-delete": {"admin"},
    "/incidents/{incident_id}/close": {"auditor", "admin"},
    "/incidents": {"auditor", "admin"},
    "/messages/{sekisho_id}/minimise": set(),  # the sender's own held mail only
    "/messages/{sekisho_id}/ask-minimise": {"approver", "admin"},
    "/incidents/{incident_id}/exports": {"admin"},
    "/incidents/{incident_id}/exports/{export_id}/approve": {"admin"},
    "/incidents/{incident_id}/exports/{export_id}/download": {"admin"},
    "/audit": {"auditor", "approver", "admin"},
    "/audit.csv": {"auditor", "approver", "admin"},
}
ROLES = ("sender", "approver", "auditor", "admin")


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'r.db'}")
    for role in ROLES:
        database.add_user(f"{role}@city.example.lg.jp", hash_password(PASSWORD), role)
    record = _record("m1")
    record.mail_from = "someone-else@city.example.lg.jp"  # nobody's own mail
    database.add_message(record)
    Incidents(database).open(["m1"], "admin@city.example.lg.jp", utcnow())  # incident 1
    spool = held_files(database, tmp_path / "spool", str(tmp_path / "blobs"))
    spool.write("m1.eml", b"Subject: x\r\n\r\nx\r\n")
    links = LinkStore(database, BlobStore(tmp_path / "blobs"), "roles-secret")
    return create_app(
        database, spool, "roles-secret", links=links, public_url="https://files.example.lg.jp"
    )


def _routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path) of every API route, inside included routers too."""
    found, pending = [], list(app.routes)
    while pending:
        route = pending.pop(0)
        included = getattr(route, "original_router", None)  # FastAPI >= 0.16x wraps them
        if included is not None:
            pending.extend(included.routes)
        elif isinstance(route, APIRoute):
            found.extend((method, route.path) for method in sorted(route.methods))
    assert found
    return found


def _url(path: str) -> str:
    return (
        path.replace("{sekisho_id}", "m1")
        .replace("{code}", "en")
        .replace("{token}", "x")
        .replace("{incident_id}", "1")
        .replace("{export_id}", "1")
    )


def test_the_table_knows_every_route(app) -> None:  # type: ignore[no-untyped-def]
    paths = {path for _, path in _routes(app)}
    assert paths == OPEN | set(ALLOWED)


def test_nobody_signed_in_reaches_only_the_open_pages(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    for method, path in _routes(app):
        response = client.request(method, _url(path), follow_redirects=False)
        if path in OPEN:
            continue
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"] == "/login", (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_what_it_is_not_for(app, role: str) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    login = client.post(
        "/login",
        data={"username": f"{role}@city.example.lg.jp", "password": PASSWORD},
        follow_redirects=False,
    )
    assert login.status_code == 303
    home = client.get(login.headers["location"])
    csrf = re.search(r'name="csrf" value="([^"]+)"', home.text)
    token = csrf.group(1) if csrf else ""
    for method, path in _routes(app):
        if path in OPEN or path == "/logout":
            continue
        data = {"csrf": token} if method == "POST" else None
        response = client.request(method, _url(path), data=data, follow_redirects=False)
        if role in ALLOWED[path]:
            assert response.status_code != 403, (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
