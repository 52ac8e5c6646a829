"""Masked excerpts: enough for a person to recognise the kind and place of a value,
never enough to recover it. Separators are kept so the shape stays readable
(``090-****-**78``)."""

from __future__ import annotations

MASK = "*"
_DIGITS = "0123456789"
_HIDE_DIGITS = str.maketrans(_DIGITS, MASK * 10)
_DROP_DIGITS = str.maketrans("", "", _DIGITS)


def mask_digits(value: str, *, head: int = 0, tail: int = 2) -> str:
    """Replace every digit but the first ``head`` and the last ``tail`` with ``*``."""
    if value.isascii():
        return _mask_ascii_digits(value, head, tail)
    # what str.isdigit calls a digit: full-width, superscript, circled
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


def _mask_ascii_digits(value: str, head: int, tail: int) -> str:
    """``mask_digits`` of an ASCII value in C-speed string operations (a roster's JSON
    report masks tens of thousands of numbers)."""
    total = len(value) - len(value.translate(_DROP_DIGITS))
    if total <= head + tail:
        head, tail = 0, 0
    if total - head - tail <= 0:
        return value
    start = 0
    for _ in range(head):  # just past the head-th digit
        start = _next_digit(value, start) + 1
    end = len(value)
    for _ in range(tail):  # at the first of the last ``tail`` digits
        end = _last_digit(value, end)
    return value[:start] + value[start:end].translate(_HIDE_DIGITS) + value[end:]


def _next_digit(value: str, start: int) -> int:
    while value[start] not in _DIGITS:
        start += 1
    return start


def _last_digit(value: str, end: int) -> int:
    end -= 1
    while value[end] not in _DIGITS:
        end -= 1
    return end


def mask_email(value: str) -> str:
    """``t***@example.jp``: the domain tells which organisation, the person stays hidden."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_text(value: str, *, keep: int = 1) -> str:
    """Keep the first ``keep`` characters of a word, mask the rest (``鈴木 **``)."""
    return "".join(ch if i < keep or ch.isspace() else MASK for i, ch in enumerate(value))
