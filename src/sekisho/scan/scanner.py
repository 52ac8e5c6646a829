"""One call from bytes or paths to a report: extract, then detect.

The scanner is what the CLI, and later the gateway, call; neither needs to know how
parts are read or how entities are found.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sekisho.detect import Detector
from sekisho.errors import ScanInputError
from sekisho.extract import (
    DEFAULT_LIMITS,
    Extraction,
    Limits,
    Problem,
    ProblemCode,
    extract_bytes,
    extract_path,
)
from sekisho.scan.report import FileReport, ScanReport


class Scanner:
    """Holds the detector (and its compiled recognizers) across many files."""

    def __init__(self, detector: Detector | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
        self.detector = detector or Detector()
        self.limits = limits

    def scan_bytes(
        self, data: bytes, name: str = "", *, summary: bool = False, kind: str | None = None
    ) -> FileReport:
        """Scan ``data``. With ``summary`` parts are detected as they are read and table
        cells let go at once: counts, records and samples are exact, but only a few
        findings per column are kept (the gateway's mode: memory bounded by a chunk).
        ``kind`` when the caller knows what the bytes are ("eml" for the gateway)."""
        if not summary:
            return self._report(name, extract_bytes(data, name, self.limits, kind=kind))
        builder = self.detector.builder(summary=True)
        extraction = extract_bytes(data, name, self.limits, on_part=builder.add, kind=kind)
        return FileReport(
            path=name,
            kind=extraction.kind,
            detection=builder.finish(),
            problems=list(extraction.problems),
            files=list(extraction.files),
            notes=list(extraction.notes),
        )

    def scan_file(self, path: Path) -> FileReport:
        """One file's report; a failure of the scanner itself on this file (a bug, a
        native library's panic) is reported as this file's problem, so that a directory
        scan goes on with the rest and a script never reads an empty result as a verdict."""
        try:
            return self._report(str(path), extract_path(path, self.limits))
        except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
            raise
        except BaseException as exc:
            detail = f"the scanner failed on this file: {type(exc).__name__}: {str(exc)[:160]}"
            return FileReport(
                path=str(path),
                kind="unknown",
                detection=self.detector.detect([]),
                problems=[Problem(ProblemCode.UNREADABLE, "", detail)],
            )

    def scan_paths(
        self,
        paths: list[Path],
        on_done: Callable[[FileReport], None] | None = None,
    ) -> ScanReport:
        """Scan files and directories (recursively, in a stable order); ``on_done`` is told
        of each file as it is finished (a progress bar)."""
        report = ScanReport()
        for path in iter_files(paths):
            file_report = self.scan_file(path)
            report.files.append(file_report)
            if on_done is not None:
                on_done(file_report)
        return report

    def _report(self, name: str, extraction: Extraction) -> FileReport:
        return FileReport(
            path=name,
            kind=extraction.kind,
            detection=self.detector.detect(extraction.parts),
            problems=list(extraction.problems),
            files=list(extraction.files),
            notes=list(extraction.notes),
        )


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Every regular file under ``paths``, sorted; symbolic links to directories are not
    followed (a link loop must not hang a scan of a share)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        elif path.exists():
            yield path
        else:
            raise ScanInputError(f"{path}: no such file or directory")


def count_files(paths: list[Path]) -> int:
    return sum(1 for _ in iter_files(paths))
