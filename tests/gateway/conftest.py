"""A gateway running in a thread, with aiosmtpd's Controller as the upstream MTA."""

from __future__ import annotations

import asyncio
import os
import random
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from sekisho.gateway.server import GatewayConfig, serve
from sekisho.policy import Policy, load_policy

EXAMPLE_POLICY = Path(__file__).resolve().parents[2] / "examples" / "policy.yaml"


# Listening ports are taken below Linux's ephemeral range (32768-60999): a port the kernel
# handed out by bind(0) can be handed out again to an outgoing connection (Postfix's own
# client, say) between the test choosing it and a server binding it. And never twice in
# one run: a Postfix whose content filter port equals its re-injection port delivers
# unscanned mail and passes for a gateway that let it through.
_PORTS = random.Random(os.getpid())
_handed_out: set[int] = set()


def free_port() -> int:
    while True:
        port = _PORTS.randrange(20000, 32000)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port


def spawn_gateway(
    listen_port: int,
    upstream_port: int,
    database_url: str,
    spool: Path,
    log: Path,
    *extra: str,
) -> subprocess.Popen[bytes]:
    """``sekisho gateway`` as a process of its own (signals, SIGKILL), returned once it
    answers SMTP; its stderr goes to ``log``."""
    command = [
        sys.executable,
        "-m",
        "sekisho.cli.main",
        "gateway",
        "--listen",
        f"127.0.0.1:{listen_port}",
        "--upstream",
        f"127.0.0.1:{upstream_port}",
        "--db",
        database_url,
        "--spool",
        str(spool),
        "--policy",
        str(EXAMPLE_POLICY),
        *extra,
    ]
    with log.open("ab") as stderr:  # the child keeps its own copy
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", listen_port, timeout=2) as smtp:
                smtp.noop()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gateway did not start: " + log.read_text(errors="replace"))


@dataclass
class Sink:
    """The upstream: remembers every message it accepted, or refuses them all."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.refuse:
            return "451 4.3.0 upstream busy"
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"

    def wait(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)


@dataclass
class RunningGateway:
    port: int
    sink: Sink
    config: GatewayConfig
    stop: callable  # type: ignore[valid-type]


@pytest.fixture
def sink() -> Iterator[Sink]:
    handler = Sink()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True, decode_data=False
    )
    controller.start()
    handler.port = controller.port  # type: ignore[attr-defined]
    yield handler
    controller.stop()


def start_gateway(
    tmp_path: Path,
    upstream: str,
    policy: Policy,
    interval: float = 0.2,
    database_url: str | None = None,
    blobs: str | None = None,
    scan_processes: int = 0,  # threads: a child per test gateway would cost ~2 s each
) -> tuple[GatewayConfig, callable]:  # type: ignore[valid-type]
    config = GatewayConfig(
        blob_dir=blobs or tmp_path / "blobs",
        scan_processes=scan_processes,
        listen_port=free_port(),
        upstream=upstream,
        database_url=database_url or f"sqlite:///{tmp_path / 'sekisho.db'}",
        spool_dir=tmp_path / "spool",
        scheduler_interval=interval,
    )
    ready = threading.Event()
    holder: dict = {}

    def run() -> None:
        async def main() -> None:
            holder["loop"] = asyncio.get_running_loop()
            stop = asyncio.Event()
            holder["stop"] = stop
            started = asyncio.Event()
            task = asyncio.create_task(serve(config, policy, started))
            await started.wait()
            ready.set()
            await stop.wait()
            task.cancel()

        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(30), "gateway did not start"

    def stop() -> None:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(10)

    return config, stop


@pytest.fixture
def gateway(tmp_path: Path, sink: Sink, database_url: str) -> Iterator[RunningGateway]:
    """A gateway in this process, on SQLite with the spool directory, and on PostgreSQL with
    everything in the database (``--blobs db``)."""
    config, stop = start_gateway(
        tmp_path,
        f"smtp:127.0.0.1:{sink.port}",  # type: ignore[attr-defined]
        load_policy(EXAMPLE_POLICY),
        database_url=database_url,
        blobs="db" if database_url.startswith("postgresql") else None,
    )
    yield RunningGateway(config.listen_port, sink, config, stop)
    stop()


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    """A chromium page (Debian's, never a downloaded one) that accepts downloads."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        context = browser.new_context(accept_downloads=True, locale="ja-JP")
        yield context.new_page()
        browser.close()
