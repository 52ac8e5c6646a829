"""The web UI in a real browser (Debian's chromium driven by Playwright), against a real
gateway delivering into a Maildir. Skips on a laptop without chromium; CI installs it."""

from __future__ import annotations

import mailbox
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from sekisho.policy import load_policy
from sekisho.store import Database, Spool
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.conftest import require
from tests.extract.builders import zip_bytes
from tests.factories import csv_bytes, incident_rows, write_xlsx
from tests.gateway.conftest import EXAMPLE_POLICY, free_port, start_gateway
from tests.gateway.test_gateway import message, send

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CLERK = "clerk@kourei.city.example.lg.jp"
CISO = "ciso@city.example.lg.jp"
SECOND = "security@city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(1, 4)]
PASSWORD = "a long demo password"


def _playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


class Stack:
    def __init__(self, root: Path) -> None:
        self.maildir = root / "maildir"
        self.policy = load_policy(EXAMPLE_POLICY)
        self.config, self.stop_gateway = start_gateway(root, f"maildir:{self.maildir}", self.policy)
        self.database = Database(self.config.database_url)
        for name, role in ((CLERK, "sender"), (CISO, "approver"), (SECOND, "approver")):
            self.database.add_user(name, hash_password(PASSWORD), role)
        import uvicorn

        app = create_app(
            self.database, Spool(self.config.spool_dir), "browser-test-secret", self.policy
        )
        self.http_port = free_port()
        self.web = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.http_port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.web.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.web.started:
            assert time.monotonic() < deadline, "web UI did not start"
            time.sleep(0.05)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    def delivered(self) -> list:  # type: ignore[type-arg]
        if not self.maildir.exists():
            return []
        return [
            message_from_bytes(m.as_bytes(), policy=policy.default)
            for m in mailbox.Maildir(self.maildir, create=False)
        ]

    def wait_for(self, condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.1)

    def stop(self) -> None:
        self.web.should_exit = True
        self.thread.join(10)
        self.stop_gateway()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    require(_playwright_available(), "chromium (apt-get install chromium) and playwright")
    running = Stack(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def log_in(page, stack: Stack, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(stack.url("/login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_approve_reject_cancel_in_a_browser(stack: Stack, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    workbook = write_xlsx(
        tmp_path / "認定者一覧.xlsx", {"元データ": incident_rows(300)}
    ).read_bytes()
    assert (
        send(
            stack.config.listen_port,
            CLERK,
            CENTRES,
            message(CENTRES, "一覧を送ります", {"認定者一覧.xlsx": workbook}),
        )[0]
        == 250
    )
    outsider = "someone@example.com"
    assert (
        send(
            stack.config.listen_port,
            CLERK,
            [outsider],
            message([outsider], "氏名：山田 太郎\n携帯 090-1234-5678"),
        )[0]
        == 250
    )
    totals = zip_bytes({"集計.csv": csv_bytes([["地区", "人数"], ["北部", 12]])})
    assert (
        send(
            stack.config.listen_port,
            CLERK,
            [CENTRES[0]],
            message([CENTRES[0]], "集計です", {"集計.zip": totals}),
        )[0]
        == 250
    )
    incident, other = sorted(stack.database.messages("held"), key=lambda r: -r.records)
    (delayed,) = stack.database.messages("delayed")

    page = browser.new_page()
    log_in(page, stack, CISO)
    assert "承認待ちのメール" in page.inner_text("h1")
    assert "300人" in page.content()
    page.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

    # A POST without the CSRF token is refused, even with a valid session.
    refused = page.request.post(
        stack.url(f"/messages/{incident.sekisho_id}/approve"), form={"comment": "x"}
    )
    assert refused.status == 403

    page.goto(stack.url(f"/messages/{incident.sekisho_id}"))
    assert "300人" in page.content() and "委託先 partner" in page.content()
    page.screenshot(path=str(ARTIFACTS / "held-message.png"), full_page=True)
    page.fill("textarea[name=comment]", "調査票の作成に必要と確認しました")
    page.click("button:has-text('承認する')")
    # Sensitive data of 300 people: the example policy asks for a second approver.
    assert stack.database.get(incident.sekisho_id).state == "held"
    page.click("button:has-text('ログアウト')")
    log_in(page, stack, SECOND)
    page.goto(stack.url(f"/messages/{incident.sekisho_id}"))
    assert "1 / 2" in page.content()
    page.fill("textarea[name=comment]", "二人目として確認")
    page.click("button:has-text('承認する')")
    stack.wait_for(
        lambda: (
            sum(
                str(m["Delivered-To"] or m["X-Original-To"] or "").count("care.example.jp")
                for m in stack.delivered()
            )
            >= 1
        )
    )
    delivered = [m for m in stack.delivered() if "care.example.jp" in str(m["X-Original-To"])]
    assert delivered and any(
        part.get_filename() == "attachments.zip" for part in delivered[0].iter_attachments()
    )

    page.goto(stack.url(f"/messages/{other.sekisho_id}"))
    page.fill("textarea[name=comment]", "必要な項目だけにしてください")  # one rejection is enough
    page.click("button:has-text('却下する')")
    stack.wait_for(
        lambda: any(
            str(m["Subject"]).startswith("[Sekisho] 承認されませんでした")
            for m in stack.delivered()
        )
    )
    assert not any(outsider in str(m["X-Original-To"]) for m in stack.delivered())

    page.click("button:has-text('ログアウト')")
    log_in(page, stack, CLERK)
    assert page.goto(stack.url("/queue")).status == 403  # a sender has no queue
    page.goto(stack.url("/mine"))
    page.click(f"form[action='/messages/{delayed.sekisho_id}/cancel'] button")
    stack.wait_for(lambda: stack.database.get(delayed.sekisho_id).state == "cancelled")
    page.screenshot(path=str(ARTIFACTS / "my-mail.png"), full_page=True)
