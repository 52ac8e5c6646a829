"""PDF through pypdfium2: the text layer of every page, and what the page's annotations
show — form-field values (what a filled-in form displays), notes and their replies —
which the text layer does not hold. A page without text that shows a picture (a scanned
page) or text drawn as outlines makes the PDF unscannable ("no text layer"), even among
pages with text; a blank page does not. An encrypted PDF is unscannable ("encrypted")."""

from __future__ import annotations

import ctypes
from dataclasses import replace
from typing import TYPE_CHECKING

import pypdfium2
import pypdfium2.raw as pdfium_c

from sekisho.extract.parts import Cell, TablePart, TextPart
from sekisho.extract.pdf_layout import page_text
from sekisho.extract.problems import ProblemCode
from sekisho.extract.structured import record_parts

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker


def read_pdf(walker: Walker, data: bytes, ctx: FileContext) -> None:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            walker.problem(ProblemCode.ENCRYPTED, ctx.origin, "password-protected PDF")
        else:
            walker.problem(ProblemCode.CORRUPT, ctx.origin, message[:160])
        return
    continued = _Continued()
    try:
        unread: list[int] = []  # pages that show something we cannot read as text
        for number in range(len(document)):
            walker.budget.take_part()
            page = document[number]
            try:
                textpage = page.get_textpage()
                text = page_text(textpage) or textpage.get_text_bounded()
                textpage.close()
                fields = _annotation_text(page)
                drawn = not text.strip() and _shows_something(page)
            finally:
                page.close()
            if fields.strip():
                walker.budget.take_bytes(len(fields))
                walker.part(
                    TextPart(fields, ctx.place(f"page {number + 1}, form fields and notes"))
                )
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if text.strip():
                walker.budget.take_bytes(len(text))
                for part in record_parts(text, ctx.place(f"page {number + 1}")):
                    if isinstance(part, TablePart):
                        part = continued.carry(part)
                    walker.part(part)
            elif drawn:
                unread.append(number + 1)
        if unread:
            pages = ", ".join(map(str, unread[:10])) + (" …" if len(unread) > 10 else "")
            detail = f"page(s) {pages}: a picture or drawn text, no text layer (a scan?)"
            walker.problem(ProblemCode.NO_TEXT, ctx.origin, detail)
    finally:
        document.close()


class _Continued:
    """A list that runs over several pages prints its header on the first only: a page's
    table with as many columns as the last one and no header of its own gets that header
    (placed above its first row, so cell names stay those of the page)."""

    def __init__(self) -> None:
        self.header: list[Cell] | None = None

    def carry(self, table: TablePart) -> TablePart:
        width = len(table.rows[0])
        if table.header_row is not None:
            self.header = list(table.rows[table.header_row])
            return table
        if self.header is None or len(self.header) != width:
            return table
        return replace(table, rows=[self.header, *table.rows], header_row=0, row_offset=-1)


# Text converted to outlines is drawn as many small paths; a page with a frame or a
# few rules is not.
_OUTLINED_TEXT_PATHS = 200


def _shows_something(page: pypdfium2.PdfPage) -> bool:
    """Whether a page without text shows a picture (a scanned page) or text drawn as
    outlines: a blank page, or one with a few lines, shows nothing to read."""
    paths = 0
    for obj in page.get_objects(max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= _OUTLINED_TEXT_PATHS:
                return True
    return False


_ANNOTATION_KEYS = (b"V", b"Contents", b"RC")


def _annotation_text(page: pypdfium2.PdfPage) -> str:
    """Values of the page's form fields and the text of its annotations, one a line."""
    lines: list[str] = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            for key in _ANNOTATION_KEYS:
                size = pdfium_c.FPDFAnnot_GetStringValue(annotation, key, None, 0)
                if size <= 2:
                    continue
                buffer = ctypes.create_string_buffer(size)
                pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
                pdfium_c.FPDFAnnot_GetStringValue(annotation, key, pointer, size)
                value = buffer.raw[: size - 2].decode("utf-16-le", "replace").strip()
                if value:
                    lines.append(value)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return "\n".join(lines)
