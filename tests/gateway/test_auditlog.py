"""The gateway's batched audit of relayed mail: nothing dropped when a write fails or
when events arrive while one is under way."""

from __future__ import annotations

import asyncio

from sekisho.gateway.auditlog import BatchedAudit, Event


def test_a_failed_write_is_retried_and_late_events_are_not_left_behind() -> None:
    written: list[Event] = []
    calls = 0

    async def write(batch: list[Event]) -> None:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        if calls == 1:
            audit.record("gateway", "message.relayed", "late", {})  # during the write
            raise OSError("database is locked")
        written.extend(batch)

    audit = BatchedAudit(write, interval=0.01)

    async def run() -> None:
        audit.record("gateway", "message.relayed", "first", {})
        for _ in range(100):
            await asyncio.sleep(0.01)
            if len(written) == 2:
                return

    asyncio.run(run())
    assert [event[2] for event in written] == ["first", "late"]  # in order, none lost
    assert calls >= 2
