"""Bytes → parts: text blocks and tables with their place, and what could not be read.

Knows nothing of entities or policy. Public surface:
``extract_bytes``, ``extract_path``, ``Extraction``, ``TextPart``, ``TablePart``,
``Problem``, ``ProblemCode``, ``Limits``.
"""

from sekisho.extract.dispatch import extract_bytes, extract_path
from sekisho.extract.limits import DEFAULT_LIMITS, Limits
from sekisho.extract.parts import (
    Cell,
    Extraction,
    FileInfo,
    Part,
    TablePart,
    TextPart,
    column_letter,
)
from sekisho.extract.problems import Note, NoteCode, Problem, ProblemCode

__all__ = [
    "DEFAULT_LIMITS",
    "Cell",
    "Extraction",
    "FileInfo",
    "Limits",
    "Note",
    "NoteCode",
    "Part",
    "Problem",
    "ProblemCode",
    "TablePart",
    "TextPart",
    "column_letter",
    "extract_bytes",
    "extract_path",
]
