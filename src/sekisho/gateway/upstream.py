"""Where accepted mail goes: the MTA's re-injection port (SMTP), or a Maildir for demos
and tests. The envelope is kept exactly; addresses outside ASCII are sent with SMTPUTF8,
whether or not Postfix flagged them on the way in."""

from __future__ import annotations

import mailbox
import os
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


@dataclass
class SmtpUpstream:
    host: str = "127.0.0.1"
    port: int = 10026
    timeout: float = 60.0

    async def send(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        options = ["SMTPUTF8"] if needs_smtputf8(mail_from, recipients) else []
        if any(b > 0x7F for b in data[:65536]) or any(b > 0x7F for b in data[-65536:]):
            options.append("BODY=8BITMIME")
        try:
            async with aiosmtplib.SMTP(
                hostname=self.host, port=self.port, timeout=self.timeout, start_tls=False
            ) as smtp:
                errors, _ = await smtp.sendmail(mail_from, recipients, data, mail_options=options)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise UpstreamError(f"{self.host}:{self.port}: {exc}") from exc
        if errors:
            refused = ", ".join(f"{r}: {code} {text}" for r, (code, text) in errors.items())
            raise UpstreamError(f"recipients refused: {refused}")


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
