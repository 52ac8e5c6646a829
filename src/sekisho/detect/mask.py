"""Masked excerpts: enough for a person to recognise the kind and place of a value,
never enough to recover it. Separators are kept so the shape stays readable
(``090-****-**78``)."""

from __future__ import annotations

MASK = "*"


def mask_digits(value: str, *, head: int = 0, tail: int = 2) -> str:
    """Replace every digit but the first ``head`` and the last ``tail`` with ``*``."""
    total = sum(ch.isdigit() for ch in value)
    if total <= head + tail:
        head, tail = 0, 0
    seen = 0
    out = []
    for ch in value:
        if ch.isdigit():
            seen += 1
            keep = seen <= head or seen > total - tail
            out.append(ch if keep else MASK)
        else:
            out.append(ch)
    return "".join(out)


def mask_email(value: str) -> str:
    """``t***@example.jp``: the domain tells which organisation, the person stays hidden."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_text(value: str, *, keep: int = 1) -> str:
    """Keep the first ``keep`` characters of a word, mask the rest (``鈴木 **``)."""
    return "".join(ch if i < keep or ch.isspace() else MASK for i, ch in enumerate(value))
