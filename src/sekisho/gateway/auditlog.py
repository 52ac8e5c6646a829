"""Every relayed message in the audit log, written in timed batches.

One commit per relayed message costs one fsync each and halved the relay rate when tried.
Here relayed messages' events are collected and written every ``interval`` seconds by one
statement in one transaction, off the event loop: a few commits a second whatever the
traffic. A relayed message's fate is already sealed upstream; what a crash can cost is the
audit events of the last interval. Held, delayed and rejected mail is audited in the same
transaction as its row, before its reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("sekisho.gateway")

Event = tuple[str, str, str | None, dict]


class BatchedAudit:
    def __init__(
        self, write: Callable[[list[Event]], Awaitable[Any]], interval: float = 0.2
    ) -> None:
        self._write = write
        self.interval = interval
        self._pending: list[Event] = []
        self._task: asyncio.Task[None] | None = None

    def record(self, actor: str, action: str, sekisho_id: str | None, detail: dict) -> None:
        self._pending.append((actor, action, sekisho_id, detail))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_later())

    async def flush(self) -> None:
        """Write what is pending now (shutdown, tests)."""
        batch, self._pending = self._pending, []
        if batch:
            try:
                await self._write(batch)
            except Exception as exc:
                self._pending[:0] = batch  # kept, in order, for the next pass
                log.error(
                    "audit write of %d relayed messages failed (will retry): %s", len(batch), exc
                )

    async def _flush_later(self) -> None:
        # Until nothing is pending: events recorded while a write was under way, or a batch
        # whose write failed, are not left waiting for the next message.
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()
            if not self._pending:
                return
