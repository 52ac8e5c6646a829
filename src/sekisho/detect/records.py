"""Counting people (data subjects), not findings.

A table row is one person when it holds an identifying entity, or a date of birth with
another item. Rows that share a strong identifier (the same My Number on a visible and
a hidden sheet) are one person. In running text, where one resident's phone and e-mail
sit side by side, the count is the largest number of distinct values of any one
identifying type, beyond those already counted in tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sekisho.detect.entities import (
    IDENTIFYING,
    IDENTIFYING_WITH_ANOTHER,
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


def count_records(findings: Iterable[Finding]) -> int:
    rows: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    loose: list[Finding] = []
    for f in findings:
        if f.entity in NOT_A_PERSON:
            continue
        (rows[f.row] if f.row is not None else loose).append(f)

    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[bytes, tuple[int, int]] = {}
    seen_keys: set[bytes] = set()
    for row, items in rows.items():
        entities = {f.entity for f in items}
        identifying = bool(entities & IDENTIFYING) or (
            bool(entities & IDENTIFYING_WITH_ANOTHER) and len(entities) > 1
        )
        if not identifying:
            continue
        parent[row] = row
        for f in items:
            seen_keys.add(f.key)
            if f.entity in STRONG:
                if f.key in owner:
                    parent[find(row)] = find(owner[f.key])
                else:
                    owner[f.key] = row
    people = len({find(r) for r in parent})

    per_type: dict[str, set[bytes]] = defaultdict(set)
    for f in loose:
        if f.entity in IDENTIFYING and f.key not in seen_keys:
            per_type[f.entity].add(f.key)
    return people + max((len(keys) for keys in per_type.values()), default=0)
