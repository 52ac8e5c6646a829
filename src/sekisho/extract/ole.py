"""OLE2 compound files: legacy Excel (xls, BIFF8), Outlook messages (.msg), password-
protected Office documents (an encrypted docx/xlsx is an OLE file holding an
EncryptedPackage), legacy Word, and embedded objects (Ole10Native packages)."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING

from sekisho.extract.parts import TextPart
from sekisho.extract.problems import ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker


def read_ole(walker: Walker, data: bytes, ctx: FileContext) -> None:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        # Names compared without case, as the compound file format orders them and as
        # Excel opens them (a workbook stream written "WORKBOOK" is still the workbook).
        paths = {"/".join(path).lower(): path for path in ole.listdir(streams=True, storages=False)}
        streams = set(paths)
        native_path = paths.get("\x01ole10native")
        native = ole.openstream(native_path).read() if native_path else None
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        walker.problem(ProblemCode.ENCRYPTED, ctx.origin, "password-protected Office document")
    elif "workbook" in streams or "book" in streams:
        if _encrypted(data):
            walker.problem(
                ProblemCode.ENCRYPTED, ctx.origin, "password-protected Excel 97-2003 workbook"
            )
        else:
            from sekisho.extract.spreadsheet import read_sheets

            read_sheets(walker, data, ctx)
    elif any(s.startswith("__substg1.0_") for s in streams):
        read_msg(walker, data, ctx)
    elif "worddocument" in streams:
        if _encrypted(data):
            walker.problem(
                ProblemCode.ENCRYPTED, ctx.origin, "password-protected Word 97-2003 document"
            )
        else:
            walker.problem(
                ProblemCode.UNSUPPORTED, ctx.origin, "Word 97-2003 document (.doc) is not read"
            )
    elif native is not None:
        name, content = _ole10native(native)
        walker.file(content, ctx.member(name))
    else:
        walker.problem(ProblemCode.UNSUPPORTED, ctx.origin, "OLE compound file of an unknown kind")


def _encrypted(data: bytes) -> bool:
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:
        return False


def _ole10native(stream: bytes) -> tuple[str, bytes]:
    """The file an "embedded package" object carries (label, path, then the bytes)."""
    pos = 4 + 2  # total size, then a 2-byte flag
    label_end = stream.index(b"\x00", pos)
    label = stream[pos:label_end].decode("cp932", "replace")
    pos = stream.index(b"\x00", label_end + 1) + 1  # source path
    pos += 4  # reserved
    (temp_len,) = struct.unpack_from("<I", stream, pos)
    pos += 4 + temp_len
    (size,) = struct.unpack_from("<I", stream, pos)
    pos += 4
    return label or "embedded object", stream[pos : pos + size]


def read_msg(walker: Walker, data: bytes, ctx: FileContext) -> None:
    import extract_msg

    message = extract_msg.openMsg(data)
    try:
        _msg_content(walker, message, ctx)
    finally:
        message.close()


def _msg_content(walker: Walker, message, ctx: FileContext) -> None:  # type: ignore[no-untyped-def]
    subject = message.subject or ""
    if subject.strip():
        walker.part(TextPart(subject, ctx.place("subject")))
    body = message.body or ""
    if body.strip():
        walker.budget.take_bytes(len(body))
        walker.part(TextPart(body.replace("\r\n", "\n"), ctx.place("body")))
    for attachment in message.attachments:
        name = (
            attachment.longFilename
            or attachment.shortFilename
            or attachment.displayName
            or "attachment"
        )
        content = attachment.data
        if isinstance(content, bytes):
            walker.budget.take_bytes(len(content))
            walker.file(content, ctx.attachment(name))
        elif content is not None and hasattr(content, "attachments"):  # an attached message
            inner = ctx.attachment(name if name != "attachment" else "attached message.msg")
            walker.budget.take_part()
            _msg_content(walker, content, inner)
