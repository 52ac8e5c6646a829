"""MIME structure without copies: a message's parts as ranges of its bytes.

The standard library's parser turns a message into text, then into a list of lines,
then joins them into each part's payload: a 34 MB message with a 25 MB attachment costs
several hundred megabytes. Here the headers of each part are parsed by the standard
library (compat32: plain strings), and a body stays a range of the original bytes until
it is decoded (base64, quoted-printable) on its own, straight from that range.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
MAX_DEPTH = 20
_HEADER_LIMIT = 1 << 16


@dataclass(frozen=True, slots=True)
class MimePart:
    headers: Message  # headers only: get_content_type, get_filename, get_param work on it
    data: bytes  # the whole message, shared by every part
    start: int  # the body is data[start:end]
    end: int

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()

    def decoded(self) -> bytes:
        """The body with its Content-Transfer-Encoding undone."""
        encoding = str(self.headers.get("Content-Transfer-Encoding", "")).strip().lower()
        body = memoryview(self.data)[self.start : self.end]
        if encoding == "base64":
            try:
                return binascii.a2b_base64(body)
            except binascii.Error:  # stray characters or missing padding: be lenient
                cleaned = _NOT_BASE64.sub(b"", body.tobytes())
                return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body.tobytes())
        return body.tobytes()

    def children(self, depth: int = 0) -> Iterator[MimePart]:
        """The parts of a multipart body, in order (none for other types)."""
        if not self.content_type.startswith("multipart/") or depth > MAX_DEPTH:
            return
        boundary = self.headers.get_boundary()
        if not boundary:
            return
        delimiter = b"--" + boundary.encode("ascii", "surrogateescape")
        for start, end in _ranges(self.data, self.start, self.end, delimiter):
            yield split(self.data, start, end)


def _ranges(data: bytes, start: int, end: int, delimiter: bytes) -> Iterator[tuple[int, int]]:
    """The (start, end) of each part between delimiter lines (RFC 2046 5.1.1); the line
    break before a delimiter belongs to the delimiter."""
    opened: int | None = None
    position = data.find(delimiter, start, end)
    while position >= 0:
        if position == start or data[position - 1] == 0x0A:  # at the start of a line
            if opened is not None:
                stop = position - 1
                if stop > opened and data[stop - 1] == 0x0D:
                    stop -= 1
                yield opened, max(opened, stop)
            if data[position + len(delimiter) : position + len(delimiter) + 2] == b"--":
                return  # the close delimiter
            line_end = data.find(b"\n", position, end)
            if line_end < 0:
                return
            opened = line_end + 1
        position = data.find(delimiter, position + len(delimiter), end)
    if opened is not None and opened < end:
        yield opened, end  # a missing close delimiter: the rest is the last part


def split(data: bytes, start: int = 0, end: int | None = None) -> MimePart:
    """The part (or whole message) in data[start:end]: its headers and its body's range."""
    end = len(data) if end is None else end
    head = data[start : min(end, start + _HEADER_LIMIT)]
    match = _HEADER_END.search(head)
    if match is None:
        if head[:1] in (b"\r", b"\n"):  # no headers at all, only a body
            skip = 2 if head[:2] == b"\r\n" else 1
            return MimePart(Message(), data, start + skip, end)
        return MimePart(BytesHeaderParser(policy=policy.compat32).parsebytes(head), data, end, end)
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head[: match.end()])
    return MimePart(headers, data, start + match.end(), end)
