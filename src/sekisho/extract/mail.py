"""E-mail messages (.eml, RFC 5322 / MIME), read as a recipient's client could read them.

The rule this module keeps: every byte that a client could render or decode is scanned,
or the message is unscannable with the reason. So:

- every header's value is read (RFC 2047 words and raw 8-bit bytes decoded), the subject
  and display names included; addresses and message IDs are the envelope, not content;
- every alternative of ``multipart/alternative`` is read (a text twin of another is
  read once);
- HTML through an HTML5 parser (``extract.html``); text, HTML and preamble/epilogue are
  searched for files they carry (base64 runs, uuencode, ``data:`` URIs: ``embedded``);
- a body is decoded by its bytes where its transfer encoding is unknown or lies
  (``transfer``), and read as a file when its bytes are one, whatever its label;
- ``message/rfc822`` is always a message; ``message/partial`` is unscannable (fragments
  cannot be judged alone); a multipart without a usable boundary is read as the text the
  standard library and clients make of it;
- every limit that stops reading (a header block over 64 KiB, nesting deeper than 32
  multiparts, parts, bytes) is a problem that names the limit.

The structure is split by ``mime`` without copying the bodies, so a 25 MB attachment
costs its decoded size once. ``read_head`` is the one reading of a message's header
block that the gateway, the actions and the CLI use too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses
from typing import TYPE_CHECKING

from sekisho.extract import embedded, mail_crosscheck, mime, transfer
from sekisho.extract.html import html_to_text
from sekisho.extract.mime import HEADER_LIMIT, MAX_DEPTH, MimePart, split
from sekisho.extract.parts import TextPart
from sekisho.extract.problems import ProblemCode
from sekisho.extract.sniff import sniff
from sekisho.extract.structured import record_parts
from sekisho.extract.textcodec import CHARSET_ALIASES, Decoded, decode_declared, decode_text

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

# Headers whose value is addresses: the display names (and comments, group names) are
# read, the addresses themselves are the envelope.
ADDRESS_HEADERS = frozenset(
    {
        "from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to",
        "resent-cc", "resent-bcc", "resent-sender", "return-path", "delivered-to",
        "disposition-notification-to", "return-receipt-to", "errors-to", "x-original-to",
        "mail-followup-to", "mail-reply-to", "x-sender", "x-receiver", "envelope-to",
    }
)  # fmt: skip
_ID_HEADERS = frozenset(
    {"message-id", "in-reply-to", "references", "content-id", "resent-message-id"}
)
# Trace, authentication and list headers written by MTAs name the envelope's addresses
# ("envelope-from", "smtp.mail=", "for <…>"): those are left out, the rest is read.
_TRACE_HEADERS = (
    "received", "authentication-results", "arc-", "dkim-", "list-", "x-original-",
    "x-forwarded-", "x-envelope-", "x-beenthere", "x-google-original-", "x-ms-exchange-",
    "x-microsoft-", "x-forefront-", "x-sender", "x-apparently-to", "x-rcpt-to", "x-mailfrom",
    "x-spam-", "x-virus-", "x-authenticated-", "x-auth-", "x-received", "x-account-key",
)  # fmt: skip
_STRUCTURE_HEADERS = frozenset({"content-transfer-encoding", "mime-version"})
_ADDR_SPEC = re.compile(r"<[^<>\s]*>|[^\s<>()\",;:]+@[^\s<>()\",;:]+")
_MSG_ID = re.compile(r"<[^<>]*>")
_BOUNDARY_PARAM = re.compile(r'boundary\s*=\s*(?:"[^"]*"|[^;\s]+)', re.IGNORECASE)
_NAME_PARAM = re.compile(r'(?:file)?name\*?(?:\d+\*?)?\s*=\s*(?:"[^"]*"|[^;\s]+)', re.I)
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=")
_ENCODED_GAP = re.compile(r"(\?=)[ \t\r\n]+(=\?)")
_RAW_NAME = re.compile(r'(?:file)?name\*?=\s*"?([^";\r\n]+)', re.IGNORECASE)
_TABLE_TYPES = {"text/csv": ".csv", "text/tab-separated-values": ".tsv", "text/x-csv": ".csv"}
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})


@dataclass(slots=True)
class MailHead:
    """A message's header block, decoded once: what the scan reads and what the gateway
    and the actions need (subject, visible recipients)."""

    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, decoded value)
    raw: list[tuple[str, str]] = field(default_factory=list)  # (name, value as sent)
    complete: bool = True

    def get(self, name: str) -> str:
        lowered = name.lower()
        return next((v for k, v in self.fields if k.lower() == lowered), "")

    def get_all(self, name: str) -> list[str]:
        lowered = name.lower()
        return [v for k, v in self.fields if k.lower() == lowered]

    @property
    def subject(self) -> str:
        return self.get("Subject")

    def addresses(self, *names: str) -> list[str]:
        """The addresses in the named headers, in order."""
        wanted = {n.lower() for n in names}
        values = [v for k, v in self.raw if k.lower() in wanted]
        return [address for _, address in getaddresses(values) if address]

    @property
    def visible_recipients(self) -> list[str]:
        """Addresses in To and Cc (who every recipient sees)."""
        return self.addresses("To", "Cc")

    def content_lines(self) -> tuple[list[str], list[str]]:
        """The header text to scan: (other fields, display names). Addresses, message IDs
        and MIME boundaries are machine tokens and left out; the subject is read apart."""
        lines: list[str] = []
        names: list[str] = []
        for (key, raw), (_, value) in zip(self.raw, self.fields, strict=True):
            lowered = key.lower()
            if lowered == "subject" or lowered in _STRUCTURE_HEADERS:
                continue
            if lowered in ADDRESS_HEADERS:
                names.extend(_display_names(raw))
                continue
            if lowered in _ID_HEADERS:
                value = _MSG_ID.sub(" ", value)
            elif lowered in ("content-type", "content-disposition"):
                value = _NAME_PARAM.sub(" ", _BOUNDARY_PARAM.sub(" ", value))
            elif lowered.startswith(_TRACE_HEADERS):
                value = _MSG_ID.sub(" ", value)
            # Addresses in any header are the envelope's (MTAs and scanners copy them into
            # headers of their own); names, numbers and dates beside them are still read.
            value = _ADDR_SPEC.sub(" ", value)
            value = value.strip()
            if value:
                lines.append(f"{key}: {value}")
        return lines, names


def read_head(data: bytes | Message) -> MailHead:
    """The header block of ``data`` (a whole message, or headers already split)."""
    headers = data if isinstance(data, Message) else split(data).headers
    head = MailHead()
    for key, value in headers.raw_items():
        value = str(value)
        head.raw.append((key, value))
        head.fields.append((key, decode_header_value(value)))
    return head


def decode_header_value(value: str) -> str:
    """A header value as a client shows it: unfolded, raw 8-bit bytes decoded as Japanese
    mailers write them (UTF-8, Shift_JIS, ISO-2022-JP), RFC 2047 words decoded with
    adjacent words of one charset joined first (a character may be split between them)."""
    value = re.sub(r"\r?\n[ \t]", " ", value).replace("\r", "").replace("\n", "")
    value = _fix_text(value)
    if "=?" in value and "?=" in value:
        value = _decode_words(value)
    return value


def _decode_words(value: str) -> str:
    value = _ENCODED_GAP.sub(r"\1\2", value)
    out: list[str] = []
    position = 0
    pending: list[bytes] = []
    pending_charset = ""
    last_end = -1
    for match in _ENCODED_WORD.finditer(value):
        charset, encoding, text = match.groups()
        if pending and (match.start() != last_end or charset.lower() != pending_charset):
            out.append(_charset_text(b"".join(pending), pending_charset))
            pending = []
        if not pending:
            out.append(value[position : match.start()])
        # Raw 8-bit bytes inside a word are already decoded text here (``_fix_text``).
        raw = text.encode("utf-8", "surrogateescape")
        if encoding in "Bb":
            data = transfer.b64decode(raw)
        else:
            data = re.sub(
                rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw
            ).replace(b"_", b" ")
        pending.append(data)
        pending_charset = charset.lower()
        position = last_end = match.end()
    if pending:
        out.append(_charset_text(b"".join(pending), pending_charset))
    out.append(value[position:])
    return "".join(out)


def _charset_text(data: bytes, charset: str) -> str:
    decoded = decode_declared(data, charset)
    if isinstance(decoded, Decoded):
        return decoded.text
    return data.decode("utf-8", "replace")


def _fix_text(value: str) -> str:
    """Raw 8-bit header bytes (mailers that skip RFC 2047) arrive as surrogate escapes:
    turn them back into bytes and decode them as Japanese mailers write them."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value) and "\x1b" not in value:
        return value
    raw = value.encode("utf-8", "surrogateescape")
    decoded = decode_text(raw)
    return decoded.text if isinstance(decoded, Decoded) else raw.decode("utf-8", "replace")


def _display_names(raw: str) -> list[str]:
    """Display names, comments and group names of an address header, decoded; one entry
    a person (or group)."""
    text = decode_header_value(raw)
    names: list[str] = []
    for name, _address in getaddresses([raw]):
        name = decode_header_value(name).strip()
        if name and "@" not in name:
            names.append(name)
    # What the address parser could not place (a malformed header) is read as well.
    leftover = _ADDR_SPEC.sub(" ", text)
    for name in names:
        leftover = leftover.replace(name, " ")
    leftover = re.sub(r"[\s,;:<>\"()]+", " ", leftover).strip()
    if leftover:
        names.append(leftover)
    return names


def read_eml(walker: Walker, data: bytes, ctx: FileContext) -> None:
    reader = _MailReader(walker, ctx)
    reader.message(split(data))
    missed = mail_crosscheck.unread_leaves(data, reader.read)
    if missed:
        reader.problem(
            ProblemCode.CORRUPT,
            "mail programs divide this message into parts differently from the scan; "
            f"not read: {', '.join(missed[:3])}",
        )


class _MailReader:
    def __init__(self, walker: Walker, ctx: FileContext) -> None:
        self.walker = walker
        self.ctx = ctx
        self.unnamed = 0
        self.read: list[tuple[int, int]] = []  # ranges of the message's bytes read as bodies

    def message(self, root: MimePart) -> None:
        self.head(root, "headers", top=True)
        self.node(root, 0)

    def problem(self, code: ProblemCode, detail: str) -> None:
        self.walker.problem(code, self.ctx.origin, detail)

    def head(self, part: MimePart, where: str, *, top: bool = False) -> None:
        if not part.header_complete:
            self.problem(
                ProblemCode.TOO_LARGE, f"a header block is larger than {HEADER_LIMIT:,} bytes"
            )
        head = read_head(part.headers)
        if top and head.subject.strip():
            self.text(head.subject, "subject")
        lines, names = head.content_lines()
        filename = _filename(part.headers)
        if filename:
            lines.append(f"file name: {filename}")
        if lines:
            # A header can carry a file too (base64 in an X- header, a data: URI): read
            # like a body's, since a recipient's script decodes it as easily.
            text = embedded.read_embedded(self.walker, "\n".join(lines), self.ctx, in_message=True)
            self.text(text, where)
        if names:
            # A correspondent's name beside an address is the envelope; anything more in a
            # display name (a second name, a birth date, a number) is content.
            self.walker.part(
                TextPart("\n".join(names), self.ctx.place(f"{where} (names)"), names_expected=True)
            )

    def text(self, text: str, label: str) -> None:
        self.walker.budget.take_bytes(len(text))
        for part in record_parts(text, self.ctx.place(label)):  # SQL and JSON records
            self.walker.part(part)

    def node(self, part: MimePart, depth: int) -> None:
        self.walker.budget.take_part()
        if depth > MAX_DEPTH:
            self.problem(ProblemCode.TOO_LARGE, f"MIME parts nested deeper than {MAX_DEPTH} levels")
            return
        if depth:
            self.head(part, "part headers")
        ctype = part.content_type
        if ctype == "message/partial":
            self.problem(
                ProblemCode.UNSUPPORTED,
                "message/partial: a fragment of a message cannot be judged alone",
            )
            return
        if ctype in _MESSAGE_TYPES:
            self.read.append((part.start, part.end))
            content = part.decoded()
            self.walker.budget.take_bytes(len(content))
            name = _filename(part.headers) or _subject_name(content)
            self.walker.file(content, self.ctx.attachment(name), kind="eml")
            return
        if ctype.startswith("multipart/"):
            self.multipart(part, depth)
            return
        self.leaf(part)

    def multipart(self, part: MimePart, depth: int) -> None:
        layout = part.layout()
        if not layout.found:
            # No boundary, or one that never occurs: the standard library and clients
            # show the body as text, and so it is read (with any files it carries).
            self.read.append((part.start, part.end))
            self.body_text(part.body().tobytes(), None, "body", html=False)
            return
        for start, end in (layout.preamble, layout.epilogue):
            self.read.append((start, end))
            extra = part.data[start:end]
            if extra.strip():
                self.body_text(extra, None, "preamble/epilogue", html=False)
        children = [split(part.data, s, e) for s, e in layout.parts]
        if part.content_type == "multipart/alternative":
            children = self.alternatives(children)
        for child in children:
            self.node(child, depth + 1)

    def alternatives(self, parts: list[MimePart]) -> list[MimePart]:
        """Every alternative is read, since a client may show any of them; a text/plain
        whose text is contained in the HTML's (or the other way round) is read once, so
        that one roster is not counted twice."""
        texts: dict[int, str] = {}
        for index, part in enumerate(parts):
            if part.content_type in ("text/plain", "text/html") and not _is_attachment(part):
                decoded = decode_declared(part.decoded(), part.headers.get_content_charset())
                if isinstance(decoded, Decoded):
                    text = decoded.text
                    if part.content_type == "text/html":
                        text = html_to_text(text)
                    texts[index] = re.sub(r"\s+", "", text)
        dropped: set[int] = set()
        for i, a in texts.items():
            for j, b in texts.items():
                if i != j and j not in dropped and a in b and (a != b or i < j):
                    dropped.add(i)
                    break
        # A dropped twin was read as part of the alternative that contains it.
        self.read.extend((parts[k].start, parts[k].end) for k in dropped)
        return [p for k, p in enumerate(parts) if k not in dropped]

    def leaf(self, part: MimePart) -> None:
        self.read.append((part.start, part.end))
        ctype = part.content_type
        decoded = part.transfer()
        payload = _undo_nested(decoded.data)
        filename = _filename(part.headers) or decoded.name
        if not _is_attachment(part) and not filename and ctype.startswith("text/"):
            kind = sniff(payload)
            if kind in ("text", "html") and ctype not in _TABLE_TYPES:
                self.body_text(
                    payload, part.headers.get_content_charset(), "body", html=ctype == "text/html"
                )
                return
        self.unnamed += 1
        name = filename or f"part{self.unnamed}{_extension(ctype)}"
        self.walker.budget.take_bytes(len(payload))
        self.walker.file(payload, self.ctx.attachment(name))

    def body_text(self, payload: bytes, charset: str | None, label: str, *, html: bool) -> None:
        """A body as text: decoded (NULs dropped), HTML rendered, and the files it carries
        read; text that cannot be decoded is a problem, never nothing."""
        if not payload.strip():
            return
        decoded = decode_declared(payload, charset)
        if not isinstance(decoded, Decoded):
            self.problem(decoded.code, f"{label}: {decoded.detail}")
            return
        text = embedded.read_embedded(self.walker, decoded.text, self.ctx, in_message=True)
        if html or (label == "body" and _looks_html(text)):
            rendered = html_to_text(text)
            if rendered.strip():
                self.text(rendered, "body (html)")
        elif text.strip():
            self.text(text, label)


def _undo_nested(payload: bytes, rounds: int = 3) -> bytes:
    """A body that is still base64 after its transfer encoding is undone (``7bit`` or
    ``quoted-printable`` over base64, base64 of base64): decoded while what comes out is
    a file or text, as a recipient's copy-and-paste would decode it."""
    for _ in range(rounds):
        if not transfer.is_base64(payload):
            return payload
        inner = transfer.b64decode(payload)
        if sniff(inner) in ("text", "csv") and not isinstance(decode_text(inner), Decoded):
            return payload  # random bytes: the base64 letters were the content
        payload = inner
    return payload


def _looks_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def _is_attachment(part: MimePart) -> bool:
    return (part.headers.get_content_disposition() or "") == "attachment"


def _filename(headers: Message) -> str | None:
    name = headers.get_filename()
    if name and "\ufffd" in name:
        # Raw 8-bit bytes in the header (no RFC 2047/2231): the parsed parameter has lost
        # them, the raw header still has them as surrogate escapes.
        for key, value in headers.raw_items():
            if key.lower() in ("content-disposition", "content-type"):
                match = _RAW_NAME.search(str(value))
                if match:
                    return _fix_text(match.group(1).strip())
    return decode_header_value(name) if name else None


def _subject_name(content: bytes) -> str:
    subject = read_head(content).subject
    subject = re.sub(r'[\\/:*?"<>|\r\n]', "_", subject)[:60]
    return f"{subject or 'message'}.eml"


def _extension(ctype: str) -> str:
    return {
        "application/pdf": ".pdf",
        "text/csv": ".csv",
        "text/tab-separated-values": ".tsv",
        "application/zip": ".zip",
    }.get(ctype, "")


__all__ = ["CHARSET_ALIASES", "MailHead", "decode_header_value", "mime", "read_eml", "read_head"]
