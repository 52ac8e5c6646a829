"""Faults the gateway must answer with a temporary failure, never with a 250 it cannot
keep, and never by hanging: a stalled next hop, SIGTERM during a stuck relay, the
database file removed under the running gateway."""

from __future__ import annotations

import signal
import smtplib
import threading
import time
from pathlib import Path

from sekisho.policy import load_policy
from sekisho.store import Database
from tests.gateway.conftest import EXAMPLE_POLICY, Sink, free_port, spawn_gateway, start_gateway
from tests.gateway.test_gateway import CLERK, message
from tests.gateway.test_upstream import _staller

COLLEAGUE = "colleague@city.example.lg.jp"
OUTSIDER = "someone@example.com"


def _send(port: int, rcpt: str, body: str) -> tuple[int, bytes]:
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            smtp.sendmail(CLERK, [rcpt], message([rcpt], body))
    except smtplib.SMTPDataError as exc:
        return exc.smtp_code, exc.smtp_error
    except smtplib.SMTPServerDisconnected as exc:
        return 0, str(exc).encode()
    return 250, b""


def _gateway_process(tmp_path: Path, upstream_port: int, relay_timeout: float):  # type: ignore[no-untyped-def]
    port = free_port()
    process = spawn_gateway(
        port,
        upstream_port,
        f"sqlite:///{tmp_path / 'sekisho.db'}",
        tmp_path / "spool",
        tmp_path / "gateway.log",
        "--relay-timeout",
        str(relay_timeout),
    )
    return process, port


def test_a_stalled_next_hop_is_answered_451_within_the_deadline(tmp_path: Path) -> None:
    upstream_port, connections, stop = _staller()
    process, port = _gateway_process(tmp_path, upstream_port, relay_timeout=1.5)
    try:
        started = time.monotonic()
        code, reply = _send(port, COLLEAGUE, "会議の件です。")
        elapsed = time.monotonic() - started
        assert code == 451, reply
        assert len(connections) == 1
        assert elapsed < 1.5 + 3, elapsed  # the deadline (floor 1.5 s for a small message)
    finally:
        process.terminate()
        process.wait(10)
        stop()


def test_sigterm_during_a_stuck_relay_answers_421_and_exits_within_10_s(tmp_path: Path) -> None:
    upstream_port, connections, stop = _staller()
    process, port = _gateway_process(tmp_path, upstream_port, relay_timeout=300)
    replies: list[tuple[int, bytes]] = []
    client = threading.Thread(target=lambda: replies.append(_send(port, COLLEAGUE, "会議です")))
    try:
        client.start()
        deadline = time.monotonic() + 20
        while not connections:  # the relay is stuck in DATA at the next hop
            assert time.monotonic() < deadline, "the relay never reached the next hop"
            time.sleep(0.05)
        time.sleep(0.3)
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(15)
        exited = time.monotonic() - signalled
        client.join(10)
        assert exited <= 10, exited
        assert replies and replies[0][0] == 421, replies
        with smtplib.SMTP() as smtp:  # and it no longer listens
            try:
                smtp.connect("127.0.0.1", port)
                listening = True
            except OSError:
                listening = False
        assert not listening
    finally:
        if process.poll() is None:
            process.kill()
        stop()


def test_a_removed_database_file_is_answered_451_until_restarted(tmp_path: Path) -> None:
    sink = Sink()
    from aiosmtpd.controller import Controller

    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), decode_data=False)
    controller.start()
    policy = load_policy(EXAMPLE_POLICY)
    config, stop = start_gateway(tmp_path, f"smtp:127.0.0.1:{controller.port}", policy)
    try:
        held = "氏名：山田 太郎\n携帯 090-1234-5678"
        assert _send(config.listen_port, OUTSIDER, held)[0] == 250
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"sekisho.db{suffix}").unlink(missing_ok=True)
        code, reply = _send(config.listen_port, OUTSIDER, held + "\n2件目")
        assert code == 451, reply
        assert _send(config.listen_port, COLLEAGUE, "会議の件です。")[0] == 451
        assert not any(COLLEAGUE in m[1] for m in sink.messages)
    finally:
        stop()
    # Restarted on the (new) file: the MTA's retry is stored, and found.
    config, stop = start_gateway(tmp_path, f"smtp:127.0.0.1:{controller.port}", policy)
    try:
        assert _send(config.listen_port, OUTSIDER, held + "\n2件目")[0] == 250
        assert len(Database(config.database_url).messages("held")) == 1
    finally:
        stop()
        controller.stop()
