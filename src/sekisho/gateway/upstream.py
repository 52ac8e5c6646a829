"""Where accepted mail goes: the MTA's re-injection port (SMTP), or a Maildir for demos
and tests. The envelope is kept exactly; addresses outside ASCII are sent with SMTPUTF8,
whether or not Postfix flagged them on the way in."""

from __future__ import annotations

import mailbox
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib


class UpstreamError(Exception):
    """The next hop did not take the message; the gateway answers 451 so the MTA retries."""


class Upstream(Protocol):
    async def send(self, mail_from: str, recipients: list[str], data: bytes) -> None: ...


def needs_smtputf8(mail_from: str, recipients: list[str]) -> bool:
    return not all(a.isascii() for a in [mail_from, *recipients])


# Places where the wire form differs from the bytes: a dot at the start of a line (doubled,
# RFC 5321 4.5.2) and a bare CR or LF (sent as CRLF).
_WIRE_FIXES = re.compile(rb"(?m)^\.|\r(?!\n)|(?<!\r)\n")
_WRITE_CHUNK = 1 << 20


def wire_chunks(data: bytes) -> Iterator[bytes | memoryview]:
    """The DATA payload of ``data`` as slices of it (no copy of the message), with the few
    fixes SMTP needs written in between, ending with the final ``.``."""
    view = memoryview(data)
    position = 0
    for match in _WIRE_FIXES.finditer(data):
        yield from _slices(view, position, match.start())
        yield b".." if match.group() == b"." else b"\r\n"
        position = match.end()
    yield from _slices(view, position, len(data))
    if not data.endswith((b"\n", b"\r")):
        yield b"\r\n"
    yield b".\r\n"


def _slices(view: memoryview, start: int, end: int) -> Iterator[memoryview]:
    for offset in range(start, end, _WRITE_CHUNK):
        yield view[offset : min(end, offset + _WRITE_CHUNK)]


@dataclass
class SmtpUpstream:
    host: str = "127.0.0.1"
    port: int = 10026
    timeout: float = 60.0
    helo: str = "sekisho.localdomain"

    async def send(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        """Relay with the envelope kept exactly. The commands go through aiosmtplib; the
        message is written from slices of ``data`` with flow control, because aiosmtplib's
        ``sendmail`` makes three copies of it (a 35 MB message is then 140 MB)."""
        utf8 = needs_smtputf8(mail_from, recipients)
        options = ["SMTPUTF8"] if utf8 else []
        if any(b > 0x7F for b in data[:65536]) or any(b > 0x7F for b in data[-65536:]):
            options.append("BODY=8BITMIME")
        encoding = "utf-8" if utf8 else "ascii"
        try:
            async with aiosmtplib.SMTP(
                hostname=self.host, port=self.port, timeout=self.timeout, start_tls=False
            ) as smtp:
                await smtp.ehlo()
                if utf8 and not smtp.supports_extension("smtputf8"):
                    raise UpstreamError(f"{self.host}:{self.port} does not support SMTPUTF8")
                await smtp.mail(mail_from, options=options, encoding=encoding)
                refused = []
                for recipient in recipients:
                    try:
                        await smtp.rcpt(recipient, encoding=encoding)
                    except aiosmtplib.SMTPRecipientRefused as exc:
                        refused.append(f"{recipient}: {exc.code} {exc.message}")
                if refused:
                    raise UpstreamError(f"recipients refused: {'; '.join(refused)}")
                await self._data(smtp, data)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise UpstreamError(f"{self.host}:{self.port}: {exc}") from exc

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

    async def send(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        envelope = f"Return-Path: <{mail_from}>\nX-Original-To: {', '.join(recipients)}\n".encode()
        box = mailbox.Maildir(self.directory, create=True)
        key = box.add(envelope + data.replace(b"\r\n", b"\n"))
        path = Path(self.directory) / "new" / key
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def upstream_from(spec: str) -> Upstream:
    """``smtp:HOST:PORT`` / ``HOST:PORT`` or ``maildir:DIR``."""
    if spec.startswith("maildir:"):
        return MaildirUpstream(Path(spec.removeprefix("maildir:")))
    host, _, port = spec.removeprefix("smtp:").rpartition(":")
    return SmtpUpstream(host or "127.0.0.1", int(port))
