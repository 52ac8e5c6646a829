"""Scans of big messages in a child process, so that the gateway's own interpreter stays
free for SMTP.

Scanning is CPU in Python. In a thread it holds the interpreter lock that the event loop
needs for every line it reads and every reply it writes: with three 1 MB workbooks a
second arriving, a 2 KB memo waited 85 ms at the median and 270 ms at p99
(``bench/gateway_load.py``). In a child process the scan has its own interpreter; the
parent pickles the bytes over (~1 ms per MB) and gets back only the message's facts
(~600 bytes: counts, entity types, masked samples), never the report with its findings.

A child that dies (killed, out of memory) breaks the pool: that message is answered 451
(the MTA retries it) and the next one starts a fresh child.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sekisho.gateway.lifeline import die_with_parent
from sekisho.policy import Attachment, MessageFacts, facts_from_report
from sekisho.scan import FileReport, Scanner

log = logging.getLogger("sekisho.gateway")

_scanner: Scanner | None = None
SCAN_NICENESS = 10


def attachments_of(report: FileReport) -> list[Attachment]:
    return [Attachment(f.name, f.kind, f.size, f.flags) for f in report.attachments]


def facts_of(
    scanner: Scanner, data: bytes, sender: str, recipients: list[str], visible: list[str]
) -> MessageFacts:
    """Scan a whole message and say what policy needs to know of it."""
    report = scanner.scan_bytes(data, "message.eml", summary=True, kind="eml")
    return facts_from_report(
        report,
        sender=sender,
        recipients=recipients,
        visible=visible,
        size=len(data),
        attachments=attachments_of(report),
    )


def _start_child() -> None:
    global _scanner
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    # Scanning is bulk work: when the cores are busy, the parent's SMTP replies go first.
    with contextlib.suppress(OSError):
        os.nice(SCAN_NICENESS)
    from sekisho.gateway.server import return_big_buffers_to_the_system

    return_big_buffers_to_the_system()
    _scanner = Scanner()
    _scanner.scan_bytes("氏名 山田 太郎 090-1234-5678".encode(), "warm-up.txt")


def _child_facts(
    data: bytes, sender: str, recipients: list[str], visible: list[str]
) -> MessageFacts:
    assert _scanner is not None
    return facts_of(_scanner, data, sender, recipients, visible)


def _ready() -> bool:
    return _scanner is not None


class ScanPool:
    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
        )

    async def warm_up(self) -> None:
        """Start the children now (each loads the dictionaries, ~2 s), not at the first
        big message."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._executor, _ready) for _ in range(self.processes))
        )

    async def facts(
        self, data: bytes, sender: str, recipients: list[str], visible: list[str]
    ) -> MessageFacts:
        loop = asyncio.get_running_loop()
        executor = self._executor
        try:
            return await loop.run_in_executor(
                executor, _child_facts, data, sender, recipients, visible
            )
        except BrokenProcessPool:
            if executor is self._executor:
                log.error("scan process died; starting a new one (the message gets 451)")
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new()
            raise

    def pids(self) -> list[int]:
        return [p.pid for p in self._children()]

    def _children(self) -> list[multiprocessing.Process]:
        return list((self._executor._processes or {}).values())

    def shutdown(self) -> None:
        """Stop the children at once: a scan still running is of a message already
        answered 421. (Left to end on their own, a child now and then kept the
        executor's thread, and so the gateway's exit, waiting past the service
        manager's 10 s.)"""
        children = self._children()
        self._executor.shutdown(wait=False, cancel_futures=True)
        for child in children:
            child.terminate()
        for child in children:
            child.join(2)
