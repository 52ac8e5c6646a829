"""Tables, column first: classify each column, then validate its cells.

Running every pattern over every cell of a 7,203-row roster is slow and noisy. A column
is instead classified once, by its header (氏名, 生年月日, 被保険者番号, Name, …) or, when it
has none, by a sample of its values; then each of its cells is checked against that one
entity. A header never stands alone: most sampled values must fit too, so a column
headed 要介護1 over counts is not a care level. Columns that fit nothing are read cell by
cell as short texts, with the header and the cell to the left as context.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import zip_longest
from typing import TYPE_CHECKING

from sekisho.detect.address_columns import address_runs, joined
from sekisho.detect.columns import ColumnHits
from sekisho.detect.entities import (
    ADDRESS,
    CONTACT,
    DESCRIBING,
    IDENTIFYING,
    PERSON_NAME,
    PHONE_NUMBER,
    may_be_person,
)
from sekisho.detect.finding import Explanation, Finding, subject_key
from sekisho.detect.headers import describes_a_thing, names_a_thing, names_something_else
from sekisho.detect.inputs import TableLike, cell_text
from sekisho.detect.normalize import fold, normalize
from sekisho.detect.recognizer import Recognizer
from sekisho.detect.records import STRONG
from sekisho.detect.scoring import CONTEXT_BOOST, finding_of, folded_words
from sekisho.detect.text_rules import mentions_in_prose

if TYPE_CHECKING:
    from sekisho.detect.analyzer import Detector

SAMPLE_SIZE = 40
HEADER_SHARE = 0.5  # share of sampled cells that must fit a column named by its header
MIN_VALUE_SAMPLE = 3  # below this, values alone never classify a column
_LABEL_MAX = 40


@dataclass(frozen=True, slots=True)
class _Choice:
    recognizer: Recognizer
    share: float
    sampled: int
    header_words: tuple[str, ...]


@cache
def _header_words(recognizer: type[Recognizer]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        tuple(fold(w) for w in recognizer.header_words),
        tuple(fold(w) for w in recognizer.header_exclude),
    )


def analyze_table(
    detector: Detector, table: TableLike, index: int
) -> tuple[list[Finding], list[ColumnHits]]:
    rows = table.rows
    head = table.header_row
    if head is not None and _first_record_not_header(detector, rows[head]):
        head = None
    start = head + 1 if head is not None else 0
    headers = [fold(cell_text(c)).strip() for c in rows[head]] if head is not None else []
    loose: list[Finding] = []
    for r in range(start if head is None else head):  # titles above the header
        loose.extend(_cells_as_text(detector, table, index, r, range(len(rows[r])), []))
    data = rows[start:]
    columns: list[ColumnHits] = []
    if not data:
        return loose, columns
    free_columns: list[int] = []
    leftovers: dict[int, set[int]] = {}
    split = _split_addresses(detector, table, index, data, headers, start)
    in_runs = {c for hits in split for c in range(hits.column, hits.column + hits.span)}
    columns.extend(split)
    for c, column in enumerate(zip_longest(*data)):
        if c in in_runs:
            continue
        header = headers[c] if c < len(headers) else ""
        choice = _classify(detector, column, header)
        if choice is None:
            free_columns.append(c)
            continue
        hits, canon, rest = _validate_column(choice, column, start)
        columns.append(_column_hits(choice, table, index, c, hits, canon))
        if rest:
            leftovers[c] = set(rest)
    if free_columns or leftovers:
        for r in range(start, len(rows)):
            cols = [c for c in free_columns if c < len(rows[r])]
            cols += [c for c, rest in leftovers.items() if r in rest]
            if cols:
                loose.extend(_cells_as_text(detector, table, index, r, sorted(cols), headers))
    return _keep_dependents_in_person_rows(loose, columns)


def _split_addresses(
    detector: Detector,
    table: TableLike,
    index: int,
    data: Sequence[Sequence[object]],
    headers: list[str],
    start: int,
) -> list[ColumnHits]:
    """Addresses kept in parts over adjacent columns, each run read as one column."""
    recognizer = next((r for r in detector.registry if r.entity == ADDRESS), None)
    if recognizer is None or len(data[0]) < 2:
        return []
    found = []
    for first, end in address_runs(recognizer, data, headers):  # type: ignore[arg-type]
        parts = [joined(row, first, end) for row in data]
        named = tuple(h for h in headers[first:end] if h)
        sampled = len([p for p in parts[:: max(1, len(parts) // SAMPLE_SIZE)] if p])
        choice = _Choice(recognizer, 1.0, min(sampled, SAMPLE_SIZE), named)
        rows, canon, _ = _validate_column(choice, parts, start)
        hits = _column_hits(choice, table, index, first, rows, canon)
        hits.span = end - first
        hits.explanation = replace(
            hits.explanation,
            pattern=f"address in {end - first} columns",
            validation=f"{len(rows)}/{sum(1 for p in parts if p)} joined rows valid",
        )
        found.append(hits)
    return found


def _first_record_not_header(detector: Detector, row: Sequence[object]) -> bool:
    """A first row that names no entity we know and itself holds a person's data is the
    first record of a headerless sheet, not its header."""
    labels = [fold(cell_text(c)) for c in row]
    for recognizer in detector.registry:
        words = _header_words(type(recognizer))[0]
        if any(w in label for label in labels for w in words):
            return False
    return any(
        hit.recognizer.entity in IDENTIFYING or hit.recognizer.entity in CONTACT
        for label in (cell_text(c) for c in row)
        if label.strip()
        for hit in detector.hits(label, "")
    )


def _sample(column: Sequence[object]) -> list[tuple[object, str]]:
    """Up to SAMPLE_SIZE non-empty cells spread over the column."""
    step = max(1, len(column) // (SAMPLE_SIZE * 2))
    filled = [c for c in column[::step] if c is not None and c != ""]
    if len(filled) < SAMPLE_SIZE and step > 1:
        filled = [c for c in column if c is not None and c != ""]
    step = max(1, len(filled) // SAMPLE_SIZE)
    picked = []
    for cell in filled[::step][:SAMPLE_SIZE]:
        text = cell_text(cell)
        if text.strip():
            picked.append((cell, text))
    return picked


def _share(recognizer: Recognizer, sample: list[tuple[object, str]], header: str = "") -> float:
    if not sample:
        return 0.0
    if (
        header
        and recognizer.column_shape is not None
        and any(w in header for w in _shape_words(type(recognizer)))
    ):
        # A header that says how the values are written (フリガナ, ローマ字) vouches for
        # cells of that shape: タキヒナ is a reading, whatever the dictionary makes of it.
        shape = recognizer.column_shape.fullmatch
        fits = sum(1 for _, text in sample if shape(normalize(text).text.strip()))
    else:
        fits = sum(1 for cell, text in sample if recognizer.cell_value(cell, text) is not None)
    return fits / len(sample)


@cache
def _shape_words(recognizer: type[Recognizer]) -> tuple[str, ...]:
    return tuple(fold(w) for w in recognizer.header_shape_words)


def _classify(detector: Detector, column: Sequence[object], header: str) -> _Choice | None:
    sample = _sample(column)
    if not sample:
        return None
    best: _Choice | None = None
    if header:
        for recognizer in detector.registry:
            words, exclude = _header_words(type(recognizer))
            named = tuple(w for w in words if w in header)
            if not named and header in recognizer.header_exact:
                named = (header,)
            if not named or any(x in header for x in exclude):
                continue
            share = _share(recognizer, sample, header)
            specificity = max(len(w) for w in named)
            if share >= HEADER_SHARE and (
                best is None
                or (share, specificity) > (best.share, max(len(w) for w in best.header_words))
            ):
                best = _Choice(recognizer, share, len(sample), named)
        if best is not None:
            return best
    if len(sample) < MIN_VALUE_SAMPLE or names_something_else(header):
        return None
    # Numbers typed as numbers are measurements unless a header says otherwise (above):
    # a float's digits or a zero-padded count are never taken for an identifier.
    typed = [(cell, text) for cell, text in sample if not _is_number(cell)]
    for recognizer in detector.registry:
        if not recognizer.value_classifiable:
            continue
        if len(sample) < recognizer.value_min_sample:
            continue
        threshold = recognizer.value_min_share
        if header and folded_words(type(recognizer))[1].found_in(header):
            continue  # 商品コード over 12-digit numbers: the header says what they are not
        if header and any(x in header for x in _header_words(type(recognizer))[1]):
            continue  # 開設日 over dates: the header names another date
        values = [v for cell, text in typed if (v := recognizer.cell_value(cell, text)) is not None]
        share = len(values) / len(sample)
        if share < threshold or not recognizer.plausible_column(values):
            continue
        # On a tie the phone wins: 0982-84-1791 under "denwa" is ten digits too, but it
        # is written as a phone number is.
        if (
            best is None
            or share > best.share
            or (share == best.share and recognizer.entity == PHONE_NUMBER)
        ):
            best = _Choice(recognizer, share, len(sample), ())
    return best


def _validate_column(
    choice: _Choice, column: Sequence[object], start: int
) -> tuple[list[int], list[str] | None, list[int]]:
    """Rows whose cell holds the column's entity, the canonical values of those cells when
    the entity is a strong identifier (to merge people), and the rows of text cells that
    do not hold it.

    A column of text cells is first matched against the recognizer's shape in one pass
    (``map`` over the compiled pattern, no Python call per cell); only the cells that
    miss the shape get the recognizer's own check. Results are kept as flat lists of ints
    and strings: tens of thousands of tuples would wake the garbage collector over the
    whole workbook.
    """
    recognizer = choice.recognizer
    canonical = recognizer.canonical if recognizer.entity in STRONG else None
    rows: list[int] = []
    rest: list[int] = []
    indices: Iterable[int] = range(len(column))
    if recognizer.column_shape is not None:
        fullmatch = recognizer.column_shape.fullmatch
        try:
            fits = [m is not None for m in map(fullmatch, column)]  # type: ignore[arg-type]
        except TypeError:  # a cell that is not text: take the general path
            pass
        else:
            rows = [i for i, fit in enumerate(fits) if fit]
            indices = [i for i, fit in enumerate(fits) if not fit and column[i] != ""]
    canon = [canonical(column[i]) for i in rows] if canonical is not None else None  # type: ignore[arg-type]
    check = recognizer.column_cell_value
    late: list[int] = []
    for i in indices:
        cell = column[i]
        if cell is None or cell == "":
            continue
        # Dates need no text form; every other cell is checked as the user sees it.
        text = cell if type(cell) is str else ("" if isinstance(cell, date) else cell_text(cell))
        if check(cell, text) is None:
            if type(cell) is str and cell.strip():
                rest.append(start + i)
            continue
        late.append(i)
        if canon is not None:
            value = recognizer.cell_value(cell, text or cell_text(cell))
            canon.append(canonical(value) if value is not None and canonical else "")
    if late:
        if rows:
            order = sorted(range(len(rows) + len(late)), key=(rows + late).__getitem__)
            merged = rows + late
            rows = [merged[k] for k in order]
            if canon is not None:
                canon = [canon[k] for k in order]
        else:
            rows = late
    return [start + i for i in rows], canon, rest


def _column_hits(
    choice: _Choice,
    table: TableLike,
    index: int,
    column: int,
    rows: list[int],
    canon: list[str] | None,
) -> ColumnHits:
    recognizer = choice.recognizer
    named = bool(choice.header_words)
    score = min(1.0, recognizer.column_score + (CONTEXT_BOOST if named else 0.2))
    explanation = Explanation(
        recognizer=recognizer.name,
        pattern="column header" if named else "column values",
        validation=f"{round(choice.share * choice.sampled)}/{choice.sampled} sampled cells valid",
        context=choice.header_words,
        score_before=recognizer.column_score,
        score_after=score,
    )
    entity = recognizer.entity
    keys = [subject_key(entity, value) for value in canon] if canon is not None else None
    return ColumnHits(
        recognizer=recognizer,
        table=table,
        part_index=index,
        column=column,
        rows=rows,
        keys=keys,
        score=score,
        explanation=explanation,
        named_by_header=named,
    )


def _cells_as_text(
    detector: Detector,
    table: TableLike,
    index: int,
    r: int,
    cols: Sequence[int],
    headers: list[str],
) -> list[Finding]:
    row = table.rows[r]
    found: list[Finding] = []
    for c in cols:
        cell = row[c]
        if isinstance(cell, float) and not cell.is_integer():
            continue  # a measurement: its digits are nobody's number
        text = cell_text(cell)
        if not text.strip():
            continue
        header = headers[c] if c < len(headers) else ""
        if names_something_else(header):
            continue
        context = header
        if c > 0:
            left = row[c - 1]
            if isinstance(left, str) and 0 < len(left) <= _LABEL_MAX:
                context = f"{context}\n{fold(left)}"
        hits = detector.hits(text, context)
        if describes_a_thing(header):  # 説明 of a spot: the people it names are mentioned
            mentions = {i for i, hit in enumerate(hits) if hit.recognizer.entity == PERSON_NAME}
        else:
            mentions = (
                mentions_in_prose(hits, [0] * len(hits), lambda _, line=text: line)
                if hits
                else set()
            )
        for i, hit in enumerate(hits):
            kind = type(hit.recognizer)
            if header and any(x in header for x in _header_words(kind)[1]):
                continue  # 施設名 over a nursery's name: the header says what it is
            if hit.recognizer.entity == PERSON_NAME and names_a_thing(header):
                continue  # 火山名 over 雲仙岳
            if _is_number(cell) and not any(w in context for w in _header_words(kind)[0]):
                continue  # a number typed as a number is an identifier only by its label
            found.append(
                finding_of(
                    hit, table.cell_location(r, c), (index, r), (index, r, c), i not in mentions
                )
            )
    return found


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _keep_dependents_in_person_rows(
    loose: list[Finding], columns: list[ColumnHits]
) -> tuple[list[Finding], list[ColumnHits]]:
    """Sex, care level and diagnoses count only in rows that describe a person, and a date
    found by its values alone is a birth date only in such a row."""
    needs_person = [
        c
        for c in columns
        if c.recognizer.entity in DESCRIBING
        or (c.recognizer.value_needs_person and not c.named_by_header)
    ]
    if not needs_person and not any(f.row is not None and _is_dependent(f) for f in loose):
        return loose, columns
    people: set[int] = set()
    for c in columns:
        if c not in needs_person and may_be_person(c.recognizer.entity):
            people.update(c.rows)
    for f in loose:
        if f.row is not None and f.counted and may_be_person(f.entity):
            people.add(f.row[1])
    for c in needs_person:
        kept = [i for i, r in enumerate(c.rows) if r in people]
        if len(kept) != len(c.rows):
            c.rows = [c.rows[i] for i in kept]
            if c.keys is not None:
                c.keys = [c.keys[i] for i in kept]
    loose = [f for f in loose if not (f.row is not None and _is_dependent(f)) or f.row[1] in people]
    return loose, [c for c in columns if c.rows]


def _is_dependent(finding: Finding) -> bool:
    return finding.entity in DESCRIBING
