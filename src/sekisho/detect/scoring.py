"""Weighing what the recognizers propose in one string: validation, context words in a
window on the value's line (Japanese has no spaces to count words by), the cell to the
left and the column header (``outer``), URLs, and overlaps. Both the running-text path
(``analyzer``) and the cells read as text (``tables``) weigh with this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sekisho.detect.entities import EMAIL_ADDRESS
from sekisho.detect.finding import Explanation, Finding, subject_key
from sekisho.detect.normalize import fold
from sekisho.detect.recognizer import Candidate, Recognizer

CONTEXT_BOOST = 0.35
NEGATIVE_PENALTY = 0.7
REPORT_THRESHOLD = 0.5
WINDOW_BEFORE = 30
WINDOW_AFTER = 15

_DIGITS = re.compile(r"[0-9]+")
_LETTER = re.compile(r"[^\W\d_]")
# Characters kept on each side of a run of digits for the recognizers that need one: more
# than any label, separator or suffix an entity's match takes beside its digits.
DIGIT_MARGIN = 64


@dataclass(frozen=True, slots=True)
class Hit:
    """A weighed proposal in one string, before it becomes a ``Finding``."""

    recognizer: Recognizer
    candidate: Candidate
    validation: str
    context: tuple[str, ...]
    before: float
    after: float


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


def propose(registry: Iterable[Recognizer], text: str, outer_context: str) -> list[Hit]:
    """Weighed, non-overlapping proposals of every recognizer in one normalised string."""
    windows = digit_windows(text)
    has_at = "@" in text
    has_letter = _LETTER.search(text) is not None
    hits: list[Hit] = []
    for recognizer in registry:
        needs = recognizer.needs
        if (
            (needs == "digit" and not windows)
            or (needs == "@" and not has_at)
            or (needs == "letter" and not has_letter)
        ):
            continue
        found = (
            windowed(recognizer, text, windows) if needs == "digit" else recognizer.candidates(text)
        )
        for candidate in found:
            hit = weigh(recognizer, candidate, text, outer_context)
            if hit is not None:
                hits.append(hit)
    if hits and "/" in text:
        hits = _outside_url_paths(hits, text)
    return resolve_overlaps(hits)


def digit_windows(text: str) -> list[tuple[int, int]]:
    """Where the recognizers that need a digit look: each run of digits with
    ``DIGIT_MARGIN`` characters on either side, overlapping ones merged; the whole text
    when that is most of it, none when it has no digit. Prose with a phone number in it
    is then read by a dozen number patterns around the number, not over every character
    (~35 ms of a 100 KB letter's ~110 ms)."""
    windows: list[tuple[int, int]] = []
    for run in _DIGITS.finditer(text):
        start, end = max(0, run.start() - DIGIT_MARGIN), run.end() + DIGIT_MARGIN
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    if not windows:
        return []
    covered = sum(min(end, len(text)) - start for start, end in windows)
    return [(0, len(text))] if covered * 2 >= len(text) else windows


def windowed(
    recognizer: Recognizer, text: str, windows: list[tuple[int, int]]
) -> Iterable[Candidate]:
    """``recognizer``'s candidates in ``windows`` of ``text``, placed in the whole text. A
    window begins and ends beside a non-digit (runs closer than twice the margin share
    one), so a number is never cut in two."""
    if windows == [(0, len(text))]:
        yield from recognizer.candidates(text)
        return
    for start, end in windows:
        for c in recognizer.candidates(text[start:end]):
            yield Candidate(c.start + start, c.end + start, c.value, c.pattern, c.context)


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
    account); a value of its query (…?tel=09012345678) is still read, and so is a mailbox
    in a path (it names one all the same)."""
    urls = [m.span() for m in _URL.finditer(text)]
    if not urls:
        return hits
    kept = []
    for hit in hits:
        start = hit.candidate.start
        inside = next(((a, b) for a, b in urls if a <= start < b), None)
        if (
            inside is None
            or "?" in text[inside[0] : start]
            or hit.recognizer.entity == EMAIL_ADDRESS
        ):
            kept.append(hit)
    return kept


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
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


def finding_of(
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
