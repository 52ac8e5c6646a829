"""SIGTERM and SIGINT stop ``sekisho gateway`` (one process or several) and ``sekisho web``
cleanly: exit 0, "stopped" in the log, no traceback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gateway.conftest import free_port


def _until_listening(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.2)
    raise AssertionError("not listening")


@pytest.mark.parametrize(
    ("command", "stop"),
    [
        ("gateway 1", signal.SIGTERM),
        ("gateway 2", signal.SIGTERM),
        ("gateway 1", signal.SIGINT),
        ("web", signal.SIGTERM),
    ],
)
def test_a_signal_stops_it_cleanly(tmp_path: Path, command: str, stop: signal.Signals) -> None:
    port = free_port()
    db = ["--db", f"sqlite:///{tmp_path / 's.db'}", "--spool", str(tmp_path / "spool")]
    if command.startswith("gateway"):
        args = ["gateway", "--listen", f"127.0.0.1:{port}", "--upstream", "127.0.0.1:9",
                "--processes", command.split()[1], *db]  # fmt: skip
    else:
        args = ["web", "--listen", f"127.0.0.1:{port}", *db]
    process = subprocess.Popen(
        [sys.executable, "-m", "sekisho.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _until_listening(port, process)
        process.send_signal(stop)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err[-2000:]
    assert "stopped" in err and "Traceback" not in err, err[-2000:]
