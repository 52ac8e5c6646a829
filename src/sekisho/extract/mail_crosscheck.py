"""A second reading of each message's structure, by Python's own ``email`` parser.

``mail`` splits a message with ``mime`` (ranges of the original bytes, no copies) and
follows the standard library's rules where they matter (delimiter lines, the end of a
header block, a multipart without a usable boundary). Following rules is not proof: a
shape nobody thought of could still make the two readings divide the bytes differently,
and a body that only the other reading sees would leave unread. So every message is
read a second time, by ``email.message_from_bytes`` (compat32, what most Python mail
tools and many clients' rules agree with), and each leaf it finds must lie inside a
range that ``mail`` read. A leaf outside makes the message unscannable: if the readings
disagree, neither is trusted.

The standard parser costs about 20 ms and 5 MB per MB of message (a 35 MB message with
a 25 MB attachment: 0.8 s and 165 MB), almost all of it in splitting bodies into lines.
Inside a body that was read, only lines beginning with "-" can change how the standard
parser divides the message (a delimiter line); every other line is content. So it is
handed a skeleton: each body that was read keeps its "-" lines and has the rest replaced
by one marker line, and coverage is checked in the skeleton (35 MB message: 80 ms).
"""

from __future__ import annotations

import email
import re
from email import policy
from email.message import Message

# Bodies shorter than this (after whitespace is trimmed) cannot carry a record: a
# signature dash, a lone line break between boundaries.
_TRIVIAL = 4
# A body repeated this often is looked for no further (a crafted message could repeat
# one body thousands of times to make the search quadratic): unread, unscannable.
_MAX_OCCURRENCES = 64


def unread_leaves(data: bytes, read: list[tuple[int, int]]) -> list[str]:
    """Descriptions of the leaves of ``data`` (as the standard library reads it) whose
    bytes lie in no range of ``read``; empty when every leaf was read."""
    skeleton, ranges = _skeleton(data, _merged(read))
    missed: list[str] = []
    message = email.message_from_bytes(skeleton, policy=policy.compat32)
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        raw = _raw_payload(part).strip()
        if len(raw) < _TRIVIAL or _covered(skeleton, raw, ranges):
            continue
        missed.append(f"part {number} ({part.get_content_type()}, {len(raw):,} bytes)")
    return missed


def _merged(read: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(read):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _skeleton(data: bytes, ranges: list[tuple[int, int]]) -> tuple[bytes, list[tuple[int, int]]]:
    """``data`` with each read range reduced to a marker line and its "-" lines, and
    where those ranges now lie."""
    out = bytearray()
    placed: list[tuple[int, int]] = []
    position = 0
    for index, (start, end) in enumerate(ranges):
        out += data[position:start]
        first = len(out)
        out += b"\x00sekisho read %d\x00\n" % index
        for line in _dash_lines(data, start, end):
            stop = _line_end(data, line, end)
            out += data[line:stop]
            if stop == end or data[stop - 1] not in b"\r\n":
                out += b"\n"
        placed.append((first, len(out)))
        position = end
    out += data[position:]
    return bytes(out), placed


def _dash_lines(data: bytes, start: int, end: int) -> list[int]:
    """Where lines beginning with "-" start in data[start:end] (a line ends at CR, LF or
    CRLF, as the standard parser splits them)."""
    found = [start] if data[start : start + 1] == b"-" else []
    for needle in (b"\n-", b"\r-"):
        position = data.find(needle, start, end)
        while position >= 0:
            found.append(position + 1)
            position = data.find(needle, position + 1, end)
    return sorted(found)


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")


def _line_end(data: bytes, position: int, end: int) -> int:
    """The end of the line at ``position``, its line break included."""
    match = _LINE.match(data, position, end)
    return match.end() if match else end


def _raw_payload(part: Message) -> bytes:
    """The leaf's body as it stands in the message. ``get_payload()`` would hand back
    text re-decoded with the part's charset (8-bit bytes replaced), which no longer
    matches the original bytes; the stored payload is those bytes, surrogate-escaped."""
    payload = part._payload
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("ascii", "surrogateescape")
    return b""


def _covered(data: bytes, raw: bytes, ranges: list[tuple[int, int]]) -> bool:
    """Whether some occurrence of ``raw`` in ``data`` lies inside a range that was read
    (identical bytes elsewhere were read as the same content)."""
    position = data.find(raw)
    for _ in range(_MAX_OCCURRENCES):
        if position < 0:
            break
        end = position + len(raw)
        if any(start <= position and end <= stop for start, stop in ranges):
            return True
        position = data.find(raw, position + 1)
    # Not found in a range: unread. (Or the parser changed the bytes, which compat32
    # does not do; a leaf that cannot be placed is not assumed read either.)
    return False
