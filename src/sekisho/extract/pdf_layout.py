"""A PDF page's text with its tables laid out as tab-separated rows.

pdfium's text of a page puts a table's cells on one line with single spaces between them
and drops empty cells, so "山田 太郎 1950/01/02" loses which column a value is in, and a
list exported from Excel reads as running text with no labels. From the characters'
positions we rebuild it: characters into lines by baseline, lines into segments where the
gap is wider than a character, segments into columns where the segments of many lines
overlap (left-aligned text and right-aligned numbers of one column share its band). Rows
of a block of at least ``MIN_COLUMNS`` columns become tab-separated lines, which
``extract.structured`` reads as a table; every other line stays as pdfium would give it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

MIN_COLUMNS = 3  # two-column prose (a newsletter) is not a table
MIN_ROWS = 3
MAX_CHARS = 200_000  # a page with more is read as plain text
_BREAKS = frozenset({0x0A, 0x0D})
_SPACES = frozenset({0x20, 0x3000, 0x09, 0xA0})


@dataclass(slots=True)
class _Segment:
    left: float
    right: float
    text: str


@dataclass(slots=True)
class _Line:
    bottom: float
    top: float
    segments: list[_Segment]


def page_text(textpage: pypdfium2.PdfTextPage) -> str | None:
    """The page's lines, table rows as tab-separated cells; None when the page has no
    table (the caller keeps pdfium's own text)."""
    count = textpage.count_chars()
    if count == 0 or count > MAX_CHARS:
        return None
    lines = _lines(textpage, count)
    bands = _bands([line for line in lines if len(line.segments) >= 2])
    if len(bands) < MIN_COLUMNS:
        return None
    rows = [_row(line, bands) for line in lines]
    tabled = _table_lines(lines, rows, len(bands))
    if not tabled:
        return None
    out = []
    for i, line in enumerate(lines):
        out.append("\t".join(rows[i]) if i in tabled else " ".join(s.text for s in line.segments))
    return "\n".join(out)


def _lines(textpage: pypdfium2.PdfTextPage, count: int) -> list[_Line]:
    raw = textpage.raw
    lines: list[_Line] = []
    current: _Line | None = None
    chars: list[str] = []
    seg_left = seg_right = 0.0
    previous: float | None = None  # right edge of the last character placed

    def close_segment() -> None:
        if current is not None and chars:
            text = "".join(chars).strip()
            if text:
                current.segments.append(_Segment(seg_left, seg_right, text))
        chars.clear()

    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in _BREAKS or (pdfium_c.FPDFText_IsGenerated(raw, i) and code in _SPACES):
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        middle, height = (bottom + top) / 2, max(top - bottom, 1.0)
        if (
            current is None
            or not current.bottom <= middle <= current.top
            or (previous is not None and left < previous - height)  # back to the left
        ):
            close_segment()
            current = _Line(bottom, top, [])
            lines.append(current)
        elif previous is not None and left - previous > 0.8 * height:  # a cell's gap
            close_segment()
        previous = right
        if not chars:
            if code in _SPACES:
                continue
            seg_left = left
        chars.append(chr(code))
        seg_right = right
    close_segment()
    return [line for line in lines if line.segments]


def _bands(lines: list[_Line]) -> list[tuple[float, float]]:
    """Column bands: the union of overlapping segment spans of multi-segment lines."""
    spans = sorted((s.left, s.right) for line in lines for s in line.segments)
    bands: list[list[float]] = []
    for left, right in spans:
        if bands and left <= bands[-1][1] + 1.0:
            bands[-1][1] = max(bands[-1][1], right)
        else:
            bands.append([left, right])
    return [(a, b) for a, b in bands]


def _row(line: _Line, bands: list[tuple[float, float]]) -> list[str]:
    """The line's segments in their column slots ("" for an empty cell); a segment that
    spans several bands (a title) makes the line no row."""
    slots = [""] * len(bands)
    for segment in line.segments:
        hit = [k for k, (a, b) in enumerate(bands) if segment.left < b and segment.right > a]
        if len(hit) != 1:
            return []
        k = hit[0]
        slots[k] = f"{slots[k]} {segment.text}".strip()
    return slots


def _table_lines(lines: list[_Line], rows: list[list[str]], width: int) -> set[int]:
    """Indexes of lines in runs of at least MIN_ROWS rows, most with two or more cells."""
    tabled: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and rows[j] and len(rows[j]) == width:
            j += 1
        run = range(i, j)
        if len(run) >= MIN_ROWS and sum(len(lines[k].segments) >= 2 for k in run) * 2 > len(run):
            tabled.update(run)
        i = max(j, i + 1)
    return tabled
