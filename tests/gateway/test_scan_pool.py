"""Big messages are scanned in a child process: the facts it returns are the ones the
gateway's own scanner finds, and a child that dies costs one 451 (the MTA retries), not
the gateway."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from sekisho.gateway.pipeline import INLINE_SCAN_BYTES
from sekisho.gateway.scan_pool import ScanPool, facts_of
from sekisho.policy import load_policy
from sekisho.scan import Scanner
from tests.factories import incident_rows, write_xlsx
from tests.gateway.conftest import EXAMPLE_POLICY, Sink, start_gateway
from tests.gateway.test_gateway import CENTRES, CLERK, message, send


def _roster_mail(tmp_path: Path, rows: int = 1000) -> bytes:
    workbook = write_xlsx(tmp_path / "a.xlsx", {"元データ": incident_rows(rows)}).read_bytes()
    data = message(CENTRES[:2], "一覧です", {"認定者一覧.xlsx": workbook})
    assert len(data) > INLINE_SCAN_BYTES  # the pool's path, not the inline one
    return data


def test_the_child_finds_what_the_gateway_would(tmp_path: Path) -> None:
    data = _roster_mail(tmp_path)
    envelope = (CLERK, CENTRES[:2], ["center0@care.example.jp"])

    async def in_child():  # type: ignore[no-untyped-def]
        pool = ScanPool(1)
        try:
            await pool.warm_up()
            assert len(pool.pids()) == 1 and pool.pids()[0] != os.getpid()
            return await pool.facts(data, *envelope)
        finally:
            pool.shutdown()

    child = asyncio.run(in_child())
    here = facts_of(Scanner(), data, *envelope)
    assert child == here
    assert child.records == 1000 and "PERSON_NAME" in child.entities


def test_a_dead_scan_process_costs_one_451(tmp_path: Path, sink: Sink) -> None:
    config, stop = start_gateway(
        tmp_path,
        f"smtp:127.0.0.1:{sink.port}",  # type: ignore[attr-defined]
        load_policy(EXAMPLE_POLICY),
        scan_processes=1,
    )
    try:
        data = _roster_mail(tmp_path)
        code, reply = send(config.listen_port, CLERK, CENTRES[:2], data)
        assert code == 250 and b"held" in reply
        (child,) = [p for p in _children(os.getpid()) if p != os.getpid()][-1:]
        os.kill(child, signal.SIGKILL)
        code, _ = send(config.listen_port, CLERK, CENTRES[:2], data + b"\r\nagain\r\n")
        assert code == 451
        code, reply = send(config.listen_port, CLERK, CENTRES[:2], data + b"\r\nthird\r\n")
        assert code == 250 and b"held" in reply  # a fresh child took over
    finally:
        stop()


def _children(pid: int) -> list[int]:
    """This process's scan children (spawned with multiprocessing's spawn_main)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in command:
                found.append(int(child))
    return sorted(found)
