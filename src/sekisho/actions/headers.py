"""Headers stamped on every message that passes: which message it was and what policy
decided (GNU Mailman stamps rule hits the same way). Prepended to the raw bytes, so the
rest of the message leaves exactly as it came."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\r\n]")


def stamp(data: bytes, sekisho_id: str, verdict: str) -> bytes:
    return prepend(data, ("X-Sekisho-Id", sekisho_id), ("X-Sekisho-Verdict", verdict))


def prepend(data: bytes, *fields: tuple[str, str]) -> bytes:
    """Header lines in front of the message, in the message's own line ending: one copy
    of the message however many lines (a 35 MB message is not copied twice over)."""
    newline = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    lines = [
        f"{name}: {_UNSAFE.sub(' ', value)}".encode("ascii", "replace") + newline
        for name, value in fields
    ]
    return b"".join([*lines, data])
