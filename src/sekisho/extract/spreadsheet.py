"""Workbooks: xlsx/xlsm, xls (BIFF8) and ods through python-calamine, and the places of an
xlsx a person does not see.

Every sheet is read, hidden and very hidden ones included, because the incident that
Sekisho exists for is exactly a raw list under a harmless-looking sheet. Hidden rows and
columns are read like any other (calamine reads every cell). Cells keep calamine's types
(str, float, int, bool, date, datetime, time; "" for an empty cell) and are not copied.
For xlsx, the package itself is read too (``workbook_extras``): comments, pivot caches,
defined names, document properties and embedded files.
"""

from __future__ import annotations

import io
from itertools import islice
from typing import TYPE_CHECKING

import python_calamine

from sekisho.extract.delimited import emit_chunks
from sekisho.extract.limits import LimitExceeded
from sekisho.extract.problems import ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

_VISIBILITY = (
    (python_calamine.SheetVisibleEnum.Hidden, " (hidden)"),
    (python_calamine.SheetVisibleEnum.VeryHidden, " (very hidden)"),
)


def _visibility(visible: python_calamine.SheetVisibleEnum) -> str:
    # calamine's enum is neither hashable nor named in Python; compare it instead.
    return next((label for value, label in _VISIBILITY if visible == value), "")


def read_workbook(walker: Walker, data: bytes, ctx: FileContext) -> None:
    package_ok = True
    if data[:2] == b"PK":
        from sekisho.extract import workbook_extras

        package_ok = workbook_extras.check_package(walker, data, ctx)
        if not package_ok:
            return
    read_sheets(walker, data, ctx)
    if data[:2] == b"PK":
        from sekisho.extract import workbook_extras

        workbook_extras.read_extras(walker, data, ctx)


_NOT_GRIDS = (python_calamine.SheetTypeEnum.MacroSheet, python_calamine.SheetTypeEnum.DialogSheet)


def _open_workbook(
    walker: Walker, data: bytes, ctx: FileContext
) -> python_calamine.CalamineWorkbook:
    """calamine's workbook; when calamine refuses a package for its Excel 4 macro or
    dialog sheets ("Unrecognized sheet type"), the same package without them, their cells
    read as text. Only then is the package parsed a second time."""
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError:
        if data[:2] != b"PK":
            raise
        from sekisho.extract import workbook_extras

        split = workbook_extras.without_macro_sheets(walker, data)
        if split is None:
            raise
        stripped, macro_sheets = split
        for name, part in macro_sheets:
            workbook_extras.read_macro_sheet(walker, data, ctx, name, part)
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(stripped))


def read_sheets(walker: Walker, data: bytes, ctx: FileContext) -> None:
    if not _extents_fit(walker, data, ctx):
        return
    try:
        workbook = _open_workbook(walker, data, ctx)
    except python_calamine.PasswordError as exc:
        walker.problem(ProblemCode.ENCRYPTED, ctx.origin, str(exc)[:160])
        return
    except Exception as exc:  # calamine raises several unrelated types for bad input
        walker.problem(ProblemCode.CORRUPT, ctx.origin, f"{type(exc).__name__}: {str(exc)[:160]}")
        return
    with workbook:
        for meta in workbook.sheets_metadata:
            if meta.typ == python_calamine.SheetTypeEnum.ChartSheet:
                continue  # no cells: the chart's cached values are read with the package
            origin = ctx.place(f"sheet {meta.name}{_visibility(meta.visible)}")
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                start = sheet.start or (0, 0)
                rows = islice(sheet.iter_rows(), start[0], None)
                emit_chunks(walker, rows, origin, "sheet", start[0], start[1])
            except LimitExceeded:
                raise
            except Exception as exc:
                if meta.typ in _NOT_GRIDS:
                    # An Excel 4 macro or dialog sheet the reader cannot lay out: the sheet
                    # is not read (said so); the workbook's other sheets are.
                    kind = (
                        "macro"
                        if meta.typ == python_calamine.SheetTypeEnum.MacroSheet
                        else "dialog"
                    )
                    walker.problem(ProblemCode.UNSUPPORTED, origin, f"Excel 4 {kind} sheet")
                else:
                    detail = f"{type(exc).__name__}: {str(exc)[:160]}"
                    walker.problem(ProblemCode.CORRUPT, origin, detail)
                continue


def _extents_fit(walker: Walker, data: bytes, ctx: FileContext) -> bool:
    """Whether every sheet's grid fits ``max_cells``; calamine builds the grid dense, so a
    sheet past it is refused before it is built (see ``sheet_extent``)."""
    from sekisho.extract import sheet_extent

    limit = walker.limits.max_cells
    if data[:2] == b"PK":
        extents = sheet_extent.xlsx_extents(data, walker.limits.max_part_bytes, limit)
    elif data[:4] == b"\xd0\xcf\x11\xe0":
        extents = sheet_extent.xls_extents(data)
    else:
        return True
    for extent in extents:
        if extent.cells > limit:
            walker.problem(
                ProblemCode.TOO_LARGE,
                ctx.place(extent.sheet),
                f"the sheet spans {extent.rows:,} rows × {extent.columns:,} columns "
                f"({extent.cells:,} cells) > {limit:,}",
            )
            return False
    return True


def read_ods(walker: Walker, data: bytes, ctx: FileContext) -> None:
    """An OpenDocument spreadsheet: its manifest asked first whether it is encrypted
    (calamine would call it damaged), then read like any workbook."""
    from sekisho.extract import odf

    if odf.is_encrypted(walker, data):
        odf.encrypted_problem(walker, ctx)
        return
    read_workbook(walker, data, ctx)
