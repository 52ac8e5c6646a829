"""Contention through the real stack: 50 approvals of one held message arrive at once over
HTTP (uvicorn, the staff app), and two gateways' schedulers then race to release it — on
SQLite and on PostgreSQL. One approval is recorded, the message leaves once."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from sekisho.gateway.scheduler import run_once
from sekisho.store import Database
from sekisho.web.app import create_app
from sekisho.web.security import hash_password
from tests.gateway.conftest import free_port
from tests.gateway.test_scheduler import CISO, OUTSIDER, _gate, _held

PASSWORD = "correct horse battery staple"


def test_fifty_concurrent_approvals_release_the_message_once(
    tmp_path: Path, database_url: str
) -> None:
    one = _gate(tmp_path, database=Database(database_url))
    two = _gate(tmp_path, database=Database(database_url))
    record = _held(one)
    one.database.add_user(CISO, hash_password(PASSWORD), "approver")
    app = create_app(one.database, one.spool, "contention-secret", one.pipeline.policy)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", limit_concurrency=200)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "web UI did not start"
        time.sleep(0.05)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as client:
            client.post("/login", data={"username": CISO, "password": PASSWORD})
            page = client.get(f"/messages/{record.sekisho_id}")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
            cookies = dict(client.cookies)

        def approve(number: int) -> int:
            with httpx.Client(base_url=base, cookies=cookies, timeout=60) as own:
                return own.post(
                    f"/messages/{record.sekisho_id}/approve",
                    data={"comment": f"承認 {number}", "csrf": csrf},
                ).status_code

        with ThreadPoolExecutor(50) as pool:
            codes = list(pool.map(approve, range(50)))
    finally:
        server.should_exit = True
        thread.join(10)
    assert codes.count(303) == 1 and codes.count(409) == 49, codes
    approved = [e for e in one.database.events() if e.action == "message.approved"]
    assert len(approved) == 1

    async def both():  # type: ignore[no-untyped-def]
        return await asyncio.gather(run_once(one.pipeline), run_once(two.pipeline))

    passes = asyncio.run(both())
    assert sum(p.released for p in passes) == 1
    assert len(one.upstream.to(OUTSIDER)) + len(two.upstream.to(OUTSIDER)) == 1
    assert one.database.get(record.sekisho_id).state == "delivered"  # type: ignore[union-attr]
