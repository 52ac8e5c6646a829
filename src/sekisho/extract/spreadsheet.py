"""Excel workbooks (xlsx, xlsm, xlsb, xls, ods) through python-calamine.

Every sheet is read, hidden and very hidden ones included, because the incident that
Sekisho exists for is exactly a raw list under a harmless-looking sheet. Cells keep
calamine's types (str, float, int, bool, date, datetime, time; "" for an empty cell) and
are not copied: a 7,203-row roster is handed to the detector as calamine built it.
"""

from __future__ import annotations

import io

import python_calamine

from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import Extraction, TablePart
from sekisho.extract.problems import Problem, ProblemCode

_VISIBILITY = (
    (python_calamine.SheetVisibleEnum.Hidden, " (hidden)"),
    (python_calamine.SheetVisibleEnum.VeryHidden, " (very hidden)"),
)


def _visibility(visible: python_calamine.SheetVisibleEnum) -> str:
    # calamine's enum is neither hashable nor named in Python; compare it instead.
    return next((label for value, label in _VISIBILITY if visible == value), "")


def read_workbook(data: bytes, kind: str = "xlsx") -> Extraction:
    result = Extraction(kind)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        result.problems.append(Problem(ProblemCode.ENCRYPTED, "", str(exc)))
        return result
    except Exception as exc:  # calamine raises several unrelated types for bad input
        result.problems.append(Problem(ProblemCode.CORRUPT, "", _brief(exc)))
        return result
    with workbook:
        for meta in workbook.sheets_metadata:
            origin = f"sheet {meta.name}{_visibility(meta.visible)}"
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
            except Exception as exc:
                result.problems.append(Problem(ProblemCode.CORRUPT, origin, _brief(exc)))
                continue
            if not rows:
                continue
            result.parts.append(
                TablePart(
                    rows=rows,
                    origin=origin,
                    header_row=guess_header_row(rows),
                    row_offset=start[0],
                    col_offset=start[1],
                )
            )
    return result


def _brief(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"
