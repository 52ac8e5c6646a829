"""aiosmtpd's SMTP server with a leaner DATA phase.

aiosmtpd keeps every line of a message as its own ``bytearray`` before joining them: a
35 MB message with a 25 MB attachment is 470,000 objects and about 100 MB on the way in.
This subclass appends the lines to one buffer instead, with the same checks and replies
as aiosmtpd 1.4's ``smtp_DATA`` (size limit 552, over-long line 500, dot-unstuffing of
RFC 5321 4.5.2, the rest of an over-long line never taken for the end of data, a lost
connection closing the writer); everything else is aiosmtpd's own.

It overrides a method and reads private members (``_reader``, ``_writer``,
``_set_post_data_state``), so ``pyproject.toml`` pins aiosmtpd to the 1.4 series it was
written against, and ``tests/gateway/test_smtp_data.py`` runs aiosmtpd's DATA edge cases
against both this and the stock server and requires the same replies and bytes.
"""

from __future__ import annotations

import asyncio
import enum
import logging

from aiosmtpd.smtp import MISSING, SMTP, syntax

log = logging.getLogger("sekisho.gateway")


class _Data(enum.Enum):
    NOMINAL = enum.auto()
    TOO_LONG = enum.auto()
    TOO_MUCH = enum.auto()


class GatewaySMTP(SMTP):
    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        buffer = bytearray()
        limit = self.data_size_limit
        size = 0
        state = _Data.NOMINAL
        in_long_line = False  # the reader gave up inside a line longer than its limit
        while self.transport is not None:
            try:
                line = await self._reader.readuntil(b"\r\n")
            except asyncio.CancelledError:
                log.info("Connection lost during DATA")
                self._writer.close()
                raise
            except asyncio.LimitOverrunError as exc:
                if state is _Data.NOMINAL:
                    state = _Data.TOO_LONG
                buffer = bytearray()
                size += len(await self._reader.read(exc.consumed))
                in_long_line = True
                continue
            if in_long_line:
                # The end of an over-long line: even a "." here is not the end of data
                # (taking it for one would read the rest of the message as commands).
                in_long_line = False
                size += len(line)
                continue
            if line == b".\r\n":
                break
            size += len(line)
            if state is _Data.NOMINAL and limit and size > limit:
                state = _Data.TOO_MUCH
                buffer = bytearray()
            if state is not _Data.NOMINAL:
                continue
            if len(line) > self.line_length_limit:
                state = _Data.TOO_LONG
                buffer = bytearray()
                continue
            buffer += line[1:] if line.startswith(b".") else line
        if state is _Data.TOO_LONG:
            await self.push("500 Line too long (see RFC5321 4.5.3.1.6)")
            self._set_post_data_state()
            return
        if state is _Data.TOO_MUCH:
            await self.push("552 Error: Too much mail data")
            self._set_post_data_state()
            return
        content = bytes(buffer)
        del buffer
        self.envelope.content = content
        self.envelope.original_content = content
        del content  # the envelope holds it; the handler may take it from there
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)
