"""How a scan report reads on a terminal: Japanese first, English alongside."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from sekisho.detect.entities import label
from sekisho.scan import FileReport, ScanReport


def render_file(console: Console, report: FileReport, *, explain: bool = False) -> None:
    path = escape(report.path)
    if report.unscannable:
        head = f"[bold red]スキャン不可 unscannable[/] {path}"
    elif report.detection:
        people = "person" if report.records == 1 else "people"
        head = f"[bold yellow]個人情報あり {report.records}人 ({report.records} {people})[/] {path}"
    else:
        head = f"[green]検出なし clean[/] {path}"
    console.print(head)
    if report.detection:
        counts = " · ".join(
            f"{label(entity)} {label(entity, 'en')} {n}" for entity, n in report.entities.items()
        )
        console.print(f"    {escape(counts)}")
    for problem in report.problems:
        where = f"{escape(problem.location)}: " if problem.location else ""
        console.print(
            f"    [red]![/] {where}{escape(problem.reason_ja)} — {escape(problem.reason)}"
        )
    for note in report.notes:
        where = f"{escape(note.location)}: " if note.location else ""
        console.print(f"    [dim]·[/] {where}{escape(note.reason_ja)} — {escape(note.reason)}")
    if explain:
        for f in report.findings:
            console.print(
                f"    {escape(f.location)}  {label(f.entity)} {f.entity}  {escape(f.excerpt)}  "
                f"[dim]{escape(f.explanation.describe())}[/]"
            )


def render_summary(console: Console, report: ScanReport) -> None:
    files = len(report.files)
    found = sum(1 for f in report.files if f.detection)
    people = sum(f.records for f in report.files)
    bad = sum(1 for f in report.files if f.unscannable)
    console.print(
        f"[bold]{files}ファイル: 個人情報あり {found} ({people}人), スキャン不可 {bad}[/]  "
        f"{files} files: {found} with personal data ({people} people), {bad} unscannable"
    )
