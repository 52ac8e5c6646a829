"""Helpers shared by the recognizers of fixed-length number identifiers in table cells."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー－]")
_ALL_DIGITS = re.compile(r"[0-9]+")


def cell_digits(cell: object, text: str, length: int, *, zero_pad: bool = True) -> str | None:
    """The cell as exactly ``length`` digits, or None.

    Excel drops leading zeros of numbers typed as numbers (0001234567 → 1234567); under a
    header that names the identifier they are padded back. Separators are ignored; full-width
    digits are read as digits.
    """
    if isinstance(cell, int) and not isinstance(cell, bool):
        if 0 <= cell < 10**length and (zero_pad or cell >= 10 ** (length - 1)):
            return f"{cell:0{length}d}"
        return None
    if isinstance(cell, float):
        return (
            cell_digits(int(cell), text, length, zero_pad=zero_pad) if cell.is_integer() else None
        )
    if not isinstance(cell, str):
        return None
    digits = _SEPARATORS.sub("", text)
    if not digits.isascii():
        digits = digits.translate(_WIDE)
    if len(digits) == length and _ALL_DIGITS.fullmatch(digits):
        return digits
    return None


_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
