"""Content type from the bytes, never from the file name.

A clerk's ``名簿.csv`` may be an Excel workbook and an ``.xlsx`` may be an executable;
the name only chooses between readings of the same kind (CSV or plain text).
"""

from __future__ import annotations

import io
import re
import zipfile

from sekisho.extract.image import image_format
from sekisho.extract.signature import cms_kind

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # xls, doc, msg, encrypted OOXML
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x1f\x8b", "gzip"),
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EOCD = b"PK\x05\x06"

_DELIMITED_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}


def sniff(data: bytes, name: str = "") -> str:
    """Name the content type of ``data``: xlsx, docx, pptx, zip, pdf, ole, csv, text, …"""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data)
    if _biff_stream(data):
        return "biff"
    if image_format(data) is not None:
        return "image"
    signed = cms_kind(data)
    if signed is not None:
        return signed
    if _EOCD in data[-(65536 + 22) :] and _ZIP_MAGIC[0] in data:
        # A zip after other bytes (a self-made polyglot, a truncated download's junk):
        # every unzipper finds its directory from the end, and so does zipfile.
        try:
            return _zip_kind(data)
        except Exception:  # not a zip after all: whatever the bytes are is said below
            pass
    if _looks_like_message(data):
        return "eml"
    if _HTML.match(data[:1024]):
        return "html"
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix in _DELIMITED_SUFFIXES or _tab_separated(data):
        return "csv"
    return "text"


# BOF record numbers of BIFF2, BIFF3 and BIFF4 (little-endian), and the stream types a
# BOF may announce: worksheet, chart, macro sheet, workbook globals (BIFF4W).
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
_BIFF_STREAMS = (0x0010, 0x0020, 0x0040, 0x0100)


def _biff_stream(data: bytes) -> bool:
    """An Excel 2–4 file: no OLE2 container, a bare BIFF record stream whose first record
    is a BOF of 4 to 20 bytes announcing a known stream type."""
    if len(data) < 8 or data[:2] not in _BIFF_BOF:
        return False
    length = int.from_bytes(data[2:4], "little")
    stream = int.from_bytes(data[6:8], "little")
    return 4 <= length <= 20 and stream in _BIFF_STREAMS


def _tab_separated(data: bytes) -> bool:
    """A table saved as text (a .txt export of Excel, "タブ区切り"): most of its first
    lines hold as many tabs (two or more) as the first one. Read as a table, its columns keep their
    headers — 名称 over a spot's name, 電話番号 over a number."""
    lines = [line for line in data[:16384].splitlines()[:20] if line.strip()]
    if len(lines) < 3:
        return False
    if len(data) > 16384:
        lines = lines[:-1]  # the last one may be cut
    counts = [line.count(b"\t") for line in lines]
    # Most lines, the header first: a quoted cell may run over several lines.
    return counts[0] >= 2 and counts.count(counts[0]) >= 0.6 * len(counts)


_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]{0,40}:[ \t]")
_MESSAGE_HEADERS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"mime-version:",
    b"received:",
    b"message-id:",
)


_HTML = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)


def _looks_like_message(data: bytes) -> bool:
    """An RFC 5322 message: header lines first, at least two of the usual ones, then a
    blank line — or a header block longer than we look at (64 KiB), which is a message
    whose reader will report the header block as too large, never plain text."""
    head = data[:65536]
    if not _HEADER_LINE.match(head):
        return False
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    if end < 0:
        if len(head) < 65536:
            return False
        end = len(head)
    lines = head[:end].lower().splitlines()
    return sum(1 for line in lines if line.startswith(_MESSAGE_HEADERS)) >= 2


def delimiter_for(name: str) -> str | None:
    """The delimiter the file name promises, or None to guess from the content."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return _DELIMITED_SUFFIXES.get(suffix)


_OOXML_MARKERS = (
    ("xl/workbook.xml", "xlsx"),
    ("xl/workbook.bin", "xlsx"),
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
)


# The main part's content type, for packages whose parts are not where Office puts them.
_CONTENT_TYPE_MARKERS = (
    (b"spreadsheetml.sheet.main+xml", "xlsx"),
    (b"ms-excel.sheet.macroEnabled.main+xml", "xlsx"),
    (b"wordprocessingml.document.main+xml", "docx"),
    (b"ms-word.document.macroEnabled.main+xml", "docx"),
    (b"presentationml.presentation.main+xml", "pptx"),
)

_DAMAGED_MARKERS = ((b"xl/", "xlsx"), (b"word/", "docx"), (b"ppt/", "pptx"))


def _sniff_zip(data: bytes) -> str:
    try:
        return _zip_kind(data)
    except Exception:
        # zipfile raises BadZipFile, OSError, ValueError, NotImplementedError, EOFError,
        # zlib.error… on a damaged directory. A truncated zip has lost its directory but
        # its local headers still name the entries: enough to tell a damaged workbook from
        # a damaged archive, whose reader then says what is wrong.
        for marker, kind in _DAMAGED_MARKERS:
            if marker in data:
                return kind
        return "damaged-zip"


def _zip_kind(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = {n.replace("\\", "/"): n for n in zf.namelist()}
        for marker, kind in _OOXML_MARKERS:
            if marker in names:
                return kind
        if "[Content_Types].xml" in names:
            with zf.open(names["[Content_Types].xml"]) as member:
                types = member.read(65536)  # the head only: a member may be a bomb
            for marker, kind in _CONTENT_TYPE_MARKERS:
                if marker in types:
                    return kind
        if "mimetype" in names and "content.xml" in names:
            with zf.open(names["mimetype"]) as member:
                mimetype = member.read(100)
            return "ods" if b"spreadsheet" in mimetype else "odf"
    return "zip"
