"""SIGTERM of ``sekisho run`` in the middle of a burst of 100 messages through the real
Postfix: it exits 0 with no traceback, and after it is started again every message is
delivered — none lost, Postfix kept what was not yet answered 250."""

# ruff: noqa: F811  (the test takes test_postfix's ``stack`` fixture, imported by name)
from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.gateway.conftest import free_port
from tests.gateway.test_postfix import Stack, mail, parsed, stack  # noqa: F401
from tests.gateway.test_workers import wait_until

pytestmark = pytest.mark.integration

COLLEAGUE = "colleague@city.example.lg.jp"


def _run(stack: Stack, out: Path) -> subprocess.Popen[bytes]:
    sekisho = Path(sys.executable).with_name("sekisho")
    with out.open("ab") as log:
        return subprocess.Popen(
            [str(sekisho), "run", "--home", str(stack.root / "run"),
             "--smtp", f"127.0.0.1:{stack.postfix.filter_port}",
             "--upstream", f"127.0.0.1:{stack.postfix.reinject_port}",
             "--http", f"127.0.0.1:{free_port()}", "--public", f"127.0.0.1:{free_port()}",
             "--processes", "2"],
            stdout=log, stderr=subprocess.STDOUT, cwd=stack.root,
        )  # fmt: skip


def _numbers(stack: Stack) -> set[int]:
    found = set()
    for raw in stack.postfix.delivered():
        number = parsed(raw)["X-Test-Number"]
        if number is not None:
            found.add(int(str(number)))
    return found


def test_sigterm_in_a_burst_exits_cleanly_and_loses_nothing(stack: Stack) -> None:
    assert stack.gateway is not None
    stack.gateway.terminate()
    stack.gateway.wait(15)
    out = stack.root / "run.out"
    run = _run(stack, out)
    wait_until(lambda: "Try:" in out.read_text(errors="replace"), 60)

    def burst(numbers: range) -> None:
        for number in numbers:
            data = mail([COLLEAGUE], f"連絡 {number}").replace(
                b"Subject:", f"X-Test-Number: {number}\r\nSubject:".encode(), 1
            )
            stack.send([COLLEAGUE], data)

    burst(range(50))
    wait_until(lambda: len(_numbers(stack)) >= 10, 120)
    # SIGTERM with the first half flowing through, the second half arriving meanwhile.
    rest = threading.Thread(target=burst, args=(range(50, 100),))
    rest.start()
    run.send_signal(signal.SIGTERM)
    assert run.wait(30) == 0
    rest.join(120)
    stopped_with = len(_numbers(stack))
    text = out.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "sekisho run: stopped" in text

    again = _run(stack, out)
    wait_until(lambda: out.read_text(errors="replace").count("Try:") == 2, 60)
    try:

        def settled() -> bool:
            stack.postfix.flush()
            return stack.postfix.queue_size() == 0 and len(_numbers(stack)) == 100

        stack.wait_for(settled, timeout=240)
        assert _numbers(stack) == set(range(100))
        assert stopped_with < 100  # the SIGTERM did land in the middle of the burst
        assert "bounced" not in stack.postfix.log()
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(30) == 0
