"""Held messages per second on SQLite and on PostgreSQL 15: each hold is durable before
its 250 (spool file fsync'd, row and audit event committed; SQLite synchronous=FULL,
PostgreSQL fsync on), 8 messages in flight as from a busy MTA. Part of
``make bench-gateway``; alone: ``.venv/bin/python bench/held_store.py``. PostgreSQL is a
private cluster in a temporary directory (the tests' own helper), skipped where absent.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POLICY = """\
organisation: {internal_domains: [city.example.lg.jp]}
rules:
  - {name: held, when: {recipients: outside}, action: hold, role: 承認者}
"""
COUNT = 400
IN_FLIGHT = 8


def held_per_second(database_url: str, tmp: Path) -> float:
    from sekisho.gateway.pipeline import Pipeline
    from sekisho.gateway.submission import Submission
    from sekisho.gateway.upstream import MaildirUpstream
    from sekisho.policy import parse_policy
    from sekisho.scan import Scanner
    from sekisho.store import Database, Spool

    pipeline = Pipeline(
        Scanner(),
        parse_policy(POLICY),
        Database(database_url),
        Spool(tmp / "spool"),
        MaildirUpstream(tmp / "maildir"),
    )
    messages = [
        f"From: clerk@city.example.lg.jp\r\nTo: x@example.com\r\nSubject: 名簿 {n}\r\n"
        f"Message-ID: <b{n}@city>\r\n\r\n氏名：山田 太郎\r\n携帯 090-1234-{n:04d}\r\n".encode()
        for n in range(COUNT)
    ]

    async def run() -> float:
        limit = asyncio.Semaphore(IN_FLIGHT)

        async def one(data: bytes) -> None:
            async with limit:
                outcome = await pipeline.process(
                    Submission.received("clerk@city.example.lg.jp", ["x@example.com"], data)
                )
                assert " held as " in outcome.reply, outcome.reply

        await one(messages[0])  # warm-up
        start = time.perf_counter()
        await asyncio.gather(*(one(m) for m in messages[1:]))
        return (len(messages) - 1) / (time.perf_counter() - start)

    return asyncio.run(run())


def main() -> None:
    from tests import postgres

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = held_per_second(f"sqlite:///{tmp}/held.db", Path(tmp) / "sqlite")
    line = f"held messages/s, durable, {IN_FLIGHT} in flight: SQLite {sqlite:.0f}"
    if not postgres.available():
        print(line + "; PostgreSQL not installed")
        return
    cluster = postgres.Cluster()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pg = held_per_second(cluster.new_database(), Path(tmp))
    finally:
        cluster.stop()
    print(f"{line}, PostgreSQL 15 {pg:.0f} (local, fsync on)")


if __name__ == "__main__":
    main()
