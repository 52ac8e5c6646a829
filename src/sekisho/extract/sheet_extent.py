"""How big a grid a workbook's sheets span, read before python-calamine builds them.

Calamine materialises every sheet as a dense grid from A1 to its last cell: a 42 KB .xls
with one cell at IV65536 costs 1 GB, a 9 KB .xlsx with one cell at BXY200001 costs
12 GB. The extent is cheap to read from the file itself (BIFF cell records, the ``r``
attributes of OOXML cells), so a sheet whose grid is past ``Limits.max_cells`` is
refused with its size named before anything is built.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import olefile

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
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


def xlsx_extents(data: bytes, max_member: int) -> Iterator[Extent]:
    """The extent of each worksheet part of an OOXML workbook (by cell references)."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/").lower()
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            rows = columns = 0
            with zf.open(info) as stream:
                tail = b""
                read = 0
                while chunk := stream.read(1 << 20):
                    read += len(chunk)
                    if read > max_member:
                        break  # the member's own size limit reports it
                    block = tail + chunk
                    for match in _CELL_REF.finditer(block):
                        columns = max(columns, _column_number(match.group(1)))
                        rows = max(rows, int(match.group(2)))
                    for match in _ROW_REF.finditer(block):
                        rows = max(rows, int(match.group(1)))
                    tail = block[-256:]
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
