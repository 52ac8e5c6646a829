"""Plain text files: decoded from their bytes and kept as one text part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sekisho.extract.parts import TextPart
from sekisho.extract.textcodec import Decoded, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker


def read_text(walker: Walker, data: bytes, ctx: FileContext) -> None:
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        walker.problem(decoded.code, ctx.origin, decoded.detail)
        return
    walker.budget.take_bytes(len(decoded.text))
    walker.part(TextPart(decoded.text, ctx.origin))
