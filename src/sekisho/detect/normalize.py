"""NFKC normalisation with a map back to the original offsets.

Clerks type full-width digits (１２３４), half-width katakana (ﾔﾏﾀﾞ) and a zoo of dashes
(ー − ‐ –). Recognizers see one canonical form: NFKC, every dash as "-", and the katakana
prolonged-sound mark "ー" as "-" only between or beside digits (it stays a vowel mark in
"コーヒー"). Characters that show nothing are dropped first: format characters (Unicode
category Cf: zero-width space and joiners, word joiner, BOM, soft hyphen, bidi controls),
variation selectors, Hangul fillers and control characters other than tab and line
breaks — "0​9​0" is the phone number a reader sees, not three digits.
The map lets a finding point back at the exact characters the user wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DASHES = frozenset("‐‑‒–—―−﹣－")
_PROLONGED = "ー"
_VOICING = frozenset("\uff9e\uff9f\u3099\u309a")
_DASH_RE = re.compile(r"[‐‑‒–—―−﹣－]|(?<=[0-9])ー|ー(?=[0-9])")
# What renders as nothing. Cf is listed by range where Python's re has no category class.
_INVISIBLE_CHARS = (
    "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"  # C0/C1 controls but tab, LF, FF, CR
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufff8\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` is the canonical form of ``original``; ``offsets[i]`` is where ``text[i]``
    came from (``offsets`` has one extra entry, for the end). ``None`` means identical.
    """

    text: str
    original: str
    offsets: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that produced ``text[start:end]``."""
        if self.offsets is None:
            return start, end
        if end <= start:
            return self.offsets[start], self.offsets[start]
        last = self.offsets[end - 1]
        stop = next((o for o in self.offsets[end:] if o > last), len(self.original))
        return self.offsets[start], stop


def normalize(original: str) -> NormalizedText:
    """Canonical form of ``original`` for matching; see the module docstring."""
    invisible = _INVISIBLE.search(original) is not None
    if original.isascii() and not invisible:
        return NormalizedText(original, original)
    if not invisible and unicodedata.is_normalized("NFKC", original):
        if _DASH_RE.search(original) is None:
            return NormalizedText(original, original)
        # Dashes map one character to one: the offsets stay the identity.
        return NormalizedText(_DASH_RE.sub("-", original), original)
    chars: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(original)
    while i < n:
        if invisible and _INVISIBLE.match(original, i):
            i += 1
            continue
        j = i + 1
        while j < n and (original[j] in _VOICING or unicodedata.combining(original[j])):
            j += 1
        for ch in unicodedata.normalize("NFKC", original[i:j]):
            chars.append(ch)
            offsets.append(i)
        i = j
    for k, ch in enumerate(chars):
        if ch in _DASHES or (ch == _PROLONGED and _beside_digit(chars, k)):
            chars[k] = "-"
    offsets.append(n)
    return NormalizedText("".join(chars), original, tuple(offsets))


def _beside_digit(chars: list[str], k: int) -> bool:
    before = chars[k - 1] if k > 0 else ""
    after = chars[k + 1] if k + 1 < len(chars) else ""
    return before.isdigit() or after.isdigit()


def fold(text: str) -> str:
    """The form context words are compared in: normalised and case-folded."""
    return normalize(text).text.casefold()
