"""CSV and TSV files in any of the encodings of ``textcodec``, kept as tables.

The delimiter is the one the first line uses most (the file name breaks ties); the header row is kept as a header so that "個人番号" above a column lends its
context to every cell below it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import TablePart
from sekisho.extract.problems import ProblemCode
from sekisho.extract.sniff import delimiter_for
from sekisho.extract.textcodec import STREAM_BYTES, Decoded, decode_text, stream_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

csv.field_size_limit(16 * 1024 * 1024)


def read_delimited(walker: Walker, data: bytes, ctx: FileContext) -> None:
    streamed = stream_text(data) if len(data) >= STREAM_BYTES else None
    if streamed is not None:  # a large file: its text a megabyte at a time
        _, pieces = streamed
        walker.budget.take_bytes(len(data))  # no fewer characters than bytes
        head = next(pieces, "")
        lines = _lines_across(head, pieces)
    else:
        decoded = decode_text(data)
        if not isinstance(decoded, Decoded):
            walker.problem(decoded.code, ctx.origin, decoded.detail)
            return
        head = decoded.text
        walker.budget.take_bytes(len(head))
        # Lines are cut lazily from the text: io.StringIO would copy it into a buffer of
        # four bytes a character, and a 25 MB CSV is then 100 MB before a row is read.
        lines = _lines(head)
        del decoded
    reader = csv.reader(lines, delimiter=guess_delimiter(head, delimiter_for(ctx.name)))
    del head
    try:
        emit_chunks(walker, reader, ctx.origin, "file")
    except csv.Error as exc:
        walker.problem(ProblemCode.CORRUPT, ctx.origin, str(exc))


def _lines(text: str) -> Iterator[str]:
    start, end = 0, len(text)
    find = text.find
    while start < end:
        stop = find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


def _lines_across(first: str, pieces: Iterator[str]) -> Iterator[str]:
    """The lines of text that comes in pieces (a line may span two)."""
    tail = first
    for piece in pieces:
        text = tail + piece
        cut = text.rfind("\n") + 1
        yield from _lines(text[:cut])
        tail = text[cut:]
    yield from _lines(tail)


def emit_chunks(
    walker: Walker,
    rows: Iterator[list],
    origin: str,
    style: str,
    row_offset: int = 0,
    col_offset: int = 0,
) -> None:
    """Hand a long table on in chunks of CHUNK_ROWS rows, the header row repeated at the
    top of each, with offsets that keep every cell's place (``C460001``). Memory is then
    bounded by a chunk, not by the table, when the parts are consumed as they come."""
    first = list(islice(rows, CHUNK_ROWS))
    if not first:
        return
    header_row = guess_header_row(first)
    walker.part(
        TablePart(
            rows=first,
            origin=origin,
            header_row=header_row,
            row_offset=row_offset,
            col_offset=col_offset,
            style=style,
        )
    )
    header = first[header_row] if header_row is not None else None
    start = len(first)
    del first
    while chunk := list(islice(rows, CHUNK_ROWS)):
        if header is not None:
            chunk.insert(0, header)
            part = TablePart(
                rows=chunk,
                origin=origin,
                header_row=0,
                row_offset=row_offset + start - 1,
                col_offset=col_offset,
                style=style,
            )
        else:
            part = TablePart(
                rows=chunk,
                origin=origin,
                header_row=None,
                row_offset=row_offset + start,
                col_offset=col_offset,
                style=style,
            )
        walker.part(part)
        start += len(chunk) - (1 if header is not None else 0)


CHUNK_ROWS = 10_000  # rows per table part: the scan of a 25 MB CSV holds one chunk at a time


def guess_delimiter(text: str, hint: str | None) -> str:
    """The separator the header line uses most; the name's promise breaks ties, because
    "CSV" files saved from Excel as Unicode text are tab-separated whatever their name."""
    first = text[: text.find("\n")] if "\n" in text[:8192] else text[:8192]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == hint))
    return best if counts[best] else (hint or ",")
