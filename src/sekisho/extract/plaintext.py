"""Plain text and HTML files: decoded from their bytes and kept as one text part (records
written as SQL or JSON as tables), and whatever files the text carries (base64 runs,
uuencoded blocks, ``data:`` URIs) read too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sekisho.extract import embedded
from sekisho.extract.html import html_to_text
from sekisho.extract.structured import record_parts
from sekisho.extract.textcodec import Decoded, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker


def _decoded_text(walker: Walker, data: bytes, ctx: FileContext) -> str | None:
    """The file's text with the files it carries read out, or None with the problem told."""
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        walker.problem(decoded.code, ctx.origin, decoded.detail)
        return None
    walker.budget.take_bytes(len(decoded.text))
    return embedded.read_embedded(walker, decoded.text, ctx, in_message=False)


def read_text(walker: Walker, data: bytes, ctx: FileContext) -> None:
    text = _decoded_text(walker, data, ctx)
    if text is not None:
        for part in record_parts(text, ctx.origin):  # SQL and JSON records are tables
            walker.part(part)


def read_html(walker: Walker, data: bytes, ctx: FileContext) -> None:
    """An HTML file as a browser shows it (see ``extract.html``)."""
    source = _decoded_text(walker, data, ctx)
    text = html_to_text(source) if source is not None else ""
    if text.strip():
        for part in record_parts(text, ctx.origin):  # tables stay tables
            walker.part(part)
