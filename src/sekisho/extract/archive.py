"""Archives: zip (nested, to a depth limit), 7z. Every member is read as a file of its own.

Zip names written by Windows Explorer are cp932 without the UTF-8 flag; Python reads them
as cp437, so they are turned back into bytes and decoded as cp932. Encrypted members
(ZipCrypto or WinZip AES) and encrypted 7z archives cannot be inspected and are reported
as such. Sizes are checked against the limits before anything is inflated.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

from sekisho.extract import names as file_names
from sekisho.extract import ooxml
from sekisho.extract.limits import Aborted, LimitExceeded
from sekisho.extract.problems import ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_AES = 99


def member_name(info: zipfile.ZipInfo) -> str:
    """The name as the person who zipped it wrote it: the Info-ZIP Unicode Path field when
    it is there and matches (7-Zip and Info-ZIP show that one), else the UTF-8 flag, else
    the bytes read as UTF-8 or as cp932 (Windows Explorer's zips)."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    unicode_path = _unicode_path(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


_UNICODE_PATH = 0x7075


def _unicode_path(extra: bytes, raw_name: bytes) -> str | None:
    """The UTF-8 name of an Info-ZIP Unicode Path extra field (APPNOTE 4.6.9), if its
    version is 1 and its CRC-32 is that of the name it stands for."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag != _UNICODE_PATH or len(body) < 5 or body[0] != 1:
            continue
        if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(raw_name):
            return None  # the name was changed after the field was written
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def read_zip(walker: Walker, data: bytes, ctx: FileContext) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        declared = sum(info.file_size for info in infos)
        if declared > walker.limits.max_total_bytes:
            raise LimitExceeded(
                f"members declare {declared:,} bytes > {walker.limits.max_total_bytes:,}"
            )
        first = min((info.header_offset for info in infos), default=0)
        if data[:first].strip(b"\x00 \t\r\n"):
            # Bytes before the first member: no unzipper shows them, a text editor does.
            walker.file(data[:first], ctx.member("data before the zip", "document"))
        for info in infos:
            if info.is_dir():
                continue
            name = member_name(info)
            member = ctx.member(name)
            if file_names.traversal(name):
                walker.problem(
                    ProblemCode.SUSPICIOUS_NAME, member.origin, "member path leaves the archive"
                )
            if info.flag_bits & _ENCRYPTED_FLAG or info.compress_type == _AES:
                method = "WinZip AES" if info.compress_type == _AES else "ZipCrypto"
                walker.problem(
                    ProblemCode.ENCRYPTED, member.origin, f"password-protected member ({method})"
                )
                continue
            try:
                content = ooxml.read_member(walker, zf, info)
            except Aborted:
                raise
            except LimitExceeded as exc:
                walker.problem(ProblemCode.TOO_LARGE, member.origin, str(exc))
                continue
            except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as exc:
                walker.problem(
                    ProblemCode.CORRUPT, member.origin, f"{type(exc).__name__}: {str(exc)[:120]}"
                )
                continue
            walker.file(content, member)


def read_damaged_zip(walker: Walker, data: bytes, ctx: FileContext) -> None:
    walker.problem(ProblemCode.CORRUPT, ctx.origin, "the zip directory cannot be read")


def read_7z(walker: Walker, data: bytes, ctx: FileContext) -> None:
    from py7zr.exceptions import UnsupportedCompressionMethodError

    try:
        _read_7z(walker, data, ctx)
    except UnsupportedCompressionMethodError as exc:
        # BCJ2 and a few rare coders py7zr does not implement: a valid archive whose
        # members cannot be inflated here, said as such rather than "damaged".
        detail = f"7z compression method not supported by the reader: {exc.args[-1]}"
        walker.problem(ProblemCode.UNSUPPORTED, ctx.origin, str(detail)[:200])


def _read_7z(walker: Walker, data: bytes, ctx: FileContext) -> None:
    import py7zr
    from py7zr.io import BytesIOFactory

    try:
        archive = py7zr.SevenZipFile(io.BytesIO(data))
    except py7zr.PasswordRequired:
        walker.problem(
            ProblemCode.ENCRYPTED, ctx.origin, "password-protected 7z archive (encrypted names)"
        )
        return
    with archive:
        if archive.needs_password():
            walker.problem(ProblemCode.ENCRYPTED, ctx.origin, "password-protected 7z archive")
            return
        entries = [e for e in archive.list() if not e.is_directory]
        for entry in entries:
            if entry.uncompressed > walker.limits.max_part_bytes:
                raise LimitExceeded(
                    f"{entry.filename}: {entry.uncompressed:,} bytes > {walker.limits.max_part_bytes:,}"
                )
        declared = sum(e.uncompressed for e in entries)
        if declared > walker.limits.max_total_bytes:
            raise LimitExceeded(
                f"members declare {declared:,} bytes > {walker.limits.max_total_bytes:,}"
            )
        walker.budget.check_ratio(declared, len(data))
        factory = BytesIOFactory(walker.limits.max_part_bytes + 1)
        archive.extractall(factory=factory)
        for entry in entries:
            product = factory.products.get(entry.filename)
            if product is None:
                continue
            product.seek(0)
            content = product.read()
            walker.budget.take_bytes(len(content))
            walker.file(content, ctx.member(entry.filename))


def read_gzip(walker: Walker, data: bytes, ctx: FileContext) -> None:
    """A gzip stream (``x-gzip64`` mail parts, ``.csv.gz``): inflated within the limits
    and read as the file it holds."""
    import zlib

    inflater = zlib.decompressobj(wbits=31)
    limit = walker.limits.max_part_bytes
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise LimitExceeded(f"gzip stream inflates past {limit:,} bytes")
    walker.budget.check_ratio(len(out), len(data))
    walker.budget.take_bytes(len(out))
    name = ctx.name[:-3] if ctx.name.lower().endswith(".gz") else f"{ctx.name or 'stream'}.gunzip"
    walker.file(out, ctx.member(name))
