"""Run the recognizers over text and tables and weigh what they propose.

The detector sees strings and grids, not files: ``TextLike`` and ``TableLike`` are the
shapes it needs, which the extractor's parts happen to have. Context comes from a
character window around the value on its line (Japanese has no spaces to count words
by), the cell to the left of a value (forms: 「個人番号」|「1234…」) and the column header.
Tables are read column first (``tables``); this module holds the running-text path that
both use.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING, Protocol

from sekisho.detect.entities import CONTACT, DESCRIBING, PERSON_NAME, may_be_person
from sekisho.detect.finding import Explanation, Finding, subject_key
from sekisho.detect.normalize import fold, normalize
from sekisho.detect.recognizer import Candidate, Recognizer
from sekisho.detect.registry import Registry, default_registry

if TYPE_CHECKING:
    from sekisho.detect.tables import ColumnHits

CONTEXT_BOOST = 0.35
NEGATIVE_PENALTY = 0.7
REPORT_THRESHOLD = 0.5
WINDOW_BEFORE = 30
WINDOW_AFTER = 15
# A describing entity (sex, care level) in running text needs a person within this many lines.
DEPENDENT_LINES = 2

_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[^\W\d_]")


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


@dataclass(frozen=True, slots=True)
class Hit:
    """A weighed proposal in one string, before it becomes a ``Finding``."""

    recognizer: Recognizer
    candidate: Candidate
    validation: str
    context: tuple[str, ...]
    before: float
    after: float


class Detection:
    """All findings of one file and the number of distinct people they describe.

    Findings of classified columns stay as ``ColumnHits`` (row numbers) until someone asks
    for them one by one: the gateway needs counts, only a report needs every excerpt.
    """

    __slots__ = ("_findings", "columns", "loose", "records", "summary")

    def __init__(
        self, loose: list[Finding], columns: list[ColumnHits], *, summary: bool = False
    ) -> None:
        from sekisho.detect.records import count_records

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

    def __bool__(self) -> bool:
        return bool(self.loose) or any(c.rows for c in self.columns)

    def samples(self, per_entity: int = 3) -> dict[str, list[str]]:
        """A few masked excerpts of each entity type, without expanding every column."""
        from itertools import islice

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


class DetectionBuilder:
    def __init__(self, detector: Detector, summary: bool) -> None:
        self.detector = detector
        self.summary = summary
        self.loose: list[Finding] = []
        self.columns: list[ColumnHits] = []
        self.index = 0

    def add(self, part: TextLike | TableLike) -> None:
        from sekisho.detect.tables import analyze_table

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


class Words:
    """Context words as they are looked for: Japanese words inside any text (there are no
    spaces between words), Latin words only whole ("ms." is not in "systems.", "dear" is
    not in "Loondear", "jan" is not in "Janet")."""

    __slots__ = ("checks", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(fold(w) for w in words)
        self.checks = tuple(
            (w, re.compile(_whole_word(w)) if _LATIN_EDGE.search(w) else None) for w in self.words
        )

    def found_in(self, haystack: str) -> tuple[str, ...]:
        return tuple(
            w
            for w, whole in self.checks
            if w in haystack and (whole is None or whole.search(haystack))
        )


_LATIN_EDGE = re.compile(r"^[a-z0-9]|[a-z0-9]$")


def _whole_word(word: str) -> str:
    before = r"(?<![a-z0-9])" if word[0].isascii() and word[0].isalnum() else ""
    after = r"(?![a-z0-9])" if word[-1].isascii() and word[-1].isalnum() else ""
    return before + re.escape(word) + after


@cache
def folded_words(recognizer: type[Recognizer]) -> tuple[Words, Words]:
    return Words(recognizer.context_words), Words(recognizer.negative_words)


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
        hits, lines = _keep_dependents_beside_people(hits, lines)
        if getattr(part, "names_expected", False):
            hits, lines = _drop_lone_names(hits, lines)

        def line_text(line: int) -> str:  # cut from the newlines already found
            start = newlines[line - 1] + 1 if line else 0
            return norm[start : newlines[line] if line < len(newlines) else len(norm)]

        uncounted = mentions_in_prose(hits, lines, line_text)
        uncounted |= organisation_contacts(hits, lines, line_text)
        return [
            self.finding(
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
        has_digit = _DIGIT.search(text) is not None
        has_at = "@" in text
        has_letter = _LETTER.search(text) is not None
        hits: list[Hit] = []
        for recognizer in self.registry:
            needs = recognizer.needs
            if (
                (needs == "digit" and not has_digit)
                or (needs == "@" and not has_at)
                or (needs == "letter" and not has_letter)
            ):
                continue
            for candidate in recognizer.candidates(text):
                hit = weigh(recognizer, candidate, text, outer_context)
                if hit is not None:
                    hits.append(hit)
        if hits and "/" in text:
            hits = _outside_url_paths(hits, text)
        return _resolve_overlaps(hits)

    @staticmethod
    def finding(
        hit: Hit,
        location: str,
        row: tuple[int, int] | None,
        position: tuple[int, int, int],
        counted: bool = True,
    ) -> Finding:
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
            position=position,
            counted=counted,
        )


def weigh(recognizer: Recognizer, cand: Candidate, text: str, outer: str) -> Hit | None:
    """Score one candidate: validation, then context words near it and in ``outer``."""
    verdict = recognizer.validate(cand.value)
    if verdict is False:
        return None
    before = cand.pattern.score + (recognizer.valid_bonus if verdict else 0.0)
    window = fold(_window(text, cand.start, cand.end))
    haystack = f"{window}\n{outer}" if outer else window
    positives, negatives = folded_words(type(recognizer))
    found = cand.context + positives.found_in(haystack)
    against = negatives.found_in(haystack)
    if recognizer.requires_context and not found:
        return None
    after = before + (CONTEXT_BOOST if found else 0.0) - (NEGATIVE_PENALTY if against else 0.0)
    after = min(1.0, after)
    if after < REPORT_THRESHOLD:
        return None
    name = recognizer.validation_name
    validation = f"{name} valid" if verdict else f"{name} not checked"
    context = found + tuple(f"-{w}" for w in against)
    return Hit(recognizer, cand, validation, context, before, after)


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


_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'「」]+|www\.[^\s<>\"'「」]+", re.IGNORECASE)


def _outside_url_paths(hits: list[Hit], text: str) -> list[Hit]:
    """Digits in a URL's host or path are a page's address (…/item/1234567 is no bank
    account); a value of its query (…?tel=09012345678) is still read."""
    urls = [m.span() for m in _URL.finditer(text)]
    if not urls:
        return hits
    kept = []
    for hit in hits:
        start = hit.candidate.start
        inside = next(((a, b) for a, b in urls if a <= start < b), None)
        if inside is None or "?" in text[inside[0] : start] or hit.recognizer.entity in _IN_URLS:
            kept.append(hit)
    return kept


_IN_URLS = frozenset({"EMAIL_ADDRESS"})  # mailto-like paths name a mailbox all the same


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Where proposals overlap, the best-scored wins (a card number is not also a My Number)."""
    if len(hits) < 2:
        return hits
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.after, h.candidate.start)):
        c = hit.candidate
        if all(c.end <= k.candidate.start or c.start >= k.candidate.end for k in kept):
            kept.append(hit)
    kept.sort(key=lambda h: h.candidate.start)
    return kept


def _keep_dependents_beside_people(
    hits: list[Hit], lines: list[int]
) -> tuple[list[Hit], list[int]]:
    """Sex, care level or a diagnosis describe someone only when a person is near."""
    people = [
        line for hit, line in zip(hits, lines, strict=True) if may_be_person(hit.recognizer.entity)
    ]
    kept = [
        (hit, line)
        for hit, line in zip(hits, lines, strict=True)
        if hit.recognizer.entity not in DESCRIBING
        or any(abs(line - p) <= DEPENDENT_LINES for p in people)
    ]
    return [h for h, _ in kept], [line for _, line in kept]


PROSE_CHARS = 40
_SENTENCE = re.compile(r"[。、！？]|[.!?] ")


def is_prose(line: str) -> bool:
    """A sentence or more (a description, a newsletter, minutes), not a label and value."""
    return len(line) > PROSE_CHARS and _SENTENCE.search(line) is not None


def mentions_in_prose(
    hits: list[Hit], lines: list[int], line_text: Callable[[int], str]
) -> set[int]:
    """Indexes of names that are mentioned in prose, not recorded: no label or honorific
    (氏名, 様, さん …) and nothing else of a person on the same line. 国木田独歩 in a
    tourist spot's description, or the members named in minutes, are reported but make
    no record; 「山田太郎さんの電話は…」 does."""
    names = [
        i for i, hit in enumerate(hits) if hit.recognizer.entity == PERSON_NAME and not hit.context
    ]
    if not names:
        return set()
    personal = {
        line
        for hit, line in zip(hits, lines, strict=True)
        if hit.recognizer.entity != PERSON_NAME
        and (may_be_person(hit.recognizer.entity) or hit.recognizer.entity in CONTACT)
    }
    return {i for i in names if lines[i] not in personal and is_prose(line_text(lines[i]))}


# What marks a line as an office's contact details: an inquiries label, a fax, the
# telephone sign, office hours, or the name of an office or a business before the number.
_ORGANISATION_LINE = re.compile(
    r"問い?合わ?せ|問合せ|FAX|Fax|fax|ファクス|ファックス|☎|℡|受付時間|開庁|代表"
    r"|[課係]\b|[課係][ 　:：(（]|センター|事務所|事務局|役所|役場|支所|出張所"
    r"|株式会社|有限会社|\(株\)|協会|組合|法人|病院|医院|クリニック|学校"
)
_INQUIRIES = re.compile(r"問い?合わ?せ|問合せ|連絡窓口|担当課")
_BLOCK_LINES = 4


def organisation_contacts(
    hits: list[Hit], lines: list[int], line_text: Callable[[int], str]
) -> set[int]:
    """Indexes of addresses, phones and e-mails that are an office's, not a resident's: on a
    line that names an office, a fax or office hours, or in the few lines under a
    「問い合わせ先」 label, with nothing of a person on the same line. A city's newsletter
    ends with its inquiries block; that block describes no one."""
    contacts = [i for i, hit in enumerate(hits) if hit.recognizer.entity in CONTACT]
    if not contacts:
        return set()
    personal = {
        line
        for hit, line in zip(hits, lines, strict=True)
        if may_be_person(hit.recognizer.entity)
        and (hit.recognizer.entity != PERSON_NAME or hit.context)
    }
    found: set[int] = set()
    for i in contacts:
        line = lines[i]
        if line in personal:
            continue
        if _ORGANISATION_LINE.search(line_text(line)) or _under_inquiries(line, line_text):
            found.add(i)
    return found


def _under_inquiries(line: int, line_text: Callable[[int], str]) -> bool:
    for above in range(line - 1, max(-1, line - 1 - _BLOCK_LINES), -1):
        text = line_text(above)
        if not text.strip():
            return False  # a blank line ends the block
        if _INQUIRIES.search(text):
            return True
    return False


def _drop_lone_names(hits: list[Hit], lines: list[int]) -> tuple[list[Hit], list[int]]:
    """In the display names of a message's addresses, a line holding one person's name and
    nothing else names a correspondent; every other finding stays."""
    per_line = Counter(lines)
    kept = [
        (hit, line)
        for hit, line in zip(hits, lines, strict=True)
        if not (hit.recognizer.entity == PERSON_NAME and per_line[line] == 1)
    ]
    return [h for h, _ in kept], [line for _, line in kept]
