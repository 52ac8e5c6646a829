"""``sekisho gateway --processes 2``: two worker processes on one port under a supervising
parent. A worker that dies is replaced and mail keeps flowing; SIGTERM drains and ends
them all; a SIGKILLed parent takes its workers with it (nobody left holding the port)."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.gateway.conftest import Sink, free_port, spawn_gateway


def workers(parent: int) -> set[int]:
    """The parent's worker processes (not multiprocessing's resource tracker)."""
    found = subprocess.run(
        ["pgrep", "-P", str(parent), "-f", "spawn_main"], capture_output=True, text=True
    ).stdout.split()
    return {int(pid) for pid in found}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # not a zombie
    except (ProcessLookupError, FileNotFoundError):
        return False


def wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def send(port: int, number: int) -> None:
    """As an MTA sends: a connection reset before the 250 (one that a dying worker had
    accepted) is tried again; only a 250 counts as taken."""
    for attempt in range(5):
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                smtp.sendmail(
                    "clerk@city.example.lg.jp",
                    ["colleague@city.example.lg.jp"],
                    f"Subject: memo {number}\r\nMessage-ID: <w{number}@city>\r\n\r\n"
                    f"連絡 {number}\r\n".encode(),
                )
            return
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError(f"message {number} was never taken")


class Running:
    def __init__(self, root: Path) -> None:
        self.sink = Sink()
        self.controller = Controller(
            self.sink, hostname="127.0.0.1", port=free_port(), decode_data=False
        )
        self.controller.start()
        self.port = free_port()
        self.log = root / "gateway.log"
        self.process = spawn_gateway(
            self.port,
            self.controller.port,
            f"sqlite:///{root / 'sekisho.db'}",
            root / "spool",
            self.log,
            "--processes",
            "2",
            "--interval",
            "0.2",
        )
        wait_until(lambda: len(workers(self.process.pid)) == 2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.controller.stop()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    gateway = Running(tmp_path)
    yield gateway
    gateway.stop()


def test_a_dead_worker_is_replaced_and_no_mail_is_lost(running: Running) -> None:
    first = workers(running.process.pid)
    for number in range(20):
        send(running.port, number)
    victim = min(first)
    wait_until(lambda: len(workers(victim)) == 1)  # its scan process, warmed
    (scanner,) = workers(victim)
    os.kill(victim, signal.SIGKILL)
    for number in range(20, 40):  # the other worker takes them meanwhile
        send(running.port, number)
    wait_until(
        lambda: (
            len(workers(running.process.pid)) == 2 and victim not in workers(running.process.pid)
        )
    )
    for number in range(40, 60):
        send(running.port, number)
    running.sink.wait(60, timeout=30)
    subjects = sorted(
        int(data.split(b"Subject: memo ")[1].split(b"\r\n")[0])
        for _, _, data in running.sink.messages
    )
    assert subjects == list(range(60))
    assert "restarting" in running.log.read_text()
    wait_until(lambda: not alive(scanner), timeout=15)  # the killed worker's scan process too


def test_sigterm_drains_every_worker_and_ends(running: Running) -> None:
    pids = workers(running.process.pid)
    send(running.port, 1)
    running.process.terminate()
    assert running.process.wait(30) == 0
    assert not any(alive(pid) for pid in pids)
    assert running.log.read_text().count("shutting down") == 2  # each worker drained


def test_a_killed_parent_leaves_no_worker_holding_the_port(running: Running) -> None:
    pids = workers(running.process.pid)
    for pid in list(pids):
        wait_until(lambda pid=pid: len(workers(pid)) == 1)
    pids |= {scanner for pid in list(pids) for scanner in workers(pid)}  # and scan processes
    running.process.kill()
    running.process.wait(10)
    wait_until(lambda: not any(alive(pid) for pid in pids), timeout=15)
    with pytest.raises(OSError):
        smtplib.SMTP("127.0.0.1", running.port, timeout=5)
