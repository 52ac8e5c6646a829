"""Files carried inside text: ``data:`` URIs, uuencoded blocks and runs of base64.

A body that says "名簿です" and then holds 40 lines of base64 carries the roster as surely
as an attachment does: the recipient's client (or one copy-and-paste) decodes it. Each
such run is decoded and read as a file of its own. Decoded bytes that are neither a known
file nor text (a key, a signature, a hash) are passed over: they carry nothing readable.
"""

from __future__ import annotations

import binascii
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sekisho.extract import transfer
from sekisho.extract.sniff import sniff
from sekisho.extract.textcodec import Decoded, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

_DATA_URI = re.compile(
    r"data:(?P<type>[\w!#$&^.+-]+/[\w!#$&^.+-]+)?(?P<params>(?:;[\w.+-]+(?:=[^;,\s\"'<>]*)?)*?)"
    r"(?P<b64>;base64)?,(?P<body>[A-Za-z0-9+/=%\-_.~!$&'()*;:@\s]*[A-Za-z0-9+/=%])",
    re.IGNORECASE,
)
# 32 or more base64 letters in a row, possibly over several lines of one block.
_BASE64_RUN = re.compile(
    r"(?<![A-Za-z0-9+/])(?:[A-Za-z0-9+/]{4}[ \t]*(?:\r?\n[ \t]*)?){8,}[A-Za-z0-9+/=]{0,4}"
)
_RUN_ENDS = frozenset("\"'<>()[]{};,.")
_UU = re.compile(r"^begin(?:-base64)? [0-7]{3,4} [^\r\n]*\r?$", re.MULTILINE)
_UU_END = re.compile(r"^(?:end|====)\r?$", re.MULTILINE)

_EXTENSIONS = {
    "text/csv": ".csv",
    "text/html": ".html",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
}


@dataclass(frozen=True, slots=True)
class Embedded:
    label: str  # "data URI 1.csv", "uuencoded 名簿.csv", "base64 block 2"
    data: bytes
    start: int  # where it sits in the text (characters)
    end: int


def find(text: str) -> Iterator[Embedded]:
    """Every file-like run in ``text``, in order; data URIs and uuencoded blocks first
    claim their characters so a base64 run inside them is not read twice."""
    taken: list[tuple[int, int]] = []
    number = 0
    for match in _DATA_URI.finditer(text):
        body = match.group("body")
        data = _data_uri_bytes(body, bool(match.group("b64")))
        if data:
            number += 1
            ext = _EXTENSIONS.get((match.group("type") or "").lower(), "")
            taken.append(match.span())
            yield Embedded(f"data URI {number}{ext}", data, *match.span())
    for match in _UU.finditer(text):
        stop = _UU_END.search(text, match.end())
        span = (match.start(), stop.end() if stop else len(text))
        found = transfer.uudecode(text[span[0] : span[1]].encode("utf-8", "surrogateescape"))
        if found is None or not found[1]:
            continue
        taken.append(span)
        yield Embedded(f"uuencoded {found[0] or 'file'}", found[1], *span)
    number = 0
    for match in _BASE64_RUN.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        run = match.group(0)
        after = text[match.end() : match.end() + 1]
        if after and not after.isspace() and after not in _RUN_ENDS:
            # The run ran on into the next line's word ("…AAAA\nContent-Type"): a block
            # ends at a line's end, so the line it ran into is not part of it.
            run = run[: run.rstrip().rfind("\n") + 1].rstrip()
            if len(run) < 32:
                continue
        if not any(ch.isdigit() or ch in "+/" for ch in run) or run.isalpha():
            continue  # a long word, not an encoding
        try:
            data = transfer.b64decode(run.encode("ascii"))
        except (binascii.Error, ValueError):
            continue
        if len(data) >= 16:
            number += 1
            yield Embedded(f"base64 block {number}", data, match.start(), match.start() + len(run))


def _data_uri_bytes(body: str, is_base64: bool) -> bytes:
    if is_base64:
        compact = "".join(body.split())
        try:
            return transfer.b64decode(urllib.parse.unquote(compact).encode("ascii", "ignore"))
        except (binascii.Error, ValueError):
            return b""
    return urllib.parse.unquote_to_bytes(body)


def read_embedded(walker: Walker, text: str, ctx: FileContext, *, in_message: bool) -> str:
    """Read every file carried in ``text`` (an attachment when the text is a message's
    body, a member of the file otherwise): the ones that are a known kind of file or decode
    as text. Random bytes (keys, hashes) are passed over. Returns ``text`` with the runs
    that were read as files blanked out (line breaks kept), so their letters are not read
    again as words."""
    blanked: list[tuple[int, int]] = []
    for item in find(text):
        kind = sniff(item.data, item.label)
        if kind in ("unknown", "executable"):
            continue
        if kind in ("text", "csv") and not isinstance(decode_text(item.data), Decoded):
            continue
        inner = ctx.attachment(item.label) if in_message else ctx.member(item.label, "document")
        walker.file(item.data, inner)
        blanked.append((item.start, item.end))
    if not blanked:
        return text
    out, position = [], 0
    for start, end in sorted(blanked):
        if start < position:
            continue
        out.append(text[position:start])
        out.append("\n" * text.count("\n", start, end))
        position = end
    out.append(text[position:])
    return "".join(out)
