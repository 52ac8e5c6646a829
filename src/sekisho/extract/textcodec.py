"""Decode bytes to text the way Japanese offices write it: UTF-8 (with or without BOM),
Shift_JIS/cp932, EUC-JP, ISO-2022-JP and UTF-16 with a BOM (Excel's "Unicode text").

Strict decoding decides first because it is fast and certain when only one encoding
fits; charset-normalizer breaks the tie when both cp932 and EUC-JP decode. Anything that
fits none of them is reported, not guessed: a wrong guess would hide personal data.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

import charset_normalizer

from sekisho.extract.problems import ProblemCode

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),  # before UTF-16's, which it begins with
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_WIDE = frozenset({"utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be"})

# Control bytes that never occur in text; TAB, LF, FF, CR and ESC (ISO-2022-JP) do.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_TABLE = bytes.maketrans(b"", b"")

# Code points a lenient cp932 decoder produces from bytes no Japanese text contains:
# C1 controls (0x80) and Microsoft's private mappings of 0xA0, 0xFD–0xFF.
_SUSPICIOUS = frozenset(
    [chr(c) for c in range(0x80, 0xA0)] + ["\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3"]
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Undecodable:
    code: ProblemCode
    detail: str


def decode_text(data: bytes) -> Decoded | Undecodable:
    """Decode ``data`` or say why it is not text in an encoding we can trust. Line ends
    of old Macs (CR alone) come back as LF, so that lines and CSV rows are found."""
    decoded = _decode(data)
    if isinstance(decoded, Decoded) and "\r" in decoded.text and "\n" not in decoded.text:
        return Decoded(decoded.text.replace("\r", "\n"), decoded.encoding)
    return decoded


STREAM_BYTES = 4 << 20  # from this size a table's text is decoded a piece at a time
_PIECE = 1 << 20


def stream_text(data: bytes) -> tuple[str, Iterator[str]] | None:
    """The encoding ``decode_text`` would choose and the text a megabyte at a time, for
    the common case of a large UTF-8, Shift_JIS or EUC-JP file: a 25 MB cp932 CSV is
    ~38 MB as one ``str``, and a table reader needs only its lines in turn. Each
    candidate is tried by decoding pieces into nothing first, so the choice (and every
    refusal) is ``decode_text``'s. None where ``decode_text`` must decide: a BOM,
    UTF-16/32, ISO-2022, old Mac line ends, control bytes, or no encoding that fits (it
    then says why)."""
    if any(data.startswith(bom) for bom, _ in _BOMS) or b"\x1b" in data or b"\n" not in data:
        return None
    if _looks_binary(data):
        return None
    if _fits(data, "utf-8"):
        return "utf-8", _pieces(data, "utf-8")
    cp932, euc = _fits(data, "cp932"), _fits(data, "euc_jp")
    if not (cp932 or euc):
        return None
    if cp932 and euc:
        return (encoding := _tie_break(data)), _pieces(data, encoding)
    return ("cp932", _pieces(data, "cp932")) if cp932 else ("euc_jp", _pieces(data, "euc_jp"))


def _pieces(data: bytes, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    for start in range(0, len(data), _PIECE):
        yield decoder.decode(bytes(view[start : start + _PIECE]), final=False)
    yield decoder.decode(b"", final=True)


def _fits(data: bytes, encoding: str) -> bool:
    """``_strict`` without keeping the text."""
    try:
        for piece in _pieces(data, encoding):
            if encoding == "cp932" and not _SUSPICIOUS.isdisjoint(piece):
                return False
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes) -> Decoded | Undecodable:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return Undecodable(ProblemCode.CORRUPT, f"invalid {encoding} at byte {exc.start}")
    wide = _wide_without_bom(data)
    if wide is not None:
        return wide
    if _looks_binary(data):
        return Undecodable(ProblemCode.BINARY, "control bytes found")
    if b"\x1b$" in data or b"\x1b(" in data:  # 7-bit, so it must come before UTF-8
        decoded = _iso2022(data)
        if decoded is not None:
            return decoded
        if max(data) < 0x80:
            return Undecodable(ProblemCode.UNKNOWN_ENCODING, "ISO-2022 escapes of no known variant")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    cp932 = _strict(data, "cp932")
    euc = _strict(data, "euc_jp")
    if cp932 is None and euc is None:
        return Undecodable(
            ProblemCode.UNKNOWN_ENCODING, "not UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP"
        )
    if cp932 is not None and euc is not None:
        if _tie_break(data) == "euc_jp":
            return Decoded(euc, "euc_jp")
        return Decoded(cp932, "cp932")
    return Decoded(cp932, "cp932") if cp932 is not None else Decoded(euc or "", "euc_jp")


# The ISO-2022-JP family, most common first: the plain and extended forms, JIS X 0213
# (ESC $ ( Q / P, written by newer mailers for 𠮷 and 髙), then the multilingual ones.
_ISO2022_CODECS = {
    "iso2022_jp_ext": "iso-2022-jp",
    "iso2022_jp_2004": "iso-2022-jp-2004",
    "iso2022_jp_3": "iso-2022-jp-3",
    "iso2022_jp_2": "iso-2022-jp-2",
    "iso2022_jp_1": "iso-2022-jp-1",
}


def _iso2022(data: bytes) -> Decoded | None:
    for codec, label in _ISO2022_CODECS.items():
        try:
            return Decoded(data.decode(codec), label)
        except UnicodeDecodeError:
            continue
    return None


# Mailers label cp932 text as Shift_JIS and use its extensions (①, ㈱, 髙).
CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "us-ascii": "utf-8",  # clients show 8-bit bytes under an ASCII label; UTF-8 is likeliest
    "ascii": "utf-8",
}


def decode_declared(data: bytes, charset: str | None) -> Decoded | Undecodable:
    """Text in the charset its label declares; where the label is missing, unknown or
    wrong, the bytes decide (``decode_text``). NUL bytes, which a mail client skips, are
    dropped first so that one of them cannot turn a resident list into "binary" (but not
    from UTF-16 or UTF-32, where they are half the text)."""
    codec = CHARSET_ALIASES.get(charset.strip().lower(), charset.strip()) if charset else ""
    wide = _wide(data, codec)
    if wide is not None:
        return wide
    data = data.replace(b"\x00", b"")
    if codec:
        if codec == "iso2022_jp_ext":
            decoded = _iso2022(data)
            if decoded is not None:
                return decoded
        else:
            try:
                text = data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                if not _single_byte(codec) or max(data, default=0) < 0x80:
                    return Decoded(text, codec)
                # A Latin label over Japanese bytes shows mojibake, which the recipient
                # turns back with one menu click: read what the bytes are.
                guessed = decode_text(data)
                if isinstance(guessed, Decoded) and _JAPANESE.search(guessed.text):
                    return guessed
                return Decoded(text, codec)
    return decode_text(data)


def _wide(data: bytes, codec: str) -> Decoded | None:
    """UTF-16 or UTF-32 text: by its label, its BOM, or (unlabelled, no BOM) NULs that
    fall almost all on one side of the byte pairs, as in UTF-16 of ASCII digits and
    spaces (a kanji such as U+4E00 puts a few on the other side)."""
    if codec.lower().replace("_", "-") in _WIDE:
        try:
            return Decoded(data.decode(codec), codec.lower())
        except UnicodeDecodeError:
            pass
    for bom, encoding in _BOMS[1:]:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls < max(4, len(sample) // 8):
        return None
    for encoding, offset in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sample[offset::2].count(0) >= nuls * 0.9 and len(data) % 2 == 0:
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    return None


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _single_byte(codec: str) -> bool:
    name = codec.lower().replace("_", "-")
    return name.startswith(
        ("iso-8859", "iso8859", "latin", "windows-125", "cp125", "koi8")
    ) or name in (
        "l1",
        "cp819",
    )


_TEXT_CONTROLS = frozenset(chr(c) for c in range(32) if c not in (9, 10, 12, 13))


def _wide_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 or UTF-32 written without a byte order mark (exports of Access, .NET
    programs, some Excel macros), told by where its zero bytes fall and by decoding
    cleanly to text without control characters. Binary data has zeros in every lane."""
    sample = data[:65536]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for codec, width in (("utf-32le", 4), ("utf-32be", 4), ("utf-16le", 2), ("utf-16be", 2)):
        if not _zero_lanes_fit(sample, codec):
            continue
        try:
            text = data[: len(data) - len(data) % width].decode(codec)
        except UnicodeDecodeError:
            continue
        if _TEXT_CONTROLS.isdisjoint(text):
            return Decoded(text, codec)
    return None


def _zero_lanes_fit(s: bytes, codec: str) -> bool:
    """UTF-32's top byte is always zero and the next at most 0x10; UTF-16's ASCII (line
    ends, commas, digits: every table has some) has a zero high byte, its other lane none."""
    if codec == "utf-32le":
        return not any(s[3::4]) and max(s[2::4]) <= 0x10
    if codec == "utf-32be":
        return not any(s[0::4]) and max(s[1::4]) <= 0x10
    high, low = (s[1::2], s[0::2]) if codec == "utf-16le" else (s[0::2], s[1::2])
    return high.count(0) >= len(high) // 5 and low.count(0) <= len(low) // 50


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE, _CONTROL))
    return controls > max(2, len(sample) // 200)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if encoding == "cp932" and not _SUSPICIOUS.isdisjoint(text):
        return None
    return text


def _tie_break(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data[:262144], cp_isolation=["cp932", "euc_jp"]).best()
    # Without a verdict, cp932 is the likelier: it is what Windows Excel writes.
    if best is not None and best.encoding == "euc_jp":
        return "euc_jp"
    return "cp932"
