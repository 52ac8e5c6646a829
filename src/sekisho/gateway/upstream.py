"""Where accepted mail goes: the MTA's re-injection port (SMTP), or a Maildir for demos
and tests. The envelope is kept exactly, MAIL FROM parameters included (``Submission``).

Every relay has a deadline for the whole transfer, connection to final reply, that grows
with the message's size: a next hop that accepts DATA and then stops reading once held a
gateway connection for six minutes and more, with 3.2 MB unsent. Past the deadline the
connection is dropped and the caller answers 451, so the MTA keeps the message queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import mailbox
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib

from sekisho.gateway.submission import Submission


class UpstreamError(Exception):
    """The next hop did not take the message; the gateway answers 451 so the MTA retries."""


class Upstream(Protocol):
    async def send(self, submission: Submission) -> None: ...


# Places where the wire form differs from the bytes: a dot at the start of a line (doubled,
# RFC 5321 4.5.2) and a bare CR or LF (sent as CRLF). A bare CR becomes a line end, so a
# dot after it starts a line too: left single, "\r.\r\n" went out as "\r\n.\r\n", the
# end of data, and what followed reached the next hop as SMTP commands (smuggling).
_WIRE_FIXES = re.compile(rb"(?m)(?:^|(?<=\r))\.|\r(?!\n)|(?<!\r)\n")
_WRITE_CHUNK = 1 << 20


def wire_chunks(data: bytes) -> Iterator[bytes | memoryview]:
    """The DATA payload of ``data`` as slices of it (no copy of the message), with the few
    fixes SMTP needs written in between, ending with the final ``.``."""
    view = memoryview(data)
    if _crlf_only(data):
        # Every line ends in CRLF (all mail that came in over SMTP): only the dots at line
        # starts need doubling, found by ``bytes.find`` in C. The general pattern below
        # costs ~30 ms per MB on the event loop.
        position = 0
        dot = 0 if data.startswith(b".") else _line_start_dot(data, 0)
        while dot >= 0:
            yield from _slices(view, position, dot)
            yield b"."  # and the dot itself starts the next slice
            position = dot
            dot = _line_start_dot(data, dot)
        yield from _slices(view, position, len(data))
        if not data.endswith(b"\n"):
            yield b"\r\n"
        yield b".\r\n"
        return
    position = 0
    for match in _WIRE_FIXES.finditer(data):
        yield from _slices(view, position, match.start())
        yield b".." if match.group() == b"." else b"\r\n"
        position = match.end()
    yield from _slices(view, position, len(data))
    if not data.endswith((b"\n", b"\r")):
        yield b"\r\n"
    yield b".\r\n"


def _line_start_dot(data: bytes, after: int) -> int:
    """The next dot after ``after`` that starts a line, or -1."""
    found = data.find(b"\n.", after)
    return found + 1 if found >= 0 else -1


def _crlf_only(data: bytes) -> bool:
    """Every CR and every LF of ``data`` belongs to a CRLF (three passes in C)."""
    pairs = data.count(b"\r\n")
    return data.count(b"\r") == pairs and data.count(b"\n") == pairs


def _slices(view: memoryview, start: int, end: int) -> Iterator[memoryview]:
    for offset in range(start, end, _WRITE_CHUNK):
        yield view[offset : min(end, offset + _WRITE_CHUNK)]


# The EHLO keyword a MAIL FROM parameter needs from the next hop. DSN's parameters are
# dropped for a hop without DSN (RFC 3461 4.1: it then behaves as if none were asked);
# BODY goes only where it is understood, as a server must refuse what it does not know.
_NEEDS = {
    "BODY=8BITMIME": "8bitmime",
    "BODY=BINARYMIME": "binarymime",
    "RET=": "dsn",
    "ENVID=": "dsn",
}


def _offered(smtp: aiosmtplib.SMTP, option: str) -> bool:
    upper = option.upper()
    needed = next((k for prefix, k in _NEEDS.items() if upper.startswith(prefix)), None)
    return needed is None or smtp.supports_extension(needed)


@dataclass
class SmtpUpstream:
    host: str = "127.0.0.1"
    port: int = 10026
    timeout: float = 60.0  # each command's reply, and the floor of the whole transfer
    min_rate: float = 1 << 20  # bytes a second the next hop must at least take
    helo: str = "sekisho.localdomain"

    def deadline(self, size: int) -> float:
        """Seconds the whole transfer of ``size`` bytes may take."""
        return self.timeout + size / self.min_rate

    async def send(self, submission: Submission) -> None:
        """Relay with the envelope kept exactly. The commands go through aiosmtplib; the
        message is written from slices of the bytes with flow control, because
        aiosmtplib's ``sendmail`` makes three copies of it (a 35 MB message is then
        140 MB)."""
        deadline = self.deadline(len(submission.data))
        smtp = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.timeout, start_tls=False
        )
        try:
            async with asyncio.timeout(deadline):
                await smtp.connect()
                await self._transfer(smtp, submission)
        except TimeoutError as exc:
            raise UpstreamError(
                f"{self.host}:{self.port} did not take the message within {deadline:.0f} s"
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise UpstreamError(f"{self.host}:{self.port}: {exc}") from exc
        finally:
            # Not ``async with``: its exit sends QUIT and waits for the reply, which a
            # stalled next hop never gives.
            if smtp.is_connected:
                smtp.close()

    async def _transfer(self, smtp: aiosmtplib.SMTP, submission: Submission) -> None:
        await smtp.ehlo()
        utf8 = submission.smtputf8
        if utf8 and not smtp.supports_extension("smtputf8"):
            raise UpstreamError(f"{self.host}:{self.port} does not support SMTPUTF8")
        encoding = "utf-8" if utf8 else "ascii"
        options = [o for o in submission.relay_options if _offered(smtp, o)]
        await smtp.mail(submission.mail_from, options=options, encoding=encoding)
        refused = []
        for recipient in submission.recipients:
            try:
                await smtp.rcpt(recipient, encoding=encoding)
            except aiosmtplib.SMTPRecipientRefused as exc:
                refused.append(f"{recipient}: {exc.code} {exc.message}")
        if refused:
            raise UpstreamError(f"recipients refused: {'; '.join(refused)}")
        await self._data(smtp, submission.data)
        with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
            async with asyncio.timeout(2):
                await smtp.quit()

    async def _data(self, smtp: aiosmtplib.SMTP, data: bytes) -> None:
        start = await smtp.execute_command(b"DATA")
        if start.code != 354:
            raise UpstreamError(f"DATA refused: {start.code} {start.message}")
        protocol = smtp.protocol
        assert protocol is not None
        drain = getattr(protocol, "_drain_helper", None)  # aiosmtplib's flow control
        pending = 0
        for chunk in wire_chunks(data):
            protocol.write(chunk)
            pending += len(chunk)
            if pending >= _WRITE_CHUNK and drain is not None:
                await drain()
                pending = 0
        done = await protocol.read_response(timeout=self.timeout)
        if done.code != 250:
            raise UpstreamError(f"message refused: {done.code} {done.message}")


@dataclass
class MaildirUpstream:
    """Delivers into one Maildir, with the envelope recorded as headers (as Postfix's
    local delivery does with Return-Path and X-Original-To)."""

    directory: Path

    async def send(self, submission: Submission) -> None:
        envelope = (
            f"Return-Path: <{submission.mail_from}>\n"
            f"X-Original-To: {', '.join(submission.recipients)}\n"
        ).encode()
        box = mailbox.Maildir(self.directory, create=True)
        key = box.add(envelope + submission.data.replace(b"\r\n", b"\n"))
        path = Path(self.directory) / "new" / key
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def upstream_from(spec: str, timeout: float = 60.0) -> Upstream:
    """``smtp:HOST:PORT`` / ``HOST:PORT`` or ``maildir:DIR``."""
    if spec.startswith("maildir:"):
        return MaildirUpstream(Path(spec.removeprefix("maildir:")))
    host, _, port = spec.removeprefix("smtp:").rpartition(":")
    return SmtpUpstream(host or "127.0.0.1", int(port), timeout=timeout)
