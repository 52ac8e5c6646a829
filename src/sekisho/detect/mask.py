"""Masked excerpts: enough for a person to recognise the kind and place of a value,
never enough to recover it. Separators are kept so the shape stays readable
(``090-****-**78``)."""

from __future__ import annotations

import re

MASK = "*"
_ASCII_DIGIT = re.compile(r"[0-9]")


def mask_digits(value: str, *, head: int = 0, tail: int = 2) -> str:
    """Replace every digit but the first ``head`` and the last ``tail`` with ``*``."""
    if value.isascii():
        places = [m.start() for m in _ASCII_DIGIT.finditer(value)]
    else:  # what str.isdigit calls a digit: full-width, superscript, circled
        places = [i for i, ch in enumerate(value) if ch.isdigit()]
    total = len(places)
    if total <= head + tail:
        head, tail = 0, 0
    hidden = places[head : total - tail]
    if not hidden:
        return value
    chars = list(value)
    for i in hidden:
        chars[i] = MASK
    return "".join(chars)


def mask_email(value: str) -> str:
    """``t***@example.jp``: the domain tells which organisation, the person stays hidden."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_text(value: str, *, keep: int = 1) -> str:
    """Keep the first ``keep`` characters of a word, mask the rest (``鈴木 **``)."""
    return "".join(ch if i < keep or ch.isspace() else MASK for i, ch in enumerate(value))
