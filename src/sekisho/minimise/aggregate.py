"""Counts instead of people: rows grouped by the chosen columns (and an age band), counted,
optionally summed; small counts suppressed as statistical offices do — a count below
``min_cell`` is shown as "<3" (and its sums with it), the total stays exact.

Rows are taken chunk by chunk into a counter of their raw cells: memory grows with the
number of distinct keys (birth dates, with age bands), not of rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from operator import itemgetter

from sekisho.extract.parts import Cell
from sekisho.minimise.ages import AgeBands
from sekisho.minimise.source import Column

BLANK = "（空欄）"
ERROR = "（エラー値）"
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)


def group_value(cell: Cell) -> str:
    """A cell as a group's label: blanks and Excel's error values named as such."""
    if cell is None:
        return BLANK
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if not cell.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip()
    if not text:
        return BLANK
    return ERROR if text in _EXCEL_ERRORS else text


def _number(cell: Cell) -> float | None:
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    try:
        return float(str(cell).replace(",", "").strip())
    except ValueError:
        return None


class Aggregate:
    def __init__(
        self,
        by: Sequence[Column],
        sums: Sequence[Column] = (),
        ages: tuple[Column, AgeBands] | None = None,
    ) -> None:
        self.by = list(by)
        self.sums = list(sums)
        self.ages = ages
        self._raw: Counter[tuple[object, ...]] = Counter()
        self._raw_totals: dict[tuple[object, ...], list[float]] = {}
        self.rows = 0

    @property
    def header(self) -> list[str]:
        names = [self.ages[1].title] if self.ages else []
        names += [c.name for c in self.by]
        return names + ["人数"] + [f"{c.name}（合計）" for c in self.sums]

    def add(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Count the rows by their raw cells (hashing a tuple costs less than labelling
        every cell); the labels are made once per distinct key in ``_folded``."""
        indexes = [c.index for c in self.by]
        if self.ages:
            indexes.insert(0, self.ages[0].index)
        pick = itemgetter(*indexes) if len(indexes) > 1 else None
        single = indexes[0] if indexes else None
        raw = self._raw
        for row in rows:
            try:
                key = pick(row) if pick is not None else (row[single],)  # type: ignore[index]
            except IndexError:  # a short row (a CSV line with fewer fields)
                key = tuple(row[i] if i < len(row) else None for i in indexes)
            raw[key] += 1
            if self.sums:
                totals = self._raw_totals.setdefault(key, [0.0] * len(self.sums))
                for n, column in enumerate(self.sums):
                    value = _number(row[column.index]) if column.index < len(row) else None
                    if value is not None:
                        totals[n] += value
        self.rows += len(rows)

    def _folded(self) -> tuple[Counter[tuple[str, ...]], dict[tuple[str, ...], list[float]]]:
        """Raw keys merged under their labels (1 and 1.0 and " 1" are one group)."""
        counts: Counter[tuple[str, ...]] = Counter()
        totals: dict[tuple[str, ...], list[float]] = {}
        band = self.ages[1].band if self.ages else None
        for key, count in self._raw.items():
            labels = [group_value(cell) for cell in (key[1:] if band else key)]
            label = (band(key[0]), *labels) if band else tuple(labels)
            counts[label] += count
            if self.sums:
                into = totals.setdefault(label, [0.0] * len(self.sums))
                for n, value in enumerate(self._raw_totals.get(key, ())):
                    into[n] += value
        return counts, totals

    def table(self, min_cell: int) -> list[list[object]]:
        """Header, one row per group in order, and the exact total."""
        counts, totals = self._folded()
        out: list[list[object]] = [self.header]
        for key in sorted(counts, key=self._order):
            count = counts[key]
            small = 0 < count < min_cell
            row: list[object] = [*key, f"<{min_cell}" if small else count]
            for value in totals.get(key, []):
                row.append("—" if small else _tidy(value))
            out.append(row)
        total: list[object] = ["合計", *[""] * (len(out[0]) - 2 - len(self.sums)), self.rows]
        if self.sums:
            total += [_tidy(sum(t[n] for t in totals.values())) for n in range(len(self.sums))]
        out.append(total)
        return out

    def suppressed(self, min_cell: int) -> int:
        return sum(1 for count in self._folded()[0].values() if 0 < count < min_cell)

    def _order(self, key: tuple[str, ...]) -> tuple:
        if self.ages:
            return (self.ages[1].order(key[0]), *(_natural(k) for k in key[1:]))
        return tuple(_natural(k) for k in key)


# Care levels in the order of the scale, not of the characters (要介護 sorts before 要支援).
_CARE_ORDER = {
    v: i
    for i, v in enumerate(
        (
            "非該当",
            "事業対象者",
            "要支援1",
            "要支援2",
            "経過的要介護",
            "要介護1",
            "要介護2",
            "要介護3",
            "要介護4",
            "要介護5",
        )
    )
}


def _natural(value: str) -> tuple:
    """要支援1 < 要支援2 < 要介護1; 地区2 < 地区10; blanks and errors last."""
    if value in (BLANK, ERROR):
        return (2, "", 0, value)
    if value in _CARE_ORDER:
        return (0, "", _CARE_ORDER[value], value)
    head = value.rstrip("0123456789")
    tail = value[len(head) :]
    return (1, head, int(tail) if tail else -1, value)


def _tidy(value: float) -> int | float:
    return int(value) if value.is_integer() else round(value, 6)
