"""Addresses split over adjacent columns of one row.

Registers and application forms keep an address in parts: 都道府県 | 市区町村 | 町名・番地 |
建物, or ``jusho1 .. jusho5``, or 住所 followed by unnamed columns. No part is an address on
its own (東京都 is a prefecture, 千代田1-1 is a block number), so column-by-column
classification finds none of them. A run starts at a column whose cells are place names
from the gazetteer (a prefecture, a municipality, or both) and ends at the first column
after which the joined cells read as an address; columns right after it whose header names
a further part (建物, 方書, 番地, or the same header with the next number, or none) join too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sekisho.detect.headers import names_something_else
from sekisho.detect.normalize import normalize

if TYPE_CHECKING:
    from sekisho.detect.recognizers.address import AddressRecognizer

MAX_PARTS = 5
SAMPLE_ROWS = 40
RUN_SHARE = 0.6  # of sampled rows whose first part is a place and whose parts join
_PART_HEADER = re.compile(
    r"建物|方書|番地|丁目|町名|町域|大字|字|マンション|アパート|部屋|号室|building|apt|room|street|line"
)
_NUMBERED = re.compile(r"^(.*?)[ _-]?[0-9０-９]+$")
# A house number, not only a district: population tables list 大和町 | 1丁目 by district,
# and a district is nobody's address.
_HOUSE = re.compile(
    r"[0-9０-９一二三四五六七八九十]\s*(?:-|－|番|号|の)\s*[0-9０-９一二三四五六七八九十]|番地"
)
_ADDRESS_HEADER = re.compile(r"住所|所在|address|jusho|juusho|addr")


def cell_str(cell: object) -> str:
    if cell is None or isinstance(cell, bool | float):
        return ""
    return str(cell).strip()


def joined(row: Sequence[object], start: int, end: int) -> str:
    """The parts of one row's address as one string, a space between parts."""
    return " ".join(t for cell in row[start:end] if (t := cell_str(cell)))


def address_runs(
    recognizer: AddressRecognizer, data: Sequence[Sequence[object]], headers: Sequence[str]
) -> list[tuple[int, int]]:
    """``(first column, past the last column)`` of every split address in ``data``."""
    width = max((len(r) for r in data), default=0)
    step = max(1, len(data) // SAMPLE_ROWS)
    sample = list(data[::step][:SAMPLE_ROWS])
    runs: list[tuple[int, int]] = []
    c = 0
    while c < width - 1:
        end = _run_from(recognizer, sample, headers, c, width)
        if end is None:
            c += 1
            continue
        runs.append((c, end))
        c = end
    return runs


def _run_from(
    recognizer: AddressRecognizer,
    sample: list[Sequence[object]],
    headers: Sequence[str],
    c: int,
    width: int,
) -> int | None:
    header = headers[c] if c < len(headers) else ""
    if names_something_else(header):
        return None
    rows = [r for r in sample if c < len(r) and cell_str(r[c])]
    if len(rows) < 2:
        return None
    places = sum(1 for r in rows if _is_place(recognizer, cell_str(r[c])))
    if places < RUN_SHARE * len(rows):
        return None
    for end in range(c + 2, min(width, c + MAX_PARTS) + 1):
        fits = sum(
            1
            for r in rows
            if _HOUSE.search(text := joined(r, c, end)) and recognizer.cell_value(text, text)
        )
        if fits >= RUN_SHARE * len(rows):
            return _absorb_parts(headers, c, end, width)
    return None


def _is_place(recognizer: AddressRecognizer, text: str) -> bool:
    """東京都, 千代田区, 東京都千代田区 (and not a whole address: that one needs no run)."""
    places = recognizer.places
    text = normalize(text).text
    pref = places.prefecture_at(text, 0) or ""
    rest = text[len(pref) :].strip()
    if not rest:
        return bool(pref)
    return places.municipality_at(rest, 0) == rest


def _absorb_parts(headers: Sequence[str], c: int, end: int, width: int) -> int:
    """Columns right after the run that hold further parts, by their headers."""
    first = headers[c] if c < len(headers) else ""
    stem = _NUMBERED.match(first)
    while end < width and end - c < MAX_PARTS:
        header = headers[end] if end < len(headers) else ""
        numbered = _NUMBERED.match(header)
        if not (
            (header == "" and _ADDRESS_HEADER.search(first) is not None)
            or _PART_HEADER.search(header)
            or (stem is not None and numbered is not None and numbered[1] == stem[1])
        ):
            break
        end += 1
    return end
