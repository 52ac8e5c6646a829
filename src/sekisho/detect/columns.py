"""The cells of one classified column, kept as row numbers until a report asks for them."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from sekisho.detect.address_columns import joined
from sekisho.detect.finding import Explanation, Finding, subject_key
from sekisho.detect.inputs import TableLike, cell_text
from sekisho.detect.recognizer import Recognizer


@dataclass(slots=True)
class ColumnHits:
    """The cells of one classified column that hold its entity, kept as row numbers.

    ``table`` is kept so that findings can be listed one by one when a report asks; after
    ``let_go`` only the row numbers (for counting people), the keys and a few findings
    (``kept``, for samples) remain.
    """

    recognizer: Recognizer
    table: TableLike | None
    part_index: int
    column: int
    rows: Sequence[int]
    keys: Sequence[int] | None  # pseudonyms of strong identifiers, to merge the same person
    score: float
    explanation: Explanation
    named_by_header: bool
    kept: list[Finding] = field(default_factory=list)
    span: int = 1  # an address split over adjacent columns is one hit of ``span`` cells

    def let_go(self, keep: int = 3) -> None:
        """Drop the reference to the table's cells, keeping counts and ``keep`` findings."""
        if self.table is None:
            return
        self.kept = list(islice(self.findings(), keep))
        self.rows = array("i", self.rows)
        if self.keys is not None:
            self.keys = array("q", self.keys)
        self.table = None

    def values(self) -> Iterator[tuple[int, str]]:
        """(row, value) of each hit, re-read from the table (values are not kept)."""
        if self.table is None:
            return
        column, rows, recognizer = self.column, self.table.rows, self.recognizer
        if self.span > 1:
            for r in self.rows:
                text = joined(rows[r], column, column + self.span)
                yield r, recognizer.cell_value(text, text) or text
            return
        # A text cell that fits the column's shape was taken by that shape: no need to ask
        # the recognizer again (for names that would tokenize every cell once more).
        shape = recognizer.column_shape.fullmatch if recognizer.column_shape else None
        for r in self.rows:
            cell = rows[r][column]
            if shape is not None and type(cell) is str and shape(cell):
                yield r, cell.strip()
                continue
            text = cell_text(cell)
            yield r, recognizer.cell_value(cell, text) or text.strip()

    def all_keys(self) -> Sequence[int]:
        if self.keys is not None:
            return self.keys
        entity, canonical = self.recognizer.entity, self.recognizer.canonical
        return [subject_key(entity, canonical(value)) for _, value in self.values()]

    def report_entries(self, *, explain: bool = False) -> Iterator[tuple[tuple, dict]]:
        """(position, ``Finding.to_dict()``) of each hit, without making the findings.

        A JSON report of a roster lists tens of thousands of cells; it needs neither the
        subject keys nor the objects, and building them cost more than writing the JSON.
        """
        if self.table is None:
            for finding in self.kept:
                yield finding.position, finding.to_dict(explain=explain)
            return
        part, column, entity, mask = (
            self.part_index,
            self.column,
            self.recognizer.entity,
            self.recognizer.mask,
        )
        score = round(self.score, 2)
        where = self.table.column_locations(column)
        if explain:
            explanation = self.explanation.to_dict()
            for r, value in self.values():
                yield (
                    (part, r, column),
                    {
                        "entity": entity,
                        "location": where(r),
                        "score": score,
                        "excerpt": mask(value),
                        "explanation": explanation,
                    },
                )
            return
        for r, value in self.values():
            yield (
                (part, r, column),
                {"entity": entity, "location": where(r), "score": score, "excerpt": mask(value)},
            )

    def findings(self) -> Iterator[Finding]:
        if self.table is None:
            yield from self.kept
            return
        # Positional arguments and hoisted lookups: a roster expands tens of thousands.
        part, column, score, explanation = (
            self.part_index,
            self.column,
            self.score,
            self.explanation,
        )
        entity, mask, canonical = (
            self.recognizer.entity,
            self.recognizer.mask,
            self.recognizer.canonical,
        )
        where = self.table.cell_location
        for r, value in self.values():
            yield Finding(
                entity,
                where(r, column),
                score,
                mask(value),
                explanation,
                subject_key(entity, canonical(value)),
                (part, r),
                (part, r, column),
            )
