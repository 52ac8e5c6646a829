"""``sekisho web --workers 2 --public-listen …`` as its own process: two uvicorn workers
for the staff UI (and two for the public listener); a session made by one is honoured by
the other (every request on a new connection), a decision goes through, and the login
throttle counts failures whichever worker saw them."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sekisho.store import Database
from sekisho.web.security import hash_password
from tests.gateway.conftest import free_port
from tests.web.test_web import CISO, PASSWORD, _record


def _running(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # zombies are done
    except FileNotFoundError:
        return False


def _fresh() -> httpx.Limits:
    return httpx.Limits(max_keepalive_connections=0)  # each request on a new connection


def test_two_web_workers_share_sessions_and_the_throttle(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    database = Database(url)
    database.add_user(CISO, hash_password(PASSWORD), "approver")
    database.add_message(_record("small1", records=3))
    port, public = free_port(), free_port()
    log = (tmp_path / "web.log").open("ab")
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
            str(tmp_path / "spool"),
            "--workers",
            "2",
            "--public-listen",
            f"127.0.0.1:{public}",
            "--secret",
            "workers-secret",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
            time.sleep(0.2)
        workers = subprocess.run(
            ["pgrep", "-P", str(web.pid), "-f", "spawn_main"], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) == 3  # two for the staff UI, the public listener's supervisor
        deadline = time.monotonic() + 60
        while True:  # the public listener, with workers of its own
            try:
                unknown = httpx.get(f"http://127.0.0.1:{public}/d/{'A' * 43}", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
                time.sleep(0.2)
        assert unknown.status_code == 404 and "リンクが見つかりません" in unknown.text

        with httpx.Client(base_url=base, limits=_fresh(), timeout=30) as client:
            client.post("/login", data={"username": CISO, "password": PASSWORD})
            pages = [client.get("/queue", follow_redirects=False) for _ in range(20)]
            assert [p.status_code for p in pages] == [200] * 20  # no worker asks to log in
            csrf = re.search(r'name="csrf" value="([^"]+)"', pages[-1].text).group(1)  # type: ignore[union-attr]
            approved = client.post(
                "/messages/small1/approve",
                data={"comment": "確認済み", "csrf": csrf},
                follow_redirects=False,
            )
            assert approved.status_code == 303
        assert database.get("small1").state == "approved"  # type: ignore[union-attr]

        with httpx.Client(base_url=base, limits=_fresh(), timeout=30) as stranger:
            codes = [
                stranger.post("/login", data={"username": CISO, "password": "wrong"}).status_code
                for _ in range(5)
            ]
            assert codes == [401] * 5
            right = stranger.post("/login", data={"username": CISO, "password": PASSWORD})
            assert right.status_code == 429
    finally:
        children = subprocess.run(
            ["pgrep", "-P", str(web.pid)], capture_output=True, text=True
        ).stdout.split()
        web.terminate()
        assert web.wait(30) == 0
        assert children
        deadline = time.monotonic() + 15
        while left := [pid for pid in children if _running(pid)]:
            assert time.monotonic() < deadline, f"left running: {left}"
            time.sleep(0.2)
        log.close()
