"""Which row of a grid is its header, judged from the shape of the cells alone.

Extraction does not know what a name or a My Number looks like; it only knows that a
header row is made of short labels and that the rows under it hold values (numbers,
dates, digit strings). Title rows above the header ("令和4年5月 認定者一覧") hold one cell
and are skipped. When no row has that shape the table has no header, and the detector
classifies the columns from their values instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from sekisho.extract.parts import Cell

_MAX_LABEL = 40
_LOOKAHEAD = 8


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _value_like(cell: Cell) -> bool:
    if isinstance(cell, bool | int | float | date | datetime | time):
        return True
    text = str(cell).strip()
    digits = sum(ch.isdigit() for ch in text)
    return digits * 2 >= len(text) or "@" in text


def _filled(row: Sequence[Cell]) -> list[int]:
    return [i for i, c in enumerate(row) if not is_empty(c)]


def guess_header_row(rows: Sequence[Sequence[Cell]]) -> int | None:
    """Index of the header row in ``rows``, or None when the grid has none."""
    width = max((len(r) for r in rows[: _LOOKAHEAD * 4]), default=0)
    for index, row in enumerate(rows[: _LOOKAHEAD * 4]):
        filled = _filled(row)
        if not filled:
            continue
        if len(filled) == 1 and width > 1:
            continue  # a title above the table
        labels = [row[i] for i in filled]
        if any(_value_like(c) or len(str(c)) > _MAX_LABEL for c in labels):
            return None  # the first real row already holds values
        if len({str(c).strip() for c in labels}) != len(labels):
            return None  # repeated labels look like data (男, 女, 男 …)
        below = rows[index + 1 : index + 1 + _LOOKAHEAD]
        if not below or any(
            _value_like(r[i]) for r in below for i in filled if i < len(r) and not is_empty(r[i])
        ):
            return index
        # Only text below: a header only if the labels differ from every row under them.
        if all(tuple(r[i] if i < len(r) else None for i in filled) != tuple(labels) for r in below):
            return index if len(filled) > 1 else None
        return None
    return None
