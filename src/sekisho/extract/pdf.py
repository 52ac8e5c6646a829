"""PDF through pypdfium2: the text layer of every page. A PDF without one (a scanned
image) is unscannable ("no text layer"); an encrypted one is unscannable ("encrypted")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pypdfium2

from sekisho.extract.parts import TextPart
from sekisho.extract.problems import ProblemCode

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
    try:
        pages_with_text = 0
        for number in range(len(document)):
            walker.budget.take_part()
            page = document[number]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded()
                textpage.close()
            finally:
                page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if text.strip():
                pages_with_text += 1
                walker.budget.take_bytes(len(text))
                walker.part(TextPart(text, ctx.place(f"page {number + 1}")))
        if len(document) and not pages_with_text:
            walker.problem(ProblemCode.NO_TEXT, ctx.origin, f"{len(document)} page(s) without text")
    finally:
        document.close()
