"""Pictures: noted, not read — after checking that the bytes are only a picture.

A photo, a logo or a screenshot is content this version does not read (text in pictures
is a later issue), not a failure to read: it is *noted*, and the file stays scannable.
That exemption is exactly what an attacker would want, so a picture is taken as one only
when its structure says so from first byte to last: PNG chunks to IEND, JPEG segments to
the end of the scan, GIF blocks to the trailer, BMP and WebP by their size fields. Bytes
after the picture's end (a roster appended to a PNG, a zip after a JPEG — a "polyglot")
are read as a file of their own. Text a picture carries (PNG tEXt/iTXt/zTXt, JPEG
comments) is read as text. Anything that does not parse is damaged, not exempt.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

from sekisho.extract.parts import TextPart
from sekisho.extract.problems import NoteCode, ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)


def image_format(data: bytes) -> str | None:
    for magic, name in MAGICS:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class _Malformed(ValueError):
    pass


def read_image(walker: Walker, data: bytes, ctx: FileContext) -> None:
    fmt = image_format(data)
    assert fmt is not None  # sniff said "image"
    try:
        end, texts = _PARSERS[fmt](data)
    except (_Malformed, struct.error, zlib.error, IndexError) as exc:
        walker.problem(ProblemCode.CORRUPT, ctx.origin, f"{fmt.upper()} picture: {exc}")
        return
    walker.note(NoteCode.IMAGE, ctx.origin, f"{fmt.upper()}, {end:,} bytes")
    for label, text in texts:
        if text.strip():
            walker.part(TextPart(text, origin=ctx.place(label)))
    trailing = data[end:]
    if trailing.strip(b"\x00 \t\r\n"):
        # Bytes after the picture's end: no viewer shows them, any unzipper or text
        # editor does. Read as a file of their own.
        walker.file(trailing, ctx.member(f"data after the {fmt.upper()} picture", "document"))


def _png(data: bytes) -> tuple[int, list[tuple[str, str]]]:
    position, texts = 8, []
    while True:
        if position + 12 > len(data):
            raise _Malformed("ends before IEND")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if len(body) != length:
            raise _Malformed(f"chunk {kind!r} cut short")
        if kind == b"tEXt":
            texts.append(("PNG text", body.replace(b"\x00", b": ", 1).decode("latin-1")))
        elif kind == b"zTXt":
            _, _, rest = body.partition(b"\x00")
            texts.append(("PNG text", _inflate(rest[1:]).decode("latin-1")))
        elif kind == b"iTXt":
            _, _, rest = body.partition(b"\x00")
            compressed = rest[:1] == b"\x01"
            _, _, rest = rest[2:].partition(b"\x00")  # language tag
            _, _, text = rest.partition(b"\x00")  # translated keyword
            raw = _inflate(text) if compressed else text
            texts.append(("PNG text", raw.decode("utf-8", "replace")))
        position += 12 + length
        if kind == b"IEND":
            return position, texts


TEXT_LIMIT = 1 << 20


def _inflate(data: bytes) -> bytes:
    """At most TEXT_LIMIT bytes of a compressed text chunk (a bomb stops there)."""
    return zlib.decompressobj().decompress(data, TEXT_LIMIT)


def _jpeg(data: bytes) -> tuple[int, list[tuple[str, str]]]:
    position, texts = 2, []
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise _Malformed("a segment does not start with a marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2, texts
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        if position + 4 > len(data):
            raise _Malformed("ends inside a segment")
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise _Malformed("a segment runs past the end")
        if marker == 0xFE:  # COM
            texts.append(
                (
                    "JPEG comment",
                    data[position + 4 : position + 2 + length].decode("utf-8", "replace"),
                )
            )
        position += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data until the next real marker
            while True:
                found = data.find(b"\xff", position)
                if found < 0 or found + 1 >= len(data):
                    raise _Malformed("no end of image")
                following = data[found + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    position = found + 2
                    continue
                position = found
                break


def _gif(data: bytes) -> tuple[int, list[tuple[str, str]]]:
    position, texts = 13, []
    flags = data[10]
    if flags & 0x80:
        position += 3 * (2 ** ((flags & 0x07) + 1))
    while True:
        block = data[position]
        if block == 0x3B:
            return position + 1, texts
        if block == 0x21:  # extension: label, then sub-blocks
            label = data[position + 1]
            position, body = _sub_blocks(data, position + 2)
            if label == 0xFE:
                texts.append(("GIF comment", body.decode("latin-1")))
        elif block == 0x2C:  # image descriptor
            local = data[position + 9]
            position += 10
            if local & 0x80:
                position += 3 * (2 ** ((local & 0x07) + 1))
            position, _ = _sub_blocks(data, position + 1)  # after the LZW minimum code size
        else:
            raise _Malformed(f"unknown block 0x{block:02x}")


def _sub_blocks(data: bytes, position: int) -> tuple[int, bytes]:
    body = bytearray()
    while True:
        size = data[position]
        if size == 0:
            return position + 1, bytes(body)
        body += data[position + 1 : position + 1 + size]
        position += 1 + size
        if position > len(data):
            raise _Malformed("a block runs past the end")


def _bmp(data: bytes) -> tuple[int, list[tuple[str, str]]]:
    (size,) = struct.unpack("<I", data[2:6])
    if size < 26 or size > len(data):
        raise _Malformed("its size field does not fit the file")
    return size, []


def _webp(data: bytes) -> tuple[int, list[tuple[str, str]]]:
    (size,) = struct.unpack("<I", data[4:8])
    if size + 8 > len(data) or size < 12:
        raise _Malformed("its size field does not fit the file")
    return size + 8 + (size & 1), []


_PARSERS = {"png": _png, "jpeg": _jpeg, "gif": _gif, "bmp": _bmp, "webp": _webp}
