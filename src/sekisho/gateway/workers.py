"""``sekisho gateway --processes N``: N worker processes, each a whole gateway (SMTP on the
same port through SO_REUSEPORT, its own scanner and interpreter, its own scheduler), and a
parent that only supervises.

Scanning is CPU in Python: one process uses one core whatever the thread pool. The kernel
spreads new connections over the workers; everything they share is in the store, where
every state change is one conditional update, so a release, an expiry or a notice is done
once whichever worker's scheduler gets there first. The parent migrates the schema once
before any worker starts, restarts a worker that dies (a second apart at most, so a worker
that cannot start does not spin), and on SIGTERM or SIGINT passes the signal on and waits
while each worker drains. Workers die with the parent (PR_SET_PDEATHSIG): a SIGKILLed
parent leaves no worker holding the port.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import wait

from sekisho.gateway.lifeline import die_with_parent
from sekisho.gateway.server import GatewayConfig
from sekisho.policy import Policy

log = logging.getLogger("sekisho.gateway")

RESTART_SECONDS = 1.0


def default_processes() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker(config: GatewayConfig, policy: Policy, level: int) -> None:
    import asyncio

    from sekisho.gateway.server import serve

    die_with_parent()
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which tells us
    asyncio.run(serve(config, policy))


def ensure_can_listen(host: str, port: int) -> None:
    """Bind ``host:port`` the way the workers will (SO_REUSEADDR and SO_REUSEPORT) and let
    go: a port another program holds is an ``OSError`` now, in the command's own process,
    instead of workers that die and are restarted for ever."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(exc.errno, f"{host}:{port}: {exc.strerror}") from exc


def supervisor_process(
    config: GatewayConfig, policy: Policy, processes: int
) -> multiprocessing.process.BaseProcess:
    """``supervise`` in a process of its own, started (``sekisho run``: the web UI keeps
    this process's loop). It dies with its parent, and its workers with it."""
    process = multiprocessing.get_context("spawn").Process(
        target=_supervisor,
        args=(config, policy, processes, logging.getLogger().getEffectiveLevel()),
        name="sekisho-gateway",
    )
    process.start()
    return process


def _supervisor(config: GatewayConfig, policy: Policy, processes: int, level: int) -> None:
    die_with_parent()
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    supervise(config, policy, processes)


def supervise(config: GatewayConfig, policy: Policy, processes: int) -> None:
    """Run ``processes`` workers until SIGTERM or SIGINT; then stop them and return."""
    from dataclasses import replace

    from sekisho.store import Database

    Database(config.database_url).engine.dispose()  # the schema, once, before any worker
    worker_config = replace(config, reuse_port=True)
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited loop
    level = logging.getLogger().getEffectiveLevel()
    stopping = False

    def stop(signum, _frame) -> None:  # type: ignore[no-untyped-def]
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def start(index: int) -> multiprocessing.process.BaseProcess:
        process = context.Process(
            target=_worker, args=(worker_config, policy, level), name=f"sekisho-gateway-{index}"
        )
        process.start()
        return process

    workers = {index: start(index) for index in range(processes)}
    started = {index: time.monotonic() for index in workers}
    log.warning("sekisho gateway: %d worker processes (%s)", processes, _pids(workers))
    while not stopping:
        wait([p.sentinel for p in workers.values()], timeout=0.5)
        for index, process in list(workers.items()):
            if process.is_alive() or stopping:
                continue
            log.error(
                "worker %d (pid %s) ended with %s; restarting", index, process.pid, process.exitcode
            )
            time.sleep(max(0.0, RESTART_SECONDS - (time.monotonic() - started[index])))
            workers[index], started[index] = start(index), time.monotonic()
    for process in workers.values():
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)  # type: ignore[arg-type]
    deadline = time.monotonic() + config.shutdown_grace + 5
    for process in workers.values():
        process.join(max(0.1, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(5)


def _pids(workers: dict[int, multiprocessing.process.BaseProcess]) -> str:
    return ", ".join(str(p.pid) for p in workers.values())
