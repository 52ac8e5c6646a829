"""Counting people (data subjects), not findings.

A table row is one person when it holds an identifying entity, or a date of birth with
another item. Rows that share a strong identifier (the same My Number on a visible and
a hidden sheet) are one person. In running text, where one resident's phone and e-mail
sit side by side, the count is the largest number of distinct values of any one
identifying type, less the largest number of one type already counted in tables (a body
that repeats a resident of the attachment, with a phone the table lacks, adds nobody).

Rows are handled as sets per table, so counting a 7,203-row roster costs a few set
unions, not a pass over every finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sekisho.detect.entities import (
    CONTACT,
    DATE_OF_BIRTH,
    IDENTIFYING,
    JP_CARE_INSURANCE_NUMBER,
    JP_DRIVERS_LICENSE,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_MY_NUMBER,
    JP_PASSPORT,
    JP_PENSION_NUMBER,
    JP_RESIDENCE_CARD,
    JP_RESIDENT_CODE,
    NOT_A_PERSON,
)
from sekisho.detect.finding import Finding

if TYPE_CHECKING:
    from sekisho.detect.columns import ColumnHits

# Identifiers that belong to exactly one person; a shared phone or address does not.
STRONG: frozenset[str] = frozenset(
    {
        JP_MY_NUMBER,
        JP_CARE_INSURANCE_NUMBER,
        JP_HEALTH_INSURANCE_NUMBER,
        JP_PENSION_NUMBER,
        JP_RESIDENT_CODE,
        JP_DRIVERS_LICENSE,
        JP_PASSPORT,
        JP_RESIDENCE_CARD,
    }
)

Row = tuple[int, int]


class _Merger:
    """Union-find over rows, fed with strong identifiers: same value, same person."""

    def __init__(self) -> None:
        self.parent: dict[Row, Row] = {}
        self.owner: dict[int, Row] = {}
        self.merges = 0

    def find(self, x: Row) -> Row:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    def add(self, key: int, row: Row) -> None:
        other = self.owner.setdefault(key, row)
        if other != row:
            a, b = self.find(row), self.find(other)
            if a != b:
                self.parent[a] = b
                self.merges += 1


def count_records(loose: list[Finding], columns: list[ColumnHits]) -> int:
    by_part: dict[int, list[tuple[str, Sequence[int]]]] = defaultdict(list)
    for column in columns:
        by_part[column.part_index].append((column.recognizer.entity, column.rows))
    text: list[Finding] = []
    for f in loose:
        if not f.counted:
            continue
        if f.row is None:
            text.append(f)
        else:
            by_part[f.row[0]].append((f.entity, (f.row[1],)))

    strong_columns = [c for c in columns if c.recognizer.entity in STRONG and c.keys is not None]
    strong_loose = [f for f in loose if f.row is not None and f.entity in STRONG and f.counted]
    keys = [k for c in strong_columns for k in c.keys or ()] + [f.key for f in strong_loose]
    repeats = len(set(keys)) < len(keys)  # only then are rows merged
    del keys

    # One part (a sheet, or a chunk of a long one) at a time: the sets stay small.
    total = 0
    merger = _Merger() if repeats else None
    for part, items in by_part.items():
        people = _people(items)
        total += len(people)
        if merger is not None:
            for column in strong_columns:
                if column.part_index == part:
                    for r, key in zip(column.rows, column.keys or (), strict=True):
                        if r in people:
                            merger.add(key, (part, r))
            for f in strong_loose:
                if f.row is not None and f.row[0] == part and f.row[1] in people:
                    merger.add(f.key, f.row)
    if merger is not None:
        total -= merger.merges

    # In running text a resident's mobile or address may be all a mail says of them
    # ("氏名：…  携帯 090-…" with a name the tokenizer misses): contact data still counts
    # there (an office's phone is dropped by its recognizer: 問い合わせ, 課, 直通).
    text_people = [f for f in text if f.entity in IDENTIFYING or f.entity in CONTACT]
    if text_people:
        seen = {f.key for f in loose if f.row is not None}
        for column in columns:
            if column.recognizer.entity in IDENTIFYING or column.recognizer.entity in CONTACT:
                seen.update(column.all_keys())
        per_type: dict[str, set[int]] = defaultdict(set)
        for f in text_people:
            per_type[f.entity].add(f.key)
        in_text = max(len(keys) for keys in per_type.values())
        known = max(len(keys & seen) for keys in per_type.values())
        total += max(0, in_text - known)
    return total


def describes_a_person(entities: Iterable[str]) -> bool:
    """``_people``'s rule for one row: an identifying entity, or a birth date with another
    item (a list of the people in a table reads it row by row)."""
    found = {e for e in entities if e not in NOT_A_PERSON}
    return bool(found & IDENTIFYING) or (DATE_OF_BIRTH in found and len(found) > 1)


def _people(items: list[tuple[str, Sequence[int]]]) -> set[int]:
    """Rows of one part that are people: an identifying entity, or a birth date with another item."""
    identifying: set[int] = set()
    births: set[int] = set()
    others: set[int] = set()
    for entity, rows in items:
        if entity in NOT_A_PERSON:
            continue
        if entity in IDENTIFYING:
            identifying.update(rows)
        if entity == DATE_OF_BIRTH:
            births.update(rows)
        else:
            others.update(rows)
    return identifying | (births & others)
