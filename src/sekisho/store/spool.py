"""The quarantine: held and delayed messages as files, written durably. Also the directory
backend of every ``store.blobs.Blobs`` (the sealed files of links live in one too).

"Durably" means the bytes reached the disk before the gateway says 250: written to a
temporary name, fsync'd, renamed, and the directory fsync'd so the rename survives a
crash too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO


class Spool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        # The quarantine holds the raw originals: the service's user only.
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)

    def path(self, name: str) -> Path:
        if "/" in name or name.startswith("."):
            raise ValueError(f"bad spool name {name!r}")
        return self.directory / name

    def write(self, name: str, data: bytes) -> Path:
        return self.write_chunks(name, (data,))

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> Path:
        """``write`` of bytes that come in pieces (a sealed file chunk by chunk), never
        joined in memory."""
        final = self.path(name)
        temporary = final.with_name(f".{name}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for data in chunks:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        temporary.replace(final)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return final

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def open(self, name: str) -> BinaryIO:
        return self.path(name).open("rb")

    def size(self, name: str) -> int | None:
        try:
            return self.path(name).stat().st_size
        except FileNotFoundError:
            return None

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def remove(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def names(self) -> set[str]:
        return {p.name for p in self.directory.iterdir() if not p.name.startswith(".")}
