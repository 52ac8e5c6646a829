"""Shared by the recognizers of letter-and-digit document numbers (passport, residence
card): a cell is one when it is the code alone, in either case."""

from __future__ import annotations

from sekisho.detect.recognizer import Recognizer


class LetterCodeRecognizer(Recognizer):
    """``column_shape`` is the code's exact form in capitals."""

    def cell_value(self, cell: object, text: str) -> str | None:
        value = text.strip().upper()
        shape = self.column_shape
        return (
            value
            if isinstance(cell, str) and shape is not None and shape.fullmatch(value)
            else None
        )

    def canonical(self, value: str) -> str:
        return value.upper()
