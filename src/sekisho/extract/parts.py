"""What extraction produces: the text and the tables of a file, each knowing its place.

A part never interprets its content (no entities, no policy); it only keeps enough
structure for the detector to do so: tables stay tables, so that a column header can
lend context to every cell below it, and every value can be traced back to the place
a person would look ("sheet 名簿!C12", "line 5").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache

from sekisho.extract.problems import Note, Problem

Cell = str | int | float | bool | date | datetime | time | None


@cache
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column names a spreadsheet user sees."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def join_origin(origin: str, place: str) -> str:
    """Join a part's origin ("sheet 名簿") with a place inside it ("line 3")."""
    return f"{origin}, {place}" if origin else place


@dataclass(frozen=True, slots=True)
class TextPart:
    """A run of text: a plain-text file, a mail body, a paragraph block.

    ``origin`` names where the text came from inside the file ("" for the file itself);
    lines are counted from 1 so a finding can say "line 5".
    """

    text: str
    origin: str = ""
    # False for text about the document rather than its subject (the author in the
    # document properties is not a resident): findings are reported, never counted as people.
    describes_people: bool = True
    # True for the display names of a message's addresses: one person's name on a line is
    # the correspondent (the envelope), not content; anything more on the line is content.
    names_expected: bool = False

    def location(self, line: int) -> str:
        return join_origin(self.origin, f"line {line}")


@dataclass(frozen=True, slots=True)
class TablePart:
    """A grid of cells as the user saw it: a CSV file or a worksheet.

    ``rows`` hold every non-empty row band of the grid, header included; ``row_offset`` and
    ``col_offset`` place ``rows[0][0]`` on the sheet (0-based), so locations match what
    Excel shows. ``header_row`` indexes ``rows`` (None when the table has no header row).
    Cells keep their types: dates stay dates and numbers stay numbers.

    ``style`` says how a place is named: "sheet" (``sheet 名簿!C12``), "file" (a CSV inside
    something: ``a.zip/名簿.csv, C12``) or "records" (``pivot cache 1, record 45``).
    """

    rows: Sequence[Sequence[Cell]]
    origin: str = ""
    header_row: int | None = None
    row_offset: int = 0
    col_offset: int = 0
    style: str = "sheet"

    @property
    def header(self) -> tuple[str, ...] | None:
        if self.header_row is None:
            return None
        return tuple("" if c is None else str(c) for c in self.rows[self.header_row])

    def cell_location(self, row: int, col: int) -> str:
        """The A1 name of ``rows[row][col]``, prefixed by the sheet: ``sheet 名簿!C12``."""
        return self.column_locations(col)(row)

    def column_locations(self, col: int) -> Callable[[int], str]:
        """``cell_location(row, col)`` for every row of one column, with the column's part of
        the name made once (a report names every cell of a roster's columns)."""
        if self.style == "records":
            first = self.header_row + 1 if self.header_row is not None else 0
            field = column_letter(col)
            return lambda row: join_origin(self.origin, f"record {row - first + 1}, field {field}")
        prefix = column_letter(self.col_offset + col)
        if self.origin:
            joiner = "!" if self.style == "sheet" else ", "
            prefix = f"{self.origin}{joiner}{prefix}"
        offset = self.row_offset + 1
        return lambda row: f"{prefix}{row + offset}"


Part = TextPart | TablePart


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One file met while reading: the top file, an archive member, an attachment.

    ``kind`` is what the bytes show; ``flags`` note what a person should know
    ("extension-mismatch": a workbook named .csv, a program named .xlsx).
    """

    origin: str
    name: str
    kind: str
    size: int
    flags: tuple[str, ...] = ()
    depth: int = 0  # 0: the file scanned; 1: its attachments or members; …
    container: str = ""  # what holds it: "message", "archive", "document" ("" on top)

    @property
    def is_attachment(self) -> bool:
        """An attachment of the message itself (not a member of an attached zip)."""
        return self.depth == 1 and self.container == "message"


@dataclass(slots=True)
class Extraction:
    """Everything read from one file: its parts and what could not be read.

    ``kind`` is the content type found from the bytes ("text", "csv", "xlsx", …), which may
    disagree with the file name; that disagreement is itself worth reporting later.
    """

    kind: str
    parts: list[Part] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # met, not read, not a failure
