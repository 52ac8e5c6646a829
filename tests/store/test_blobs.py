"""The blob store: one interface, a directory and the database behind it, the same answers
from both; sealed files over either detect a cut or altered file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from sekisho.store import Database, Spool
from sekisho.store.blobs import Blobs, DatabaseBlobs, held_files, link_files
from sekisho.store.models import BlobPiece
from sekisho.store.sealed import CHUNK, BlobDamaged, BlobStore

BIG = bytes(range(256)) * (CHUNK // 256) * 2 + b"tail"  # two pieces and a bit


@pytest.fixture(params=["directory", "sqlite", "postgresql"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Blobs:
    if request.param == "directory":
        return Spool(tmp_path / "files")
    if request.param == "sqlite":
        return DatabaseBlobs(Database(f"sqlite:///{tmp_path / 'b.db'}"), "links")
    url = request.getfixturevalue("postgres_cluster").new_database()
    return DatabaseBlobs(Database(url), "links")


def test_files_round_trip_whole_and_in_pieces(blobs: Blobs) -> None:
    blobs.write("a.eml", BIG)
    blobs.write_chunks("b.sealed", [b"head", b"", b"x" * 1000])
    blobs.write("empty", b"")
    assert blobs.read("a.eml") == BIG
    assert blobs.size("a.eml") == len(BIG)
    assert blobs.read("b.sealed") == b"head" + b"x" * 1000
    assert blobs.exists("empty") and blobs.read("empty") == b"" and blobs.size("empty") == 0
    handle = blobs.open("a.eml")
    pieces = [handle.read(3), handle.read(CHUNK), handle.read()]
    handle.close()
    assert b"".join(pieces) == BIG and len(pieces[1]) == CHUNK
    assert blobs.names() == {"a.eml", "b.sealed", "empty"}


def test_replacing_and_removing(blobs: Blobs) -> None:
    blobs.write("a.eml", BIG)
    blobs.write("a.eml", b"shorter")
    assert blobs.read("a.eml") == b"shorter" and blobs.size("a.eml") == 7
    blobs.remove("a.eml")
    blobs.remove("a.eml")  # twice is fine (a purge retried)
    assert not blobs.exists("a.eml") and blobs.size("a.eml") is None
    with pytest.raises(FileNotFoundError):
        blobs.read("a.eml")
    with pytest.raises(FileNotFoundError):
        blobs.open("a.eml")
    for bad in ("../x", ".hidden", "a/b"):
        with pytest.raises(ValueError):
            blobs.write(bad, b"x")


def test_a_write_that_fails_half_way_leaves_the_old_file(blobs: Blobs) -> None:
    blobs.write("a.eml", b"old")

    def failing() -> Iterator[bytes]:
        yield b"new, half"
        raise OSError("disk gone")

    with pytest.raises(OSError):
        blobs.write_chunks("a.eml", failing())
    assert blobs.read("a.eml") == b"old"
    assert blobs.names() == {"a.eml"}  # no temporary file or stray piece is a name


def test_areas_of_the_database_are_apart(database_url: str, tmp_path: Path) -> None:
    database = Database(database_url)
    held = held_files(database, tmp_path / "spool", "db")
    links = link_files(database, "db")
    assert isinstance(held, DatabaseBlobs) and isinstance(links, DatabaseBlobs)
    held.write("x", b"held")
    links.write("x", b"link")
    assert held.read("x") == b"held" and links.read("x") == b"link"
    links.remove("x")
    assert held.read("x") == b"held"
    # Anything else names directories; a Path called db is a directory, not the database.
    assert isinstance(link_files(database, tmp_path / "db"), Spool)
    assert isinstance(held_files(database, tmp_path / "spool", str(tmp_path / "b")), Spool)


def test_sealed_files_in_the_database_detect_damage(database_url: str) -> None:
    database = Database(database_url)
    store = BlobStore(DatabaseBlobs(database, "links"))
    key = store.put("f.sealed", BIG)
    assert b"".join(store.open("f.sealed", key, len(BIG))) == BIG
    with database.session() as session:
        stored = session.query(BlobPiece).filter_by(name="f.sealed").count()
    assert stored == 1 + 3  # the head, then one piece per sealed chunk
    assert BIG[:64] not in DatabaseBlobs(database, "links").read("f.sealed")

    with database.session() as session:  # one byte of the second chunk altered
        piece = session.get(BlobPiece, ("links", "f.sealed", 2))
        assert piece is not None
        altered = bytes([piece.data[0] ^ 1]) + piece.data[1:]
        session.execute(
            update(BlobPiece)
            .where(BlobPiece.name == "f.sealed", BlobPiece.seq == 2)
            .values(data=altered)
        )
    with pytest.raises(BlobDamaged):
        b"".join(store.open("f.sealed", key, len(BIG)))

    with database.session() as session:  # the last chunk gone: cut short
        session.execute(delete(BlobPiece).where(BlobPiece.seq == 3))
    with pytest.raises(BlobDamaged, match="expected"):
        store.open("f.sealed", key, len(BIG))
    store.remove("f.sealed")
    with pytest.raises(BlobDamaged, match="missing"):
        store.open("f.sealed", key, len(BIG))
