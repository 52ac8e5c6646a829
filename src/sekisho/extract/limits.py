"""Limits that keep extraction bounded by settings rather than by what an attacker sends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Safe defaults; a file past a limit is unscannable, never partly scanned in silence."""

    max_file_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = Limits()
