"""CSV and TSV files in any of the encodings of ``textcodec``, kept as tables.

The delimiter is the one the first line uses most (the file name breaks ties); the header row is kept as a header so that "個人番号" above a column lends its
context to every cell below it.
"""

from __future__ import annotations

import csv
import io

from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import Extraction, TablePart
from sekisho.extract.problems import Problem, ProblemCode
from sekisho.extract.textcodec import Decoded, decode_text

csv.field_size_limit(16 * 1024 * 1024)


def read_delimited(data: bytes, delimiter: str | None = None) -> Extraction:
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        return Extraction("csv", problems=[Problem(decoded.code, "", decoded.detail)])
    text = decoded.text
    delim = _guess_delimiter(text, delimiter)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        return Extraction("csv", problems=[Problem(ProblemCode.CORRUPT, "", str(exc))])
    table = TablePart(rows=rows, header_row=guess_header_row(rows), sheet_style=False)
    return Extraction("csv", parts=[table])


def _guess_delimiter(text: str, hint: str | None) -> str:
    """The separator the header line uses most; the name's promise breaks ties, because
    "CSV" files saved from Excel as Unicode text are tab-separated whatever their name."""
    first = text[: text.find("\n")] if "\n" in text[:8192] else text[:8192]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == hint))
    return best if counts[best] else (hint or ",")
