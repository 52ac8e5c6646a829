"""Each recipient only their own rows: a table split by the values of one column (担当セン
ター, 事業所), one file per value in the input's format, every column kept. Rows whose value
nobody asked for go nowhere and are counted, so that the sender sees what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sekisho.detect import Detector
from sekisho.minimise.aggregate import group_value
from sekisho.minimise.errors import MinimiseError
from sekisho.minimise.output import CsvOut, XlsxOut
from sekisho.minimise.source import Column, Rows, Table, read

# More values than this is not a list of recipients (a split by name would write a file
# per resident).
MAX_PARTS = 50


@dataclass
class Part:
    value: str
    data: bytes
    suffix: str
    rows: int


@dataclass
class Split:
    table: Table
    column: Column
    parts: dict[str, Part] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)  # value → rows nobody gets


def split(
    data: bytes,
    name: str,
    column: str,
    route: dict[str, str] | None = None,
    *,
    sheet: str | None = None,
    today: date | None = None,
    detector: Detector | None = None,
) -> Split:
    """The rows of each value of ``column``, or with ``route`` (value → part, e.g. a
    recipient's address) the rows of every value routed to each part; values not routed
    are left out and counted."""
    writers: dict[str, CsvOut | XlsxOut] = {}
    counts: dict[str, int] = {}
    left_out: dict[str, int] = {}
    state: dict[str, object] = {}

    def choose(table: Table) -> bool:
        if sheet is not None and not table.is_sheet(sheet):
            return False
        try:
            state["column"] = table.find(column)
        except MinimiseError as exc:
            state.setdefault("error", exc)
            return False
        return True

    def on_rows(table: Table, rows: Rows) -> None:
        index = state["column"].index  # type: ignore[attr-defined]
        header = [c.name for c in table.columns]
        for row in rows:
            value = group_value(row[index] if index < len(row) else None)
            if route is not None:
                if value not in route:
                    left_out[value] = left_out.get(value, 0) + 1
                    continue
                value = route[value]
            out = writers.get(value)
            if out is None:
                if len(writers) == MAX_PARTS:
                    raise MinimiseError(
                        f"「{column}」の値が{MAX_PARTS}種類を超えます。宛先ごとに分ける列ではありません",
                        f"more than {MAX_PARTS} values in {column!r}: not a column of recipients",
                    )
                out = writers[value] = (
                    CsvOut(data, name) if table.csv else XlsxOut(table.shown or "表")
                )
                out.header(header)
            out.rows([row])
            counts[value] = counts.get(value, 0) + 1

    try:
        reading = read(data, name, choose, on_rows, detector)
    except BaseException:
        for out in writers.values():
            out.discard()
        raise
    if reading.chosen is None:
        if "error" in state:
            raise state["error"]  # type: ignore[misc]
        raise MinimiseError(f"シート「{sheet}」がありません", f"no sheet {sheet!r}")
    result = Split(reading.chosen, state["column"], left_out=left_out)  # type: ignore[arg-type]
    day = (today or date.today()).isoformat()
    for value, out in writers.items():
        values = sorted(v for v, to in route.items() if to == value) if route else [value]
        shown = "、".join(values)
        derivation = [
            f"作成方法: {name} の {reading.chosen.rows:,} 行のうち「{column}」が {shown} の "
            f"{counts[value]:,} 行だけを {day} に関所（Sekisho）で抜き出したもの",
            f"Rows of {name} whose {column} is {' or '.join(values)}, extracted by Sekisho "
            f"on {day}.",
        ]
        result.parts[value] = Part(value, out.finish(derivation), out.suffix, counts[value])
    return result
