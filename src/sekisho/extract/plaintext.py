"""Plain text files: decoded from their bytes and kept as one text part."""

from __future__ import annotations

from sekisho.extract.parts import Extraction, TextPart
from sekisho.extract.problems import Problem
from sekisho.extract.textcodec import Decoded, decode_text


def read_text(data: bytes) -> Extraction:
    decoded = decode_text(data)
    if not isinstance(decoded, Decoded):
        return Extraction("text", problems=[Problem(decoded.code, "", decoded.detail)])
    return Extraction("text", parts=[TextPart(decoded.text)])
