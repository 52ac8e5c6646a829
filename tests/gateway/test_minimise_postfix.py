"""Issue 15's browser test, with every real part: Postfix, the gateway and the web UI as
processes of their own, Debian's chromium. The incident workbook (7,203 people) to a care
centre is held; its sender, in the browser, minimises it to counts by 要介護度; what leaves
through Postfix is a table of 7 rows whose counts sum to 7,203 and holds nobody; the
approval queue no longer lists the original; the audit log shows it was discarded."""

from __future__ import annotations

import io
import re
import shutil
import smtplib
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sekisho.scan import Scanner
from sekisho.store import Database
from sekisho.web.security import hash_password
from tests.conftest import require
from tests.extract.builders import eml_bytes
from tests.factories import incident_rows, write_xlsx
from tests.gateway.postfix import available
from tests.gateway.test_links_postfix import CENTRES, CLERK, PASSWORD, LinkStack, _shot
from tests.web.test_browser import _playwright_available

pytestmark = pytest.mark.integration

APPROVER = "ciso@city.example.lg.jp"
POLICY = """\
organisation: {internal_domains: [city.example.lg.jp]}
approvers: {統括情報セキュリティ責任者: []}
rules:
  - name: roster-outside
    when: {recipients: outside, records_min: 1}
    action: hold
    role: 統括情報セキュリティ責任者
    suggest_minimise: true
    reason: {ja: "{records}人分の名簿です。", en: "A roster of {records} people."}
"""
ROWS = incident_rows(7203)


@pytest.fixture
def stack() -> Iterator[LinkStack]:
    require(available(), "Postfix (apt-get install postfix)")
    require(_playwright_available(), "chromium (apt-get install chromium) and playwright")
    root = Path(tempfile.mkdtemp(prefix="sekisho-minimise-"))
    root.chmod(0o755)  # Postfix's daemons (user postfix) must reach the Maildir
    running = LinkStack(root)
    running.policy.write_text(POLICY, encoding="utf-8")
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(root, ignore_errors=True)


def _sign_in(page, staff: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{staff}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_the_sender_sends_counts_instead_of_the_roster(
    stack: LinkStack,
    page,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    workbook = write_xlsx(tmp_path / "認定者一覧.xlsx", {"認定者": ROWS}).read_bytes()
    data = eml_bytes("調査の件で一覧を送ります。", {"認定者一覧.xlsx": workbook}, charset="utf-8")
    data = data.replace(b"To: center@care.example.jp", f"To: {CENTRES[0]}".encode())
    data = data.replace(b"From: clerk@city.example.lg.jp", f"From: {CLERK}".encode())
    with smtplib.SMTP("127.0.0.1", stack.postfix.smtpd_port, timeout=30) as smtp:
        smtp.sendmail(CLERK, [CENTRES[0]], data)

    database = Database(stack.database_url)
    stack.wait_for(lambda: len(database.messages("held")) == 1, 120)
    (held,) = database.messages("held")
    assert held.records == 7203
    database.add_user(CLERK, hash_password(PASSWORD), "sender")
    database.add_user(APPROVER, hash_password(PASSWORD), "approver")
    staff = f"http://127.0.0.1:{stack.staff_port}"

    _sign_in(page, staff, CLERK)
    page.goto(f"{staff}/messages/{held.sekisho_id}")
    page.click("#minimise")
    page.check("input[name=columns][value=要介護度]")
    page.click("#preview-button")
    assert "7,203人 → 0人" in page.inner_text("#people-change")
    assert len(page.query_selector_all("#preview-table tbody tr")) == 8  # 7 levels, total
    _shot(page, "minimise-preview")
    page.click("#send-minimised")
    assert "元のメールは送信されません" in page.inner_text("#done")

    stack.wait_for(lambda: stack.mails_to(CENTRES[0]), 120)
    (left,) = stack.mails_to(CENTRES[0])
    (attachment,) = list(left.iter_attachments())
    assert attachment.get_filename() == "認定者一覧_必要な情報のみ.xlsx"
    table = (
        CalamineWorkbook.from_filelike(io.BytesIO(attachment.get_payload(decode=True)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert table[0] == ["要介護度", "人数"] and len(table) == 9
    counts = Counter(row[6] for row in ROWS[1:])
    assert {row[0]: row[1] for row in table[1:-1]} == {k: float(v) for k, v in counts.items()}
    assert sum(row[1] for row in table[1:-1]) == 7203 == table[-1][1]
    delivered = left.as_bytes()
    assert Scanner().scan_bytes(delivered, kind="eml").detection.records == 0
    assert workbook[:64] not in delivered

    _sign_in(page, staff, APPROVER)
    page.goto(f"{staff}/queue")
    assert held.sekisho_id not in page.content()
    page.goto(f"{staff}/audit?action=message.minimised")
    row = page.inner_text("table")
    assert held.sekisho_id in row and CLERK in row
    (event,) = database.events(action="message.minimised")
    assert event.sekisho_id == held.sekisho_id and event.detail["people_after"] == 0
    assert database.get(held.sekisho_id).state == "minimised"
    assert re.search(r"message\.resubmitted", str([e.action for e in database.events()]))
