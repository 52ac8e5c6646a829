"""Passwords: at least 12 characters, not guessable, without the user's name, for the web
and the command line; a one-time password (the first admin's, a generated one, an admin's
reset) leads every page to the change form until the person chooses their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sekisho.cli.main import cli
from sekisho.store import Database
from sekisho.web.passwords import problems
from tests.web.test_web import PASSWORD, login, site

__all__ = ["site"]
ADMIN = "admin@city.example.lg.jp"
CHIEF = "chief@city.example.lg.jp"
STRONG = "quiet river under the bridge"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "12文字以上"),
        ("password1234", "推測されやすい"),
        ("qwertyuiop12", "推測されやすい"),
        ("chief-secret-passphrase", "ユーザー名"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    found = problems(password, CHIEF)
    assert any(reason in f for f in found), found


def test_a_strong_password_passes() -> None:
    assert problems(STRONG, CHIEF) == []


def test_the_command_line_keeps_the_rules(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    weak = CliRunner().invoke(
        cli, ["user", "add", CHIEF, "--role", "approver", "--db", url, "--password", "x"]
    )
    assert weak.exit_code == 2 and "12文字以上" in weak.output
    made = CliRunner().invoke(cli, ["user", "add", CHIEF, "--role", "approver", "--db", url])
    assert made.exit_code == 0 and "one-time password" in made.output
    user = Database(url).user(CHIEF)
    assert user is not None and user.must_change_password
    own = CliRunner().invoke(
        cli, ["user", "add", "x@city.example.lg.jp", "--role", "sender", "--db", url,
              "--password", STRONG],
    )  # fmt: skip
    assert (
        own.exit_code == 0 and not Database(url).user("x@city.example.lg.jp").must_change_password
    )  # type: ignore[union-attr]


def test_a_one_time_password_must_be_changed_first(site: tuple[TestClient, Database]) -> None:
    from sekisho.web.security import hash_password

    client, database = site
    database.add_user(ADMIN, hash_password(PASSWORD), "admin")
    csrf = login(client, ADMIN)
    created = client.post(
        "/admin/users", data={"username": CHIEF, "role": "approver", "csrf": csrf}
    )
    one_time = re.search(r'id="one-time-password">([^<]+)<', created.text)
    assert one_time, created.text[:2000]
    client.cookies.clear()
    signed = client.post(
        "/login", data={"username": CHIEF, "password": one_time.group(1)}, follow_redirects=False
    )
    assert signed.headers["location"] == "/password"
    for page in ("/queue", "/mine", "/messages/held1", "/audit"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/password", page
    form = client.get("/password")
    assert 'id="must-change"' in form.text
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]

    def change(current: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
        data = {"current": current, "new": new, "repeat": repeat or new, "csrf": token}
        return client.post("/password", data=data)

    assert "現在のパスワードが違います" in change("wrong", STRONG).text
    assert "一致しません" in change(one_time.group(1), STRONG, STRONG + "!").text
    weak = change(one_time.group(1), "password1234")
    assert weak.status_code == 400 and "推測されやすい" in weak.text
    assert change(one_time.group(1), STRONG).status_code == 200
    assert client.get("/queue", follow_redirects=False).status_code == 200
    (event,) = [
        e for e in database.events(action="user.changed") if e.detail.get("password") == "changed"
    ]
    assert event.actor == CHIEF and "hash" not in str(event.detail)

    # An admin's reset is a one-time password again.
    client.cookies.clear()
    csrf = login(client, ADMIN)
    client.post("/admin/users/change", data={"username": CHIEF, "change": "password", "csrf": csrf})
    assert database.user(CHIEF).must_change_password  # type: ignore[union-attr]
