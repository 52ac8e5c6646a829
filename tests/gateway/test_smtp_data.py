"""The DATA override against aiosmtpd's own: the same client bytes, sent to the stock
server and to ``GatewaySMTP``, must give the same replies and the same message bytes.
The cases are aiosmtpd's DATA edge cases (dot-stuffing, over-long lines, too much data,
a line longer than the reader's limit whose rest is a lone dot, bare line ends), plus the
connection lost in the middle."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from sekisho.gateway.smtp import GatewaySMTP
from tests.gateway.conftest import free_port

LIMIT = 4096  # data_size_limit for the cases, small enough to cross


class Recorder:
    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.contents.append(envelope.original_content)
        return "250 OK"


class _Controller(Controller):
    def __init__(self, server_class: type[SMTP], handler: Recorder) -> None:
        self.server_class = server_class
        super().__init__(
            handler,
            hostname="127.0.0.1",
            port=free_port(),
            decode_data=False,
            data_size_limit=LIMIT,
            enable_SMTPUTF8=True,
        )

    def factory(self) -> SMTP:
        return self.server_class(self.handler, **self.SMTP_kwargs)


@pytest.fixture
def servers() -> Iterator[dict[str, tuple[int, Recorder]]]:
    running = {}
    controllers = []
    for name, server_class in (("stock", SMTP), ("gateway", GatewaySMTP)):
        recorder = Recorder()
        controller = _Controller(server_class, recorder)
        controller.start()
        controllers.append(controller)
        running[name] = (controller.port, recorder)
    yield running
    for controller in controllers:
        controller.stop()


def _reply(stream) -> bytes:  # type: ignore[no-untyped-def]
    """One SMTP reply (its last line), or b"" when the server closed."""
    while True:
        line = stream.readline()
        if not line or line[3:4] != b"-":
            return line.rstrip(b"\r\n")


def _talk(port: int, body: bytes | tuple[bytes, ...], pause: float = 0.2) -> list[bytes]:
    """One transaction with ``body`` as the DATA payload (ending with the dot line), then
    NOOP and QUIT; every reply the server gave."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        stream = conn.makefile("rb")
        replies = [_reply(stream)]
        for command in (b"EHLO test", b"MAIL FROM:<a@city>", b"RCPT TO:<b@example.com>", b"DATA"):
            conn.sendall(command + b"\r\n")
            replies.append(_reply(stream))
        for number, piece in enumerate(body if isinstance(body, tuple) else (body,)):
            if number:
                time.sleep(pause)  # a packet of its own: the reader sees the line in parts
            conn.sendall(piece)
        replies.append(_reply(stream))
        for command in (b"NOOP", b"QUIT"):
            conn.sendall(command + b"\r\n")
            replies.append(_reply(stream))
    return replies


CASES = {
    "plain": b"Subject: a\r\n\r\nhello\r\n.\r\n",
    "dot-stuffed": b"Subject: a\r\n\r\n..leading dot\r\n...two\r\n.\r\n",
    "dot inside a line": b"Subject: a\r\n\r\nend.\r\n. not the end\r\n.\r\n",
    "bare LF and CR": b"Subject: a\r\n\r\none\ntwo\rthree\r\n.\r\n",
    "8-bit": "Subject: a\r\n\r\n山田 太郎\r\n".encode() + b"\xff\xfe\r\n.\r\n",
    "empty": b".\r\n",
    "line of 1000": b"x" * 998 + b"\r\n.\r\n",
    "line over 1000": b"x" * 1200 + b"\r\n.\r\n",
    "over-long line ending in a dot": b"x" * 1500 + b".\r\nstill data\r\n.\r\n",
    "over-long line whose rest is a lone dot": b"x" * 1001 + b".\r\nafter\r\n.\r\n",
    # The reader gives up after 1,499 bytes of a line with no end yet, leaving the ".";
    # the next packet ends the line: ".\r\n" is its rest, not the end of data.
    "over-long line, its rest a lone dot in the next packet": (
        b"x" * 1499 + b".",
        b"\r\nQUIT\r\n.\r\n",
    ),
    "too much data": (b"y" * 70 + b"\r\n") * 100 + b".\r\n",
    "too much, then an over-long line": (b"y" * 70 + b"\r\n") * 100 + b"z" * 2000 + b"\r\n.\r\n",
    "lines ending in a dot": b"Subject: a\r\n\r\nend.\r\nx.\r\n..\r\n.\r\n",
    "a command pipelined after the end": b"Subject: a\r\n\r\nhi\r\n.\r\nNOOP\r\n",
    "CRLF and the end split across packets": (b"Subject: a\r\n\r\nhi\r", b"\n.", b"\r\n"),
    "exactly the size limit": b"x" * 998
    + b"\r\n"
    + b"y" * 998
    + b"\r\n"
    + b"z" * 2092
    + b"\r\n"
    + b".\r\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_override_answers_and_reads_like_aiosmtpd(servers, case: str) -> None:  # type: ignore[no-untyped-def]
    results = {}
    for name, (port, recorder) in servers.items():
        replies = _talk(port, CASES[case])
        results[name] = (replies, list(recorder.contents))
    assert results["gateway"] == results["stock"]
    if case == "a command pipelined after the end":
        return  # its NOOP was answered in line: the replies after it are shifted by one
    replies, _ = results["gateway"]
    # After DATA the session goes on in step (NOOP answered 250, QUIT 221): nothing of
    # the message was read as a command.
    assert [r[:3] for r in replies[-2:]] == [b"250", b"221"], replies


@pytest.mark.parametrize("seed", range(40))
def test_random_payloads_in_random_packets_read_alike(servers, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Lines of dots, bare CRs and LFs and long runs, cut into packets anywhere: the
    chunked reader and aiosmtpd's line reader agree on every reply and byte."""
    import random

    rng = random.Random(seed)
    lines = []
    for _ in range(rng.randint(1, 40)):
        kind = rng.random()
        if kind < 0.15:
            lines.append(b"." * rng.randint(2, 3) + b"x" * rng.randint(0, 5))  # not "." alone
        elif kind < 0.25:
            lines.append(b"y" * rng.randint(990, 1600))
        elif kind < 0.35:
            lines.append(b"a\rb\nc" + b"." * rng.randint(0, 2))
        else:
            line = bytes(rng.choice(b"ab. ") for _ in range(rng.randint(0, 90)))
            lines.append(line if line != b"." else b"..")
    payload = b"\r\n".join(lines) + b"\r\n.\r\n"
    cuts = sorted(rng.sample(range(1, len(payload)), min(len(payload) - 1, rng.randint(0, 6))))
    pieces = tuple(payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)], strict=True))
    results = {}
    for name, (port, recorder) in servers.items():
        results[name] = (_talk(port, pieces, pause=0.01), list(recorder.contents))
    assert results["gateway"] == results["stock"]


def test_a_connection_lost_in_data_leaves_the_server_serving(servers) -> None:  # type: ignore[no-untyped-def]
    port, recorder = servers["gateway"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.recv(1024)
        conn.sendall(b"HELO t\r\nMAIL FROM:<a@city>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
        time.sleep(0.2)
        conn.sendall(b"Subject: cut\r\n\r\nhalf a mess")
    assert _talk(port, CASES["plain"])[5].startswith(b"250")
    assert recorder.contents == [b"Subject: a\r\n\r\nhello\r\n"]
