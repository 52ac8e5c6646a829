"""Attachments out, a link in: the message each recipient of a ``link`` verdict receives.

The text of the message stays as the sender wrote it; every attachment is taken out (the
files go to the blob store, sealed) and a short part is added that names the recipient's
own link, its expiry and how many downloads it allows, in Japanese and English. Each
recipient gets a copy naming only their own link, so a forwarded link says whose it was
and can be revoked alone.
"""

from __future__ import annotations

import base64
import mimetypes
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message

from sekisho.actions.rewrite import parse
from sekisho.extract import mime
from sekisho.japan_time import japan_time

BODY_TYPES = ("text/plain", "text/html")


@dataclass(frozen=True, slots=True)
class TakenFile:
    name: str
    content_type: str
    read: Callable[[], bytes]  # decoded when it is sealed: one file in memory at a time


def take_attachments(data: bytes) -> tuple[bytes, list[TakenFile]]:
    """The message with only its text bodies, and every other part as a file.

    Kept: text/plain and text/html parts not marked attachment and without a file name
    (what clients show as the message). Taken: every other leaf — attachments, inline
    images, a part without Content-Disposition that clients still offer as a file, an
    attached message (as .eml) — so that no file leaves in a copy, whatever the shape.

    Bodies never go through the standard library's parser, which would hold a 25 MB
    attachment several times over: it parses a skeleton in which each leaf body is a
    marker naming its range of the original bytes (``extract.mime``, no copies). Kept
    bodies are put back byte for byte; a taken file is decoded from its range when it is
    sealed. Where the two parsers would disagree on a hostile structure, the whole message
    is parsed the slow way instead (the same rules, more memory)."""
    leaves = list(_leaves(mime.split(data)))
    nonce = secrets.token_hex(8)
    pieces, position, bodies = [], 0, {}
    for number, leaf in enumerate(leaves):
        marker = f"SEKISHO-{nonce}-{number}".encode()
        pieces += [data[position : leaf.start], marker]
        position = leaf.end
        bodies[marker] = leaf
    pieces.append(data[position:])
    skeleton = parse(b"".join(pieces))
    files = _take(skeleton, bodies)
    if files is None:  # the parsers disagree: no markers, the standard library decodes
        message = parse(data)
        files = _take(message, {}) or []
        return (message.as_bytes(), files) if files else (data, [])
    if not files:
        return data, []
    return _stripped(skeleton, bodies), files


def _leaves(part: mime.MimePart, depth: int = 0):  # type: ignore[no-untyped-def]
    """Every part that is not a multipart with parts, in order."""
    children = list(part.children(depth)) if part.content_type.startswith("multipart/") else []
    if not children:
        yield part
        return
    for child in children:
        yield from _leaves(child, depth + 1)


def _is_body(part: Message) -> bool:
    return (
        part.get_content_type() in BODY_TYPES
        and part.get_content_disposition() != "attachment"
        and part.get_filename() is None
    )


def _take(message: EmailMessage, bodies: dict[bytes, mime.MimePart]) -> list[TakenFile] | None:
    """Remove every non-body leaf from ``message`` (in place) and return them as files;
    None when a taken part's body is not exactly one marker (the parsers disagree)."""
    files: list[TakenFile] = []

    def file_of(part: Message) -> TakenFile | None:
        number = len(files) + 1
        ctype = part.get_content_type()
        name = part.get_filename() or (
            f"message{number}.eml"
            if ctype == "message/rfc822"
            else f"attachment{number}{mimetypes.guess_extension(ctype) or '.bin'}"
        )
        if not bodies:
            payload = (
                part.get_payload(0).as_bytes()  # type: ignore[union-attr]
                if part.get_content_maintype() == "message" and part.is_multipart()
                else part.get_payload(decode=True) or b""
            )
            return TakenFile(name, ctype, lambda: payload)  # type: ignore[misc]
        inner = part.get_payload(0) if part.is_multipart() else part
        raw = inner.get_payload() if isinstance(inner, Message) else None
        leaf = bodies.get(raw.strip().encode("ascii", "replace")) if isinstance(raw, str) else None
        if leaf is None:
            return None
        return TakenFile(name, ctype, leaf.decoded)

    def walk(container: Message) -> bool:
        # Text outside the parts is for clients that cannot read MIME; a lenient one may
        # still show a "part" hidden after the closing delimiter: none of it leaves.
        container.preamble = container.epilogue = None
        kept = []
        for child in container.get_payload():  # type: ignore[union-attr]
            if child.get_content_maintype() == "multipart" and child.is_multipart():
                if not walk(child):
                    return False
                if child.get_payload():
                    kept.append(child)
            elif _is_body(child):
                kept.append(child)
            else:
                taken = file_of(child)
                if taken is None:
                    return False
                files.append(taken)
        container.set_payload(kept)
        return True

    if message.get_content_maintype() == "multipart" and message.is_multipart():
        return files if walk(message) else None
    if _is_body(message):
        return files
    taken = file_of(message)
    if taken is None:
        return None
    for header in ("Content-Type", "Content-Transfer-Encoding", "Content-Disposition"):
        del message[header]
    message.set_payload("")
    return [taken]


def _stripped(skeleton: EmailMessage, bodies: dict[bytes, mime.MimePart]) -> bytes:
    """The skeleton as bytes with each kept body put back where its marker is."""
    out = skeleton.as_bytes()
    for marker, leaf in bodies.items():
        if marker in out:
            out = out.replace(marker, bytes(leaf.body()), 1)
    return out


def size_label(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def link_text(url: str, files: list[tuple[str, int]], expires: datetime, downloads: int) -> str:
    listed = "\n".join(f"  - {name} ({size_label(size)})" for name, size in files)
    until = japan_time(expires)
    return (
        "このメールの添付ファイルは、あなた専用のダウンロードリンクでお送りします。\n"
        f"{url}\n"
        f"有効期限: {until}（ダウンロードは {downloads} 回まで）\n"
        "初回は、このアドレスに届く確認コードの入力が必要です。"
        "このリンクは転送しないでください。\n"
        f"{listed}\n\n"
        "The attachments of this message are sent as a download link for you alone.\n"
        f"{url}\n"
        f"Valid until {until} ({downloads} downloads at most). The first time, a code sent to "
        "this address confirms the mailbox. Please do not forward this link.\n"
        "-- Sekisho (関所)\n"
    )


class Copies:
    """Each recipient's copy: ``stripped`` with a part naming their link. The message is
    parsed and laid out once; a copy differs from the next only in that part's bytes."""

    def __init__(self, stripped: bytes) -> None:
        self._placeholder = f"SEKISHO-LINK-{secrets.token_hex(8)}"
        message = parse(stripped)
        if not message.is_multipart() and not message.get_payload():
            message.set_content("")  # the whole message was the file
        if message.get_content_type() != "multipart/mixed":
            message.make_mixed()
        part = EmailMessage()
        part.set_content(self._placeholder, charset="utf-8", cte="base64")
        part.set_payload(self._placeholder)  # replaced per recipient, already encoded
        part["Content-Disposition"] = "inline"
        message.attach(part)
        self._template = message.as_bytes()

    def copy_for(self, text: str) -> bytes:
        encoded = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n").rstrip()
        return self._template.replace(self._placeholder.encode(), encoded, 1)
