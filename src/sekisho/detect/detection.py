"""A file's findings: loose ones, classified columns kept as row numbers, and the number of
people they describe."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from operator import itemgetter

from sekisho.detect.columns import ColumnHits
from sekisho.detect.finding import Finding
from sekisho.detect.records import count_records


class Detection:
    """All findings of one file and the number of distinct people they describe.

    Findings of classified columns stay as ``ColumnHits`` (row numbers) until someone asks
    for them one by one: the gateway needs counts, only a report needs every excerpt.
    """

    __slots__ = ("_findings", "columns", "loose", "records", "summary")

    def __init__(
        self, loose: list[Finding], columns: list[ColumnHits], *, summary: bool = False
    ) -> None:
        self.loose = loose
        self.columns = columns
        self.summary = summary  # True: column cells were let go; findings hold samples only
        self.records = count_records(loose, columns)
        self._findings: list[Finding] | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(f.entity for f in self.loose)
        for column in self.columns:
            counts[column.recognizer.entity] += len(column.rows)
        return dict(sorted((k, v) for k, v in counts.items() if v))

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            expanded = list(self.loose)
            for column in self.columns:
                expanded.extend(column.findings())
            expanded.sort(key=lambda f: f.position)
            self._findings = expanded
        return self._findings

    def finding_dicts(self, *, explain: bool = False) -> list[dict]:
        """Every finding as ``Finding.to_dict`` gives it, in reading order.

        Same output as ``[f.to_dict() for f in self.findings]``, made without expanding
        columns into ``Finding`` objects (the JSON report of a roster spent most of its time
        there).
        """
        if self._findings is not None:
            return [f.to_dict(explain=explain) for f in self._findings]
        entries = [(f.position, f.to_dict(explain=explain)) for f in self.loose]
        for column in self.columns:
            entries.extend(column.report_entries(explain=explain))
        entries.sort(key=itemgetter(0))
        return [entry for _, entry in entries]

    def __bool__(self) -> bool:
        return bool(self.loose) or any(c.rows for c in self.columns)

    def samples(self, per_entity: int = 3) -> dict[str, list[str]]:
        """A few masked excerpts of each entity type, without expanding every column."""
        found: dict[str, list[str]] = {}
        candidates = list(self.loose)
        for column in self.columns:
            candidates.extend(
                islice(column.findings(), per_entity) if column.table is not None else column.kept
            )
        for finding in sorted(candidates, key=lambda f: f.position):
            bucket = found.setdefault(finding.entity, [])
            if len(bucket) < per_entity and finding.excerpt not in bucket:
                bucket.append(finding.excerpt)
        return found
