"""Limits that keep extraction bounded by settings rather than by what an attacker sends.

A file past a limit is unscannable with the limit named, never partly scanned in silence.
The defaults fit a mail gateway: a 25 MB attachment is read whole, a 42.zip or a 10 GB
member is refused before it is inflated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 64 * MiB  # the file or message handed to the scanner
    max_part_bytes: int = 64 * MiB  # one member of an archive, one attachment, one sheet's XML
    max_total_bytes: int = 256 * MiB  # everything inflated from one file
    max_ratio: int = 200  # inflated / compressed, for members over 1 MiB
    max_depth: int = 5  # archive in archive in mail …
    max_parts: int = 10_000  # members, attachments, sheets
    max_seconds: float = 30.0  # wall time for one file
    max_cells: int = 4_000_000  # one sheet's grid, A1 to its last cell (rows × columns)


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """Raised inside extraction when a limit is hit; becomes a ``too-large`` problem where
    it happened, and stops the reading of that part only (one oversized member does not
    keep the others of its archive from being read)."""


class Aborted(LimitExceeded):
    """A limit of the whole file (total inflated bytes, parts, time) or the signature of a
    bomb (an absurd compression ratio): reading stops everywhere, and the file is
    unscannable with this one reason."""


@dataclass(slots=True)
class Budget:
    """What one scan may still spend: inflated bytes, parts and time."""

    limits: Limits
    spent_bytes: int = 0
    parts: int = 0
    started: float = field(default_factory=time.monotonic)

    def take_bytes(self, amount: int) -> None:
        if amount > self.limits.max_part_bytes:
            raise LimitExceeded(
                f"a part of {amount:,} bytes exceeds {self.limits.max_part_bytes:,}"
            )
        self.spent_bytes += amount
        if self.spent_bytes > self.limits.max_total_bytes:
            raise Aborted(f"more than {self.limits.max_total_bytes:,} bytes inflated in all")

    def take_part(self) -> None:
        self.parts += 1
        if self.parts > self.limits.max_parts:
            raise Aborted(f"more than {self.limits.max_parts:,} parts")
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.max_seconds:
            raise Aborted(f"more than {self.limits.max_seconds:g} s spent on one file")

    def check_ratio(self, inflated: int, compressed: int) -> None:
        if inflated > MiB and inflated > self.limits.max_ratio * max(compressed, 1):
            raise Aborted(
                f"compression ratio {inflated // max(compressed, 1):,}:1 exceeds "
                f"{self.limits.max_ratio}:1 (a compression bomb)"
            )
