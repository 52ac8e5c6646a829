"""The recognizer contract: find candidates, validate them, weigh the context.

A recognizer only proposes. Scoring is shared (``analyzer``) so that every entity type is
weighed the same way:

1. a pattern proposes a candidate with its own base score;
2. ``validate`` answers three ways, as in Presidio: True (a check digit or numbering plan
   holds: score + ``valid_bonus``), False (drop it), None (cannot tell: unchanged);
3. context words near the value or in its column header add ``CONTEXT_BOOST``; negative
   words ("商品コード") subtract ``NEGATIVE_PENALTY``;
4. a recognizer with ``requires_context`` reports nothing without a positive context
   word, because its pattern alone is too common (1 in 11 random 12-digit numbers pass
   the My Number check digit).
"""

from __future__ import annotations

import re
from abc import ABC
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from sekisho.detect.mask import mask_digits

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


class Recognizer(ABC):
    """Base of every recognizer; subclasses set the class attributes and may override
    ``validate``, ``canonical`` and ``mask``."""

    name: ClassVar[str]
    entity: ClassVar[str]
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    context_words: ClassVar[tuple[str, ...]] = ()
    negative_words: ClassVar[tuple[str, ...]] = ()
    requires_context: ClassVar[bool] = False
    # Cheap pre-filter: the text must contain this character class to be worth matching.
    needs: ClassVar[str] = "digit"
    validation_name: ClassVar[str] = "validation"
    valid_bonus: ClassVar[float] = 0.3

    def candidates(self, text: str) -> Iterator[Candidate]:
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                group = "value" if "value" in pattern.regex.groupindex else 0
                start, end = match.span(group)
                yield Candidate(start, end, match.group(group), pattern)

    def validate(self, value: str) -> bool | None:
        """True: verified; False: not this entity; None: cannot tell."""
        return None

    def canonical(self, value: str) -> str:
        """The form under which two writings of one value are the same (digits only)."""
        return _NON_DIGIT.sub("", value)

    def mask(self, value: str) -> str:
        return mask_digits(value)
