"""Run the recognizers over text and tables and weigh what they propose.

The detector sees strings and grids, not files: ``TextLike`` and ``TableLike`` are the
shapes it needs, which the extractor's parts happen to have. Context comes from a
character window around the value (Japanese has no spaces to count words by), the cell
to the left of a value (forms: 「個人番号」|「1234…」) and the column header.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Protocol

from sekisho.detect.finding import Explanation, Finding, subject_key
from sekisho.detect.normalize import fold, normalize
from sekisho.detect.recognizer import Candidate, Recognizer
from sekisho.detect.records import count_records
from sekisho.detect.registry import Registry, default_registry

CONTEXT_BOOST = 0.35
NEGATIVE_PENALTY = 0.5
REPORT_THRESHOLD = 0.5
WINDOW_BEFORE = 30
WINDOW_AFTER = 15
_LABEL_MAX = 40

_DIGIT = re.compile(r"[0-9]")


class TextLike(Protocol):
    text: str

    def location(self, line: int) -> str: ...


class TableLike(Protocol):
    @property
    def rows(self) -> Sequence[Sequence[object]]: ...

    @property
    def header_row(self) -> int | None: ...

    def cell_location(self, row: int, col: int) -> str: ...


@dataclass(frozen=True, slots=True)
class Detection:
    """All findings of one file and the number of distinct people they describe."""

    findings: list[Finding]
    records: int


@dataclass(frozen=True, slots=True)
class _Hit:
    recognizer: Recognizer
    candidate: Candidate
    validation: str
    context: tuple[str, ...]
    before: float
    after: float


@cache
def _folded_words(recognizer: type[Recognizer]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        tuple(fold(w) for w in recognizer.context_words),
        tuple(fold(w) for w in recognizer.negative_words),
    )


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


class Detector:
    """Finds entities in strings, text parts and tables with one registry."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else default_registry()

    def detect(self, parts: Iterable[TextLike | TableLike]) -> Detection:
        findings: list[Finding] = []
        for index, part in enumerate(parts):
            if hasattr(part, "rows"):
                findings.extend(self.table(part, index))  # type: ignore[arg-type]
            else:
                findings.extend(self.text(part))  # type: ignore[arg-type]
        return Detection(findings, count_records(findings))

    def text(self, part: TextLike) -> list[Finding]:
        hits = self._hits(part.text, "")
        if not hits:
            return []
        newlines = [i for i, ch in enumerate(part.text) if ch == "\n"]
        return [
            self._finding(hit, part.location(bisect.bisect_left(newlines, hit.candidate.start) + 1))
            for hit in hits
        ]

    def table(self, table: TableLike, index: int = 0) -> list[Finding]:
        rows = table.rows
        head = table.header_row
        header = [fold(cell_text(c)) for c in rows[head]] if head is not None else []
        findings: list[Finding] = []
        for r, row in enumerate(rows):
            if r == head:
                continue
            under_header = head is not None and r > head
            left = ""
            for c, cell in enumerate(row):
                text = cell_text(cell)
                if not text:
                    left = ""
                    continue
                context = header[c] if under_header and c < len(header) else ""
                if left:
                    context = f"{context}\n{left}"
                for hit in self._hits(text, context):
                    findings.append(self._finding(hit, table.cell_location(r, c), (index, r)))
                left = fold(text) if isinstance(cell, str) and len(text) <= _LABEL_MAX else ""
        return findings

    def _hits(self, original: str, outer_context: str) -> list[_Hit]:
        norm = normalize(original)
        text = norm.text
        has_digit = _DIGIT.search(text) is not None
        has_at = "@" in text
        hits: list[_Hit] = []
        for recognizer in self.registry:
            if (recognizer.needs == "digit" and not has_digit) or (
                recognizer.needs == "@" and not has_at
            ):
                continue
            for candidate in recognizer.candidates(text):
                hit = self._weigh(recognizer, candidate, text, outer_context)
                if hit is not None:
                    hits.append(hit)
        return _resolve_overlaps(hits)

    @staticmethod
    def _weigh(recognizer: Recognizer, cand: Candidate, text: str, outer: str) -> _Hit | None:
        verdict = recognizer.validate(cand.value)
        if verdict is False:
            return None
        before = cand.pattern.score + (recognizer.valid_bonus if verdict else 0.0)
        window = fold(_window(text, cand.start, cand.end))
        haystack = f"{window}\n{outer}" if outer else window
        positives, negatives = _folded_words(type(recognizer))
        found = tuple(w for w in positives if w in haystack)
        against = tuple(w for w in negatives if w in haystack)
        if recognizer.requires_context and not found:
            return None
        after = before + (CONTEXT_BOOST if found else 0.0) - (NEGATIVE_PENALTY if against else 0.0)
        after = min(1.0, after)
        if after < REPORT_THRESHOLD:
            return None
        validation = (
            f"{recognizer.validation_name} valid"
            if verdict
            else f"{recognizer.validation_name} not checked"
        )
        context = found + tuple(f"-{w}" for w in against)
        return _Hit(recognizer, cand, validation, context, before, after)

    @staticmethod
    def _finding(hit: _Hit, location: str, row: tuple[int, int] | None = None) -> Finding:
        recognizer, value = hit.recognizer, hit.candidate.value
        explanation = Explanation(
            recognizer=recognizer.name,
            pattern=hit.candidate.pattern.name,
            validation=hit.validation,
            context=hit.context,
            score_before=hit.before,
            score_after=hit.after,
        )
        return Finding(
            entity=recognizer.entity,
            location=location,
            score=hit.after,
            excerpt=recognizer.mask(value),
            explanation=explanation,
            key=subject_key(recognizer.entity, recognizer.canonical(value)),
            row=row,
        )


def _window(text: str, start: int, end: int) -> str:
    """The characters around a value on its own line; the line above too when the value
    starts its line (a label above, 「マイナンバー:」 then the number on the next line).
    Lines further away belong to other values and would lend them the wrong context."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" \t:：-"):
        line_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    before = text[max(line_start, start - WINDOW_BEFORE) : start]
    after = text[end : min(line_end, end + WINDOW_AFTER)]
    return f"{before}\n{after}"


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Where proposals overlap, the best-scored wins (a card number is not also a My Number)."""
    if len(hits) < 2:
        return hits
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.after, h.candidate.start)):
        c = hit.candidate
        if all(c.end <= k.candidate.start or c.start >= k.candidate.end for k in kept):
            kept.append(hit)
    kept.sort(key=lambda h: h.candidate.start)
    return kept
