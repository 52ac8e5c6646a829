"""The minimised file in the input's format: a CSV in the input's encoding, delimiter and
line ends, with the derivation as a footer of ``#`` lines; a workbook (xlsx; an xls or ods
input becomes xlsx, said in the derivation) with the table on one sheet and the derivation
on a sheet of its own. Rows are written as they come (a workbook in constant memory)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sekisho.extract.delimited import guess_delimiter
from sekisho.extract.sniff import delimiter_for
from sekisho.extract.textcodec import Decoded, decode_text, stream_text

HEAD_ROWS = 21  # the header and 20 rows, kept for a preview


class _Head:
    """The first rows written, for a preview without reading the file back."""

    def __init__(self) -> None:
        self.head: list[list[object]] = []

    def _keep(self, rows: Sequence[Sequence[object]]) -> None:
        room = HEAD_ROWS - len(self.head)
        if room > 0:
            self.head.extend(list(row) for row in rows[:room])


class CsvOut(_Head):
    """Rows written in the encoding, delimiter and line ends the input used."""

    suffix = ".csv"

    def __init__(self, source: bytes, name: str) -> None:
        streamed = stream_text(source)
        if streamed is not None:
            self.encoding, pieces = streamed
            head = next(pieces, "")
        else:
            decoded = decode_text(source)
            self.encoding = decoded.encoding if isinstance(decoded, Decoded) else "utf-8"
            head = decoded.text[:65536] if isinstance(decoded, Decoded) else ""
        self.delimiter = guess_delimiter(head, delimiter_for(name))
        ending = "\r\n" if "\r\n" in head else "\n"
        super().__init__()
        self.buffer = io.BytesIO()
        self.text = io.TextIOWrapper(
            self.buffer, encoding=self.encoding, errors="replace", newline=""
        )
        self.writer = csv.writer(self.text, delimiter=self.delimiter, lineterminator=ending)

    def rows(self, rows: Sequence[Sequence[object]]) -> None:
        self._keep(rows)
        self.writer.writerows([["" if c is None else c for c in row] for row in rows])

    def header(self, names: Sequence[str]) -> None:
        self.rows([list(names)])

    def discard(self) -> None:
        self.text.detach()

    def finish(self, derivation: list[str]) -> bytes:
        self.writer.writerow([])
        for line in derivation:
            self.writer.writerow([f"# {line}"])
        self.text.flush()
        data = self.buffer.getvalue()
        self.text.detach()
        return data


class XlsxOut(_Head):
    """A workbook: the table on ``sheet``, the derivation on 作成方法."""

    suffix = ".xlsx"

    def __init__(self, sheet: str) -> None:
        import xlsxwriter

        super().__init__()
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        self.path = Path(path)
        self.workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_numbers": False}
        )
        self.date = self.workbook.add_format({"num_format": "yyyy/mm/dd"})
        self.bold = self.workbook.add_format({"bold": True})
        self.sheet = self.workbook.add_worksheet(sheet[:31])
        self.row = 0

    def rows(self, rows: Sequence[Sequence[object]]) -> None:
        self._keep(rows)
        sheet = self.sheet
        for values in rows:
            for c, value in enumerate(values):
                if value is None or value == "":
                    continue
                if hasattr(value, "year"):
                    sheet.write_datetime(self.row, c, value, self.date)
                elif isinstance(value, str):
                    sheet.write_string(self.row, c, value)  # a number kept as text stays text
                else:
                    sheet.write(self.row, c, value)
            self.row += 1

    def header(self, names: Sequence[str]) -> None:
        self._keep([list(names)])
        self.sheet.write_row(self.row, 0, list(names), self.bold)
        self.row += 1

    def discard(self) -> None:
        """Never finished (the minimisation failed): its temporary file goes."""
        self.workbook.close()
        self.path.unlink(missing_ok=True)

    def finish(self, derivation: list[str]) -> bytes:
        notes = self.workbook.add_worksheet("作成方法")
        for r, line in enumerate(derivation):
            notes.write_string(r, 0, line)
        self.workbook.close()
        try:
            return self.path.read_bytes()
        finally:
            self.path.unlink()
