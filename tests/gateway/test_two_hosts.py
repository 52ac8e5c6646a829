"""Two hosts, one database: two private Postfix instances, each with its own ``sekisho
gateway --processes 2``, sharing one PostgreSQL and one spool directory (the shared mount
of a two-relay city). 1,000 messages are split across both, one gateway is SIGKILLed in
the middle and restarted, the held ones are approved through ``sekisho web`` on a third
process; then every message was delivered exactly once or is held, none lost, none
released twice, and the audit chain verifies."""

from __future__ import annotations

import re
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import httpx
import pytest

from sekisho.store import Database
from sekisho.web.security import hash_password
from tests.conftest import require
from tests.gateway.conftest import EXAMPLE_POLICY, free_port, spawn_gateway
from tests.gateway.postfix import PostfixInstance, available
from tests.gateway.test_postfix import mail

pytestmark = pytest.mark.integration

TOTAL = 1000
CISO = "ciso@city.example.lg.jp"
PASSWORD = "a long approver password"


class Host:
    def __init__(self, root: Path, name: str, database_url: str, spool: Path) -> None:
        self.root = root / name
        self.postfix = PostfixInstance(self.root, free_port(), free_port(), free_port())
        self.database_url, self.spool = database_url, spool
        self.gateway: subprocess.Popen[bytes] | None = None

    def start_gateway(self) -> None:
        self.gateway = spawn_gateway(
            self.postfix.filter_port,
            self.postfix.reinject_port,
            self.database_url,
            self.spool,
            self.root / "gateway.log",
            "--processes",
            "2",
            "--interval",
            "0.5",
        )

    def kill_gateway(self) -> None:
        assert self.gateway is not None
        self.gateway.kill()  # the workers follow their parent (PR_SET_PDEATHSIG)
        self.gateway.wait()

    def send(self, rcpts: list[str], data: bytes) -> None:
        with smtplib.SMTP("127.0.0.1", self.postfix.smtpd_port, timeout=30) as smtp:
            smtp.sendmail("clerk@kourei.city.example.lg.jp", rcpts, data)

    def settled(self) -> bool:
        self.postfix.flush()
        return self.postfix.queue_size() == 0

    def stop(self) -> None:
        if self.gateway is not None and self.gateway.poll() is None:
            self.gateway.terminate()
            self.gateway.wait(30)
        self.postfix.stop()


@pytest.fixture
def hosts(postgres_cluster) -> Iterator[tuple[Host, Host, str, Path]]:  # type: ignore[no-untyped-def]
    require(available(), "Postfix (apt-get install postfix)")
    root = Path(tempfile.mkdtemp(prefix="sekisho-two-hosts-"))
    root.chmod(0o755)  # Postfix's daemons run as the postfix user
    url = postgres_cluster.new_database()
    spool = root / "shared-spool"
    one, two = Host(root, "one", url, spool), Host(root, "two", url, spool)
    try:
        for host in (one, two):
            host.postfix.start()
            host.start_gateway()
        yield one, two, url, root
    finally:
        for host in (one, two):
            host.stop()
        shutil.rmtree(root, ignore_errors=True)


def _message(number: int) -> tuple[list[str], bytes]:
    held = number % 5 == 0
    body = f"氏名：山田 太郎{number}\n携帯 090-1234-{number:04d}" if held else f"連絡 {number}"
    to = ["someone@example.com"] if held else ["colleague@city.example.lg.jp"]
    data = mail(to, body).replace(
        b"Subject:",
        f"Message-ID: <h{number}@city.example.lg.jp>\r\nX-Test-Number: {number}\r\nSubject:".encode(),
        1,
    )
    return to, data


def _approve_through_the_web(url: str, spool: Path, root: Path) -> int:
    """Log in to ``sekisho web`` (its own process) and approve every held message."""
    database = Database(url)
    database.add_user(CISO, hash_password(PASSWORD), "approver")
    port = free_port()
    with (root / "web.log").open("ab") as log:
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sekisho.cli.main",
                "web",
                "--listen",
                f"127.0.0.1:{port}",
                "--db",
                url,
                "--spool",
                str(spool),
                "--policy",
                str(EXAMPLE_POLICY),
                "--secret",
                "two-hosts-secret",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, (root / "web.log").read_text()
                time.sleep(0.2)
        approved = 0
        with httpx.Client(base_url=base, timeout=30) as client:
            client.post("/login", data={"username": CISO, "password": PASSWORD})
            for record in database.messages("held"):
                page = client.get(f"/messages/{record.sekisho_id}")
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
                response = client.post(
                    f"/messages/{record.sekisho_id}/approve",
                    data={"comment": "本人確認済み", "csrf": csrf},
                    follow_redirects=False,
                )
                assert response.status_code == 303, response.text[:500]
                approved += 1
        return approved
    finally:
        web.terminate()
        web.wait(20)


def test_two_hosts_one_database_lose_nothing_and_release_nothing_twice(hosts) -> None:  # type: ignore[no-untyped-def]
    one, two, url, root = hosts
    for number in range(TOTAL):
        to, data = _message(number)
        (one if number % 2 else two).send(to, data)
        if number == TOTAL // 3:
            one.kill_gateway()
        if number == TOTAL // 2:
            one.start_gateway()

    def everything_settled() -> bool:
        return one.settled() and two.settled()

    _wait(everything_settled, 300, root)
    database = Database(url)
    _wait(lambda: len(database.messages("held")) == TOTAL // 5, 120, root)
    assert _approve_through_the_web(url, one.spool, root) == TOTAL // 5
    _wait(lambda: len(database.messages("delivered")) == TOTAL // 5, 180, root)
    _wait(everything_settled, 120, root)

    delivered: dict[int, set[str]] = {}
    for host in (one, two):
        for raw in host.postfix.delivered():
            message = message_from_bytes(raw, policy=email_policy.default)
            if message["X-Test-Number"] is not None:
                delivered.setdefault(int(str(message["X-Test-Number"])), set()).add(
                    str(message["X-Sekisho-Id"])
                )
    missing = sorted(set(range(TOTAL)) - set(delivered))
    assert not missing, f"lost: {missing[:20]}"
    # A copy relayed twice after the crash carries one Sekisho ID in both: the MTA's retry
    # of a message it was not told about, never a second release.
    assert all(len(ids) == 1 for ids in delivered.values())
    releases = [
        e for e in database.events(action="message.delivered") if e.action == "message.delivered"
    ]
    assert len(releases) == len({e.sekisho_id for e in releases}) == TOTAL // 5
    verified = subprocess.run(
        [sys.executable, "-m", "sekisho.cli.main", "audit", "verify", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def _wait(condition, timeout: float, root: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(
                p.read_text(errors="replace")[-1500:] for p in sorted(root.rglob("*.log"))
            )
            raise AssertionError(f"timed out\n{logs}")
        time.sleep(0.5)
