"""Excel 2.x–4.0 worksheets and Excel 4.0 workbooks (BIFF2, BIFF3, BIFF4, BIFF4W) through
xlrd.

Before Excel 5 a workbook was not an OLE2 compound file but a bare stream of BIFF
records, which python-calamine does not read. Such files still sit in municipal file
shares (ledgers kept since the 1990s and mailed on as they are); reading them as
"binary data" would make every one unscannable. xlrd reads every BIFF version and the
file's code page (CODEPAGE 932 for Japanese Excel), so names come out as text.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import TYPE_CHECKING

import xlrd

from sekisho.extract.delimited import emit_chunks
from sekisho.extract.problems import ProblemCode

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sekisho.extract.dispatch import FileContext, Walker

_VISIBILITY = {1: " (hidden)", 2: " (very hidden)"}


def read_biff(walker: Walker, data: bytes, ctx: FileContext) -> None:
    log = io.StringIO()  # xlrd writes its warnings to stdout unless told otherwise
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=log, verbosity=0)
    except Exception as exc:  # xlrd raises XLRDError, and struct.error on a cut record
        text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, xlrd.XLRDError) else str(exc)
        code = ProblemCode.ENCRYPTED if "encrypt" in text.lower() else ProblemCode.CORRUPT
        walker.problem(code, ctx.origin, f"Excel 2–4 workbook: {text[:160]}")
        return
    limit = walker.limits.max_cells
    for sheet in book.sheets():
        origin = ctx.place(f"sheet {sheet.name}{_VISIBILITY.get(sheet.visibility, '')}")
        cells = sheet.nrows * sheet.ncols
        if cells > limit:
            walker.problem(
                ProblemCode.TOO_LARGE,
                origin,
                f"the sheet spans {sheet.nrows:,} rows × {sheet.ncols:,} columns "
                f"({cells:,} cells) > {limit:,}",
            )
            continue
        emit_chunks(walker, _rows(sheet, book.datemode), origin, "sheet")


def _rows(sheet: xlrd.sheet.Sheet, datemode: int) -> Iterator[list]:
    for r in range(sheet.nrows):
        yield [_value(cell, datemode) for cell in sheet.row(r)]


def _value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    """The cell as calamine would give it: text, number, bool, date or datetime; "" for
    empty cells and errors."""
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER):
        return cell.value
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError):
            return cell.value
        if moment.time() == datetime.min.time():
            return date(moment.year, moment.month, moment.day)
        return moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return ""
