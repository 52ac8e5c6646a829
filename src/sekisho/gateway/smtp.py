"""aiosmtpd's SMTP server with a leaner DATA phase.

aiosmtpd keeps every line of a message as its own ``bytearray`` before joining them: a
35 MB message with a 25 MB attachment is 470,000 objects and about 100 MB on the way in.
This subclass appends the lines to one buffer instead, with the same checks and replies
(size limit 552, over-long line 500, dot-unstuffing of RFC 5321 4.5.2); everything else
is aiosmtpd's own.
"""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.smtp import MISSING, SMTP, syntax

log = logging.getLogger("sekisho.gateway")


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
        too_much = too_long = False
        while self.transport is not None:
            try:
                line = await self._reader.readuntil(b"\r\n")
            except asyncio.LimitOverrunError as exc:
                too_long = True
                buffer = bytearray()
                await self._reader.read(exc.consumed)
                continue
            if line == b".\r\n":
                break
            if too_much or too_long:
                continue
            if len(line) > self.line_length_limit:
                too_long = True
                buffer = bytearray()
                continue
            buffer += line[1:] if line.startswith(b".") else line
            if limit and len(buffer) > limit:
                too_much = True
                buffer = bytearray()
        if too_long:
            await self.push("500 Line too long (see RFC5321 4.5.3.1.6)")
            self._set_post_data_state()
            return
        if too_much:
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
