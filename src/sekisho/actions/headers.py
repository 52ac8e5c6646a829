"""Headers stamped on every message that passes: which message it was and what policy
decided (GNU Mailman stamps rule hits the same way). Prepended to the raw bytes, so the
rest of the message leaves exactly as it came."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\r\n]")


def stamp(data: bytes, sekisho_id: str, verdict: str) -> bytes:
    data = prepend(data, "X-Sekisho-Verdict", verdict)
    return prepend(data, "X-Sekisho-Id", sekisho_id)


def prepend(data: bytes, name: str, value: str) -> bytes:
    """One header line in front of the message, in the message's own line ending."""
    newline = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    line = f"{name}: {_UNSAFE.sub(' ', value)}".encode("ascii", "replace")
    return line + newline + data
