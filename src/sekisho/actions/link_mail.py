"""Attachments out, a link in: the message each recipient of a ``link`` verdict receives.

The text of the message stays as the sender wrote it; every attachment is taken out (the
files go to the blob store, sealed) and a short part is added that names the recipient's
own link, its expiry and how many downloads it allows, in Japanese and English. Each
recipient gets a copy naming only their own link, so a forwarded link says whose it was
and can be revoked alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage

from sekisho.actions.rewrite import parse, remove_attachments


@dataclass(frozen=True, slots=True)
class TakenFile:
    name: str
    content_type: str
    data: bytes


def take_attachments(data: bytes) -> tuple[bytes, list[TakenFile]]:
    """The message without its attachments, and the attachments."""
    message = parse(data)
    files = []
    for number, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename() or f"attachment{number}"
        files.append(TakenFile(name, part.get_content_type(), part.get_payload(decode=True) or b""))
    if not files:
        return data, []
    remove_attachments(message)
    return message.as_bytes(), files


JAPAN = timezone(timedelta(hours=9), "JST")  # no daylight saving: a fixed offset is exact


def japan_time(moment: datetime) -> str:
    """A stored (naive UTC) time as recipients in Japan read it."""
    return moment.replace(tzinfo=UTC).astimezone(JAPAN).strftime("%Y-%m-%d %H:%M JST")


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


def copy_for(stripped: bytes, text: str) -> bytes:
    """``stripped`` (a message without attachments) with the link part added at its end."""
    message = parse(stripped)
    if message.get_content_type() != "multipart/mixed":
        message.make_mixed()
    part = EmailMessage()
    part.set_content(text, charset="utf-8")
    part["Content-Disposition"] = "inline"
    message.attach(part)
    return message.as_bytes()
