from sekisho.gateway.upstream import wire_chunks


def _wire(data: bytes) -> bytes:
    return b"".join(bytes(chunk) for chunk in wire_chunks(data))


def test_wire_form_doubles_leading_dots_and_ends_with_a_dot_line() -> None:
    assert _wire(b"a\r\n.b\r\n..c\r\n") == b"a\r\n..b\r\n...c\r\n.\r\n"
    assert _wire(b".first\r\nlast") == b"..first\r\nlast\r\n.\r\n"


def test_wire_form_turns_bare_line_ends_into_crlf() -> None:
    assert _wire(b"a\nb\rc\r\n") == b"a\r\nb\r\nc\r\n.\r\n"


def _reference(data: bytes) -> bytes:
    """RFC 5321's wire form, line by line: CRLF line ends, a leading dot doubled."""
    import re

    lines = re.split(rb"\r\n|\r|\n", data)
    if lines[-1] == b"":
        lines.pop()
    stuffed = [b"." + line if line.startswith(b".") else line for line in lines]
    return b"".join(line + b"\r\n" for line in stuffed) + b".\r\n"


def test_a_dot_after_a_bare_cr_cannot_end_the_data_early() -> None:
    """SMTP smuggling: a bare CR before a lone dot would become the end of data at the
    next hop, and the rest of the message its commands."""
    data = b"Subject: x\r\n\r\nhi\r.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<x@y>\r\n"
    wire = _wire(data)
    assert wire.endswith(b"\r\n.\r\n")
    assert b"\r\n.\r\n" not in wire[:-5]
    assert b"\r\n..\r\nMAIL FROM" in wire


def test_the_wire_form_is_the_reference_on_random_messages() -> None:
    """CRLF-only messages take the fast path, others the general one: both as RFC 5321."""
    import random

    rng = random.Random(5)
    for _ in range(500):
        pieces = [b"a", b".", b"..", b"\r\n", b"\r\n", b"x" * 50]
        if rng.random() < 0.3:
            pieces += [b"\r", b"\n"]
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        if not data:
            continue
        assert _wire(data) == _reference(data), data


def test_large_messages_go_in_slices_of_the_original() -> None:
    data = (b"x" * 1000 + b"\r\n") * 3000
    chunks = list(wire_chunks(data))
    assert all(isinstance(c, memoryview) for c in chunks[:-1])
    assert b"".join(bytes(c) for c in chunks) == data + b".\r\n"


def _staller() -> tuple[int, list, callable]:  # type: ignore[valid-type]
    """A next hop that takes the commands, says 354, and then never reads again (the
    fault of issue 10): returns its port, the connections it took, and a stop."""
    import asyncio
    import threading

    from tests.gateway.conftest import free_port

    port = free_port()
    connections: list = []
    ready = threading.Event()
    holder: dict = {}

    async def session(reader, writer) -> None:  # type: ignore[no-untyped-def]
        connections.append(writer)
        writer.write(b"220 stall ESMTP\r\n")
        while True:
            line = await reader.readline()
            if not line:
                return
            command = line[:4].upper()
            if command == b"EHLO":
                writer.write(b"250-stall\r\n250 8BITMIME\r\n")
            elif command == b"DATA":
                writer.write(b"354 go ahead\r\n")
                writer.transport.pause_reading()  # and never again
                await asyncio.sleep(3600)
            else:
                writer.write(b"250 OK\r\n")

    def run() -> None:
        async def main() -> None:
            holder["loop"] = asyncio.get_running_loop()
            holder["stop"] = asyncio.Event()
            server = await asyncio.start_server(session, "127.0.0.1", port)
            ready.set()
            await holder["stop"].wait()
            server.close()

        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    return port, connections, lambda: holder["loop"].call_soon_threadsafe(holder["stop"].set)


def test_a_next_hop_that_stops_reading_mid_data_fails_within_the_deadline() -> None:
    import asyncio
    import time

    import pytest

    from sekisho.gateway.submission import Submission
    from sekisho.gateway.upstream import SmtpUpstream, UpstreamError

    port, connections, stop = _staller()
    try:
        upstream = SmtpUpstream("127.0.0.1", port, timeout=1.0, min_rate=8 << 20)
        data = (b"x" * 998 + b"\r\n") * 8000  # 8 MB: far more than the socket buffers take
        started = time.monotonic()
        with pytest.raises(UpstreamError, match="did not take the message within"):
            asyncio.run(upstream.send(Submission.received("a@city", ["b@example.com"], data)))
        elapsed = time.monotonic() - started
        assert len(connections) == 1
        assert elapsed < upstream.deadline(len(data)) + 2, elapsed
        assert upstream.deadline(len(data)) == pytest.approx(1.0 + len(data) / (8 << 20))
    finally:
        stop()


def test_mail_from_parameters_are_passed_on_not_guessed(sink) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from sekisho.gateway.submission import Submission
    from sekisho.gateway.upstream import SmtpUpstream

    seen: list = []
    original = sink.handle_DATA

    async def remember(server, session, envelope):  # type: ignore[no-untyped-def]
        seen.append(list(envelope.mail_options))
        return await original(server, session, envelope)

    sink.handle_DATA = remember
    upstream = SmtpUpstream("127.0.0.1", sink.port)
    line = b"a" * 76 + b"\r\n"
    middle = line * 3000 + "山田\r\n".encode() + line * 3000  # 8-bit only in the middle
    for options, data in (
        (["BODY=8BITMIME", "SIZE=400006", "RET=HDRS", "ENVID=q1"], middle),
        ([], b"plain ascii\r\n"),
    ):
        asyncio.run(upstream.send(Submission.received("a@city", ["b@example.com"], data, options)))
    # aiosmtpd offers 8BITMIME but not DSN: RET and ENVID are dropped (RFC 3461 4.1);
    # Postfix offers both, and tests/gateway/test_postfix.py sees them arrive.
    assert seen == [["BODY=8BITMIME"], []]
    asyncio.run(upstream.send(Submission.received("a@city", ["山田@example.com"], b"x\r\n")))
    assert seen[-1] == ["SMTPUTF8"]
