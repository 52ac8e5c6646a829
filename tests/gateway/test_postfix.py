"""End to end with a real Postfix: client → Postfix → Sekisho (content filter) → Postfix
re-injection → Maildir. Skips on a laptop without Postfix; CI installs it and requires it."""

from __future__ import annotations

import email
import os
import shutil
import signal
import smtplib
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

from sekisho.store import Database
from tests.conftest import require
from tests.extract.builders import aes_zip, eml_bytes
from tests.factories import csv_bytes, incident_rows, write_xlsx
from tests.gateway.conftest import free_port, spawn_gateway
from tests.gateway.postfix import PostfixInstance, available

pytestmark = pytest.mark.integration

CLERK = "clerk@kourei.city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(11)]


class Stack:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.postfix = PostfixInstance(root / "postfix", free_port(), free_port(), free_port())
        self.database_url = f"sqlite:///{root / 'sekisho.db'}"
        self.gateway: subprocess.Popen[bytes] | None = None

    def start_gateway(self, upstream_port: int | None = None, *extra: str) -> None:
        self.gateway = spawn_gateway(
            self.postfix.filter_port,
            upstream_port or self.postfix.reinject_port,
            self.database_url,
            self.root / "spool",
            self.root / "gateway.log",
            "--interval",
            "0.5",
            *extra,
        )

    def kill_gateway(self) -> None:
        assert self.gateway is not None
        os.kill(self.gateway.pid, signal.SIGKILL)
        self.gateway.wait()

    def stop(self) -> None:
        if self.gateway is not None and self.gateway.poll() is None:
            self.gateway.terminate()
            self.gateway.wait(10)
        self.postfix.stop()

    def send(self, rcpts: list[str], data: bytes, mail_from: str = CLERK) -> None:
        with smtplib.SMTP("127.0.0.1", self.postfix.smtpd_port, timeout=30) as smtp:
            smtp.sendmail(mail_from, rcpts, data)

    def wait_for(self, condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                gateway = self.root / "gateway.log"
                told = gateway.read_text(errors="replace")[-3000:] if gateway.exists() else ""
                raise AssertionError(
                    f"timed out; queue={self.postfix.queue_size()}\n{self.postfix.log()[-3000:]}"
                    f"\n--- gateway ---\n{told}"
                )
            time.sleep(0.3)


@pytest.fixture
def stack() -> Iterator[Stack]:
    require(available(), "Postfix (apt-get install postfix)")
    # Postfix's daemons run as the postfix user: pytest's tmp_path (under a 0700
    # directory of root's) is out of their reach, so the instance lives in its own place.
    root = Path(tempfile.mkdtemp(prefix="sekisho-postfix-"))
    root.chmod(0o755)
    stack = Stack(root)
    try:
        stack.postfix.start()
        stack.start_gateway()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(root, ignore_errors=True)


def mail(
    to: list[str], body: str, attachments: dict[str, bytes] | None = None, subject: str = "調査の件"
) -> bytes:
    data = eml_bytes(body, attachments, charset="utf-8")
    data = data.replace(b"To: center@care.example.jp", b"To: " + ", ".join(to).encode())
    data = data.replace(b"From: clerk@city.example.lg.jp", f"From: {CLERK}".encode())
    return data.replace("認定者一覧の送付".encode(), subject.encode())


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def delivered_to(stack: Stack) -> list[str]:
    return [str(parsed(raw)["Delivered-To"]) for raw in stack.postfix.delivered()]


def test_the_incident_is_held_and_reaches_nobody_and_totals_go_through(
    stack: Stack, tmp_path: Path
) -> None:
    workbook = write_xlsx(tmp_path / "認定者一覧.xlsx", {"元データ": incident_rows()}).read_bytes()
    stack.send(CENTRES, mail(CENTRES, "調査の件で一覧を送ります。", {"認定者一覧.xlsx": workbook}))
    stack.wait_for(lambda: len(Database(stack.database_url).messages("held")) == 1)
    (held,) = Database(stack.database_url).messages("held")
    assert held.records == 7203
    stack.wait_for(lambda: CLERK in delivered_to(stack))  # the sender's notice
    assert not any(r.endswith("@care.example.jp") for r in delivered_to(stack))
    notice = parsed(stack.postfix.delivered()[0])
    assert "7203人分" in notice.get_body(("plain",)).get_content()

    totals = write_xlsx(
        tmp_path / "集計.xlsx",
        {"集計": [["区分", "人数"], ["高齢者数", 41234], ["要介護認定者数", 7203]]},
    ).read_bytes()
    stack.send(CENTRES, mail(CENTRES, "調査への回答です。", {"集計.xlsx": totals}))
    stack.wait_for(lambda: len(Database(stack.database_url).messages("delayed")) == 1)
    (delayed,) = Database(stack.database_url).messages("delayed")
    with Database(stack.database_url).session() as session:  # the 5 minutes pass
        from sekisho.store import MessageRecord

        session.get(MessageRecord, delayed.id).release_at = delayed.created_at
    stack.wait_for(lambda: sum(r.endswith("@care.example.jp") for r in delivered_to(stack)) == 11)
    copy = parsed(
        next(
            raw
            for raw in stack.postfix.delivered()
            if b"center0@care.example.jp" in raw and b"X-Sekisho-Id" in raw
        )
    )
    assert "bcc" in str(copy["X-Sekisho-Verdict"])
    assert "care.example.jp" not in str(copy["To"])  # the centres do not see each other


def test_encrypted_zip_is_held(stack: Stack) -> None:
    stack.send(
        [CENTRES[0]], mail([CENTRES[0]], "添付します", {"名簿.zip": aes_zip({"名簿.csv": b"x"})})
    )
    stack.wait_for(lambda: len(Database(stack.database_url).messages("held")) == 1)
    (held,) = Database(stack.database_url).messages("held")
    assert held.unscannable and held.rule == "unscannable-outside"


def test_my_number_is_rejected_and_the_sender_gets_the_notice(stack: Stack) -> None:
    sheet = csv_bytes([["氏名", "個人番号"], ["山田 太郎", "123456789018"]], "cp932")
    stack.send(
        ["chosa@chosa.example.co.jp"],
        mail(["chosa@chosa.example.co.jp"], "確認をお願いします", {"名簿.csv": sheet}),
    )
    stack.wait_for(lambda: CLERK in delivered_to(stack))
    assert delivered_to(stack) == [CLERK]
    body = parsed(stack.postfix.delivered()[0]).get_body(("plain",)).get_content()
    assert "個人番号（マイナンバー）を組織外へ送ることはできません" in body
    assert "123456789018" not in body


def test_japanese_addresses_survive_the_round_trip(stack: Stack) -> None:
    sender, rcpt = "山田@city.example.lg.jp", "同僚@city.example.lg.jp"
    with smtplib.SMTP("127.0.0.1", stack.postfix.smtpd_port, timeout=30) as smtp:
        smtp.sendmail(sender, [rcpt], mail([rcpt], "こんにちは"), mail_options=["SMTPUTF8"])
    stack.wait_for(lambda: len(stack.postfix.delivered()) == 1)
    assert delivered_to(stack) == [rcpt]


def test_sigkill_in_the_middle_of_500_messages_loses_none(stack: Stack) -> None:
    total = 500
    for number in range(total):
        body = (
            f"連絡 {number}"
            if number % 5
            else f"氏名：山田 太郎{number}\n携帯 090-1234-{number:04d}"
        )
        to = ["colleague@city.example.lg.jp"] if number % 5 else ["someone@example.com"]
        data = mail(to, body).replace(
            b"Subject:",
            f"Message-ID: <m{number}@city.example.lg.jp>\r\nX-Test-Number: {number}\r\nSubject:".encode(),
            1,
        )
        stack.send(to, data)
        if number == total // 3:
            stack.kill_gateway()
        if number == total // 2:
            stack.start_gateway()
    stack.postfix.flush()

    def settled() -> bool:
        stack.postfix.flush()
        return stack.postfix.queue_size() == 0

    stack.wait_for(settled, timeout=240)
    numbers_delivered: dict[int, set[str]] = {}
    for raw in stack.postfix.delivered():
        message = parsed(raw)
        if message["X-Test-Number"] is not None:
            numbers_delivered.setdefault(int(str(message["X-Test-Number"])), set()).add(
                str(message["X-Sekisho-Id"])
            )
    held = {
        int(str(parsed(Path(stack.root / "spool" / r.spool_name).read_bytes())["X-Test-Number"]))
        for r in Database(stack.database_url).messages("held")
    }
    missing = set(range(total)) - set(numbers_delivered) - held
    assert not missing, f"lost: {sorted(missing)[:20]}"
    assert len(held) == total // 5
    # A message relayed twice after the crash carries one Sekisho ID in both copies.
    assert all(len(ids) == 1 for ids in numbers_delivered.values())


@pytest.mark.parametrize(
    "shape",
    ["html only in alternative", "x-uuencode transfer encoding", "data: URI link to an xlsx"],
)
def test_hostile_shapes_are_held_not_relayed(stack: Stack, shape: str) -> None:
    """Three of the gate's hostile shapes through the real Postfix: each is held for the
    officer with the residents counted, and no copy reaches the outside recipient."""
    from tests.extract.hostile_mail import SHAPES

    data = SHAPES[shape][0]()
    data = data.replace(
        b"From: =?UTF-8?B?5biC5b255omA?= <clerk@city.example.lg.jp>", f"From: {CLERK}".encode()
    )
    stack.send([CENTRES[0]], data)
    stack.wait_for(lambda: len(Database(stack.database_url).messages("held")) == 1)
    (held,) = Database(stack.database_url).messages("held")
    assert held.records >= 80 and held.rule == "personal-data-outside"
    stack.wait_for(lambda: CLERK in delivered_to(stack))  # the sender's notice
    assert not any(r.endswith("@care.example.jp") for r in delivered_to(stack))
