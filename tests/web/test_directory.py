"""Directory sign-in against a real OpenLDAP (slapd, started here): a person in the
approvers group signs in as an approver limited to their department; a wrong password is
refused; a person removed from the directory can no longer sign in; the directory being
down is said clearly, and the local admin still signs in."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sekisho.policy import parse_policy
from sekisho.store import Database
from sekisho.store.blobs import held_files
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.conftest import require
from tests.ldap_server import SUFFIX, Directory, available

pytestmark = pytest.mark.integration

ADMIN = "admin@city.example.lg.jp"
PASSWORD = "quiet river under the bridge"
POLICY = f"""\
organisation: {{internal_domains: [city.example.lg.jp]}}
sender_groups: {{高齢福祉課: ["*@kourei.city.example.lg.jp", "chief@city.example.lg.jp"]}}
directory:
  user_dn: "uid={{local}},ou=people,{SUFFIX}"
  groups_base: "ou=groups,{SUFFIX}"
  roles: {{sekisho-approvers: approver, sekisho-staff: sender}}
  departments: {{kourei: 高齢福祉課}}
rules: [{{name: all, action: deliver}}]
"""


@pytest.fixture
def directory() -> Iterator[Directory]:
    require(available(), "OpenLDAP's slapd (apt-get install slapd)")
    root = Path(tempfile.mkdtemp(prefix="sekisho-ldap-"))
    running = Directory(root)
    running.start()
    running.seed(
        {"chief": "chief-in-the-directory", "clerk": "clerk-in-the-directory", "guest": "g"},
        {"sekisho-approvers": ["chief"], "sekisho-staff": ["clerk"], "kourei": ["chief"]},
    )
    try:
        yield running
    finally:
        running.stop()


def _app(tmp_path: Path, directory: Directory):  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'd.db'}")
    database.add_user(ADMIN, hash_password(PASSWORD), "admin")  # local: break-glass
    spool = held_files(database, tmp_path / "spool", str(tmp_path / "blobs"))
    app = create_app(database, spool, "secret", parse_policy(POLICY), ldap_url=directory.url)
    return app, database


def _login(app, username: str, password: str):  # type: ignore[no-untyped-def]
    return TestClient(app).post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )


def test_directory_people_sign_in_with_their_groups(tmp_path: Path, directory: Directory) -> None:
    app, database = _app(tmp_path, directory)
    chief = _login(app, "chief@city.example.lg.jp", "chief-in-the-directory")
    assert chief.status_code == 303 and chief.headers["location"] == "/queue"
    user = database.user("chief@city.example.lg.jp")
    assert user is not None and (user.role, user.departments) == ("approver", ["高齢福祉課"])
    assert user.password_hash.startswith("directory:")  # no local password to guess
    clerk = database.user("clerk@city.example.lg.jp")
    assert clerk is None  # made on first sign-in only
    assert _login(app, "clerk@city.example.lg.jp", "clerk-in-the-directory").status_code == 303
    assert database.user("clerk@city.example.lg.jp").role == "sender"  # type: ignore[union-attr]

    assert _login(app, "chief@city.example.lg.jp", "wrong").status_code == 401
    assert _login(app, "chief@city.example.lg.jp", "").status_code in (401, 422)  # no anon bind
    assert _login(app, "guest@city.example.lg.jp", "g").status_code == 401  # in no Sekisho group
    assert _login(app, ADMIN, PASSWORD).status_code == 303  # local accounts stay local

    directory.remove("chief")
    assert _login(app, "chief@city.example.lg.jp", "chief-in-the-directory").status_code == 401


def test_the_directory_down_is_said_and_local_admins_still_sign_in(
    tmp_path: Path, directory: Directory
) -> None:
    app, database = _app(tmp_path, directory)
    assert _login(app, "chief@city.example.lg.jp", "chief-in-the-directory").status_code == 303
    directory.stop()
    down = _login(app, "chief@city.example.lg.jp", "chief-in-the-directory")
    assert down.status_code == 503 and "ディレクトリ（LDAP）に接続できません" in down.text
    assert _login(app, ADMIN, PASSWORD).status_code == 303
    assert [e.detail.get("why") for e in database.events(action="login.failed")] == ["directory"]
