"""A finding: what was found where, how sure we are, and why, without the raw value.

The raw value never leaves the detector. A finding carries a masked excerpt for people
and a keyed hash (``key``) so that the same My Number seen twice counts as one person;
the key is salted per process and is never serialised.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

_SALT = os.urandom(16)


def subject_key(entity: str, canonical: str) -> bytes:
    """A per-process pseudonym of a value, for counting distinct people without keeping them."""
    return hashlib.blake2b(f"{entity}\x00{canonical}".encode(), key=_SALT, digest_size=16).digest()


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

    ``row`` groups findings of one table row (``(table index, row index)``), so that a row
    is one person; findings in running text have ``row`` None.
    """

    entity: str
    location: str
    score: float
    excerpt: str
    explanation: Explanation
    key: bytes = field(repr=False, compare=False)
    row: tuple[int, int] | None = None

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
