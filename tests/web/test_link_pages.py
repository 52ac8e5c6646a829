"""Taking mail back from the staff web UI: the per-recipient table of the message page,
revoking one link or all, asking to delete, and an admin's bulk revoke — with who may do
which."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sekisho.japan_time import from_japan_time
from sekisho.store import MessageRecord, utcnow
from sekisho.store.links import link_state
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.gateway.test_download_links import PUBLIC, RECIPIENTS, SECRET, Setup, _text

CLERK = "clerk@city.example.lg.jp"  # the sender of Setup's mail
OTHER = "other@city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
AUDITOR = "auditor@city.example.lg.jp"
ADMIN = "admin@city.example.lg.jp"
PASSWORD = "correct horse battery staple"


class Site:
    def __init__(self, tmp_path: Path, url: str) -> None:
        # On PostgreSQL every file lives in the database too (``--blobs db``).
        self.links = Setup(tmp_path, url, "db" if url.startswith("postgresql") else None)
        self.database = self.links.database
        for name, role in (
            (CLERK, "sender"),
            (OTHER, "sender"),
            (CISO, "approver"),
            (AUDITOR, "auditor"),
            (ADMIN, "admin"),
        ):
            self.database.add_user(name, hash_password(PASSWORD), role)
        self.client = TestClient(
            create_app(
                self.database,
                self.links.pipeline.spool,
                SECRET,
                self.links.pipeline.policy,
                links=self.links.store,
                public_url=PUBLIC,
            )
        )
        self.sekisho_id = self.links.send(RECIPIENTS)

    def login(self, username: str) -> str:
        self.client.cookies.clear()
        response = self.client.post(
            "/login", data={"username": username, "password": PASSWORD}, follow_redirects=False
        )
        assert response.status_code == 303
        page = self.client.get(response.headers["location"])
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    def states(self) -> dict[str, str]:
        now = utcnow()
        return {r.address: link_state(r, now) for r in self.links.store.recipients(self.sekisho_id)}

    def rows(self, html: str) -> dict[str, str]:
        """Each recipient's row of the message page, as text."""
        return {
            address: re.sub(r"<[^>]+>", " ", body)
            for address, body in re.findall(r'<tr data-address="([^"]+)">(.*?)</tr>', html, re.S)
        }


@pytest.fixture
def site(tmp_path: Path, database_url: str) -> Site:
    return Site(tmp_path, database_url)


def test_the_sender_sees_each_recipient_and_revokes_one_at_once(site: Site) -> None:
    tokens = site.links.tokens()
    csrf = site.login(CLERK)
    page = site.client.get(f"/messages/{site.sekisho_id}")
    assert page.status_code == 200
    rows = site.rows(page.text)
    assert sorted(rows) == RECIPIENTS
    assert all("有効" in row and "0 / 3" in row for row in rows.values())
    assert page.text.count('class="revoke-one"') == 3

    assert site.client.post(
        f"/messages/{site.sekisho_id}/revoke", data={"recipient": RECIPIENTS[0]}
    ).status_code == 403  # no CSRF token  # fmt: skip
    done = site.client.post(
        f"/messages/{site.sekisho_id}/revoke", data={"recipient": RECIPIENTS[0], "csrf": csrf}
    )
    assert done.status_code == 200 and "1件のリンクを取り消しました" in done.text
    assert "取り消し済み" in site.rows(done.text)[RECIPIENTS[0]]
    assert CLERK in site.rows(done.text)[RECIPIENTS[0]]  # who revoked
    assert site.states() == {RECIPIENTS[0]: "revoked", RECIPIENTS[1]: "active", RECIPIENTS[2]: "active"}  # fmt: skip
    # Immediate: the public listener refuses the revoked link and serves the others.
    assert site.links.client.get(f"/d/{tokens[RECIPIENTS[0]]}").status_code == 410
    assert site.links.client.get(f"/d/{tokens[RECIPIENTS[1]]}").status_code == 200
    (event,) = [e for e in site.database.events() if e.action == "link.revoked"]
    assert event.actor == CLERK and RECIPIENTS[0] in str(event.detail)

    stranger = site.client.post(
        f"/messages/{site.sekisho_id}/revoke", data={"recipient": "z@example.com", "csrf": csrf}
    )
    assert stranger.status_code == 400


def test_who_may_see_and_who_may_take_back(site: Site) -> None:
    csrf = site.login(OTHER)  # another sender: not their mail
    assert site.client.get(f"/messages/{site.sekisho_id}").status_code == 403
    assert (
        site.client.post(f"/messages/{site.sekisho_id}/revoke", data={"csrf": csrf}).status_code
        == 403
    )
    csrf = site.login(AUDITOR)  # sees, may not act
    page = site.client.get(f"/messages/{site.sekisho_id}")
    assert page.status_code == 200 and len(site.rows(page.text)) == 3
    assert "revoke-one" not in page.text and "ask-delete" not in page.text
    assert (
        site.client.post(f"/messages/{site.sekisho_id}/revoke", data={"csrf": csrf}).status_code
        == 403
    )
    assert set(site.states().values()) == {"active"}

    csrf = site.login(CISO)  # an approver takes back the whole message
    everything = site.client.post(f"/messages/{site.sekisho_id}/revoke", data={"csrf": csrf})
    assert "3件のリンクを取り消しました" in everything.text
    assert set(site.states().values()) == {"revoked"}
    assert 'id="revoke-all"' not in everything.text  # nothing left to revoke
    assert site.client.get("/messages/nosuchmessage").status_code == 404


def test_ask_to_delete_from_the_page_and_the_count_of_confirmations(site: Site) -> None:
    csrf = site.login(CLERK)
    page = site.client.get(f"/messages/{site.sekisho_id}")
    assert 'id="ask-delete"' in page.text and "deletion-count" not in page.text
    asked = site.client.post(f"/messages/{site.sekisho_id}/ask-delete", data={"csrf": csrf})
    assert asked.status_code == 200 and "3件の削除依頼" in asked.text
    assert "削除確認済み 0/3" in asked.text
    requests = [n for n in site.database.notices_to_send() if n.kind.startswith("delete:")]
    assert sorted(n.recipient for n in requests) == RECIPIENTS
    again = site.client.post(f"/messages/{site.sekisho_id}/ask-delete", data={"csrf": csrf})
    assert "0件の削除依頼" in again.text  # once per recipient

    notice = next(n for n in requests if n.recipient == RECIPIENTS[1])
    (token,) = re.findall(re.escape(PUBLIC) + r"/x/(\S+)", _text(notice.body))
    confirmed = site.links.client.post(f"/x/{token}", data={"deleted": "yes", "note": ""})
    assert confirmed.status_code == 200
    page = site.client.get(f"/messages/{site.sekisho_id}")
    assert "削除確認済み 1/3" in page.text
    rows = site.rows(page.text)
    assert "依頼済み" in rows[RECIPIENTS[0]] and "JST" in rows[RECIPIENTS[1]]


def test_ask_to_delete_needs_mail_that_left(site: Site) -> None:
    """A held message has reached nobody: there is nothing to ask anyone to delete; once
    relayed (delivered), its recipients can be asked even without links."""
    now = utcnow()
    site.database.add_message(
        MessageRecord(
            sekisho_id="held1",
            state="held",
            mail_from=CLERK,
            rcpt_to=["x@example.com"],
            action="hold",
            verdict_header="hold",
            rule="personal-data-outside",
            modifiers=[],
            reasons=[],
            entities={},
            samples={},
            records=3,
            unscannable=False,
            size=10,
            spool_name="held1.eml",
            created_at=now,
            attempts=0,
        )
    )
    csrf = site.login(CLERK)
    assert 'id="ask-delete"' not in site.client.get("/messages/held1").text
    refused = site.client.post("/messages/held1/ask-delete", data={"csrf": csrf})
    assert refused.status_code == 409
    with site.database.session() as session:
        session.get(MessageRecord, site.database.get("held1").id).state = "delivered"  # type: ignore[union-attr]
    assert 'id="ask-delete"' in site.client.get("/messages/held1").text
    asked = site.client.post("/messages/held1/ask-delete", data={"csrf": csrf})
    assert "1件の削除依頼" in asked.text and "リンクなし" in asked.text


def test_bulk_revoke_is_for_admins_and_takes_a_japan_time_range(site: Site) -> None:
    csrf = site.login(CISO)
    assert site.client.get("/admin/links").status_code == 403
    csrf = site.login(ADMIN)
    assert site.client.get("/admin/links").status_code == 200
    bad = site.client.post(
        "/admin/links",
        data={
            "sender": CLERK,
            "start": "2026-12-02T10:00",
            "end": "2026-12-01T10:00",
            "csrf": csrf,
        },
    )
    assert bad.status_code == 400 and set(site.states().values()) == {"active"}
    jst = utcnow() + timedelta(hours=9)
    before = site.client.post(
        "/admin/links",
        data={
            "sender": CLERK,
            "start": (jst - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "end": (jst - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "csrf": csrf,
        },
    )
    assert "リンク 0件を取り消しました" in before.text and set(site.states().values()) == {"active"}
    around = site.client.post(
        "/admin/links",
        data={
            "sender": CLERK,
            "start": (jst - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "end": (jst + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "csrf": csrf,
        },
    )
    assert "リンク 3件を取り消しました" in around.text
    assert set(site.states().values()) == {"revoked"}
    events = [e for e in site.database.events() if e.action == "link.revoked_sender"]
    assert [e.actor for e in events] == [ADMIN, ADMIN]


def test_the_sender_finds_mail_that_left_as_links(site: Site) -> None:
    site.login(CLERK)
    mine = site.client.get("/mine")
    assert f'href="/messages/{site.sekisho_id}"' in mine.text
    site.login(OTHER)
    assert site.sekisho_id not in site.client.get("/mine").text


def test_japan_time_fields_are_read_as_utc_nine_hours_earlier() -> None:
    assert from_japan_time("2026-12-02T09:30").isoformat() == "2026-12-02T00:30:00"
    with pytest.raises(ValueError):
        from_japan_time("yesterday")
