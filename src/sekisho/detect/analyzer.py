"""Run the recognizers over text and tables: the ``Detector``.

Tables are read column first (``tables``); running text line by line here, weighed by
``scoring`` and judged by ``text_rules``. The module graph has no cycle: ``analyzer`` uses
``tables``, and both use ``scoring``, ``inputs``, ``text_rules``, ``columns`` and
``detection``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from sekisho.detect.columns import ColumnHits
from sekisho.detect.detection import Detection
from sekisho.detect.finding import Finding
from sekisho.detect.inputs import TableLike, TextLike
from sekisho.detect.normalize import normalize
from sekisho.detect.registry import Registry, default_registry
from sekisho.detect.scoring import Hit, finding_of, propose
from sekisho.detect.tables import analyze_table
from sekisho.detect.text_rules import (
    drop_lone_names,
    keep_dependents_beside_people,
    mentions_in_prose,
    organisation_contacts,
)


class DetectionBuilder:
    def __init__(self, detector: Detector, summary: bool) -> None:
        self.detector = detector
        self.summary = summary
        self.loose: list[Finding] = []
        self.columns: list[ColumnHits] = []
        self.index = 0

    def add(self, part: TextLike | TableLike) -> None:
        if hasattr(part, "rows"):
            table_loose, table_columns = analyze_table(self.detector, part, self.index)  # type: ignore[arg-type]
            self.loose.extend(table_loose)
            if self.summary:
                for column in table_columns:
                    column.let_go()
            self.columns.extend(table_columns)
        else:
            self.loose.extend(self.detector.text(part, self.index))  # type: ignore[arg-type]
        self.index += 1

    def finish(self) -> Detection:
        return Detection(self.loose, self.columns, summary=self.summary)


class Detector:
    """Finds entities in strings, text parts and tables with one registry."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else default_registry()

    def detect(self, parts: Iterable[TextLike | TableLike]) -> Detection:
        builder = self.builder()
        for part in parts:
            builder.add(part)
        return builder.finish()

    def builder(self, *, summary: bool = False) -> DetectionBuilder:
        """Detection fed one part at a time. With ``summary`` the cells of a table are let
        go as soon as it is read: counts, records and samples stay, findings one by one do
        not (what the gateway needs, in memory bounded by one chunk of a table)."""
        return DetectionBuilder(self, summary)

    def text(self, part: TextLike, index: int = 0) -> list[Finding]:
        text = part.text
        counted = getattr(part, "describes_people", True)
        norm = normalize(text).text  # offsets below are in this form; line breaks are kept
        hits = self.hits_normalized(norm, "")
        if not hits:
            return []
        newlines = [i for i, ch in enumerate(norm) if ch == "\n"]
        lines = [bisect.bisect_left(newlines, h.candidate.start) for h in hits]
        hits, lines = keep_dependents_beside_people(hits, lines)
        if getattr(part, "names_expected", False):
            hits, lines = drop_lone_names(hits, lines)

        def line_text(line: int) -> str:  # cut from the newlines already found
            start = newlines[line - 1] + 1 if line else 0
            return norm[start : newlines[line] if line < len(newlines) else len(norm)]

        uncounted = mentions_in_prose(hits, lines, line_text)
        uncounted |= organisation_contacts(hits, lines, line_text)
        return [
            finding_of(
                hit,
                part.location(line + 1),
                None,
                (index, line, hit.candidate.start),
                counted and i not in uncounted,
            )
            for i, (hit, line) in enumerate(zip(hits, lines, strict=True))
        ]

    def hits(self, original: str, outer_context: str) -> list[Hit]:
        """Weighed, non-overlapping proposals of every recognizer in one string."""
        return self.hits_normalized(normalize(original).text, outer_context)

    def hits_normalized(self, text: str, outer_context: str) -> list[Hit]:
        """``hits`` of a string already in ``normalize``'s form."""
        return propose(self.registry, text, outer_context)
