"""The second factor: the policy requires it of approvers; one enrols from a QR code made
here (read back in the test), confirms with a code, gets ten recovery codes; each later
session asks for a code after the password; a recovery code works once; wrong codes are
throttled and audited; a session without the code cannot enrol another phone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyotp
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from sekisho.policy import parse_policy
from sekisho.store import Database
from sekisho.store.blobs import held_files
from sekisho.web.app import create_app
from sekisho.web.security import hash_password

APPROVER = "ciso@city.example.lg.jp"
CLERK = "clerk@city.example.lg.jp"
PASSWORD = "quiet river under the bridge"
POLICY = """\
organisation: {internal_domains: [city.example.lg.jp]}
second_factor: [approver, admin]
rules: [{name: all, action: deliver}]
"""


@pytest.fixture
def app(tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    database = Database(database_url)
    database.add_user(APPROVER, hash_password(PASSWORD), "approver")
    database.add_user(CLERK, hash_password(PASSWORD), "sender")
    spool = held_files(database, tmp_path / "spool", str(tmp_path / "blobs"))
    return create_app(database, spool, "secret", parse_policy(POLICY)), database


def _sign_in(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    return client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _enrol(client: TestClient) -> tuple[str, list[str]]:
    page = client.get("/totp").text
    qr = client.get("/totp/qr.png")
    assert qr.headers["content-type"] == "image/png"
    # zxing may report one code more than once (found at two scales): one text, though.
    (uri,) = {b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.content)))}
    assert uri.startswith("otpauth://totp/Sekisho:ciso%40city.example.lg.jp?")
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)  # type: ignore[union-attr]
    shown = re.search(r'id="totp-key">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert shown.replace(" ", "") == secret  # the key for typing by hand is the same
    wrong = client.post("/totp", data={"code": "000000", "csrf": _csrf(page)})
    assert wrong.status_code == 400
    done = client.post("/totp", data={"code": pyotp.TOTP(secret).now(), "csrf": _csrf(page)})
    codes = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", done.text)
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def test_an_approver_enrols_and_gives_a_code_each_session(app) -> None:  # type: ignore[no-untyped-def]
    app, database = app
    client = _sign_in(app, APPROVER)
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/totp"
    secret, codes = _enrol(client)
    assert client.get("/queue", follow_redirects=False).status_code == 200
    assert database.events(action="user.second_factor_enrolled")

    later = _sign_in(app, APPROVER)
    assert later.get("/queue", follow_redirects=False).headers["location"] == "/login/code"
    from sekisho.actions.links import LinkSigner

    link = LinkSigner("secret", "").url("m1", "cancel")
    assert later.get(link, follow_redirects=False).headers["location"] == "/login/code"
    assert later.get("/totp", follow_redirects=False).headers["location"] == "/login/code"
    form = later.get("/login/code").text
    wrong = later.post("/login/code", data={"code": "123456", "csrf": _csrf(form)})
    assert wrong.status_code == 401
    assert database.events(action="login.second_factor_failed")
    right = later.post(
        "/login/code",
        data={"code": pyotp.TOTP(secret).now(), "csrf": _csrf(form)},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/queue"
    assert later.get("/queue", follow_redirects=False).status_code == 200

    # A recovery code instead of the phone: once.
    for expected in (303, 401):
        third = _sign_in(app, APPROVER)
        form = third.get("/login/code").text
        used = third.post(
            "/login/code", data={"code": codes[0], "csrf": _csrf(form)}, follow_redirects=False
        )
        assert used.status_code == expected
    (spent,) = database.events(action="user.recovery_code_used")
    assert spent.detail == {"left": 9}


def test_wrong_codes_are_throttled_and_roles_not_named_are_not_asked(app) -> None:  # type: ignore[no-untyped-def]
    app, _ = app
    client = _sign_in(app, APPROVER)
    _enrol(client)
    guesser = _sign_in(app, APPROVER)
    form = guesser.get("/login/code").text
    codes = [
        guesser.post("/login/code", data={"code": f"{n:06d}", "csrf": _csrf(form)}).status_code
        for n in range(6)
    ]
    assert codes == [401] * 5 + [429]
    clerk = _sign_in(app, CLERK)  # senders are not named in second_factor
    assert clerk.get("/mine", follow_redirects=False).status_code == 200


def test_twenty_wrong_passwords_elsewhere_leave_the_officer_free(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from sekisho.store.logins import LoginThrottle

    app, _ = app
    monkeypatch.setattr(LoginThrottle, "MAX_DELAY", 0.01)
    secret, _ = _enrol(_sign_in(app, APPROVER))
    attacker = TestClient(app, client=("198.51.100.7", 1))
    for n in range(20):
        attacker.post("/login", data={"username": APPROVER, "password": f"guess {n}"})
    officer = TestClient(app, client=("203.0.113.9", 2))
    signed = officer.post(
        "/login", data={"username": APPROVER, "password": PASSWORD}, follow_redirects=False
    )
    assert signed.status_code == 303
    form = officer.get("/login/code").text
    coded = officer.post(
        "/login/code",
        data={"code": pyotp.TOTP(secret).now(), "csrf": _csrf(form)},
        follow_redirects=False,
    )
    assert coded.headers["location"] == "/queue"
    assert officer.get("/queue", follow_redirects=False).status_code == 200
