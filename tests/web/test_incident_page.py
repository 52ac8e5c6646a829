"""The incident page: an admin opens an incident from a roster that left as links; the
page says a report is due (150 people, a city) with both deadlines, shows each recipient's
downloads; revoking every link, recording the cause and closing are done from it and
audited. Auditors may open and record, not revoke."""

from __future__ import annotations

import io
import re
from pathlib import Path

from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

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


SECOND_ADMIN = "admin2@city.example.lg.jp"


def test_the_people_list_takes_a_second_admin_above_a_hundred(
    tmp_path: Path, database_url: str
) -> None:
    setup, client, sekisho_id = _site(tmp_path, database_url)
    setup.database.add_user(SECOND_ADMIN, hash_password(PASSWORD), "admin")
    csrf = _login(client, AUDITOR)
    opened = client.post(f"/messages/{sekisho_id}/incident", data={"csrf": csrf})
    incident = opened.url.path.rsplit("/", 1)[1]
    assert 'id="export-people"' not in opened.text  # admins only
    assert client.post(f"/incidents/{incident}/exports", data={"csrf": csrf}).status_code == 403

    csrf = _login(client, ADMIN)
    asked = client.post(f"/incidents/{incident}/exports", data={"csrf": csrf})
    assert asked.status_code == 200 and "別の管理者の承認を待っています" in asked.text
    (export,) = re.findall(r'id="export-(\d+)"', asked.text)
    download = f"/incidents/{incident}/exports/{export}/download"
    refused = client.post(download, data={"csrf": csrf})
    assert refused.status_code == 409 and "承認が必要" in refused.text
    approve = f"/incidents/{incident}/exports/{export}/approve"
    assert client.post(approve, data={"csrf": csrf}).status_code == 409  # not by the asker

    csrf = _login(client, SECOND_ADMIN)
    assert "承認しました" in client.post(approve, data={"csrf": csrf}).text
    assert client.post(download, data={"csrf": csrf}).status_code == 409  # not theirs

    csrf = _login(client, ADMIN)
    got = client.post(download, data={"csrf": csrf})
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(got.content)).get_sheet_by_name("本人一覧")
    listed = rows.to_python()
    assert listed[0][:2] == ["氏名", "電話番号"] and len(listed) == 151
    assert {row[0] for row in listed[1:]} == set(japanese_names(150))
    assert client.post(download, data={"csrf": csrf}).status_code == 409  # once
    page = client.get(f"/incidents/{incident}").text
    assert not any(name in page for name in japanese_names(150))
    events = {e.action: e for e in setup.database.events(action="incident.")}
    assert events["incident.export_approved"].actor == SECOND_ADMIN
    exported = events["incident.people_exported"]
    assert exported.actor == ADMIN and exported.detail["people"] == 150
    assert not any(name in str(exported.detail) for name in japanese_names(150))

    # A short list needs nobody else: it comes at once, still audited.
    small = setup.send(RECIPIENTS[:1], _roster_data(rows=12))
    other = client.post(f"/messages/{small}/incident", data={"csrf": csrf})
    number = other.url.path.rsplit("/", 1)[1]
    at_once = client.post(f"/incidents/{number}/exports", data={"csrf": csrf})
    assert at_once.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(at_once.content)).get_sheet_by_name(
        "本人一覧"
    )
    assert len(sheet.to_python()) == 13
    assert len(setup.database.events(action="incident.people_exported")) == 2


def test_an_incident_from_a_search_and_a_copy_that_is_gone(
    tmp_path: Path, database_url: str
) -> None:
    setup, client, first = _site(tmp_path, database_url)
    second = setup.send(["x@other.example.jp"], _roster_data(rows=30))
    csrf = _login(client, AUDITOR)
    assert client.get("/incidents?since=yesterday").status_code == 400
    found = client.get("/incidents", params={"domain": "care2.example.jp", "sender": "clerk"})
    assert re.findall(r'name="sekisho_id" value="([^"]+)"', found.text) == [first]
    none = client.get("/incidents", params={"domain": "care2.example.jp", "sender": "mayor"})
    assert 'id="nothing-found"' in none.text
    everything = client.get("/incidents", params={"sender": "clerk@city"})
    assert set(re.findall(r'name="sekisho_id" value="([^"]+)"', everything.text)) == {
        first,
        second,
    }
    opened = client.post("/incidents", data={"csrf": csrf, "sekisho_id": [first, second]})
    assert opened.status_code == 200 and re.search(r'id="people">180<', opened.text)
    assert client.post("/incidents", data={"csrf": csrf}).status_code == 400
    assert 'href="/incidents/1"' in client.get("/incidents").text

    # The kept copy of one message is lost: the page says so, by message, and the list
    # of people says which message it could not read.
    entry = setup.pipeline.journal.entry(second)
    setup.pipeline.journal.files._files.remove(entry.blob)
    page = client.get("/incidents/1")
    warning = re.search(r'id="journal-missing".*?</div>', page.text, re.S)
    assert (
        warning and second in warning.group(0) and "保管コピーが見つかりません" in warning.group(0)
    )
    assert first not in warning.group(0)
    csrf = _login(client, ADMIN)
    asked = client.post("/incidents/1/exports", data={"csrf": csrf})  # 150 people: approval
    assert re.search(r"<td>150</td>", asked.text)
