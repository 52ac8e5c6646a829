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


class _DataReader:
    """The DATA payload, fed in chunks as they arrive, judged line by line exactly as
    aiosmtpd 1.4 judges it with ``readuntil`` (whose stream limit is ``reader_limit``):

    - a line longer than the stream limit is skipped whole (its rest is never the end of
      data) and makes the message too long; like ``readuntil``, a partial line is given
      up once it is longer than the limit plus one, keeping its last byte (half of a
      CRLF that may straddle two chunks);
    - ``.`` alone ends the data; the size counts the lines before it; over
      ``size_limit`` the message is too big, over ``line_limit`` a line is too long,
      whichever comes first;
    - a leading dot is removed (RFC 5321 4.5.2).

    A chunk with none of the rare cases (no dot at a line start, no long line, within
    the size) is taken in one piece of C-level work: a 1 MB message was ~13,000 Python
    iterations of ``readuntil`` on the event loop, ~20 ms in which nobody else was served.
    """

    def __init__(self, size_limit: int, line_limit: int, reader_limit: int) -> None:
        self.size_limit = size_limit
        self.line_limit = line_limit
        self.reader_limit = reader_limit
        self.buffer = bytearray()
        self.pending = bytearray()  # the start of a line whose end has not come yet
        self.size = 0
        self.state = _Data.NOMINAL
        self.in_long_line = False  # inside a line longer than the stream limit
        self.done = False

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        cut = self.pending.rfind(b"\r\n")
        if cut >= 0:
            complete = bytes(self.pending[: cut + 2])
            del self.pending[: cut + 2]
            if not self._fast(complete):
                self._lines(complete)
        if not self.done and len(self.pending) - 1 > self.reader_limit:
            self._overrun(len(self.pending) - 1)

    def _fast(self, complete: bytes) -> bool:
        """Take ``complete`` lines whole when no rule but the ordinary one applies."""
        if self.state is not _Data.NOMINAL or self.in_long_line:
            return False
        if complete.startswith(b".") or b"\n." in complete:
            return False  # a dot at a line start: stuffed, or the end of data
        total = self.size + len(complete)
        if self.size_limit and total > self.size_limit:
            return False
        if max(map(len, complete.split(b"\r\n"))) + 2 > self.line_limit:
            return False  # (a bare LF inside a line is part of it, as for readuntil)
        self.size = total
        self.buffer += complete
        return True

    def _lines(self, complete: bytes) -> None:
        for content in complete.split(b"\r\n")[:-1]:
            if self.done:
                break
            self._line(content)

    def _line(self, content: bytes) -> None:
        length = len(content) + 2
        if self.in_long_line:  # the rest of a line the stream limit cut: even "." here
            self.in_long_line = False
            self.size += length
            return
        if len(content) > self.reader_limit:  # readuntil: "separator found, but too long"
            if self.state is _Data.NOMINAL:
                self.state = _Data.TOO_LONG
            self.buffer = bytearray()
            self.size += length
            return
        if content == b".":
            self.done = True
            return
        self.size += length
        if self.state is _Data.NOMINAL and self.size_limit and self.size > self.size_limit:
            self.state = _Data.TOO_MUCH
            self.buffer = bytearray()
        if self.state is not _Data.NOMINAL:
            return
        if length > self.line_limit:
            self.state = _Data.TOO_LONG
            self.buffer = bytearray()
            return
        self.buffer += content[1:] if content.startswith(b".") else content
        self.buffer += b"\r\n"

    def _overrun(self, consumed: int) -> None:
        """readuntil: "separator not found, and chunk exceeds the limit"."""
        if self.state is _Data.NOMINAL:
            self.state = _Data.TOO_LONG
        self.buffer = bytearray()
        self.size += consumed
        del self.pending[:consumed]
        self.in_long_line = True


# Large messages are received a few at a time: the rest wait at their first MiB, their
# bytes in the kernel's socket buffers (TCP slows the client down) rather than in this
# process. A process holds about BIG_AT_ONCE big messages whole, however many arrive; the
# scan process takes them one by one anyway. A message that holds a place finishes
# without waiting again, so the waiting ones always get their turn.
BIG_BYTES = 1 << 20
BIG_AT_ONCE = 4
_big_places: dict[int, asyncio.Semaphore] = {}


def _big_place() -> asyncio.Semaphore:
    loop = id(asyncio.get_running_loop())  # one per event loop (tests run several)
    place = _big_places.get(loop)
    if place is None:
        place = _big_places[loop] = asyncio.Semaphore(BIG_AT_ONCE)
    return place


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
        holding: list[asyncio.Semaphore] = []
        try:
            await self._receive(holding)
        finally:
            for place in holding:
                place.release()

    async def _receive(self, holding: list[asyncio.Semaphore]) -> None:
        """DATA's bytes, the handler, the reply; ``holding`` gets the big-message place
        this transaction takes (released by the caller whatever happens)."""
        assert self.envelope is not None
        reading = _DataReader(self.data_size_limit, self.line_length_limit, self._reader._limit)
        while not reading.done:
            if self.transport is None:
                return
            try:
                # Up to the first ".\r\n": the end of data is a line ".", so it ends a
                # piece, and nothing after it (a pipelined command) is ever taken here.
                piece = await self._reader.readuntil(b".\r\n")
            except asyncio.LimitOverrunError as exc:
                # Longer than the stream limit without one: what is buffered but the last
                # two bytes (half of a ".\r\n" may be there).
                piece = await self._reader.read(exc.consumed)
            except asyncio.CancelledError:
                log.info("Connection lost during DATA")
                self._writer.close()
                raise
            reading.feed(piece)
            if not holding and reading.size >= BIG_BYTES and not reading.done:
                place = _big_place()
                await place.acquire()
                holding.append(place)
            # ``readuntil`` returns at once while bytes are buffered: other connections
            # get a turn between pieces instead of waiting for a whole big message.
            await asyncio.sleep(0)
        state, buffer = reading.state, reading.buffer
        del reading  # the buffer is freed below once copied, not held through the handler
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
