"""A setting that cannot work is one clear line and exit 2, never a traceback: a policy
with errors (its line numbers), a port another program holds, a database out of reach."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path


def _sekisho(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sekisho.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_policy_with_errors_is_named_with_its_lines(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text("rules:\n  - name: x\n    action: explode\n", encoding="utf-8")
    done = _sekisho("run", "--home", str(tmp_path / "var"), "--policy", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "line 3: rule 'x': action must be one of" in done.stderr
    gateway = _sekisho("gateway", "--policy", str(bad), "--db", f"sqlite:///{tmp_path / 'g.db'}")
    assert gateway.returncode == 2 and "ポリシーの誤り" in gateway.stderr


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        for processes in ("1", "2"):
            done = _sekisho(
                "gateway", "--listen", f"127.0.0.1:{port}", "--processes", processes,
                "--db", f"sqlite:///{tmp_path / 'g.db'}", "--spool", str(tmp_path / "spool"),
                "--upstream", "127.0.0.1:9",
            )  # fmt: skip
            assert done.returncode == 2, done.stderr[-2000:]
            assert f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


def test_a_database_out_of_reach_is_one_line() -> None:
    done = _sekisho(
        "user", "add", "x@city.example.lg.jp", "--role", "sender",
        "--db", "postgresql+psycopg://u:p@127.0.0.1:9/none",
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot reach the database" in done.stderr
