"""Content-Transfer-Encoding undone by what the bytes are, not only by what the label says.

A mail client decodes what it can: a part labelled ``x-foo`` or ``base65`` whose body is
base64 is still a file to the recipient who saves it, and ``7bit`` over base64 text is one
copy-and-paste away from the file. So a declared encoding is tried first, and where it is
unknown or does not fit the bytes, the bytes decide (base64, quoted-printable, uuencode).
What fits nothing known is taken as it is and read as text or a file by its content.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
_QP_ESCAPE = re.compile(rb"=(?:[0-9A-Fa-f]{2}|\r?\n)")
_UU_BEGIN = re.compile(rb"^begin(?:-base64)? [0-7]{3,4} ([^\r\n]*)\r?$", re.MULTILINE)

IDENTITY = frozenset({"", "7bit", "8bit", "binary"})
UUENCODE = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})
# Shorter than this, a body that happens to be made of base64 letters is more likely a word.
MIN_BASE64 = 32


@dataclass(frozen=True, slots=True)
class Decoded:
    """The body as the recipient gets it, and how it was decoded (for the report)."""

    data: bytes
    how: str  # "base64", "quoted-printable", "uuencode", "identity"
    declared: str  # the label, lower-cased ("" when absent)
    name: str = ""  # a uuencoded file's own name


def decode_body(body: bytes | memoryview, declared: str) -> Decoded:
    """``body`` with its transfer encoding undone; see the module docstring."""
    label = declared.strip().lower()
    if label == "base64":
        head = bytes(memoryview(body)[:4096])
        if not head.translate(None, _B64_ALPHABET + _SPACE) or not head.strip():
            return Decoded(b64decode(body), "base64", label)  # lenient past the first bytes
        return Decoded(bytes(body), "identity", label)  # a lying label: the bytes as they are
    if label == "quoted-printable":
        return Decoded(binascii.a2b_qp(body), "quoted-printable", label)
    if label in UUENCODE:
        found = uudecode(bytes(body))
        if found is not None:
            return Decoded(found[1], "uuencode", label, found[0])
        return Decoded(bytes(body), "identity", label)
    if label in IDENTITY:
        return Decoded(bytes(body), "identity", label)
    return by_content(bytes(body), label)


def by_content(body: bytes, label: str = "") -> Decoded:
    """An unknown label (``x-gzip64``, ``base65``): the encoding the bytes show."""
    found = uudecode(body)
    if found is not None:
        return Decoded(found[1], "uuencode", label, found[0])
    if is_base64(body):
        return Decoded(b64decode(body), "base64", label)
    if _QP_ESCAPE.search(body[:65536]):
        return Decoded(binascii.a2b_qp(body), "quoted-printable", label)
    return Decoded(body, "identity", label)


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_SPACE = b" \t\r\n"
_CHUNK = 1 << 20


def is_base64(body: bytes | memoryview, minimum: int = MIN_BASE64) -> bool:
    """The whole body is base64 text (line breaks and spaces aside). Checked a megabyte at
    a time without copying the body: a 25 MB attachment must not cost another 25 MB."""
    view = memoryview(body)
    head = bytes(view[:4096])
    if head.translate(None, _B64_ALPHABET + _SPACE):
        return False  # the common case, decided on the first bytes
    letters = 0
    for start in range(0, len(view), _CHUNK):
        chunk = bytes(view[start : start + _CHUNK])
        if chunk.translate(None, _B64_ALPHABET + _SPACE):
            return False
        letters += len(chunk.translate(None, _SPACE))
    return letters >= max(minimum, 1)


def b64decode(body: bytes | memoryview) -> bytes:
    """Lenient like mail clients: stray characters dropped, missing padding added."""
    try:
        return binascii.a2b_base64(body)
    except binascii.Error:
        cleaned = _NOT_BASE64.sub(b"", bytes(body)).replace(b"=", b"")
        cleaned = cleaned[: len(cleaned) - (len(cleaned) % 4 == 1)]
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))


def uudecode(body: bytes) -> tuple[str, bytes] | None:
    """The first uuencoded file in ``body`` (``begin 644 name`` … ``end``): its name and
    bytes, or None when there is none. Damaged lines are decoded as far as they go."""
    match = _UU_BEGIN.search(body)
    if match is None:
        return None
    name = match.group(1).decode("utf-8", "replace").strip()
    out = bytearray()
    base64_style = match.group(0).startswith(b"begin-base64")
    lines = body[match.end() :].splitlines()
    if base64_style:
        text = b"".join(
            line for line in _until_end(lines, b"====") if line.strip() and line != b"===="
        )
        return name, b64decode(text)
    for line in _until_end(lines, b"end"):
        if not line.strip() or line.strip() == b"`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders pad lines short: decode by the declared length.
            count = (line[0] - 32) & 0x3F
            try:
                out += binascii.a2b_uu(line[: 1 + (count + 2) // 3 * 4])
            except binascii.Error:
                continue
    return name, bytes(out)


def _until_end(lines: list[bytes], end: bytes) -> list[bytes]:
    kept = []
    for line in lines:
        if line.strip() == end:
            break
        kept.append(line.rstrip(b"\r"))
    return kept
