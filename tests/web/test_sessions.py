"""Sessions live in the store: the cookie holds a random token, nothing else; logging out,
a password change, an admin's reset, a new role and the admin's say end them at once (an
old cookie gets the login page, not a 200); idle and old sessions end on their own; a
person sees where they are signed in and ends any of those sessions."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from sekisho.store import Database
from sekisho.store.models import WebSession
from sekisho.web.security import SESSION_COOKIE, hash_password
from tests.web.test_web import AUDITOR, CISO, CLERK, PASSWORD, login, site

__all__ = ["site"]
ADMIN = "admin@city.example.lg.jp"
NEW = "quiet river under the bridge"


def _browser(client: TestClient, username: str) -> tuple[TestClient, str]:
    other = TestClient(client.app)
    return other, login(other, username)


def _signed_in(client: TestClient) -> bool:
    return client.get("/mine", follow_redirects=False).status_code == 200


def test_the_cookie_is_an_opaque_token_and_logout_ends_it(
    site: tuple[TestClient, Database],
) -> None:
    client, database = site
    csrf = login(client, CLERK)
    token = client.cookies[SESSION_COOKIE]
    assert CLERK.split("@")[0] not in token and len(token) >= 40
    with database.reading() as session:
        stored = list(session.scalars(WebSession.__table__.select()))
    assert stored and token not in str(stored)  # only its hash is kept
    client.post("/logout", data={"csrf": csrf})
    replay = TestClient(client.app, cookies={SESSION_COOKIE: token})
    assert not _signed_in(replay)  # the old cookie is worth nothing


def test_a_password_change_ends_the_other_browsers(site: tuple[TestClient, Database]) -> None:
    client, _ = site
    here, csrf = _browser(client, CLERK)
    there, _ = _browser(client, CLERK)
    changed = here.post(
        "/password", data={"current": PASSWORD, "new": NEW, "repeat": NEW, "csrf": csrf}
    )
    assert changed.status_code == 200
    assert _signed_in(here) and not _signed_in(there)


def test_an_admin_ends_a_persons_sessions(site: tuple[TestClient, Database]) -> None:
    client, database = site
    database.add_user(ADMIN, hash_password(PASSWORD), "admin")
    approver, _ = _browser(client, CISO)
    auditor, _ = _browser(client, AUDITOR)
    csrf = login(client, ADMIN)

    def change(**form: str) -> None:
        assert client.post("/admin/users/change", data={"csrf": csrf, **form}).status_code == 200

    change(username=CISO, change="role", role="auditor")  # a new role: signed out at once
    assert approver.get("/queue", follow_redirects=False).headers["location"] == "/login"
    change(username=AUDITOR, change="sessions")
    assert not _signed_in(auditor)
    (event,) = database.events(action="user.sessions_ended")
    assert event.detail == {"username": AUDITOR, "sessions": 1}


def _age(database: Database, **ago: timedelta) -> None:
    """Move every live session's times back (as if that long had passed)."""
    with database.session() as session:
        for row in session.scalars(select(WebSession).where(WebSession.ended_at.is_(None))):
            for column, delta in ago.items():
                setattr(row, column, getattr(row, column) - delta)


def test_idle_and_old_sessions_end(site: tuple[TestClient, Database]) -> None:
    client, database = site
    login(client, CLERK)
    assert _signed_in(client)
    _age(database, last_seen=timedelta(minutes=31))
    assert not _signed_in(client)
    login(client, CLERK)
    _age(database, created_at=timedelta(hours=9))
    assert not _signed_in(client)


def test_one_sees_and_ends_ones_own_sessions(site: tuple[TestClient, Database]) -> None:
    client, _ = site
    phone, _ = _browser(client, CLERK)
    csrf = login(client, CLERK)
    _browser(client, CISO)  # someone else's session is not listed
    page = client.get("/sessions").text
    rows = re.findall(r'<tr class="session( current)?">', page)
    assert len(rows) == 2 and rows.count(" current") == 1
    ids = re.findall(r'name="session_id" value="([^"]+)"', page)
    current = re.search(r'class="session current">.*?name="session_id" value="([^"]+)"', page, re.S)
    assert current and len(ids) == 2
    (phone_id,) = [i for i in ids if i != current.group(1)]
    client.post("/sessions/end", data={"csrf": csrf, "session_id": phone_id})
    assert not _signed_in(phone) and _signed_in(client)
