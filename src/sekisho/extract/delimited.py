"""CSV and TSV files in any of the encodings of ``textcodec``, kept as tables.

The delimiter is the one the first line uses most (the file name breaks ties); the header row is kept as a header so that "個人番号" above a column lends its
context to every cell below it.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import TablePart
from sekisho.extract.problems import ProblemCode
from sekisho.extract.sniff import delimiter_for
from sekisho.extract.textcodec import Decoded, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

csv.field_size_limit(16 * 1024 * 1024)


def read_delimited(walker: Walker, data: bytes, ctx: FileContext) -> None:
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        walker.problem(decoded.code, ctx.origin, decoded.detail)
        return
    text = decoded.text
    walker.budget.take_bytes(len(text))
    delim = _guess_delimiter(text, delimiter_for(ctx.name))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        walker.problem(ProblemCode.CORRUPT, ctx.origin, str(exc))
        return
    walker.part(
        TablePart(rows=rows, origin=ctx.origin, header_row=guess_header_row(rows), style="file")
    )


def _guess_delimiter(text: str, hint: str | None) -> str:
    """The separator the header line uses most; the name's promise breaks ties, because
    "CSV" files saved from Excel as Unicode text are tab-separated whatever their name."""
    first = text[: text.find("\n")] if "\n" in text[:8192] else text[:8192]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == hint))
    return best if counts[best] else (hint or ",")
