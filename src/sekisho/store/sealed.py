"""Files kept encrypted at rest: AES-256-GCM with a fresh key per file, in chunks, so that a
25 MB attachment is served to ten recipients at once without being decrypted whole.

The key lives in the database, the sealed bytes in the blob store (a directory, or the
database's own ``blob_pieces`` with ``--blobs db``): a copy of either alone reveals
nothing. Each chunk has its own nonce (the file's random prefix and the
chunk's number) and authenticates its number and whether it is the last one (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár), so chunks cannot be reordered,
dropped or the file cut short without ``BlobDamaged``.

Layout: ``SKB1`` · nonce prefix (8 bytes) · chunks of ``CHUNK`` plaintext bytes, each
followed by its 16-byte tag (the last one shorter).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sekisho.errors import SekishoError
from sekisho.store.blobs import Blobs
from sekisho.store.spool import Spool

MAGIC = b"SKB1"
CHUNK = 1 << 20
_TAG = 16
_HEAD = len(MAGIC) + 8


class BlobDamaged(SekishoError):
    """A sealed file missing, cut short or altered on disk: nothing of it is served."""


def _aad(index: int, last: bool) -> bytes:
    return index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def seal(data: bytes) -> tuple[bytes, bytes]:
    """(key, sealed bytes) of ``data`` under a fresh 256-bit key."""
    key = AESGCM.generate_key(bit_length=256)
    return key, b"".join(_sealed_chunks(key, data))


def _sealed_chunks(key: bytes, data: bytes) -> Iterator[bytes]:
    """The sealed file piece by piece: one encrypted chunk in memory at a time."""
    aead = AESGCM(key)
    prefix = secrets.token_bytes(8)
    yield MAGIC + prefix
    view = memoryview(data)
    count = max(1, -(-len(data) // CHUNK))
    for index in range(count):
        chunk = view[index * CHUNK : (index + 1) * CHUNK]
        yield aead.encrypt(_nonce(prefix, index), chunk, _aad(index, index == count - 1))


def sealed_size(size: int) -> int:
    """The size on disk of ``size`` plaintext bytes (to tell a cut file from a whole one)."""
    return _HEAD + size + _TAG * max(1, -(-size // CHUNK))


class BlobStore:
    """Sealed files in a blob store (written durably, like the quarantine), read back in
    chunks. A ``Path`` means a directory of them."""

    def __init__(self, files: Blobs | Path) -> None:
        self._files: Blobs = Spool(files) if isinstance(files, Path) else files

    def put(self, name: str, data: bytes) -> bytes:
        """Seal and store ``data`` as ``name``; the key (for the database) is returned."""
        key = AESGCM.generate_key(bit_length=256)
        self._files.write_chunks(name, _sealed_chunks(key, data))
        return key

    def remove(self, name: str) -> None:
        self._files.remove(name)

    def intact(self, name: str, size: int) -> bool:
        """Whether ``name`` is there with the size ``size`` plaintext bytes seal to (the
        cheap check; only reading it proves every chunk authentic)."""
        return self._files.size(name) == sealed_size(size)

    def open(self, name: str, key: bytes, size: int) -> Iterator[bytes]:
        """The plaintext of ``name``, chunk by chunk. ``BlobDamaged`` before the first byte
        when the file is missing or its size is wrong; during the stream when a chunk does
        not authenticate (then what was sent is all the recipient gets)."""
        on_disk = self._files.size(name)
        if on_disk is None:
            raise BlobDamaged(f"{name}: missing")
        if on_disk != sealed_size(size):
            raise BlobDamaged(f"{name}: {on_disk} bytes stored, {sealed_size(size)} expected")
        try:
            handle = self._files.open(name)
        except FileNotFoundError as exc:
            raise BlobDamaged(f"{name}: missing") from exc
        head = handle.read(_HEAD)
        if head[:4] != MAGIC:
            handle.close()
            raise BlobDamaged(f"{name}: not a sealed file")
        # The first chunk is decrypted before the stream is handed out: a damaged file is
        # then an error page, not a truncated download.
        first = _decrypt_chunks(handle, AESGCM(key), head[4:], size, name)
        try:
            opening = next(first)
        except BaseException:
            handle.close()
            raise
        return _chain(opening, first, handle)


def _chain(opening: bytes, rest: Iterator[bytes], handle) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    try:
        yield opening
        yield from rest
    finally:
        handle.close()


def _decrypt_chunks(handle, aead: AESGCM, prefix: bytes, size: int, name: str) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    count = max(1, -(-size // CHUNK))
    for index in range(count):
        plain = min(CHUNK, size - index * CHUNK)
        chunk = handle.read(plain + _TAG)
        try:
            yield aead.decrypt(_nonce(prefix, index), chunk, _aad(index, index == count - 1))
        except InvalidTag as exc:
            raise BlobDamaged(f"{name}: chunk {index} does not authenticate") from exc
