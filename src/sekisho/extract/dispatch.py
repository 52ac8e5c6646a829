"""From bytes to an ``Extraction``: sniff the content type, hand it to its reader.

Kinds that have no reader yet are reported as unsupported, so that policy fails closed
on them instead of letting an unread attachment pass as clean.
"""

from __future__ import annotations

from pathlib import Path

from sekisho.extract.delimited import read_delimited
from sekisho.extract.limits import DEFAULT_LIMITS, Limits
from sekisho.extract.parts import Extraction
from sekisho.extract.plaintext import read_text
from sekisho.extract.problems import Problem, ProblemCode
from sekisho.extract.sniff import delimiter_for, sniff
from sekisho.extract.spreadsheet import read_workbook

_UNSUPPORTED_DETAIL = {
    "pdf": "PDF",
    "ole": "legacy Office or encrypted Office document",
    "executable": "executable program",
    "7z": "7z archive",
    "rar": "RAR archive",
    "gzip": "gzip archive",
    "zip": "zip archive",
    "docx": "Word document",
    "pptx": "PowerPoint presentation",
    "odf": "OpenDocument file",
}


def extract_bytes(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Read ``data`` (named ``name``, which only hints at CSV vs text) into parts."""
    if not data:
        return Extraction("empty", problems=[Problem(ProblemCode.EMPTY)])
    if len(data) > limits.max_file_bytes:
        detail = f"{len(data)} bytes > {limits.max_file_bytes}"
        return Extraction("unknown", problems=[Problem(ProblemCode.TOO_LARGE, "", detail)])
    kind = sniff(data, name)
    if kind == "text":
        return read_text(data)
    if kind == "csv":
        return read_delimited(data, delimiter_for(name))
    if kind == "xlsx":
        return read_workbook(data, kind)
    if kind == "damaged-zip":
        detail = "the zip directory cannot be read"
        return Extraction(kind, problems=[Problem(ProblemCode.CORRUPT, "", detail)])
    detail = _UNSUPPORTED_DETAIL.get(kind, kind)
    return Extraction(kind, problems=[Problem(ProblemCode.UNSUPPORTED, "", detail)])


def extract_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Read the file at ``path``; an unreadable file is a problem, not an exception."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            detail = f"{size} bytes > {limits.max_file_bytes}"
            return Extraction("unknown", problems=[Problem(ProblemCode.TOO_LARGE, "", detail)])
        data = path.read_bytes()
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        return Extraction("unknown", problems=[Problem(ProblemCode.UNREADABLE, "", detail)])
    return extract_bytes(data, path.name, limits)
