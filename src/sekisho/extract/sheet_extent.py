"""How big a grid a workbook's sheets span, read before python-calamine builds them.

Calamine materialises every sheet as a dense grid from A1 to its last cell: a 42 KB .xls
with one cell at IV65536 costs 1 GB, a 9 KB .xlsx with one cell at BXY200001 costs
12 GB. The extent is cheap to read from the file itself (BIFF cell records, the ``r``
attributes of OOXML cells), so a sheet whose grid is past ``Limits.max_cells`` is
refused with its size named before anything is built.
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import olefile

# Cells (<c r="B12">) and rows (<row r="12">) are the only elements of a worksheet with an
# r attribute. The extent is first bounded by how many letters and digits references
# have, one failed search per block; only a sheet whose bound is past the limit has its
# references read one by one.
_SPACE = rb"[ \t\r\n]"
_QUOTE = rb"[\"']"
_REF = re.compile(_SPACE + rb"r=" + _QUOTE + rb"([A-Z]{1,3})([0-9]{1,7})" + _QUOTE)
_ROW = re.compile(_SPACE + rb"r=" + _QUOTE + rb"([0-9]{1,7})" + _QUOTE)
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@functools.cache
def _longer(space: bytes, letters: int, digits: int) -> re.Pattern[bytes]:
    """A reference with more than ``letters`` column letters or ``digits`` row digits."""
    start = space + rb"r=" + _QUOTE
    longer = []
    if letters < 3:
        longer.append(start + rb"[A-Z]{%d,3}[0-9]" % (letters + 1))
    if digits < 7:
        longer.append(start + rb"[A-Z]{0,3}[0-9]{%d,7}" % (digits + 1) + _QUOTE)
    return re.compile(b"|".join(longer) or rb"(?!)")


def _widen(block: bytes, letters: int, digits: int) -> tuple[int, int]:
    """The most column letters and row digits any reference so far may have.

    The usual cost is one failed search per block; the bound grows only a few times per
    sheet, a search more each time.
    """
    # A literal space before r= is what every writer emits; the class is for the odd file.
    unusual = b"\tr=" in block or b"\nr=" in block or b"\rr=" in block
    space = _SPACE if unusual else rb" "
    while (match := _longer(space, letters, digits).search(block)) is not None:
        ref = match.group()[match.group().index(b"=") + 2 :].rstrip(b"\"'")
        column = len(ref) - len(ref.lstrip(_LETTERS))
        letters, digits = max(letters, column), max(digits, len(ref) - column)
    return letters, digits


def _bound(letters: int, digits: int) -> tuple[int, int]:
    """(rows, columns) that references with this many digits and letters cannot pass."""
    return 10**digits - 1, 26 * (26**letters - 1) // 25


def _exact(block: bytes) -> tuple[int, int]:
    rows = columns = 0
    for match in _REF.finditer(block):
        columns = max(columns, _column_number(match.group(1)))
        rows = max(rows, int(match.group(2)))
    for match in _ROW.finditer(block):
        rows = max(rows, int(match.group(1)))
    return rows, columns


# BIFF records whose data begins with (row, column) of one cell.
_CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6})
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col … last col
_BOF = 0x0809


@dataclass(frozen=True, slots=True)
class Extent:
    sheet: str
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def xlsx_extents(data: bytes, max_member: int, limit: int) -> Iterator[Extent]:
    """The extent of each worksheet part of an OOXML workbook (by cell references)."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/").lower()
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            letters = digits = 0
            with zf.open(info) as stream:
                tail = b""
                read = 0
                while chunk := stream.read(1 << 20):
                    read += len(chunk)
                    if read > max_member:
                        break  # the member's own size limit reports it
                    block = tail + chunk
                    letters, digits = _widen(block, letters, digits)
                    tail = block[-64:]
            rows, columns = _bound(letters, digits)
            if rows * columns > limit:
                # The cheap bound is past the limit: read the references to know.
                rows = columns = 0
                with zf.open(info) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        block = tail + chunk
                        exact_rows, exact_columns = _exact(block)
                        rows, columns = max(rows, exact_rows), max(columns, exact_columns)
                        tail = block[-64:]
            yield Extent(info.filename, rows, columns)


def xls_extents(data: bytes) -> Iterator[Extent]:
    """The extent of each BIFF8 substream (sheet) of an .xls, from its cell records."""
    with olefile.OleFileIO(data) as ole:
        stream_name = next(
            (e for e in ole.listdir() if len(e) == 1 and e[0].lower() in ("workbook", "book")),
            None,
        )
        if stream_name is None:
            return
        stream = ole.openstream(stream_name).read()
    position, number = 0, 0
    rows = columns = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == _BOF:
            if rows or columns:
                yield Extent(f"sheet {number}", rows, columns)
            number += 1
            rows = columns = 0
        elif kind in _CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind in _MULTI_RECORDS and len(body) >= 6:
            row = struct.unpack_from("<H", body)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, last + 1)
    if rows or columns:
        yield Extent(f"sheet {number}", rows, columns)
