"""The 2022 incident, replayed through Sekisho: the care-insurance workbook (7,203 people)
to 11 care centres is held, approved and leaves as links; 3 centres download before the
mistake is found. The officer opens an incident, revokes every link (8 never downloaded),
and the report is due — more than 100 people, a local government — with both deadlines;
under a business's rules the 1,000 threshold is the reason; the press draft names 7,203
people and 11 recipients; the people list holds all 7,203. A 12-person list whose links
were all revoked before anyone downloaded them is not reportable, and says why."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from sekisho.cli.main import cli
from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.submission import Submission
from sekisho.gateway.upstream import MaildirUpstream
from sekisho.incident.people import affected_people
from sekisho.policy import parse_policy
from sekisho.scan import Scanner
from sekisho.store import utcnow
from sekisho.store.blobs import held_files, journal_files
from sekisho.store.incidents import Incidents
from sekisho.store.journal import Journal
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.extract.builders import eml_bytes
from tests.factories import incident_rows, write_xlsx
from tests.gateway.test_download_links import LINK, PUBLIC, SECRET, Setup, _text
from tests.incident.test_incident_cli import _docx_text

CLERK = "clerk@kourei.city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
CENTRES = [f"center{i:02d}@care{i:02d}.example.jp" for i in range(1, 12)]
PASSWORD = "a long officer password"
POLICY = """\
organisation: {internal_domains: [city.example.lg.jp]}
approvers: {統括情報セキュリティ責任者: []}
link_days: 7
link_max_downloads: 3
rules:
  - name: personal-data-outside
    when: {beyond_partner_allowance: true}
    action: hold
    role: 統括情報セキュリティ責任者
    then: link
  - {name: internal, when: {recipients: internal}, action: deliver}
"""


class Mistake:
    """The gateway (hold, then links), the public listener, the journal, the staff UI."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        blobs = "db" if url.startswith("postgresql") else str(tmp_path / "blobs")
        self.blobs = blobs
        self.url = url
        self.links = Setup(tmp_path, url, "db" if blobs == "db" else None)
        database = self.database = self.links.database
        self.journal = Journal(database, journal_files(database, blobs))
        self.pipeline = Pipeline(
            Scanner(),
            parse_policy(POLICY),
            database,
            held_files(database, tmp_path / "spool", blobs),
            MaildirUpstream(self.links.maildir),
            link_store=self.links.store,
            public_url=PUBLIC,
            journal=self.journal,
        )
        self.links.pipeline = self.pipeline  # its helpers read the same maildir
        database.add_user(CISO, hash_password(PASSWORD), "admin")
        self.staff = TestClient(
            create_app(
                database,
                self.pipeline.spool,
                SECRET,
                self.pipeline.policy,
                links=self.links.store,
                public_url=PUBLIC,
                journal=self.journal,
            )
        )

    def approved_as_links(self, data: bytes, recipients: list[str]) -> str:
        submission = Submission.received(CLERK, recipients, data.replace(b"\n", b"\r\n"))
        outcome = asyncio.run(self.pipeline.process(submission))
        assert outcome.action == "hold", outcome
        state = self.database.decide(
            outcome.sekisho_id, approve=True, actor=CISO, comment="委託先への送付"
        )
        assert state == "approved"
        assert asyncio.run(self.pipeline.release(outcome.sekisho_id, utcnow()))
        self.drain_notices()
        return outcome.sekisho_id

    def drain_notices(self) -> None:
        """Notices to the sender go out (a code notice is then the only one pending)."""
        for notice in self.database.notices_to_send():
            self.database.claim_notice(notice.id, utcnow())
            self.database.notice_sent(notice.id)

    def tokens(self) -> dict[str, str]:
        """Each centre's link (the sender's own notice of the hold is in the maildir too)."""
        copies = self.links.copies()
        return {
            a: LINK.findall(_text(raw))[0] for a, raw in copies.items() if a.startswith("center")
        }

    def download(self, token: str) -> None:
        self.links.confirm(token)
        assert self.links.client.get(f"/d/{token}/f/1").status_code == 200

    def sign_in(self) -> str:
        response = self.staff.post("/login", data={"username": CISO, "password": PASSWORD})
        assert response.status_code == 200
        page = self.staff.get("/mine")
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    def cli(self, *args: str) -> str:
        result = CliRunner().invoke(cli, [*args, "--db", self.url, "--blobs", self.blobs])
        assert result.exit_code == 0, result.output
        return result.output


def _workbook(tmp_path: Path, people: int) -> bytes:
    path = write_xlsx(tmp_path / "認定者一覧.xlsx", {"認定者": incident_rows(people)})
    return eml_bytes(
        "各センター様\n対象者の一覧をお送りします。",
        {path.name: path.read_bytes()},
        charset="utf-8",
    )


def test_the_care_insurance_mis_send(tmp_path: Path, database_url: str) -> None:
    mistake = Mistake(tmp_path, database_url)
    sekisho_id = mistake.approved_as_links(_workbook(tmp_path, 7203), CENTRES)
    tokens = mistake.tokens()
    assert sorted(tokens) == CENTRES  # one link each, in a copy without the workbook
    for address in CENTRES[:3]:
        mistake.download(tokens[address])

    csrf = mistake.sign_in()
    opened = mistake.staff.post(f"/messages/{sekisho_id}/incident", data={"csrf": csrf})
    incident = opened.url.path.rsplit("/", 1)[1]
    assert re.search(r'id="people">7,203<', opened.text)
    revoked = mistake.staff.post(f"/incidents/{incident}/revoke", data={"csrf": csrf})
    assert "11件のリンクを取り消しました（ダウンロード前に取り消したもの 8件）" in revoked.text
    assert mistake.links.client.get(f"/d/{tokens[CENTRES[5]]}/f/1").status_code == 410
    discovered = datetime(2026, 12, 1, 0, 30)  # 09:30 in Japan
    mistake.staff.post(
        f"/incidents/{incident}/record",
        data={"csrf": csrf, "discovered": "2026-12-01T09:30", "cause": "宛先の選択誤り"},
    )
    assert Incidents(mistake.database).get(int(incident)).discovered_at == discovered  # type: ignore[union-attr]

    shown = json.loads(mistake.cli("incident", "show", incident))
    (message,) = shown["messages"]
    assert message["how"] == "linked" and message["journal"] == "kept"
    states = message["recipients"]
    assert sum(r["downloads"] > 0 for r in states) == 3
    assert sum(r["revoked"] and not r["downloads"] for r in states) == 8

    report = json.loads(mistake.cli("incident", "report", incident))
    assert report["report_required"] is True
    assert any("7,203人" in r and "100人超" in r for r in report["reasons"]), report["reasons"]
    assert report["deadline_preliminary"] == str(date(2026, 12, 6))
    assert report["deadline_final"] == str(date(2026, 12, 31))
    assert report["items"]["people"] == 7203
    for item in ("氏名", "生年月日", "住所", "介護保険被保険者番号", "要介護度"):
        assert item in report["items"]["data_items"], item

    business = tmp_path / "business.yaml"
    business.write_text(
        POLICY.replace("{internal_domains:", "{kind: business, internal_domains:"), "utf-8"
    )
    as_business = json.loads(mistake.cli("incident", "report", incident, "--policy", str(business)))
    assert as_business["report_required"] is True
    assert any("1,000人超" in r for r in as_business["reasons"]), as_business["reasons"]

    press = tmp_path / "press.docx"
    mistake.cli("incident", "report", incident, "--kind", "press", "--format", "docx",
                "--out", str(press))  # fmt: skip
    text = _docx_text(press)
    assert "7,203人分" in text and "11件の宛先" in text

    # The list for telling them: every one of the 7,203, each once.
    listed = affected_people(mistake.journal, [sekisho_id])
    assert len(listed.people) == 7203 and listed.unlisted == []
    numbers = {row[0] for row in incident_rows(7203)[1:]}
    assert {p.fields["JP_CARE_INSURANCE_NUMBER"] for p in listed.people} == numbers


def test_links_revoked_before_any_download_are_not_a_leak(
    tmp_path: Path, database_url: str
) -> None:
    mistake = Mistake(tmp_path, database_url)
    sekisho_id = mistake.approved_as_links(_workbook(tmp_path, 12), CENTRES[:2])
    csrf = mistake.sign_in()
    opened = mistake.staff.post(f"/messages/{sekisho_id}/incident", data={"csrf": csrf})
    incident = opened.url.path.rsplit("/", 1)[1]
    # The city's ordinance makes care levels special-care data: 12 people are reportable...
    ordinance = tmp_path / "ordinance.yaml"
    ordinance.write_text(
        POLICY.replace(
            "{internal_domains:",
            "{special_care_entities: [HEALTH_INFO, CARE_LEVEL], internal_domains:",
        ),
        "utf-8",
    )
    due = json.loads(mistake.cli("incident", "report", incident, "--policy", str(ordinance)))
    assert due["report_required"] is True and any("要配慮" in r for r in due["reasons"])
    # ...until every link is revoked before anyone downloaded it.
    revoked = mistake.staff.post(f"/incidents/{incident}/revoke", data={"csrf": csrf})
    assert "（ダウンロード前に取り消したもの 2件）" in revoked.text
    report = json.loads(mistake.cli("incident", "report", incident, "--policy", str(ordinance)))
    assert report["report_required"] is False and report["deadline_preliminary"] is None
    assert any("取り消され" in r for r in report["reasons"]), report["reasons"]
