"""``sekisho gateway``: the SMTP content filter and its scheduler in one asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import signal
import weakref
from dataclasses import dataclass
from pathlib import Path

from sekisho.actions.links import LinkSigner
from sekisho.gateway.handler import GatewayHandler
from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.scan_pool import ScanPool
from sekisho.gateway.scheduler import run_forever
from sekisho.gateway.smtp import GatewaySMTP
from sekisho.gateway.upstream import upstream_from
from sekisho.policy import Policy
from sekisho.scan import Scanner
from sekisho.store import Database
from sekisho.store.blobs import held_files, journal_files, link_files
from sekisho.store.journal import Journal
from sekisho.store.links import LinkStore
from sekisho.store.sealed import BlobStore

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
    relay_timeout: float = 60.0  # each relay command; the floor of a whole transfer
    shutdown_grace: float = 5.0  # on SIGTERM, seconds messages in progress may finish
    reuse_port: bool = False  # several worker processes accept on one port (SO_REUSEPORT)
    web_url: str | None = None  # with secret: cancel links in delay notices
    secret: str | None = None
    public_url: str | None = None  # with secret: the download links of action ``link``
    # Sealed files of links: a directory, or "db" for the database (held originals too).
    blob_dir: Path | str = Path("blobs")
    # Child processes that scan big messages (0: threads of this process; see scan_pool).
    scan_processes: int = 1


def build_pipeline(config: GatewayConfig, policy: Policy) -> Pipeline:
    database = Database(config.database_url)
    link_store = (
        LinkStore(database, BlobStore(link_files(database, config.blob_dir)), config.secret)
        if config.public_url and config.secret
        else None
    )
    return Pipeline(
        scanner=Scanner(),
        policy=policy,
        database=database,
        link_store=link_store,
        public_url=config.public_url,
        link_secret=config.secret,
        spool=held_files(database, config.spool_dir, config.blob_dir),
        scan_pool=ScanPool(config.scan_processes) if config.scan_processes else None,
        journal=Journal(database, journal_files(database, config.blob_dir)),
        upstream=upstream_from(config.upstream, config.relay_timeout),
        links=LinkSigner(config.secret, config.web_url)
        if config.web_url and config.secret
        else None,
    )


def smtp_factory(
    handler: GatewayHandler, config: GatewayConfig, sessions: weakref.WeakSet | None = None
):  # type: ignore[no-untyped-def]
    def make() -> GatewaySMTP:
        server = GatewaySMTP(
            handler,
            data_size_limit=config.max_message_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname="sekisho",
            ident="Sekisho content filter",
            timeout=300,
        )
        if sessions is not None:
            sessions.add(server)
        return server

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
    if not pipeline.reload_policy():  # an uploaded policy, if any, wins over the start-up one
        pipeline.warn_if_links_cannot_leave()
    pipeline.scanner.scan_bytes(
        "氏名 山田 太郎 090-1234-5678".encode(), "warm-up.txt"
    )  # load dictionaries now
    # Everything built so far lives as long as the process: keep the collector off it, so
    # that collections during traffic walk only what messages allocate.
    gc.collect()
    gc.freeze()
    handler = GatewayHandler(pipeline)
    loop = asyncio.get_running_loop()
    sessions: weakref.WeakSet[GatewaySMTP] = weakref.WeakSet()
    server = await loop.create_server(
        smtp_factory(handler, config, sessions),
        config.listen_host,
        config.listen_port,
        reuse_port=config.reuse_port or None,
    )
    scheduler = asyncio.create_task(run_forever(pipeline, config.scheduler_interval))
    # The scan processes load their dictionaries (~2 s) while small mail already flows: a
    # restart refuses connections no longer than it did before there were any (the MTA
    # backs off from a refusing filter), and a big message waits for them in the queue.
    warming = (
        asyncio.create_task(pipeline.scan_pool.warm_up())
        if pipeline.scan_pool is not None
        else None
    )
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
        if warming is not None:
            warming.cancel()
        await shut_down(server, handler, sessions, scheduler, pipeline, config.shutdown_grace)


async def shut_down(  # type: ignore[no-untyped-def]
    server, handler: GatewayHandler, sessions, scheduler: asyncio.Task, pipeline: Pipeline, grace
) -> None:
    """Stop accepting, give messages in progress ``grace`` seconds, cancel the rest
    (answered 421: the MTA keeps them), close every connection, and go: well inside the
    10 s a service manager waits before SIGKILL."""
    log.warning("shutting down: no new connections, %.0f s for messages in progress", grace)
    server.close()
    scheduler.cancel()
    await handler.stop(grace)
    await asyncio.sleep(0.05)  # the 421 replies written before their connections close
    for session in list(sessions):
        if session.transport is not None:
            session.transport.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(asyncio.gather(scheduler, return_exceptions=True), 1.0)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(pipeline.audit.flush(), 2.0)
    pipeline.executor.shutdown(wait=False, cancel_futures=True)
    pipeline.scans.shutdown(wait=False, cancel_futures=True)
    if pipeline.scan_pool is not None:
        pipeline.scan_pool.shutdown()
