"""Extract + detect in one call, and the report every consumer reads."""

from sekisho.scan.report import ExitStatus, FileReport, ScanReport, worst
from sekisho.scan.scanner import Scanner, count_files, iter_files

__all__ = [
    "ExitStatus",
    "FileReport",
    "ScanReport",
    "Scanner",
    "count_files",
    "iter_files",
    "worst",
]
