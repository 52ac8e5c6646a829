"""The ``sekisho`` command line. Exit status of ``scan``: 0 nothing found, 1 personal data
found, 3 something unscannable, 2 usage error (2 > 3 > 1 > 0 when several apply)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sekisho import __version__
from sekisho.cli.render import render_file, render_summary
from sekisho.errors import ScanInputError
from sekisho.scan import Scanner, ScanReport, count_files


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sekisho")
def cli() -> None:
    """Sekisho (関所): finds personal data in files and outgoing mail."""


@cli.command()
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="human: a summary per file; json: the contract of DESIGN.md.",
)
@click.option("--explain", is_flag=True, help="Show why each finding was reported.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def scan(paths: tuple[Path, ...], fmt: str, explain: bool, progress: bool | None) -> None:
    """Scan files and directories (recursively) for personal data."""
    scanner = Scanner()
    err = Console(stderr=True)
    show_progress = err.is_terminal if progress is None else progress
    try:
        report = _scan_with_progress(scanner, list(paths), err, show_progress)
    except ScanInputError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        json.dump(report.to_dict(explain=explain), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        out = Console(highlight=False, soft_wrap=True)
        for file_report in report.files:
            render_file(out, file_report, explain=explain)
        render_summary(out, report)
    sys.exit(int(report.status))


def _scan_with_progress(
    scanner: Scanner, paths: list[Path], err: Console, show: bool
) -> ScanReport:
    if not show or not any(p.is_dir() for p in paths):
        return scanner.scan_paths(paths)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("スキャン中 scanning", total=count_files(paths))
        report = scanner.scan_paths(paths, on_done=lambda _r: bar.advance(task))
    return report


def main() -> None:
    """Entry point of the ``sekisho`` script; click turns usage errors into exit 2."""
    cli()


if __name__ == "__main__":
    main()
