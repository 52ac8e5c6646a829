"""``sekisho run`` (what ``make run`` starts) as a user runs it: gateway workers on every
core beside the web UI, mail through to the Maildir, a roster held and seen in the queue
by the first admin, and everything gone after SIGTERM."""

from __future__ import annotations

import re
import signal
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, roster_rows
from tests.gateway.conftest import free_port
from tests.gateway.test_workers import alive, wait_until, workers

CLERK = "clerk@city.example.lg.jp"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _descendants(pid: int) -> set[int]:
    found = set()
    for child in workers(pid) | {
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    }:
        found |= {child, *_descendants(child)}
    return found


@pytest.mark.parametrize("processes", [2, 1])
def test_run_serves_mail_and_the_web_and_stops_cleanly(tmp_path: Path, processes: int) -> None:
    smtp, http, public = free_port(), free_port(), free_port()
    out = (tmp_path / "run.out").open("w+")
    sekisho = Path(sys.executable).with_name("sekisho")
    process = subprocess.Popen(
        [str(sekisho), "run", "--home", str(tmp_path / "var"), "--smtp", f"127.0.0.1:{smtp}",
         "--http", f"127.0.0.1:{http}", "--public", f"127.0.0.1:{public}", "--processes", str(processes)],
        stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
    )  # fmt: skip
    try:
        wait_until(lambda: _listening(smtp) and _listening(http), 60)
        if processes > 1:
            # The parent keeps the web UI; a supervisor process holds the gateway workers.
            (supervisor,) = workers(process.pid)
            wait_until(lambda: len(workers(supervisor)) == processes)

        with smtplib.SMTP("127.0.0.1", smtp, timeout=30) as client:
            client.sendmail(CLERK, ["colleague@city.example.lg.jp"], b"Subject: memo\r\n\r\nhi\r\n")
            rows = [[name, phone] for name, _number, phone in roster_rows(150)]  # no My Number
            roster = eml_bytes("名簿です", {"名簿.csv": csv_bytes(rows, "cp932")})
            client.mail(CLERK)
            client.rcpt("centre@care.example.jp")
            code, reply = client.data(roster.replace(b"\n", b"\r\n"))
        assert code == 250 and b"held" in reply
        maildir = tmp_path / "var" / "maildir" / "new"
        wait_until(lambda: maildir.exists() and len(list(maildir.iterdir())) >= 1)
        delivered = [p.read_bytes() for p in maildir.iterdir()]
        assert any(b"Subject: memo" in m for m in delivered)
        assert not any("名簿".encode() in m and b"centre@care" in m for m in delivered)

        out.flush()
        printed = (tmp_path / "run.out").read_text()
        assert ("2 processes" if processes > 1 else "1 process)") in printed
        password = re.search(r"one-time password: (\S+)", printed).group(1)  # type: ignore[union-attr]
        with httpx.Client(base_url=f"http://127.0.0.1:{http}", follow_redirects=True) as web:
            login = web.post(
                "/login", data={"username": "admin@city.example.lg.jp", "password": password}
            )
            # A one-time password: every page leads to the change form until it is changed.
            assert login.status_code == 200 and str(login.url).endswith("/password")
            assert str(web.get("/queue").url).endswith("/password")
            csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
            new = "quiet river under the old bridge"
            changed = web.post(
                "/password",
                data={"current": password, "new": new, "repeat": new, "csrf": csrf},
            )
            assert changed.status_code == 200 and 'id="done"' in changed.text
            queue = web.get("/queue")
            assert queue.status_code == 200 and "150" in queue.text

        everything = {process.pid, *_descendants(process.pid)}
        if processes > 1:
            assert len(everything) >= 4  # run, the supervisor, two workers
        else:  # the gateway in run's own process; its one spawned child is the scanner
            (scanner,) = workers(process.pid)
            assert not workers(scanner)
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        wait_until(lambda: not any(alive(pid) for pid in everything), 20)
        out.flush()
        assert "Traceback" not in (tmp_path / "run.out").read_text()
        assert "sekisho run: stopped" in (tmp_path / "run.out").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        out.close()
