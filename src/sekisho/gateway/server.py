"""``sekisho gateway``: the SMTP content filter and its scheduler in one asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import signal
from dataclasses import dataclass
from pathlib import Path

from sekisho.actions.links import LinkSigner
from sekisho.gateway.handler import GatewayHandler
from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.scheduler import run_forever
from sekisho.gateway.smtp import GatewaySMTP
from sekisho.gateway.upstream import upstream_from
from sekisho.policy import Policy
from sekisho.scan import Scanner
from sekisho.store import Database, Spool

log = logging.getLogger("sekisho.gateway")


@dataclass
class GatewayConfig:
    listen_host: str = "127.0.0.1"
    listen_port: int = 10025
    upstream: str = "smtp:127.0.0.1:10026"
    database_url: str = "sqlite:///sekisho.db"
    spool_dir: Path = Path("spool")
    max_message_bytes: int = 64 * 1024 * 1024
    scheduler_interval: float = 5.0
    web_url: str | None = None  # with secret: cancel links in delay notices
    secret: str | None = None


def build_pipeline(config: GatewayConfig, policy: Policy) -> Pipeline:
    return Pipeline(
        scanner=Scanner(),
        policy=policy,
        database=Database(config.database_url),
        spool=Spool(config.spool_dir),
        upstream=upstream_from(config.upstream),
        links=LinkSigner(config.secret, config.web_url)
        if config.web_url and config.secret
        else None,
    )


def smtp_factory(handler: GatewayHandler, config: GatewayConfig):  # type: ignore[no-untyped-def]
    def make() -> GatewaySMTP:
        return GatewaySMTP(
            handler,
            data_size_limit=config.max_message_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname="sekisho",
            ident="Sekisho content filter",
            timeout=300,
        )

    return make


def return_big_buffers_to_the_system() -> None:
    """Fix glibc's mmap threshold at 1 MiB. By default glibc raises it after the first big
    buffer is freed, and from then on each message's 35 MB copies come from the heap and
    stay in the process after use: the gateway's RSS would grow to the sum of its worst
    moments instead of the worst moment."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    m_mmap_threshold = -3
    libc.mallopt(m_mmap_threshold, 1 << 20)


async def serve(config: GatewayConfig, policy: Policy, ready: asyncio.Event | None = None) -> None:
    return_big_buffers_to_the_system()
    pipeline = build_pipeline(config, policy)
    pipeline.reload_policy()  # an uploaded policy, if any, wins over the start-up one
    pipeline.scanner.scan_bytes(
        "氏名 山田 太郎 090-1234-5678".encode(), "warm-up.txt"
    )  # load dictionaries now
    # Everything built so far lives as long as the process: keep the collector off it, so
    # that collections during traffic walk only what messages allocate.
    gc.collect()
    gc.freeze()
    handler = GatewayHandler(pipeline)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        smtp_factory(handler, config), config.listen_host, config.listen_port
    )
    scheduler = asyncio.create_task(run_forever(pipeline, config.scheduler_interval))
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not in the main thread
            loop.add_signal_handler(sig, stop.set)
    log.info(
        "listening on %s:%d, upstream %s", config.listen_host, config.listen_port, config.upstream
    )
    if ready is not None:
        ready.set()
    try:
        await stop.wait()
    finally:
        scheduler.cancel()
        server.close()
        await server.wait_closed()
        await pipeline.audit.flush()
        pipeline.executor.shutdown(wait=False)
