"""MIME structure without copies: a message's parts as ranges of its bytes.

The standard library's parser turns a message into text, then into a list of lines,
then joins them into each part's payload: a 34 MB message with a 25 MB attachment costs
several hundred megabytes. Here the headers of each part are parsed by the standard
library (compat32: plain strings), and a body stays a range of the original bytes until
it is decoded (base64, quoted-printable) on its own, straight from that range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.feedparser import headerRE
from email.message import Message
from email.parser import BytesHeaderParser

from sekisho.extract import transfer

MAX_DEPTH = 32  # multipart inside multipart; real mail stays under 8
HEADER_LIMIT = 1 << 16  # one header block, in bytes


@dataclass(frozen=True, slots=True)
class MimePart:
    headers: Message  # headers only: get_content_type, get_filename, get_param work on it
    data: bytes  # the whole message, shared by every part
    start: int  # the body is data[start:end]
    end: int
    header_complete: bool = True  # False: the header block ran past HEADER_LIMIT

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()

    @property
    def transfer_encoding(self) -> str:
        return str(self.headers.get("Content-Transfer-Encoding", "") or "").strip().lower()

    def body(self) -> memoryview:
        """The body as it was sent, without a copy."""
        return memoryview(self.data)[self.start : self.end]

    def decoded(self) -> bytes:
        """The body with its Content-Transfer-Encoding undone (by the bytes where the
        label is unknown or lies: see ``transfer``)."""
        return self.transfer().data

    def transfer(self) -> transfer.Decoded:
        return transfer.decode_body(self.body(), self.transfer_encoding)

    def layout(self) -> Layout:
        """How a multipart body divides: its parts, and the text before and after them."""
        boundary = self.headers.get_boundary()
        if not boundary:
            return Layout([], (self.start, self.end), (self.end, self.end), found=False)
        delimiter = b"--" + boundary.encode("ascii", "surrogateescape")
        ranges, preamble_end, epilogue_start = _ranges(self.data, self.start, self.end, delimiter)
        if not ranges:
            return Layout([], (self.start, self.end), (self.end, self.end), found=False)
        return Layout(ranges, (self.start, preamble_end), (epilogue_start, self.end), found=True)

    def children(self, depth: int = 0) -> Iterator[MimePart]:
        """The parts of a multipart body, in order (none for other types)."""
        if not self.content_type.startswith("multipart/") or depth > MAX_DEPTH:
            return
        for start, end in self.layout().parts:
            yield split(self.data, start, end)


@dataclass(frozen=True, slots=True)
class Layout:
    parts: list[tuple[int, int]]
    preamble: tuple[int, int]
    epilogue: tuple[int, int]
    found: bool  # False: no boundary, or the boundary never occurs (read as one text)


def _ranges(
    data: bytes, start: int, end: int, delimiter: bytes
) -> tuple[list[tuple[int, int]], int, int]:
    """The (start, end) of each part between delimiter lines (RFC 2046 5.1.1), where the
    preamble ends and where the epilogue starts; the line break before a delimiter belongs
    to the delimiter."""
    ranges: list[tuple[int, int]] = []
    opened: int | None = None
    preamble_end = end
    position = data.find(delimiter, start, end)
    while position >= 0:
        if (position == start or data[position - 1] == 0x0A) and _ends_delimiter_line(
            data, position + len(delimiter), end
        ):
            line_start = position
            if line_start > start and data[line_start - 1] == 0x0A:
                line_start -= 1
                if line_start > start and data[line_start - 1] == 0x0D:
                    line_start -= 1
            if opened is None:
                preamble_end = line_start
            else:
                ranges.append((opened, max(opened, line_start)))
            line_end = data.find(b"\n", position, end)
            if data[position + len(delimiter) : position + len(delimiter) + 2] == b"--":
                return ranges, preamble_end, end if line_end < 0 else line_end + 1
            if line_end < 0:
                return ranges, preamble_end, end
            opened = line_end + 1
        position = data.find(delimiter, position + len(delimiter), end)
    if opened is not None and opened < end:
        ranges.append((opened, end))  # a missing close delimiter: the rest is the last part
    return ranges, preamble_end, end


_DELIMITER_TAIL = re.compile(rb"(?:--)?[ \t]*(?:\r?\n|\r|$)")


def _ends_delimiter_line(data: bytes, position: int, end: int) -> bool:
    """A delimiter line is the boundary, an optional "--", transport padding, the line end
    (as the standard library's feedparser reads it): "--b0undX" is not a line of "b0und"."""
    return _DELIMITER_TAIL.match(data, position, min(end, position + 256)) is not None


def split(data: bytes, start: int = 0, end: int | None = None) -> MimePart:
    """The part (or whole message) in data[start:end]: its headers and its body's range."""
    end = len(data) if end is None else end
    head = data[start : min(end, start + HEADER_LIMIT)]
    headers_end, body_start = _header_block(head)
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head[:headers_end])
    if body_start is None:
        if end - start > HEADER_LIMIT:
            return MimePart(headers, data, end, end, header_complete=False)
        body_start = len(head)
    return MimePart(headers, data, start + body_start, end)


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_LINE = re.compile(headerRE.pattern.encode("ascii"))


def _header_block(head: bytes) -> tuple[int, int | None]:
    """Where the header block ends and the body starts, by the standard library's rule
    (email.feedparser): a blank line ends the block and is dropped; any other line that
    is not a header or a continuation ends it too and is the body's first line
    (MissingHeaderBodySeparatorDefect), so nothing between headers and body is lost.
    The body start is None when every line of ``head`` is a header."""
    position = 0
    for match in _LINE.finditer(head):
        line = match.group()
        if not line:
            break
        if not _HEADER_LINE.match(line):
            blank = line in (b"\r\n", b"\n", b"\r")
            return position, match.end() if blank else position
        position = match.end()
    return position, None
