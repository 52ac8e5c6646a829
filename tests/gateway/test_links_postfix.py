"""Links end to end: a real Postfix hands the mail to ``sekisho gateway`` (a process of its
own); once approved, each recipient's copy goes back through Postfix into the Maildir with
only that recipient's link; ``sekisho web --public-listen`` (another process) serves the
file to Debian's chromium after the code that came by mail; ``sekisho message revoke`` and
``ask-delete`` take it back. Skips without Postfix or chromium; CI requires both."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

import orjson
import pytest

from sekisho.store import Database
from sekisho.web.security import hash_password
from tests.conftest import require
from tests.extract.builders import eml_bytes
from tests.factories import incident_rows, write_xlsx
from tests.gateway.conftest import free_port, spawn_gateway
from tests.gateway.postfix import PostfixInstance, available
from tests.web.test_browser import ARTIFACTS, _playwright_available

pytestmark = pytest.mark.integration

CLERK = "clerk@kourei.city.example.lg.jp"
APPROVER = "ciso@city.example.lg.jp"
CENTRES = ["a@care1.example.jp", "b@care2.example.jp", "c@care3.example.jp"]
SECRET = "links-e2e-secret"
PASSWORD = "a long approver password"
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
    reason: {ja: "承認後にリンクで送ります。", en: "Held, then sent as links."}
  - {name: internal, when: {recipients: internal}, action: deliver}
"""
NAME = "認定者一覧.xlsx"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/d/([A-Za-z0-9_-]{43})")
CONFIRMATION = re.compile(r"http://127\.0\.0\.1:\d+/x/[A-Za-z0-9_.-]+")
CODE = re.compile(r"\b(\d{6})\b")


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=email_policy.default)  # type: ignore[return-value]


def text_of(message: EmailMessage) -> str:
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"
    )


class LinkStack:
    """Postfix, the gateway and the web process (staff UI plus public listener)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.postfix = PostfixInstance(root / "postfix", free_port(), free_port(), free_port())
        self.database_url = f"sqlite:///{root / 'sekisho.db'}"
        self.public_port = free_port()
        self.staff_port = free_port()
        self.public_url = f"http://127.0.0.1:{self.public_port}"
        self.policy = root / "policy.yaml"
        self.policy.write_text(POLICY)
        self.processes: list[subprocess.Popen[bytes]] = []

    def common(self) -> list[str]:
        return ["--db", self.database_url, "--blobs", str(self.root / "blobs")]

    def start(self) -> None:
        self.postfix.start()
        self.processes.append(
            spawn_gateway(
                self.postfix.filter_port,
                self.postfix.reinject_port,
                self.database_url,
                self.root / "spool",
                self.root / "gateway.log",
                "--interval",
                "0.5",
                "--policy",
                str(self.policy),
                "--secret",
                SECRET,
                "--public-url",
                self.public_url,
                "--blobs",
                str(self.root / "blobs"),
            )
        )
        with (self.root / "web.log").open("ab") as log:
            self.processes.append(
                subprocess.Popen(
                    [
                        *self.sekisho("web"),
                        "--listen",
                        f"127.0.0.1:{self.staff_port}",
                        "--public-listen",
                        f"127.0.0.1:{self.public_port}",
                        "--secret",
                        SECRET,
                        "--policy",
                        str(self.policy),
                        "--spool",
                        str(self.root / "spool"),
                        *self.common(),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            )
        self.wait_for(self._public_answers, 30)

    def _public_answers(self) -> bool:
        import urllib.error
        import urllib.request

        try:
            urllib.request.urlopen(self.public_url + "/d/" + "A" * 43, timeout=2)
        except urllib.error.HTTPError as refused:
            return refused.code == 404
        except OSError:
            return False
        return False

    @staticmethod
    def sekisho(*args: str) -> list[str]:
        return [sys.executable, "-m", "sekisho.cli.main", *args]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.sekisho(*args), *self.common()],
            capture_output=True,
            text=True,
            timeout=60,
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        self.postfix.stop()

    def send(self, data: bytes) -> None:
        import smtplib

        with smtplib.SMTP("127.0.0.1", self.postfix.smtpd_port, timeout=30) as smtp:
            smtp.sendmail(CLERK, CENTRES, data)

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [
            m for m in map(parsed, self.postfix.delivered()) if str(m["Delivered-To"]) == address
        ]

    def wait_for(self, condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                logs = "".join(
                    (self.root / name).read_text(errors="replace")[-2000:]
                    for name in ("gateway.log", "web.log")
                    if (self.root / name).exists()
                )
                raise AssertionError(f"timed out\n{self.postfix.log()[-2000:]}\n{logs}")
            time.sleep(0.3)


@pytest.fixture
def stack() -> Iterator[LinkStack]:
    require(available(), "Postfix (apt-get install postfix)")
    require(_playwright_available(), "chromium (apt-get install chromium) and playwright")
    root = Path(tempfile.mkdtemp(prefix="sekisho-links-"))
    root.chmod(0o755)  # Postfix's daemons (user postfix) must reach the Maildir
    running = LinkStack(root)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(root, ignore_errors=True)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"links-{name}.png"), full_page=True)


def _download(page, stack: LinkStack, address: str, link: str, shots: bool = False) -> bytes:  # type: ignore[no-untyped-def]
    """What a recipient does: open the link, ask for the code, read it from their own
    mailbox, type it, download."""
    response = page.goto(link)
    assert response.status == 200
    assert CLERK in page.inner_text("#sender") and NAME in page.inner_text("#files")
    if shots:
        _shot(page, "1-page")
    before = len(stack.mails_to(address))
    page.click("#send-code")
    stack.wait_for(lambda: len(stack.mails_to(address)) > before)
    (code_mail,) = stack.mails_to(address)[before:]
    code = CODE.search(str(code_mail["Subject"])).group(1)  # type: ignore[union-attr]
    assert code in text_of(code_mail)
    page.fill("#code", code)
    if shots:
        _shot(page, "2-code")
    page.click("#verify")
    page.wait_for_selector("a.download")
    if shots:
        _shot(page, "3-confirmed")
    with page.expect_download() as started:
        page.click("a.download")
    download = started.value
    assert download.suggested_filename == NAME
    return Path(download.path()).read_bytes()


def test_links_through_postfix_download_in_a_browser_revoke_and_ask_to_delete(
    stack: LinkStack,
    page,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    workbook = write_xlsx(tmp_path / NAME, {"一覧": incident_rows(40)}).read_bytes()
    data = eml_bytes("調査の件で一覧を送ります。", {NAME: workbook}, charset="utf-8")
    data = data.replace(b"To: center@care.example.jp", ("To: " + ", ".join(CENTRES)).encode())
    stack.send(data.replace(b"From: clerk@city.example.lg.jp", f"From: {CLERK}".encode()))

    database = Database(stack.database_url)
    stack.wait_for(lambda: len(database.messages("held")) == 1)
    (held,) = database.messages("held")
    assert held.then == "link"
    database.decide(held.sekisho_id, approve=True, actor=APPROVER, comment="2件だけなら可")
    stack.wait_for(lambda: all(stack.mails_to(address) for address in CENTRES))

    links: dict[str, str] = {}
    for address in CENTRES:
        (copy,) = stack.mails_to(address)
        assert all(part.get_content_maintype() in ("text", "multipart") for part in copy.walk()), (
            f"{address}'s copy still carries an attachment"
        )
        assert workbook[:64] not in copy.as_bytes()
        found = set(LINK.findall(text_of(copy)))
        assert len(found) == 1, f"{address} sees {len(found)} links"
        links[address] = f"{stack.public_url}/d/{found.pop()}"
    assert len(set(links.values())) == 3  # each its own

    first, second, third = CENTRES
    assert _download(page, stack, first, links[first], shots=True) == workbook

    revoked = stack.cli("message", "revoke", held.sekisho_id, "--recipient", first)
    assert revoked.returncode == 0, revoked.stderr
    response = page.goto(links[first])
    assert response.status == 410
    assert "取り消されました" in page.inner_text("#title")
    _shot(page, "4-revoked")

    assert _download(page, stack, second, links[second]) == workbook  # untouched by the revoke

    shown = stack.cli("message", "show", held.sekisho_id, "--format", "json")
    summary = orjson.loads(shown.stdout)
    states = {r["address"]: (r["link_state"], r["downloads"]) for r in summary["recipients"]}
    assert states == {first: ("revoked", 1), second: ("active", 1), third: ("active", 0)}

    # The approver takes back the rest from the message page of the staff UI.
    database.add_user(APPROVER, hash_password(PASSWORD), "approver")
    staff = f"http://127.0.0.1:{stack.staff_port}"
    page.goto(f"{staff}/login")
    page.fill("input[name=username]", APPROVER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{staff}/messages/{held.sekisho_id}")
    assert "取り消し済み" in page.inner_text(f'tr[data-address="{first}"]')
    assert "1 / 3" in page.inner_text(f'tr[data-address="{second}"]')
    _shot(page, "6-message-page")
    page.click("#revoke-all")
    assert "2件のリンクを取り消しました" in page.inner_text("#done")
    assert page.goto(links[second]).status == 410

    asked = stack.cli(
        "message", "ask-delete", held.sekisho_id, "--public-url", stack.public_url,
        "--secret", SECRET,
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    stack.wait_for(lambda: all(len(stack.mails_to(address)) >= 2 for address in CENTRES))
    request = stack.mails_to(third)[-1]
    (confirmation,) = set(CONFIRMATION.findall(text_of(request)))
    page.goto(confirmation)
    _shot(page, "5-delete")
    page.check("#deleted")
    page.click("#confirm-deletion")
    assert "ご協力ありがとうございました" in page.inner_text("#title")
    assert page.goto(confirmation).status == 410  # single use
    assert "確認済みです" in page.inner_text("#title")

    summary = orjson.loads(stack.cli("message", "show", held.sekisho_id, "--format", "json").stdout)
    confirmed = {r["address"]: r["deletion_confirmed_at"] for r in summary["recipients"]}
    assert confirmed[third] is not None and confirmed[first] is None
    page.goto(f"{staff}/messages/{held.sekisho_id}")
    assert "削除確認済み 1/3" in page.inner_text("#deletion-count")
    _shot(page, "7-deletion-count")
