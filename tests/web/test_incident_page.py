"""The incident page: an admin opens an incident from a roster that left as links; the
page says a report is due (150 people, a city) with both deadlines, shows each recipient's
downloads; revoking every link, recording the cause and closing are done from it and
audited. Auditors may open and record, not revoke."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from sekisho.store.blobs import journal_files
from sekisho.store.journal import Journal
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, japanese_names
from tests.gateway.test_download_links import PUBLIC, RECIPIENTS, SECRET, Setup

ADMIN = "admin@city.example.lg.jp"
AUDITOR = "auditor@city.example.lg.jp"
PASSWORD = "correct horse battery staple"


def _site(tmp_path: Path, url: str):  # type: ignore[no-untyped-def]
    setup = Setup(tmp_path, url, "db" if url.startswith("postgresql") else None)
    blobs = "db" if url.startswith("postgresql") else str(tmp_path / "blobs")
    journal = Journal(setup.database, journal_files(setup.database, blobs))
    setup.pipeline.journal = journal
    sekisho_id = setup.send(RECIPIENTS, _roster_data())
    for name, role in ((ADMIN, "admin"), (AUDITOR, "auditor")):
        setup.database.add_user(name, hash_password(PASSWORD), role)
    app = create_app(
        setup.database,
        setup.pipeline.spool,
        SECRET,
        setup.pipeline.policy,
        links=setup.store,
        public_url=PUBLIC,
        journal=journal,
    )
    return setup, TestClient(app), sekisho_id


def _roster_data(rows: int = 150) -> bytes:
    table = [["氏名", "電話番号"]] + [
        [name, f"090-{1000 + i:04d}-{2000 + i:04d}"] for i, name in enumerate(japanese_names(rows))
    ]
    return eml_bytes("名簿を送ります。", {"名簿.csv": csv_bytes(table, "cp932")}, charset="utf-8")


def _login(client: TestClient, username: str) -> str:
    client.cookies.clear()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    page = client.get("/mine")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def test_an_incident_from_a_roster_sent_as_links(tmp_path: Path, database_url: str) -> None:
    setup, client, sekisho_id = _site(tmp_path, database_url)
    token = setup.tokens()[RECIPIENTS[0]]
    setup.confirm(token)
    assert setup.client.get(f"/d/{token}/f/1").status_code == 200  # one recipient downloaded

    csrf = _login(client, ADMIN)
    assert 'id="open-incident"' in client.get(f"/messages/{sekisho_id}").text
    opened = client.post(
        f"/messages/{sekisho_id}/incident", data={"csrf": csrf}, follow_redirects=False
    )
    assert opened.status_code == 303
    page = client.get(opened.headers["location"])
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.text)
    assert "報告が必要です" in text and "150" in text and "100人超" in text
    assert re.search(r'id="deadline-final">\d{4}-\d\d-\d\d<', page.text)
    rows = re.findall(r'<tr class="recipient">(.*?)</tr>', page.text, re.S)
    assert len(rows) == 3 and sum(">1<" in row for row in rows) == 1
    assert not any(name in page.text for name in japanese_names(150))  # no resident shown

    incident = opened.headers["location"].rsplit("/", 1)[1]
    revoked = client.post(f"/incidents/{incident}/revoke", data={"csrf": csrf})
    assert "3件のリンクを取り消しました" in revoked.text
    assert setup.client.get(f"/d/{token}/f/1").status_code == 410
    # Downloaded once before the revocation: still a leak, still due.
    assert "報告が必要です" in revoked.text

    asked = client.post(f"/incidents/{incident}/ask-delete", data={"csrf": csrf})
    assert "3件の削除依頼を送ります" in asked.text
    requests = [n for n in setup.database.notices_to_send() if n.kind.startswith("delete")]
    assert sorted(n.recipient for n in requests) == sorted(RECIPIENTS)

    csrf = _login(client, AUDITOR)
    assert client.post(f"/incidents/{incident}/revoke", data={"csrf": csrf}).status_code == 403
    recorded = client.post(
        f"/incidents/{incident}/record",
        data={"csrf": csrf, "discovered": "2026-12-01T09:30", "cause": "宛先の選択誤り"},
    )
    assert recorded.status_code == 200 and 'value="2026-12-01T09:30"' in recorded.text
    assert "宛先の選択誤り" in recorded.text
    assert 'id="deadline-preliminary">2026-12-06<' in recorded.text  # 5 days from discovery
    # A second copy of the roster sent later joins the incident; an unknown ID does not.
    second = setup.send(RECIPIENTS[:1], _roster_data(rows=120))
    added = client.post(f"/incidents/{incident}/add", data={"csrf": csrf, "sekisho_id": second})
    assert added.status_code == 200 and "追加しました" in added.text
    assert re.search(r'id="people">270<', added.text)  # 150 + 120
    unknown = client.post(f"/incidents/{incident}/add", data={"csrf": csrf, "sekisho_id": "x"})
    assert unknown.status_code == 404
    # The officer's own judgement needs its reason; with one it leads the page.
    bare = client.post(
        f"/incidents/{incident}/record", data={"csrf": csrf, "override": "not_required"}
    )
    assert bare.status_code == 400
    judged = client.post(
        f"/incidents/{incident}/record",
        data={
            "csrf": csrf,
            "override": "not_required",
            "override_reason": "受領者全員が未開封で削除",
        },
    )
    assert "報告は不要と判断されます" in judged.text and "担当者の判断" in judged.text
    closed = client.post(f"/incidents/{incident}/close", data={"csrf": csrf})
    assert closed.status_code == 200 and 'id="close"' not in closed.text
    actions = [e.action for e in setup.database.events()]
    for action in ("incident.opened", "incident.recorded", "incident.closed", "link.revoked"):
        assert action in actions, action
