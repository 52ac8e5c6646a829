"""CSV and TSV files in any of the encodings of ``textcodec``, kept as tables.

The delimiter comes from the file name when it promises one, otherwise from the first
lines; the header row is kept as a header so that "個人番号" above a column lends its
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
    delim = delimiter or _guess_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        return Extraction("csv", problems=[Problem(ProblemCode.CORRUPT, "", str(exc))])
    table = TablePart(rows=rows, header_row=guess_header_row(rows), sheet_style=False)
    return Extraction("csv", parts=[table])


def _guess_delimiter(text: str) -> str:
    head = text[:8192]
    counts = {d: head.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
