"""「必要な情報だけにする」 end to end in one process: a held roster's sender is told of the
option first, previews counts by care level (people 150 → 0), and sends them instead; the
original is never sent (minimised, audited), the new message is scanned by the gateway's
next pass and, holding nobody, leaves; the queue no longer lists the original. Kept name
columns are still personal data and are held again. An approver returns a held message
to its sender with "please minimise"."""

from __future__ import annotations

import asyncio
import io
import re
from collections import Counter
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from sekisho.actions.links import LinkSigner
from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.scheduler import run_once
from sekisho.gateway.submission import Submission
from sekisho.policy import parse_policy
from sekisho.scan import Scanner
from sekisho.store import Database, State
from sekisho.store.blobs import held_files
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.extract.builders import eml_bytes
from tests.factories import incident_rows, write_xlsx
from tests.gateway.test_scheduler import Recorder

CLERK = "clerk@kourei.city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
CENTRE = "center@care1.example.jp"
SECRET = "minimise-secret"
WEB = "https://sekisho.city.example.lg.jp"
PASSWORD = "a long enough password"
POLICY = """\
organisation: {internal_domains: [city.example.lg.jp]}
approvers: {統括情報セキュリティ責任者: []}
min_cell: 3
rules:
  - name: roster-outside
    when: {recipients: outside, records_min: 1}
    action: hold
    role: 統括情報セキュリティ責任者
    suggest_minimise: true
    reason: {ja: "{records}人分の名簿です。", en: "A roster of {records} people."}
"""
ROWS = incident_rows(150, seed=3)


class Office:
    def __init__(self, tmp_path: Path, url: str) -> None:
        self.database = database = Database(url)
        blobs = "db" if url.startswith("postgresql") else str(tmp_path / "blobs")
        self.spool = held_files(database, tmp_path / "spool", blobs)
        self.upstream = Recorder()
        self.pipeline = Pipeline(
            Scanner(),
            parse_policy(POLICY),
            database,
            self.spool,
            self.upstream,
            links=LinkSigner(SECRET, WEB),
        )
        database.add_user(CLERK, hash_password(PASSWORD), "sender")
        database.add_user(CISO, hash_password(PASSWORD), "approver")
        app = create_app(database, self.spool, SECRET, self.pipeline.policy, web_url=WEB)
        self.client = TestClient(app)
        path = write_xlsx(tmp_path / "認定者一覧.xlsx", {"認定者": ROWS})
        self.mail = eml_bytes("一覧を送ります。", {path.name: path.read_bytes()}, charset="utf-8")

    def held(self) -> str:
        submission = Submission.received(CLERK, [CENTRE], self.mail.replace(b"\n", b"\r\n"))
        outcome = asyncio.run(self.pipeline.process(submission))
        assert outcome.action == "hold", outcome
        return outcome.sekisho_id

    def sign_in(self, username: str) -> str:
        self.client.cookies.clear()
        response = self.client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 200
        page = self.client.get("/mine")
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


@pytest.fixture
def office(tmp_path: Path, database_url: str) -> Office:
    return Office(tmp_path, database_url)


def _text(notice: bytes) -> str:
    message = message_from_bytes(notice, policy=email_policy.default)
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _attachment(submission: Submission) -> tuple[str, bytes]:
    message = message_from_bytes(submission.data, policy=email_policy.default)
    (part,) = list(message.iter_attachments())  # type: ignore[attr-defined]
    return part.get_filename(), part.get_payload(decode=True)


def test_counts_by_care_level_leave_instead_of_the_roster(office: Office) -> None:
    sekisho_id = office.held()
    (notice,) = office.upstream.to(CLERK)  # the held notice, sent at once
    text = _text(notice.data)
    assert "必要な情報だけにする" in text and f"{WEB}/link/" in text  # offered first
    assert text.index("必要な情報だけにする") < text.index("理由")

    csrf = office.sign_in(CLERK)
    assert 'id="minimise"' in office.client.get(f"/messages/{sekisho_id}").text
    form = office.client.get(f"/messages/{sekisho_id}/minimise")
    assert form.status_code == 200
    assert "要介護度" in form.text and "（氏名：個人データ）" in form.text
    preview = office.client.post(
        f"/messages/{sekisho_id}/minimise",
        data={"csrf": csrf, "attachment": "1", "mode": "aggregate", "columns": ["要介護度"]},
    )
    assert preview.status_code == 200, preview.text
    assert re.search(r"150人 → 0人", preview.text)
    assert len(re.findall(r"<tr><td>", preview.text)) == 8  # 7 care levels and the total
    assert office.database.get(sekisho_id).state == State.HELD  # a preview changes nothing

    sent = office.client.post(
        f"/messages/{sekisho_id}/minimise",
        data={"csrf": csrf, "attachment": "1", "mode": "aggregate", "columns": ["要介護度"],
              "step": "send"},
    )  # fmt: skip
    assert sent.status_code == 200 and "元のメールは送信されません" in sent.text
    assert office.database.get(sekisho_id).state == State.MINIMISED
    (event,) = office.database.events(action="message.minimised")
    assert event.actor == CLERK and event.detail["people_after"] == 0
    (new_id,) = event.detail["replaced_by"]
    assert office.upstream.to(CENTRE) == []  # nothing leaves before a gateway scans it

    done = asyncio.run(run_once(office.pipeline))
    assert done.resubmitted == 1
    assert asyncio.run(run_once(office.pipeline)).resubmitted == 0  # once
    (left,) = office.upstream.to(CENTRE)
    assert left.sekisho_id == new_id
    name, data = _attachment(left)
    assert name == "認定者一覧_必要な情報のみ.xlsx"
    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(table) == 9  # header, 7 levels, total
    counts = {row[0]: row[1] for row in table[1:-1]}
    expected = Counter(row[6] for row in ROWS[1:])
    assert counts == {k: float(v) for k, v in expected.items()} and table[-1][1] == 150
    assert Scanner().scan_bytes(left.data, kind="eml").detection.records == 0
    assert not any(str(row[1]) in left.data.decode("latin-1") for row in ROWS[1:20])
    actions = [e.action for e in office.database.events(sekisho_id=new_id)]
    assert "message.resubmitted" in actions

    office.sign_in(CISO)
    assert sekisho_id not in office.client.get("/queue").text


def test_a_kept_name_column_is_held_again(office: Office) -> None:
    sekisho_id = office.held()
    csrf = office.sign_in(CLERK)
    form = office.client.get(f"/messages/{sekisho_id}/minimise").text
    offered = re.findall(r'name="keep_columns" value="([^"]+)"( checked)?', form)
    assert len(offered) == 7 and not any(ticked for _, ticked in offered)  # all personal
    data = {"csrf": csrf, "attachment": "1", "mode": "keep", "keep_columns": ["氏名", "要介護度"]}
    preview = office.client.post(f"/messages/{sekisho_id}/minimise", data=data)
    assert "150人 → 150人" in preview.text and "まだ個人データを含みます" in preview.text
    assert ROWS[1][1] not in preview.text  # names masked in the preview
    office.client.post(f"/messages/{sekisho_id}/minimise", data={**data, "step": "send"})
    asyncio.run(run_once(office.pipeline))
    held = office.database.messages(State.HELD)
    assert len(held) == 1 and held[0].sekisho_id != sekisho_id and held[0].records == 150
    assert office.upstream.to(CENTRE) == []


def test_only_the_sender_minimises_and_an_approver_may_ask(office: Office) -> None:
    sekisho_id = office.held()
    csrf = office.sign_in(CISO)
    assert office.client.get(f"/messages/{sekisho_id}/minimise").status_code == 403
    page = office.client.get(f"/messages/{sekisho_id}").text
    assert 'id="ask-minimise"' in page and 'id="minimise"' not in page
    url = f"/messages/{sekisho_id}/ask-minimise"
    assert office.client.post(url, data={"csrf": csrf}).status_code == 400  # a comment
    asked = office.client.post(url, data={"csrf": csrf, "minimise_comment": "件数だけで足ります"})
    assert asked.status_code == 200 and "依頼しました" in asked.text
    (notice,) = [n for n in office.database.notices_to_send() if n.kind == "minimise-asked"]
    assert notice.recipient == CLERK
    text = _text(notice.body)
    assert "件数だけで足ります" in text and f"{WEB}/link/" in text
    (event,) = office.database.events(action="message.minimise_asked")
    assert event.actor == CISO and "件数" not in str(event.detail)  # the comment by length

    # The sender follows the notice's link (after signing in) to the minimise page.
    token = re.search(r"/link/(\S+)", text).group(1)  # type: ignore[union-attr]
    csrf = office.sign_in(CLERK)
    landing = office.client.get(f"/link/{token}", follow_redirects=False)
    assert landing.status_code == 200 and 'id="use-link"' in landing.text  # nothing used yet
    assert not office.database.events(action="link.used")
    assert office.client.post(f"/link/{token}", data={}).status_code == 403  # the token
    followed = office.client.post(f"/link/{token}", data={"csrf": csrf}, follow_redirects=False)
    assert followed.headers["location"] == f"/messages/{sekisho_id}/minimise"
    again = office.client.post(f"/link/{token}", data={"csrf": csrf}, follow_redirects=False)
    assert again.status_code == 410  # once

    csrf = office.sign_in(CLERK)
    unknown = office.client.post(
        f"/messages/{sekisho_id}/minimise",
        data={"csrf": csrf, "attachment": "1", "mode": "aggregate", "columns": ["地区"]},
    )
    assert unknown.status_code == 200 and "列「地区」がありません" in unknown.text
    office.database.decide(sekisho_id, approve=False, actor=CISO, comment="不要")
    late = office.client.get(f"/messages/{sekisho_id}/minimise")
    assert late.status_code == 409


CENTRES = {
    "a@care1.example.jp": "北部センター",
    "b@care2.example.jp": "南部センター",
    "c@care3.example.jp": "東部センター",
    "d@care4.example.jp": "西部センター",
}


def test_each_centre_receives_only_its_own_rows(office: Office, tmp_path: Path) -> None:
    import random
    from email.message import EmailMessage

    rng = random.Random(11)
    rows = incident_rows(650, seed=6)
    rows[0] = [*rows[0], "担当センター"]
    for row in rows[1:]:
        row.append(rng.choice([*CENTRES.values(), "中部センター"]))
    path = write_xlsx(tmp_path / "利用者一覧.xlsx", {"利用者": rows})
    message = EmailMessage()
    message["From"] = CLERK
    message["To"] = ", ".join(f"{n} <{a}>" for a, n in CENTRES.items())
    message["Subject"] = "利用者一覧"
    message.set_content("各センターの利用者です。", charset="utf-8")
    message.add_attachment(
        path.read_bytes(), maintype="application", subtype="octet-stream", filename=path.name
    )
    submission = Submission.received(CLERK, list(CENTRES), message.as_bytes())
    sekisho_id = asyncio.run(office.pipeline.process(submission)).sekisho_id

    csrf = office.sign_in(CLERK)
    page = office.client.get(f"/messages/{sekisho_id}/minimise").text
    ticked = re.findall(r'name="keep_columns" value="([^"]+)" checked', page)
    assert ticked == ["担当センター"]  # the one column that describes nobody
    form = {"csrf": csrf, "attachment": "1", "mode": "split", "split_column": "担当センター"}
    plan = office.client.post(f"/messages/{sekisho_id}/minimise", data=form)
    assert plan.status_code == 200, plan.text
    counts = Counter(row[-1] for row in rows[1:])
    shown = re.findall(
        r'<tr class="split-row"><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td>', plan.text
    )
    assert shown == [(a, n, str(counts[n])) for a, n in CENTRES.items()]
    assert f"中部センター（{counts['中部センター']}行）" in plan.text  # routed to nobody

    sent = office.client.post(f"/messages/{sekisho_id}/minimise", data={**form, "step": "send"})
    assert "4通" in sent.text
    assert office.database.get(sekisho_id).state == State.MINIMISED
    assert asyncio.run(run_once(office.pipeline)).resubmitted == 4
    # Each part still names residents: policy holds each, one recipient per message.
    held = office.database.messages(State.HELD)
    assert sorted(r.rcpt_to[0] for r in held) == sorted(CENTRES)
    for record in held:
        centre = CENTRES[record.rcpt_to[0]]
        assert record.records == counts[centre] and len(record.rcpt_to) == 1
        original = office.spool.read(record.spool_name)
        to = message_from_bytes(original, policy=email_policy.default)["To"]
        assert [a for a in CENTRES if a in to] == [record.rcpt_to[0]]
        (_, data) = _attachment(Submission(CLERK, (), original))
        got = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        assert {r[-1] for r in got[1:]} == {centre} and len(got) - 1 == counts[centre]


def test_the_originals_stamps_do_not_travel_with_the_minimised_message() -> None:
    from sekisho.actions.minimise_mail import replace_attachment

    original = eml_bytes("一覧です", {"a.csv": b"x,y\r\n1,2\r\n"}, charset="utf-8")
    stamped = b"X-Sekisho-Id: 09073549599fbb3cdf0d3e63\r\nX-Sekisho-Verdict: hold\r\n" + original
    rebuilt = replace_attachment(stamped, 1, "a_必要な情報のみ.csv", b"x\r\n1\r\n")
    assert b"X-Sekisho" not in rebuilt and b"09073549599" not in rebuilt
    assert Scanner().scan_bytes(rebuilt, kind="eml").detection.records == 0
