"""The web UI through its HTTP interface (httpx via FastAPI's TestClient)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sekisho.policy import load_policy
from sekisho.store import Database, MessageRecord, Spool, utcnow
from sekisho.store.blobs import held_files
from sekisho.web.app import create_app
from sekisho.web.security import hash_password

CLERK = "clerk@city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
AUDITOR = "auditor@city.example.lg.jp"
PASSWORD = "correct horse battery staple"


def _record(
    sekisho_id: str, state: str = "held", sender: str = CLERK, records: int = 7203
) -> MessageRecord:
    return MessageRecord(
        sekisho_id=sekisho_id,
        state=state,
        mail_from=sender,
        rcpt_to=["center1@care.example.jp", "someone@example.com"],
        action="hold",
        verdict_header="hold; rules=personal-data-outside",
        rule="personal-data-outside",
        role="統括情報セキュリティ責任者",
        then="encrypt",
        modifiers=[],
        reasons=[
            {
                "rule": "personal-data-outside",
                "ja": "7203人分の個人情報",
                "en": "Personal data of 7203 people",
            }
        ],
        entities={"PERSON_NAME": records, "JP_CARE_INSURANCE_NUMBER": records},
        samples={"PERSON_NAME": ["山田 **"]},
        records=records,
        unscannable=False,
        size=1000,
        spool_name=f"{sekisho_id}.eml",
        created_at=utcnow(),
        release_at=utcnow() if state == "delayed" else None,
        attempts=0,
    )


@pytest.fixture
def site(tmp_path: Path, database_url: str) -> tuple[TestClient, Database]:
    database = Database(database_url)
    # On PostgreSQL the quarantine is in the database too (``--blobs db``).
    blobs = "db" if database_url.startswith("postgresql") else str(tmp_path / "blobs")
    spool = held_files(database, tmp_path / "spool", blobs)
    for name, role in ((CLERK, "sender"), (CISO, "approver"), (AUDITOR, "auditor")):
        database.add_user(name, hash_password(PASSWORD), role)
    held = _record("held1")
    held.subject_masked = "認定者一覧の送付（山田 **様）"
    held.attachments = [{"name": "認定者一覧.xlsx", "kind": "xlsx", "size": 1_234_567}]
    database.add_message(held)
    spool.write("held1.eml", "Subject: 認定者一覧\r\n\r\n山田 太郎 090-1234-5678\r\n".encode())
    database.add_message(_record("delay1", "delayed"))
    database.add_message(_record("small1", records=3))  # one approver is enough
    policy = load_policy(Path(__file__).resolve().parents[2] / "examples" / "policy.yaml")
    return TestClient(create_app(database, spool, "test-secret", policy)), database


def login(client: TestClient, username: str) -> str:
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get(response.headers["location"])
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def test_the_queue_shows_the_incident_and_its_people(site) -> None:  # type: ignore[no-untyped-def]
    client, _ = site
    login(client, CISO)
    page = client.get("/queue")
    assert page.status_code == 200 and "7,203人" in page.text
    assert "認定者一覧の送付（山田 **様）" in page.text
    detail = client.get("/messages/held1")
    assert "外部 external" in detail.text and "委託先 partner" in detail.text
    assert "山田 **" in detail.text and "090-1234-5678" not in detail.text  # masked only
    assert "認定者一覧.xlsx (xlsx, 1,234,567 bytes)" in detail.text


def test_approve_needs_a_comment_and_a_csrf_token(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    csrf = login(client, CISO)
    assert (
        client.post("/messages/small1/approve", data={"comment": "ok"}).status_code == 403
    )  # no token
    assert (
        client.post("/messages/small1/approve", data={"comment": " ", "csrf": csrf}).status_code
        == 409
    )
    response = client.post(
        "/messages/small1/approve",
        data={"comment": "必要性を確認", "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    record = database.get("small1")
    assert (record.state, record.decided_by, record.decision_comment) == (
        "approved",
        CISO,
        "必要性を確認",
    )


def test_reject_records_the_decision(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    csrf = login(client, CISO)
    client.post("/messages/held1/reject", data={"comment": "集計値で送ってください", "csrf": csrf})
    assert database.get("held1").state == "rejected"


def test_an_approver_cannot_approve_their_own_mail(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    database.add_message(_record("own1", sender=CISO))
    csrf = login(client, CISO)
    response = client.post("/messages/own1/approve", data={"comment": "ok", "csrf": csrf})
    assert response.status_code == 409 and "自分のメールは承認・却下できません" in response.text
    assert database.get("own1").state == "held"


def test_a_sender_sees_own_mail_cancels_a_delay_and_is_kept_out_of_the_queue(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    csrf = login(client, CLERK)
    assert client.get("/queue").status_code == 403
    opened = client.post("/messages/held1/original", data={"csrf": csrf, "reason": "確認"})
    assert opened.status_code == 403
    assert "delay1" in client.get("/mine").text
    client.post("/messages/delay1/cancel", data={"csrf": csrf})
    assert database.get("delay1").state == "cancelled"


def test_opening_the_original_is_audited(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    csrf = login(client, CISO)
    url = "/messages/held1/original"
    assert client.get(url).status_code == 405  # never by a link another site can send
    assert client.post(url, data={"csrf": csrf}).status_code == 400  # a reason is needed
    assert client.post(url, data={"reason": "宛先確認"}).status_code == 403  # and the token
    page = client.post(url, data={"csrf": csrf, "reason": "宛先確認のため"})
    assert "090-1234-5678" in page.text  # the one place the raw message is shown …
    (event,) = database.events(action="original.viewed")  # … and it is recorded
    assert (event.actor, event.sekisho_id) == (CISO, "held1")
    assert event.detail["reason"] == "宛先確認のため"


def test_audit_log_search_and_csv(site) -> None:  # type: ignore[no-untyped-def]
    client, _ = site
    csrf = login(client, AUDITOR)
    page = client.get("/audit", params={"action": "login"})
    assert page.status_code == 200 and AUDITOR in page.text
    assert client.get("/audit.csv", params={"action": "message"}).status_code == 405
    assert client.post("/audit.csv", data={"action": "message"}).status_code == 403  # token
    export = client.post("/audit.csv", data={"action": "message", "csrf": csrf})
    assert export.headers["content-type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "id,at,actor,action,sekisho_id,detail,hash"
    assert any("message.held" in row for row in rows)


def test_login_is_rate_limited(site) -> None:  # type: ignore[no-untyped-def]
    client, _ = site
    for _ in range(5):
        assert (
            client.post("/login", data={"username": CISO, "password": "wrong"}).status_code == 401
        )
    assert client.post("/login", data={"username": CISO, "password": PASSWORD}).status_code == 429


def test_the_login_throttle_holds_across_web_processes(tmp_path: Path, database_url: str) -> None:
    """Two web apps on one database (two processes or hosts behind a balancer): failures
    counted by one block the other, and the table keeps no address or client in clear."""
    from sqlalchemy import select

    from sekisho.store.models import LoginFailure

    database = Database(database_url)
    database.add_user(CISO, hash_password(PASSWORD), "approver")
    first, second = (
        TestClient(create_app(Database(database_url), Spool(tmp_path / "s"), "secret"))
        for _ in range(2)
    )
    for client in (first, second, first, second, first):
        wrong = client.post("/login", data={"username": CISO, "password": "wrong"})
        assert wrong.status_code == 401
    assert second.post("/login", data={"username": CISO, "password": PASSWORD}).status_code == 429
    with database.reading() as session:
        keys = list(session.scalars(select(LoginFailure.key)))
    # Three counts a failure (the address, the account from it, the account), as hashes.
    assert len(keys) == 15 and not any("ciso" in k or "testclient" in k for k in keys)


def test_security_headers_health_and_metrics(site) -> None:  # type: ignore[no-untyped-def]
    client, _ = site
    response = client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/healthz").text == "ok"
    metrics = client.get("/metrics").text
    assert 'sekisho_messages{state="held"} 2.0' in metrics
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/login"


def test_two_person_approval_for_a_thousand_people(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    database.add_user("security@city.example.lg.jp", hash_password(PASSWORD), "approver")
    csrf = login(client, CISO)
    client.post("/messages/held1/approve", data={"comment": "一人目", "csrf": csrf})
    record = database.get("held1")
    assert record.state == "held" and [a["by"] for a in record.approvals] == [
        CISO
    ]  # 7,203 people: two needed
    assert "1 / 2" in client.get("/messages/held1").text
    again = client.post("/messages/held1/approve", data={"comment": "再度", "csrf": csrf})
    assert again.status_code == 409 and "同じ承認者は二度承認できません" in again.text
    client.cookies.clear()
    csrf = login(client, "security@city.example.lg.jp")
    client.post("/messages/held1/approve", data={"comment": "二人目", "csrf": csrf})
    assert database.get("held1").state == "approved"


def test_notice_links_are_signed_single_use_and_need_a_login(site) -> None:  # type: ignore[no-untyped-def]
    from sekisho.actions.links import LinkSigner

    client, database = site
    url = LinkSigner("test-secret", "http://testserver").url("delay1", "cancel")
    path = url.removeprefix("http://testserver")
    first = client.get(path, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"/login?next={path}"
    login_page = client.get(first.headers["location"])
    assert f'value="{path}"' in login_page.text
    landed = client.post("/login", data={"username": CLERK, "password": PASSWORD, "next": path})
    assert landed.url.path == path and 'id="use-link"' in landed.text  # back at the link
    csrf = re.search(r'name="csrf" value="([^"]+)"', landed.text).group(1)  # type: ignore[union-attr]
    used = client.post(path, data={"csrf": csrf})
    assert used.url.path == "/messages/delay1"  # through the link, after logging in
    assert "送信を取り消す" in used.text
    assert client.post(path, data={"csrf": csrf}).status_code == 410  # used once
    assert client.get(path).status_code == 410
    assert client.get(path[:-3] + "abc").status_code == 400  # tampered
    assert client.get("/login", params={"next": "//evil.example/"}).text.count('value="//evil') == 0
    (event,) = database.events(action="link.used")
    assert (event.actor, event.sekisho_id, event.detail["purpose"]) == (CLERK, "delay1", "cancel")


def test_an_approver_limited_to_a_department(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    database.add_user(
        "kourei-chief@city.example.lg.jp", hash_password(PASSWORD), "approver", ["高齢福祉課"]
    )
    database.add_message(_record("kourei1", sender="kourei-staff@city.example.lg.jp", records=3))
    csrf = login(client, "kourei-chief@city.example.lg.jp")
    queue = client.get("/queue").text
    assert (
        "kourei-staff@city.example.lg.jp" in queue and CLERK not in queue
    )  # only 高齢福祉課's mail
    assert (
        client.post("/messages/small1/approve", data={"comment": "ok", "csrf": csrf}).status_code
        == 403
    )
    # Nor may they open it, or its original: the limit is on seeing as well as deciding.
    assert client.get("/messages/small1").status_code == 403
    opened = client.post("/messages/small1/original", data={"csrf": csrf, "reason": "x"})
    assert opened.status_code == 403
    assert client.get("/messages/kourei1").status_code == 200
    client.post("/messages/kourei1/approve", data={"comment": "ok", "csrf": csrf})
    assert database.get("kourei1").state == "approved"


def test_japanese_first_with_an_english_switch(site) -> None:  # type: ignore[no-untyped-def]
    client, _ = site
    page = client.get("/login")
    assert '<html lang="ja">' in page.text and 'class="lang-ja"' in page.text
    switched = client.get("/lang/en", params={"next": "/login"})
    assert switched.url.path == "/login"
    assert '<html lang="en">' in switched.text and 'class="lang-en"' in switched.text
    assert (
        '<span class="ja">ログイン</span>' in switched.text
    )  # hidden by the page's style in English
    away = client.get("/lang/ja", params={"next": "//evil.example"}, follow_redirects=False)
    assert away.headers["location"] == "/"  # no redirect off the site


def test_an_admin_adds_an_approver_and_others_cannot(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    assert client.get("/admin/users", follow_redirects=False).status_code == 303  # log in first
    login(client, CISO)
    assert client.get("/admin/users").status_code == 403  # an approver is not an admin
    client.cookies.clear()
    database.add_user("admin@city.example.lg.jp", hash_password(PASSWORD), "admin")
    csrf = login(client, "admin@city.example.lg.jp")
    form = {
        "username": "chief@city.example.lg.jp",
        "role": "approver",
        "departments": "高齢福祉課",
        "csrf": csrf,
    }
    assert client.post("/admin/users", data={**form, "csrf": ""}).status_code == 403
    created = client.post("/admin/users", data=form)
    assert created.status_code == 200 and "chief@city.example.lg.jp" in created.text
    user = database.user("chief@city.example.lg.jp")
    assert (user.role, user.departments) == ("approver", ["高齢福祉課"])
    (event,) = database.events(action="user.added", actor="admin@city.example.lg.jp")
    assert event.detail["username"] == "chief@city.example.lg.jp"
    bad = client.post(
        "/admin/users",
        data={**form, "username": "x@city.example.lg.jp", "departments": "存在しない課"},
    )
    assert bad.status_code == 400


def test_an_admin_uploads_a_policy_after_lint(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from sekisho.gateway.pipeline import Pipeline
    from sekisho.gateway.scheduler import run_once
    from sekisho.gateway.upstream import MaildirUpstream
    from sekisho.policy import default_policy
    from sekisho.scan import Scanner

    client, database = site
    database.add_user("admin@city.example.lg.jp", hash_password(PASSWORD), "admin")
    csrf = login(client, "admin@city.example.lg.jp")
    broken = client.post(
        "/admin/policy", data={"text": "rules:\n  - name: x\n    action: explode\n", "csrf": csrf}
    )
    assert (
        broken.status_code == 400
        and "line 3: rule &#39;x&#39;: action must be one of" in broken.text
    )
    assert database.latest_policy() is None
    good = (Path(__file__).resolve().parents[2] / "examples" / "policy.yaml").read_text(
        encoding="utf-8"
    )
    good = good.replace("records_min: 1000", "records_min: 5")
    assert client.post("/admin/policy", data={"text": good, "csrf": csrf}).status_code == 200
    (event,) = database.events(action="policy.changed")
    assert event.actor == "admin@city.example.lg.jp" and event.detail["version"] == 1
    # The web uses it at once: small1 (3 people) still needs one approver, held1 two.
    assert "1 / 1" not in client.get("/messages/held1").text
    # The gateway switches at its next scheduler pass.
    pipeline = Pipeline(
        Scanner(),
        default_policy(),
        database,
        Spool(tmp_path / "s2"),
        MaildirUpstream(tmp_path / "m2"),
    )
    asyncio.run(run_once(pipeline))
    assert pipeline.policy_version == 1 and pipeline.policy.two_person_records_min == 5


def test_audit_log_by_sender_and_recipient_domain(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    other = _record("other1", sender="tax@city.example.lg.jp")
    other.rcpt_to = ["office@tax-partner.example.jp"]
    database.add_message(other)
    assert {e.sekisho_id for e in database.events(domain="care.example.jp")} == {
        "held1",
        "delay1",
        "small1",
    }
    assert [e.sekisho_id for e in database.events(sender="TAX@city")] == ["other1"]
    csrf = login(client, AUDITOR)
    page = client.get("/audit", params={"domain": "tax-partner.example.jp"})
    assert "other1" in page.text and "held1" not in page.text
    export = client.post("/audit.csv", data={"sender": CLERK, "action": "message", "csrf": csrf})
    body = export.content.decode("utf-8-sig")
    assert "held1" in body and "other1" not in body


def test_an_admin_changes_a_role_resets_a_password_and_disables_an_account(site) -> None:  # type: ignore[no-untyped-def]
    client, database = site
    admin = "admin@city.example.lg.jp"
    database.add_user(admin, hash_password(PASSWORD), "admin")
    clerk = TestClient(client.app)
    login(clerk, CLERK)
    assert clerk.get("/mine").status_code == 200
    csrf = login(client, admin)

    def change(**form: str):  # type: ignore[no-untyped-def]
        return client.post("/admin/users/change", data={"csrf": csrf, **form})

    assert change(username=CLERK, change="role", role="approver").status_code == 200
    assert database.user(CLERK).role == "approver"
    reset = change(username=CLERK, change="password")
    password = re.search(r'id="one-time-password">([^<]+)<', reset.text).group(1)  # type: ignore[union-attr]
    # A reset ends the sessions already issued: the clerk signs in again, with the
    # one-time password, which leads to the change form.
    assert clerk.get("/mine", follow_redirects=False).headers["location"] == "/login"
    login_again = clerk.post(
        "/login", data={"username": CLERK, "password": password}, follow_redirects=False
    )
    assert login_again.headers["location"] == "/password"
    assert password != PASSWORD and len(password) >= 12
    assert client.post("/login", data={"username": CLERK, "password": PASSWORD}).status_code == 401
    assert change(username=CLERK, change="disable").status_code == 200
    # Disabling ends the session already open and refuses the new password.
    assert clerk.get("/mine", follow_redirects=False).headers["location"] == "/login"
    refused = TestClient(client.app).post("/login", data={"username": CLERK, "password": password})
    assert refused.status_code == 401
    assert change(username=admin, change="disable").status_code == 400  # not oneself
    assert change(username=CLERK, change="role", role="root").status_code == 400
    details = [e.detail for e in database.events(action="user.changed", actor=admin)]
    assert {"username": CLERK, "disabled": True} in details
    assert {"username": CLERK, "password": "reset"} in details
    assert {"username": CLERK, "role": ["sender", "approver"]} in details
    assert all("hash" not in str(d) for d in details)
