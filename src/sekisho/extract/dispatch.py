"""From bytes to an ``Extraction``: sniff each file's content type, hand it to its reader,
and follow containers (archives, mail, workbooks with embedded files) into their members.

Every file met on the way is listed in ``Extraction.files`` with the kind its bytes
show; every part that cannot be read becomes a ``Problem`` at its place. Kinds without a
reader are reported as unsupported, so that policy fails closed on them instead of
letting an unread attachment pass as clean.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sekisho.extract import names
from sekisho.extract.limits import DEFAULT_LIMITS, Aborted, Budget, LimitExceeded, Limits
from sekisho.extract.parts import Extraction, FileInfo, Part
from sekisho.extract.problems import Note, NoteCode, Problem, ProblemCode
from sekisho.extract.sniff import sniff

_UNSUPPORTED_DETAIL = {
    "executable": "executable program",
    "rar": "RAR archive (no free reader; cannot be inspected)",
    "unknown": "unknown binary format",
}


@dataclass(frozen=True, slots=True)
class FileContext:
    """Where a file sits: its name, the place prefix of everything inside it, its depth."""

    name: str
    origin: str
    depth: int
    container: str = ""  # what holds this file: "message", "archive", "document"; "" on top

    def member(self, name: str, container: str = "archive") -> FileContext:
        """A member of this archive (or an embedded file of a document): ``inner.zip/名簿.xlsx``."""
        origin = f"{self.origin}/{name}" if self.origin else name
        return FileContext(name, origin, self.depth + 1, container)

    def attachment(self, name: str) -> FileContext:
        """An attachment of this message: ``attachment 名簿.xlsx``."""
        label = f"attachment {name}"
        return FileContext(
            name, f"{self.origin}, {label}" if self.origin else label, self.depth + 1, "message"
        )

    def place(self, inside: str) -> str:
        """A place inside this file: ``名簿.zip/a.xlsx, sheet 元データ``."""
        return f"{self.origin}, {inside}" if self.origin else inside


Reader = Callable[["Walker", bytes, FileContext], None]


class Walker:
    """One extraction: the result being built and the budget it may spend."""

    def __init__(
        self, limits: Limits = DEFAULT_LIMITS, on_part: Callable[[Part], None] | None = None
    ) -> None:
        self.limits = limits
        self.budget = Budget(limits)
        self.result = Extraction("unknown")
        self.on_part = on_part

    def part(self, part: Part) -> None:
        """Hand a part on: kept in the result, or given straight to ``on_part`` (streaming,
        so that a 460,000-row table is never held whole)."""
        self.budget.take_part()
        if self.on_part is not None:
            self.on_part(part)
        else:
            self.result.parts.append(part)

    def problem(self, code: ProblemCode, location: str, detail: str = "") -> None:
        self.result.problems.append(Problem(code, location, detail))

    def note(self, code: NoteCode, location: str, detail: str = "") -> None:
        self.result.notes.append(Note(code, location, detail))

    def file(self, data: bytes, ctx: FileContext, kind: str | None = None) -> None:
        """Read one file (the top one, a member, an attachment) wherever it sits; ``kind``
        when the container says what it is (``message/rfc822`` is a message even when
        its headers are unusual)."""
        where = ctx.origin
        if ctx.depth > self.limits.max_depth:
            self.problem(
                ProblemCode.TOO_LARGE, where, f"nested deeper than {self.limits.max_depth} levels"
            )
            return
        deceit = names.deceptive(ctx.name) if ctx.depth > 0 else None
        if deceit:  # told even of an empty member: its name is the message
            self.problem(ProblemCode.SUSPICIOUS_NAME, where, deceit)
        if not data:
            self.problem(ProblemCode.EMPTY, where)
            return
        if len(data) > self.limits.max_file_bytes:
            detail = f"{len(data):,} bytes > {self.limits.max_file_bytes:,}"
            self.problem(ProblemCode.TOO_LARGE, where, detail)
            return
        kind = kind or sniff(data, ctx.name)
        flags: list[str] = []
        if names.mismatch(ctx.name, kind):
            flags.append("extension-mismatch")
        self.result.files.append(
            FileInfo(ctx.origin, ctx.name, kind, len(data), tuple(flags), ctx.depth, ctx.container)
        )
        if ctx.depth == 0:
            self.result.kind = kind
        reader = _reader(kind)
        if reader is None:
            self.problem(ProblemCode.UNSUPPORTED, where, _UNSUPPORTED_DETAIL.get(kind, kind))
            return
        try:
            self.budget.take_part()
            reader(self, data, ctx)
        except Aborted as exc:
            if ctx.depth > 0:
                raise  # the whole file stops, reported once at the top
            self.problem(ProblemCode.TOO_LARGE, where, str(exc))
        except LimitExceeded as exc:
            self.problem(ProblemCode.TOO_LARGE, where, str(exc))
        except RecursionError:
            self.problem(ProblemCode.UNSAFE_CONTENT, where, "structure nested too deeply")
        except MemoryError:
            self.problem(ProblemCode.TOO_LARGE, where, "out of memory while reading")
        except Exception as exc:  # a reader's parser failed: the file is damaged, not us
            self.problem(ProblemCode.CORRUPT, where, f"{type(exc).__name__}: {str(exc)[:160]}")
        except BaseException as exc:
            # A native library's panic (python-calamine's pyo3 PanicException derives from
            # BaseException, not Exception) is a file it could not read, not a reason to
            # stop the scan; interrupts and exits still stop it.
            if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit) or not _is_panic(
                exc
            ):
                raise
            self.problem(ProblemCode.CORRUPT, where, f"reader failed: {str(exc)[:160]}")


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic surfaced by pyo3 (its class is not importable by a stable name)."""
    return type(exc).__name__ == "PanicException" or "panic" in type(exc).__module__.lower()


# kind -> "module:function". A reader's module is imported when a file of its kind is
# first met: ``sekisho scan roster.xlsx`` need not load the mail, PDF and archive readers
# (~0.1 s of a cold start, ``bench/speed.py``).
_READERS = {
    "text": "plaintext:read_text",
    "html": "plaintext:read_html",
    "gzip": "archive:read_gzip",
    "csv": "delimited:read_delimited",
    "xlsx": "spreadsheet:read_workbook",
    "ods": "spreadsheet:read_ods",
    "biff": "legacy_xls:read_biff",
    "docx": "wordprocessing:read_docx",
    "pptx": "wordprocessing:read_pptx",
    "odf": "odf:read_odf",
    "pdf": "pdf:read_pdf",
    "zip": "archive:read_zip",
    "damaged-zip": "archive:read_damaged_zip",
    "7z": "archive:read_7z",
    "eml": "mail:read_eml",
    "ole": "ole:read_ole",
    "image": "image:read_image",
    "cms": "signature:read_cms",
    "pgp": "signature:read_pgp",
}


def _reader(kind: str) -> Reader | None:
    # Looked up on every file (a dict lookup once imported), not cached: a test that
    # replaces a reader in its module must reach it.
    target = _READERS.get(kind)
    if target is None:
        return None
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(f"sekisho.extract.{module}"), function)


def extract_bytes(
    data: bytes,
    name: str = "",
    limits: Limits = DEFAULT_LIMITS,
    on_part: Callable[[Part], None] | None = None,
    kind: str | None = None,
) -> Extraction:
    """Read ``data`` (named ``name``, which only hints at CSV vs text) into parts; with
    ``on_part`` the parts are handed over one by one instead of collected. ``kind`` when
    the caller knows what the bytes are (the gateway: a message, whatever its headers)."""
    walker = Walker(limits, on_part)
    if not data:
        walker.result.kind = "empty"
    walker.file(data, FileContext(name, "", 0), kind=kind)
    return walker.result


def extract_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Read the file at ``path``; an unreadable file is a problem, not an exception."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            detail = f"{size:,} bytes > {limits.max_file_bytes:,}"
            return Extraction("unknown", problems=[Problem(ProblemCode.TOO_LARGE, "", detail)])
        data = path.read_bytes()
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        return Extraction("unknown", problems=[Problem(ProblemCode.UNREADABLE, "", detail)])
    return extract_bytes(data, path.name, limits)
