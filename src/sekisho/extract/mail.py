"""E-mail messages (.eml, RFC 5322 / MIME): the subject, every text part in its charset
(ISO-2022-JP included), HTML turned into text, every attachment as a file of its own
(RFC 2047 and 2231 encoded names decoded), and messages attached to messages.

Of the headers only the subject is read as content: the sender's and recipients'
addresses are the envelope of the mail, not data about the people it carries. The
structure is split by ``mime`` without copying the bodies, so a 25 MB attachment costs
its decoded size once, not the message several times over.
"""

from __future__ import annotations

import html
import re
from email.header import decode_header, make_header
from email.message import Message
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from sekisho.extract.mime import MimePart, split
from sekisho.extract.parts import TextPart
from sekisho.extract.textcodec import Decoded, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker


def read_eml(walker: Walker, data: bytes, ctx: FileContext) -> None:
    message = split(data)
    subject = _words(_fix_text(str(message.headers.get("Subject", "") or "")))
    if subject.strip():
        walker.part(TextPart(subject, ctx.place("subject")))
    _walk(walker, message, ctx, [0], 0)


def _walk(walker: Walker, part: MimePart, ctx: FileContext, counter: list[int], depth: int) -> None:
    headers, ctype = part.headers, part.content_type
    if ctype == "message/rfc822":
        content = part.decoded()
        walker.budget.take_bytes(len(content))
        name = _filename(headers) or _subject_name(split(content).headers)
        walker.file(content, ctx.attachment(name))
        return
    if ctype.startswith("multipart/"):
        subparts = list(part.children(depth))
        if ctype == "multipart/alternative":
            subparts = _preferred_alternative(subparts)
        for sub in subparts:
            _walk(walker, sub, ctx, counter, depth + 1)
        return
    filename = _filename(headers)
    if (
        filename
        or headers.get_content_disposition() == "attachment"
        or not ctype.startswith("text/")
    ):
        counter[0] += 1
        payload = part.decoded()
        walker.budget.take_bytes(len(payload))
        name = filename or f"part{counter[0]}{_extension(ctype)}"
        walker.file(payload, ctx.attachment(name))
        return
    text = _text(part)
    if ctype == "text/html":
        text = html_to_text(text)
    if text.strip():
        walker.budget.take_bytes(len(text))
        label = "body" if ctype == "text/plain" else "body (html)"
        walker.part(TextPart(text, ctx.place(label)))


def _preferred_alternative(parts: list[MimePart]) -> list[MimePart]:
    """Of text/plain and text/html versions of one body, read the plain one only (reading
    both would count every value twice); other alternatives are kept."""
    plain = [p for p in parts if p.content_type == "text/plain"]
    if not plain:
        return parts
    return [p for p in parts if p.content_type != "text/html"]


def _text(part: MimePart) -> str:
    """A text part in its declared charset; when that is missing or wrong, the bytes decide."""
    payload = part.decoded()
    charset = part.headers.get_content_charset()
    if charset:
        try:
            return payload.decode(_CHARSET_ALIASES.get(charset.lower(), charset))
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_text(payload) if payload else None
    return decoded.text if isinstance(decoded, Decoded) else ""


# Mailers label cp932 text as Shift_JIS and use its extensions (①, ㈱, 髙).
_CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
}


def _words(value: str) -> str:
    """RFC 2047 encoded words decoded (in subjects, and in file names where mailers put them)."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeDecodeError, ValueError):
        return value


_RAW_NAME = re.compile(r'(?:file)?name="?([^";\r\n]+)', re.IGNORECASE)


def _filename(part: Message) -> str | None:
    name = part.get_filename()
    if name and "\ufffd" in name:
        # Raw 8-bit bytes in the header (no RFC 2047/2231): the parsed parameter has lost
        # them, the raw header still has them as surrogate escapes.
        for key, value in part.raw_items():
            if key.lower() in ("content-disposition", "content-type"):
                match = _RAW_NAME.search(str(value))
                if match:
                    return _fix_text(match.group(1).strip())
    return _words(_fix_text(name)) if name else None


def _fix_text(value: str) -> str:
    """Raw 8-bit header bytes (mailers that skip RFC 2047) arrive as surrogate escapes:
    turn them back into bytes and decode them as Japanese mailers write them."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    decoded = decode_text(raw)
    return decoded.text if isinstance(decoded, Decoded) else raw.decode("utf-8", "replace")


def _subject_name(message: Message) -> str:
    subject = _words(_fix_text(str(message.get("Subject", "") or "")))
    subject = re.sub(r'[\\/:*?"<>|\r\n]', "_", subject)[:60]
    return f"{subject or 'message'}.eml"


def _extension(ctype: str) -> str:
    return {"application/pdf": ".pdf", "text/csv": ".csv", "application/zip": ".zip"}.get(ctype, "")


class _TextFromHtml(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "section"})
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BREAKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextFromHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.out))
    return re.sub(r"\n{3,}", "\n\n", text)
