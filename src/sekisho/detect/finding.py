"""A finding: what was found where, how sure we are, and why, without the raw value.

The raw value never leaves the detector. A finding carries a masked excerpt for people
and an in-memory pseudonym (``key``) so that the same My Number seen twice counts as one
person; the key is Python's per-process salted string hash and is never serialised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def subject_key(entity: str, canonical: str) -> int:
    """A per-process pseudonym of a value, for counting distinct people without keeping them."""
    return hash((entity, canonical))


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a finding came to be: enough for an approver or ``--explain`` to judge it."""

    recognizer: str
    pattern: str
    validation: str
    context: tuple[str, ...]
    score_before: float
    score_after: float

    def describe(self) -> str:
        words = ", ".join(self.context) if self.context else "none"
        return (
            f"{self.recognizer} pattern {self.pattern}; {self.validation}; "
            f"context: {words}; score {self.score_before:.2f} → {self.score_after:.2f}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "recognizer": self.recognizer,
            "pattern": self.pattern,
            "validation": self.validation,
            "context": list(self.context),
            "score_before": round(self.score_before, 2),
            "score_after": round(self.score_after, 2),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One entity found at one place.

    ``row`` groups findings of one table row (``(part index, row index)``), so that a row
    is one person; findings in running text have ``row`` None. ``position`` orders
    findings as a reader meets them (part, row or line, column or offset).
    """

    entity: str
    location: str
    score: float
    excerpt: str
    explanation: Explanation
    key: int = field(repr=False, compare=False)
    row: tuple[int, int] | None = None
    position: tuple[int, int, int] = field(default=(0, 0, 0), repr=False, compare=False)
    # False for text about a document rather than its subjects (the author's name in the
    # document properties): reported, never counted as a person.
    counted: bool = field(default=True, repr=False, compare=False)

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entity": self.entity,
            "location": self.location,
            "score": round(self.score, 2),
            "excerpt": self.excerpt,
        }
        if explain:
            out["explanation"] = self.explanation.to_dict()
        return out
