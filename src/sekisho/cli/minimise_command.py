"""``sekisho minimise``: a roster reduced to what the recipient needs — counts by the chosen
columns (and age bands), or only the chosen columns — written in the input's format, then
scanned again so that the clerk sees the people count before and after."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import click
import orjson
from rich.console import Console

_LIST = re.compile(r"[,、，]")


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in _LIST.split(value or "") if n.strip()]


@click.command("minimise")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--aggregate", help="Count rows grouped by these columns (COL[,COL…]).")
@click.option(
    "--age-bands",
    type=click.Choice(["5", "10", "65"]),
    help="Group by age too: 5- or 10-year bands, or 65未満/65-74/75以上, from the birth dates.",
)
@click.option("--birth-date", help="The birth-date column (default: the one detected).")
@click.option("--sum", "sums", help="With --aggregate: numeric columns summed per group.")
@click.option("--keep", help="Keep only these columns (COL[,COL…]), every row.")
@click.option(
    "--split",
    "split_by",
    help="One file per value of this column (OUT_値.xlsx …), every column, its rows only.",
)
@click.option(
    "--min-cell",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help='Counts below this are shown as "<N" (totals stay exact).',
)
@click.option("--sheet", help="The sheet to read (default: the first with the columns).")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day ages are counted on (default: today).",
)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human")
def minimise_command(
    file: Path,
    aggregate: str | None,
    age_bands: str | None,
    birth_date: str | None,
    sums: str | None,
    keep: str | None,
    split_by: str | None,
    min_cell: int,
    sheet: str | None,
    as_of: object,
    out: Path,
    fmt: str,
) -> None:
    """Minimise a table file (xlsx, xls, ods, csv) to what the recipient needs.

    \b
    sekisho minimise 認定者一覧.xlsx --aggregate 要介護度 --out 要介護度別.xlsx
    sekisho minimise 名簿.csv --aggregate 地区 --age-bands 10 --out 地区別.csv
    sekisho minimise 名簿.xlsx --keep 地区,要介護度 --out 抜粋.xlsx
    """
    from sekisho.minimise import MinimiseError, Request, minimise
    from sekisho.scan import Scanner

    err = Console(stderr=True, highlight=False)
    data = file.read_bytes()
    if split_by:
        if aggregate or keep or age_bands:
            raise click.UsageError("--split は単独で使います / --split stands alone")
        _split(file, data, split_by, sheet, out, fmt, err)
        return
    try:
        request = Request(
            aggregate=_names(aggregate),
            keep=_names(keep),
            sums=_names(sums),
            age_bands=age_bands,
            birth_date=birth_date,
            min_cell=min_cell,
            sheet=sheet,
            today=as_of.date() if as_of is not None else date.today(),  # type: ignore[attr-defined]
        )
        scanner = Scanner()
        with err.status("必要な情報だけにしています / minimising…"):
            result = minimise(data, file.name, request, scanner.detector)
            before = scanner.scan_bytes(data, file.name, summary=True)
            after = scanner.scan_bytes(result.data, out.name or f"out{result.suffix}", summary=True)
    except MinimiseError as exc:
        raise click.UsageError(exc.both()) from exc
    out.write_bytes(result.data)
    people_before, people_after = before.detection.records, after.detection.records
    if fmt == "json":
        payload = {
            "input": str(file),
            "out": str(out),
            "format": result.suffix.lstrip("."),
            "table": result.table.origin,
            "rows_in": result.rows_in,
            "rows_out": result.rows_out,
            "suppressed": result.suppressed,
            "dropped_personal_columns": [c.name for c in result.dropped],
            "people_before": people_before,
            "people_after": people_after,
            "entities_after": after.detection.counts,
            "unscannable_after": bool(after.problems),
            "derivation": result.derivation,
        }
        sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
        return
    console = Console(highlight=False, soft_wrap=True)
    if request.keep:
        console.print(f"列を選びました: {result.rows_in:,} 行、{'、'.join(request.keep)} のみ")
    else:
        console.print(
            f"集計しました: {result.rows_in:,} 行 → {result.rows_out:,} 区分"
            f"（{min_cell}未満で伏せた区分 {result.suppressed}）"
        )
    if result.dropped:
        console.print("含めなかった個人データの列: " + "、".join(c.name for c in result.dropped))
    console.print(
        f"個人データ / people: {people_before:,}人 → {people_after:,}人（{out} のスキャン）"
    )
    if people_after or after.problems:
        console.print(
            "[yellow]まだ個人データを含みます。送信はポリシーに従います / "
            "the result still holds personal data: policy applies[/yellow]"
        )
    if result.suffix != out.suffix.lower():
        err.print(f"[yellow]{out} は {result.suffix} 形式で書き出しました[/yellow]")


def _split(
    file: Path, data: bytes, column: str, sheet: str | None, out: Path, fmt: str, err: Console
) -> None:
    """One file per value of ``column`` beside ``out``: 利用者_北部センター.xlsx …"""
    from sekisho.minimise import MinimiseError, split
    from sekisho.scan import Scanner

    scanner = Scanner()
    try:
        with err.status("行を分けています / splitting…"):
            result = split(data, file.name, column, sheet=sheet, detector=scanner.detector)
    except MinimiseError as exc:
        raise click.UsageError(exc.both()) from exc
    written = []
    for value, part in result.parts.items():
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)[:60]
        path = out.with_name(f"{out.stem}_{safe}{part.suffix}")
        path.write_bytes(part.data)
        people = scanner.scan_bytes(part.data, path.name, summary=True).detection.records
        written.append({"value": value, "out": str(path), "rows": part.rows, "people": people})
    if fmt == "json":
        payload = {"input": str(file), "column": column, "parts": written}
        sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"「{column}」で {len(written)} ファイルに分けました（{result.table.rows:,} 行）")
    for item in written:
        console.print(
            f"  {item['value']}: {item['rows']:,} 行 → {item['out']}（個人データ {item['people']:,}人）"
        )
