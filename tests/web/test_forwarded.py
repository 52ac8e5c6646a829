"""Whose word on the client's address counts: by default the TCP peer's, so that anybody
sending X-Forwarded-For cannot pick the address the login throttle and the audit log
see; with ``--forwarded-allow-ips`` the named reverse proxy's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from sekisho.store import Database
from tests.gateway.conftest import free_port


def _failed_login_client(tmp_path: Path, *extra: str) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    port = free_port()
    command = [sys.executable, "-m", "sekisho.cli.main", "web", "--listen",
               f"127.0.0.1:{port}", "--db", url, "--spool", str(tmp_path / "spool"), *extra]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/login",
                    data={"username": "nobody@city.example.lg.jp", "password": "wrong"},
                    headers={"X-Forwarded-For": "198.51.100.1"},
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "sekisho web did not start"
                time.sleep(0.2)
        assert response.status_code == 401
    finally:
        process.terminate()
        process.wait(20)
    (event,) = Database(url).events(action="login.failed")
    return event.detail["client"]


def test_forwarded_headers_are_believed_only_from_named_proxies(tmp_path: Path) -> None:
    assert _failed_login_client(tmp_path / "a") == "127.0.0.1"
    trusted = _failed_login_client(tmp_path / "b", "--forwarded-allow-ips", "127.0.0.1")
    assert trusted == "198.51.100.1"
