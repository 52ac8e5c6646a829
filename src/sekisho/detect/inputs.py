"""What the detector reads: strings and grids, not files. ``TextLike`` and ``TableLike``
are the shapes it needs, which the extractor's parts happen to have; ``cell_text`` is how
a typed cell reads as text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Protocol


class TextLike(Protocol):
    @property
    def text(self) -> str: ...

    def location(self, line: int) -> str: ...


class TableLike(Protocol):
    @property
    def rows(self) -> Sequence[Sequence[object]]: ...

    @property
    def header_row(self) -> int | None: ...

    def cell_location(self, row: int, col: int) -> str: ...

    def column_locations(self, col: int) -> Callable[[int], str]: ...


def cell_text(cell: object) -> str:
    """How a cell reads as text: integral numbers without ".0", dates in ISO form."""
    if cell is None or isinstance(cell, bool):
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)
