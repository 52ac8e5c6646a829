"""Where files live: the quarantine's originals and the sealed files of download links.

One interface (``Blobs``), two backends:

- a directory (``store.spool.Spool``, the default): each file written durably (fsync,
  rename, fsync of the directory); several hosts share it as a mount;
- the database itself (``DatabaseBlobs``, ``--blobs db``): each file as rows of pieces in
  ``blob_pieces``, written in one transaction, so that several hosts need nothing but
  PostgreSQL and a file is as durable, replicated and backed up as the row that names it.

Both write whole files atomically (a reader sees the old file or the new one) and read
them back piece by piece, so a 25 MB attachment is never in memory twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import delete, func, insert, select

from sekisho.store.database import Database
from sekisho.store.models import BlobPiece
from sekisho.store.spool import Spool

IN_DATABASE = "db"  # the value of ``--blobs`` that keeps files in the database
_PIECE = 1 << 20  # pieces written by ``write``; ``write_chunks`` keeps its callers' pieces


class Blobs(Protocol):
    def write(self, name: str, data: bytes) -> object: ...

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> object: ...

    def read(self, name: str) -> bytes: ...

    def open(self, name: str) -> BinaryIO:
        """The file for reading (``read(n)``, ``close()``); FileNotFoundError if absent."""
        ...

    def size(self, name: str) -> int | None: ...

    def exists(self, name: str) -> bool: ...

    def remove(self, name: str) -> None: ...

    def names(self) -> set[str]: ...


class DatabaseBlobs:
    """Files as pieces in ``blob_pieces`` under ``area`` (one area per kind of file)."""

    def __init__(self, database: Database, area: str) -> None:
        self.database = database
        self.area = area

    def _this(self, name: str):  # type: ignore[no-untyped-def]
        return (BlobPiece.area == self.area, BlobPiece.name == _checked(name))

    def write(self, name: str, data: bytes) -> None:
        view = memoryview(data)
        self.write_chunks(name, (view[i : i + _PIECE] for i in range(0, max(len(view), 1), _PIECE)))

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        """The whole file in one transaction (replacing an earlier one of that name): on
        commit it is there whole, on any failure not at all."""
        with self.database.session() as session:
            session.execute(delete(BlobPiece).where(*self._this(name)))
            seq = 0
            for chunk in chunks:
                session.execute(
                    insert(BlobPiece),
                    {"area": self.area, "name": name, "seq": seq, "data": bytes(chunk)},
                )
                seq += 1
            if seq == 0:  # an empty file is still a file
                session.execute(
                    insert(BlobPiece), {"area": self.area, "name": name, "seq": 0, "data": b""}
                )

    def read(self, name: str) -> bytes:
        """The whole file, read in one transaction (a replacement meanwhile is not mixed in)."""
        with self.database.reading() as session:
            pieces = list(
                session.scalars(
                    select(BlobPiece.data).where(*self._this(name)).order_by(BlobPiece.seq)
                )
            )
        if not pieces:
            raise FileNotFoundError(f"{self.area}/{name}")
        return b"".join(pieces)

    def open(self, name: str) -> BinaryIO:
        count = self._pieces(name)
        if count == 0:
            raise FileNotFoundError(f"{self.area}/{name}")
        return _PieceReader(self, name, count)  # type: ignore[return-value]

    def _pieces(self, name: str) -> int:
        with self.database.reading() as session:
            return session.scalar(select(func.count()).where(*self._this(name))) or 0

    def piece(self, name: str, seq: int) -> bytes | None:
        with self.database.reading() as session:
            return session.scalar(
                select(BlobPiece.data).where(*self._this(name), BlobPiece.seq == seq)
            )

    def size(self, name: str) -> int | None:
        with self.database.reading() as session:
            count, total = session.execute(
                select(func.count(), func.sum(func.length(BlobPiece.data))).where(*self._this(name))
            ).one()
        return None if count == 0 else int(total or 0)

    def exists(self, name: str) -> bool:
        return self._pieces(name) > 0

    def remove(self, name: str) -> None:
        with self.database.session() as session:
            session.execute(delete(BlobPiece).where(*self._this(name)))

    def names(self) -> set[str]:
        with self.database.reading() as session:
            return set(
                session.scalars(
                    select(BlobPiece.name).where(BlobPiece.area == self.area).distinct()
                )
            )


class _PieceReader:
    """A read-only file over a stored file's pieces, fetching one piece at a time. A file
    removed or replaced while it is read comes out short or altered, which the sealed
    format detects (``BlobDamaged``): only sealed files are streamed; originals are read
    whole in one transaction (``DatabaseBlobs.read``)."""

    def __init__(self, blobs: DatabaseBlobs, name: str, count: int) -> None:
        self._blobs = blobs
        self._name = name
        self._count = count
        self._next = 0
        self._buffer = bytearray()

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and self._next < self._count:
            piece = self._blobs.piece(self._name, self._next)
            self._next += 1
            if piece is None:  # removed meanwhile: what is left is all there is
                self._next = self._count
                break
            self._buffer += piece
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def close(self) -> None:
        self._buffer = bytearray()
        self._next = self._count

    def __enter__(self) -> _PieceReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _checked(name: str) -> str:
    if "/" in name or name.startswith(".") or not name or len(name) > 200:
        raise ValueError(f"bad blob name {name!r}")
    return name


def held_files(database: Database, spool_dir: Path, blobs: str | Path) -> Blobs:
    """The quarantine as ``--spool`` and ``--blobs`` name it: with ``--blobs db`` in the
    database (``--spool`` is then unused), otherwise the spool directory."""
    return DatabaseBlobs(database, "held") if _in_database(blobs) else Spool(Path(spool_dir))


def link_files(database: Database, blobs: str | Path) -> Blobs:
    """Where the sealed files of links live: ``--blobs db`` the database, otherwise that
    directory (``./db`` names a directory called db)."""
    return DatabaseBlobs(database, "links") if _in_database(blobs) else Spool(Path(blobs))


def journal_files(database: Database, blobs: str | Path) -> Blobs:
    """Where the journal's sealed copies live: ``--blobs db`` the database, otherwise
    ``journal`` beside the links' directory (var/blobs → var/journal)."""
    if _in_database(blobs):
        return DatabaseBlobs(database, "journal")
    return Spool(Path(blobs).parent / "journal")


def _in_database(blobs: str | Path) -> bool:
    return isinstance(blobs, str) and blobs == IN_DATABASE
