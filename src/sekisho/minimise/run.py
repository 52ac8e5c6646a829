"""One minimisation: a request (what to aggregate, which columns to keep) applied to one
table file in one streamed pass, written in the input's format with its derivation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from sekisho.detect import Detector
from sekisho.detect.entities import DATE_OF_BIRTH
from sekisho.minimise.ages import AgeBands
from sekisho.minimise.aggregate import Aggregate
from sekisho.minimise.errors import MinimiseError
from sekisho.minimise.output import CsvOut, XlsxOut
from sekisho.minimise.source import Column, Rows, Table, read


@dataclass(frozen=True)
class Request:
    aggregate: Sequence[str] = ()  # group by these columns and count
    keep: Sequence[str] = ()  # or: keep only these columns, every row
    sums: Sequence[str] = ()  # with aggregate: numeric columns summed per group
    age_bands: str | None = None  # with aggregate: "5", "10" or "65", from the birth dates
    birth_date: str | None = None  # the birth-date column (default: the one detected)
    min_cell: int = 3
    sheet: str | None = None
    today: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        if bool(self.aggregate or self.age_bands) == bool(self.keep):
            raise MinimiseError(
                "集計（--aggregate/--age-bands）か列の選択（--keep）のどちらか一つを指定してください",
                "give either --aggregate/--age-bands or --keep, not both or neither",
            )
        if self.min_cell < 1:
            raise MinimiseError("min_cell は 1 以上です", "min_cell is at least 1")


@dataclass
class Result:
    data: bytes
    suffix: str  # ".csv" or ".xlsx"
    table: Table
    rows_in: int
    rows_out: int
    suppressed: int = 0
    derivation: list[str] = field(default_factory=list)
    dropped: list[Column] = field(default_factory=list)  # personal columns left out
    head: list[list[object]] = field(default_factory=list)  # the header and first rows


def minimise(data: bytes, name: str, request: Request, detector: Detector | None = None) -> Result:
    detector = detector or Detector()
    chosen: dict[str, object] = {}  # the plan and its writer, made at the chosen table

    def choose(table: Table) -> bool:
        if request.sheet is not None and not table.is_sheet(request.sheet):
            return False
        try:
            plan = _plan(table, request)
        except MinimiseError as exc:
            chosen.setdefault("error", exc)
            return False
        out = CsvOut(data, name) if table.csv else XlsxOut(table.shown or "表")
        if isinstance(plan, list):  # kept columns: their names head the rows
            out.header([c.name for c in plan])
        chosen.update(plan=plan, out=out)
        return True

    def on_rows(_table: Table, rows: Rows) -> None:
        plan, out = chosen["plan"], chosen["out"]
        if isinstance(plan, Aggregate):
            plan.add(rows)
            return
        width = [c.index for c in plan]  # type: ignore[union-attr]
        out.rows([[row[i] if i < len(row) else None for i in width] for row in rows])  # type: ignore[union-attr]

    try:
        reading = read(data, name, choose, on_rows, detector)
    except BaseException:
        if "out" in chosen:
            chosen["out"].discard()  # type: ignore[attr-defined]
        raise
    table = reading.chosen
    if table is None:
        if "error" in chosen:
            raise chosen["error"]  # type: ignore[misc]
        sheets = "、".join(t.origin or name for t in reading.tables)
        raise MinimiseError(
            f"シート「{request.sheet}」がありません（あるのは {sheets}）",
            f"no sheet {request.sheet!r} (there are: {sheets})",
        )
    plan, out = chosen["plan"], chosen["out"]
    assert isinstance(out, CsvOut | XlsxOut)
    derivation = _derivation(name, reading.kind, table, request)
    if isinstance(plan, Aggregate):
        rows = plan.table(request.min_cell)
        out.header(rows[0])
        out.rows(rows[1:])
        suppressed = plan.suppressed(request.min_cell)
        kept = list(plan.by)
        rows_out = len(rows) - 2
    else:
        suppressed, kept, rows_out = 0, list(plan), table.rows  # type: ignore[arg-type]
    dropped = [c for c in table.columns if c.personal and c not in kept]
    return Result(
        out.finish(derivation),
        out.suffix,
        table,
        table.rows,
        rows_out,
        suppressed,
        derivation,
        dropped,
        out.head,
    )


def _plan(table: Table, request: Request) -> Aggregate | list[Column]:
    if request.keep:
        return [table.find(name) for name in request.keep]
    ages = None
    if request.age_bands is not None:
        bands = AgeBands(request.age_bands, request.today)
        if request.birth_date:
            born = table.find(request.birth_date)
        else:
            born = next((c for c in table.columns if c.entity == DATE_OF_BIRTH), None)
            if born is None:
                raise MinimiseError(
                    "生年月日の列が見つかりません（--birth-date で指定してください）",
                    "no birth-date column found (name it with --birth-date)",
                )
        ages = (born, bands)
    by = [table.find(name) for name in request.aggregate]
    return Aggregate(by, [table.find(name) for name in request.sums], ages)


def _derivation(name: str, kind: str, table: Table, request: Request) -> list[str]:
    where = f"{name}（{table.shown}）" if table.origin else name
    lines = [
        f"作成方法: {where} の {table.rows:,} 行から {request.today.isoformat()} に関所（Sekisho）で作成"
    ]
    if request.keep:
        lines.append(f"残した列: {'、'.join(request.keep)}（ほかの列は含みません）")
    else:
        groups = [AgeBands(request.age_bands, request.today).title] if request.age_bands else []
        groups += list(request.aggregate)
        lines.append(
            f"集計: {'×'.join(groups)} ごとの人数"
            + (f"、{'、'.join(request.sums)} の合計" if request.sums else "")
        )
        lines.append(
            f"{request.min_cell}未満の人数は「<{request.min_cell}」と表示し、その合計も伏せています"
            "（合計行は正確な値）"
        )
    written = PurePath(name).suffix.lstrip(".").lower() or kind
    if not table.csv and written != "xlsx":
        lines.append(f"元の形式 {written} は Excel（xlsx）として書き出しています")
    lines.append(
        f"Derived by Sekisho from {table.rows:,} rows of {name} on {request.today.isoformat()}."
    )
    return lines
