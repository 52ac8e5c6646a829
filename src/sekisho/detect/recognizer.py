"""The recognizer contract: find candidates, validate them, weigh the context.

A recognizer only proposes. Scoring is shared (``analyzer``) so that every entity type is
weighed the same way:

1. a pattern proposes a candidate with its own base score;
2. ``validate`` answers three ways, as in Presidio: True (a check digit or numbering plan
   holds: score + ``valid_bonus``), False (drop it), None (cannot tell: unchanged);
3. context words near the value or in its column header add ``CONTEXT_BOOST``; negative
   words ("商品コード") subtract ``NEGATIVE_PENALTY``;
4. a recognizer with ``requires_context`` reports nothing in running text without a
   positive context word, because its pattern alone is too common (1 in 11 random
   12-digit numbers pass the My Number check digit).

In tables a recognizer also answers for whole columns: ``header_words`` name the
columns that hold its entity, and ``cell_value`` says whether one cell *is* such a value
(not merely contains one), which is how a classified column is validated cell by cell
without running every pattern over every cell.
"""

from __future__ import annotations

import re
from abc import ABC
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from sekisho.detect.mask import mask_digits
from sekisho.detect.normalize import normalize

# Digit-run boundaries that work next to kanji (no \b) and do not cut a separated number
# in the middle ("1234 5678 9012" is not followed by a digit, but "1234 5678 9012 3456" is).
NUM_START = r"(?<![0-9])(?<![0-9][- ])"
NUM_END = r"(?![0-9])(?![- ][0-9])"

_NON_DIGIT = re.compile(r"[^0-9]")


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    score: float


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    value: str
    pattern: Pattern
    # Set by recognizers whose own analysis found context (an honorific after a name).
    context: tuple[str, ...] = ()


class Recognizer(ABC):
    """Base of every recognizer; subclasses set the class attributes and may override
    ``candidates``, ``validate``, ``cell_value``, ``canonical`` and ``mask``."""

    name: ClassVar[str]
    entity: ClassVar[str]
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    context_words: ClassVar[tuple[str, ...]] = ()
    negative_words: ClassVar[tuple[str, ...]] = ()
    requires_context: ClassVar[bool] = False
    # Cheap pre-filter: "digit", "@", "letter" (anything but digits) or "" (always run).
    needs: ClassVar[str] = "digit"
    validation_name: ClassVar[str] = "validation"
    valid_bonus: ClassVar[float] = 0.3
    # Tables: column headers (folded substrings) that name this entity, and look-alikes.
    header_words: ClassVar[tuple[str, ...]] = ()
    header_exclude: ClassVar[tuple[str, ...]] = ()
    # May a headerless column be classified from its values alone, and on how much?
    # Entities whose pattern is common need a larger, cleaner sample: 40 cells passing a
    # check digit that 1 in 11 random numbers pass is context enough.
    # Headers that name this entity only when they are the whole header (名 is a given
    # name; inside 名称 or 件名 it is not).
    header_exact: ClassVar[tuple[str, ...]] = ()
    # Header words that vouch for ``column_shape`` alone (a フリガナ column's katakana need
    # no dictionary to be names).
    header_shape_words: ClassVar[tuple[str, ...]] = ()
    value_classifiable: ClassVar[bool] = True
    value_min_sample: ClassVar[int] = 3
    value_min_share: ClassVar[float] = 0.8
    # Found by values alone, it counts only in rows that identify a person (dates that
    # are births, 10-digit numbers that are insurance numbers).
    value_needs_person: ClassVar[bool] = False
    # Score of a cell in a column classified as this entity.
    column_score: ClassVar[float] = 0.6
    # In a classified column, a text cell that fully matches this is taken without further
    # checks (the fast path for 7,203-row rosters); other cells go through
    # ``column_cell_value``. None for entities whose every cell needs its check digit.
    column_shape: ClassVar[re.Pattern[str] | None] = None

    def candidates(self, text: str) -> Iterator[Candidate]:
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                group = "value" if "value" in pattern.regex.groupindex else 0
                start, end = match.span(group)
                yield Candidate(start, end, match.group(group), pattern)

    def validate(self, value: str) -> bool | None:
        """True: verified; False: not this entity; None: cannot tell."""
        return None

    def cell_value(self, cell: object, text: str) -> str | None:
        """The value if the whole cell is one of this entity (as in a column headed for it),
        else None. ``text`` is the cell as text; ``cell`` keeps its type (a date, a number)."""
        norm = normalize(text).text.strip()
        if not norm:
            return None
        for cand in self.candidates(norm):
            if (cand.end - cand.start) * 5 >= len(norm) * 4 and self.validate(
                cand.value
            ) is not False:
                return cand.value
        return None

    def column_cell_value(self, cell: object, text: str) -> object | None:
        """Whether a cell of a column already classified as this entity holds one (any
        non-None marker); a recognizer whose precise check is slow may trust the column and
        check less here. ``cell_value`` gives the value itself when it is needed."""
        return self.cell_value(cell, text)

    def plausible_column(self, values: list[str]) -> bool:
        """Whether sampled values (from ``cell_value``) look like a column of this entity when
        no header names it: births spread over years, 1s and 2s alone are not sexes."""
        return True

    def canonical(self, value: str) -> str:
        """The form under which two writings of one value are the same (digits only)."""
        if value.isascii() and value.isdigit():
            return value
        return _NON_DIGIT.sub("", value)

    def mask(self, value: str) -> str:
        return mask_digits(value)
