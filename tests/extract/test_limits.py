"""Limits: a bomb stops everything, one oversized member stops only itself."""

import io
import zipfile

from sekisho.extract import Limits, ProblemCode, extract_bytes
from tests.extract.builders import ROSTER_TEXT, zip_bytes


def _deflated(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_compression_bomb_aborts_the_whole_file() -> None:
    bomb = _deflated({"zeros.bin": bytes(8 * 1024 * 1024)})
    data = zip_bytes(
        {"a.txt": ROSTER_TEXT.encode(), "inner/bomb.zip": bomb, "z.txt": ROSTER_TEXT.encode()}
    )
    extraction = extract_bytes(data, "outer.zip")
    assert [p.code for p in extraction.problems] == [ProblemCode.TOO_LARGE]
    assert "compression bomb" in extraction.problems[0].detail
    assert extraction.problems[0].location == ""  # reported once, for the file


def test_one_oversized_member_does_not_hide_the_others() -> None:
    limits = Limits(max_part_bytes=1000)
    data = zip_bytes({"big.txt": b"x" * 5000, "small.txt": ROSTER_TEXT.encode()})
    extraction = extract_bytes(data, "a.zip", limits)
    assert [(p.code, p.location) for p in extraction.problems] == [
        (ProblemCode.TOO_LARGE, "big.txt")
    ]
    assert [p.origin for p in extraction.parts] == ["small.txt"]


def test_parts_limit() -> None:
    data = zip_bytes({f"{i}.txt": b"hello" for i in range(50)})
    extraction = extract_bytes(data, "many.zip", Limits(max_parts=20))
    assert [p.code for p in extraction.problems] == [ProblemCode.TOO_LARGE]
    assert "parts" in extraction.problems[0].detail


def test_lying_header_cannot_inflate_past_what_it_declared() -> None:
    honest = _deflated({"a.txt": b"A" * 200_000})
    lying = bytearray(honest)
    # Shrink the declared size in the central directory: zipfile then stops at that size
    # and the CRC no longer matches — the member is damaged, not silently truncated.
    pos = lying.find(b"PK\x01\x02")
    lying[pos + 24 : pos + 28] = (1000).to_bytes(4, "little")
    extraction = extract_bytes(bytes(lying), "a.zip")
    assert [p.code for p in extraction.problems] == [ProblemCode.CORRUPT]
