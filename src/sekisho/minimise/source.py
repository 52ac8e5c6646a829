"""The table to minimise, read in one streamed pass: the extractor hands over a sheet (or a
CSV) in chunks of rows; the first chunk names the columns and, through the detector, says
which hold personal data; every chunk's rows go to the operation as they come, so that a
million-row CSV is never held whole.

Columns are named as the user sees them: the header cell; where there is none, the type
of data detected in it (氏名, 生年月日); else the spreadsheet letter (列C).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sekisho.detect import Detector
from sekisho.detect.entities import label
from sekisho.extract import Limits, extract_bytes
from sekisho.extract.parts import Cell, TablePart, column_letter
from sekisho.minimise.errors import MinimiseError

# A file minimised by hand may be larger and slower to read than a mail attachment.
LIMITS = Limits(
    max_file_bytes=512 * 1024 * 1024,
    max_part_bytes=512 * 1024 * 1024,
    max_total_bytes=1024 * 1024 * 1024,
    max_seconds=600.0,
)


@dataclass(frozen=True)
class Column:
    index: int
    name: str
    entity: str | None  # the personal data detected in it, if any

    @property
    def personal(self) -> bool:
        return self.entity is not None


@dataclass
class Table:
    """One sheet or CSV as the first chunk showed it."""

    origin: str
    columns: list[Column]
    csv: bool = False  # a delimited file (written back as one), not a sheet of a workbook
    rows: int = 0  # data rows seen so far (the header excluded)

    @property
    def shown(self) -> str:
        """The sheet's name as Excel shows it (the origin is "sheet 名簿 (hidden)")."""
        return self.origin.removeprefix("sheet ").split(" (")[0]

    def is_sheet(self, sheet: str) -> bool:
        return sheet in (self.origin, self.shown)

    def find(self, wanted: str) -> Column:
        """The column the user means: its name, its letter (C), or the Japanese name of the
        data in it; ``MinimiseError`` listing the names when there is none."""
        key = _fold(wanted)
        for column in self.columns:
            if _fold(column.name) == key:
                return column
        for column in self.columns:
            if key == _fold(column_letter(column.index)) or (
                column.entity is not None and key == _fold(label(column.entity))
            ):
                return column
        names = "、".join(c.name for c in self.columns)
        raise MinimiseError(
            f"列「{wanted}」がありません（あるのは {names}）",
            f"no column {wanted!r} (there are: {names})",
        )


@dataclass
class Reading:
    """What a pass over the file found: its kind, every table met, the one chosen."""

    kind: str
    tables: list[Table] = field(default_factory=list)
    chosen: Table | None = None
    problems: list[str] = field(default_factory=list)


Rows = Sequence[Sequence[Cell]]


def read(
    data: bytes,
    name: str,
    choose: Callable[[Table], bool],
    on_rows: Callable[[Table, Rows], None],
    detector: Detector | None = None,
) -> Reading:
    """Stream the tables of ``data``; the first table ``choose`` accepts has its data rows
    handed to ``on_rows`` chunk by chunk. ``MinimiseError`` when the file cannot be read or
    holds no table."""
    detector = detector or Detector()
    reading = Reading("unknown")
    current: dict[str, Table] = {}

    def on_part(part: object) -> None:
        if not isinstance(part, TablePart):
            return
        table = current.get(part.origin)
        if table is None:
            table = Table(part.origin, _columns(detector, part), csv=part.style == "file")
            current[part.origin] = table
            reading.tables.append(table)
            if reading.chosen is None and choose(table):
                reading.chosen = table
        start = part.header_row + 1 if part.header_row is not None else 0
        rows = [r for r in part.rows[start:] if any(c is not None and c != "" for c in r)]
        table.rows += len(rows)
        if table is reading.chosen and rows and not failed:
            # The extractor turns a reader's exception into the file's problem and goes
            # on: an operation's own failure must not become a silently shorter result.
            try:
                on_rows(table, rows)
            except BaseException as exc:
                failed.append(exc)

    failed: list[BaseException] = []
    extraction = extract_bytes(data, name, LIMITS, on_part=on_part)
    if failed:
        raise failed[0]
    reading.kind = extraction.kind
    reading.problems = [
        f"{p.location or name}: {p.code.value} {p.detail}" for p in extraction.problems
    ]
    if not reading.tables:
        why = "; ".join(reading.problems) or f"{extraction.kind} without a table"
        raise MinimiseError(
            f"{name} から表を読み取れません（{why}）", f"no table could be read from {name} ({why})"
        )
    return reading


# Rows the detector sees to name a table's columns: enough to classify a column, a tenth of
# the cost of validating every cell of a 7,203-row roster (the result is scanned whole).
SAMPLE_ROWS = 1000


def _columns(detector: Detector, part: TablePart) -> list[Column]:
    width = max((len(r) for r in part.rows), default=0)
    entities: dict[int, str] = {}
    stop = (part.header_row or 0) + 1 + SAMPLE_ROWS
    sample = replace(part, rows=part.rows[:stop]) if len(part.rows) > stop else part
    detection = detector.detect([sample])
    for hits in detection.columns:
        for c in range(hits.column, hits.column + hits.span):
            entities.setdefault(c, hits.recognizer.entity)
    for finding in detection.loose:
        if finding.row is not None:
            entities.setdefault(finding.position[2], finding.entity)
    header = part.rows[part.header_row] if part.header_row is not None else ()
    columns, seen = [], set()
    for c in range(width):
        cell = header[c] if c < len(header) else None
        name = str(cell).strip() if cell not in (None, "") else ""
        if not name:
            entity = entities.get(c)
            name = label(entity) if entity else f"列{column_letter(part.col_offset + c)}"
        base, n = name, 2
        while name in seen:  # two columns may not answer to one name
            name, n = f"{base}({n})", n + 1
        seen.add(name)
        columns.append(Column(c, name, entities.get(c)))
    return columns


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def tables_of(data: bytes, name: str, detector: Detector | None = None) -> list[Table]:
    """Every table of the file with its columns named and typed (for a form to offer)."""
    return read(data, name, lambda _table: False, lambda _table, _rows: None, detector).tables
