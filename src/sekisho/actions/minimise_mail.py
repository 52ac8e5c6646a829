"""A held message with one of its table attachments minimised: the attachments a sender
may minimise, and the message rebuilt with the minimised file in the place of the
original one (a new Message-ID: it is another message), ready to be scanned again."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import PurePath

from sekisho.actions.rewrite import parse
from sekisho.extract.sniff import sniff

TABLE_KINDS = frozenset({"xlsx", "ods", "csv", "biff"})
_SUBTYPES = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".csv": ("text", "csv"),
}


@dataclass(frozen=True)
class TableAttachment:
    number: int  # its place among the message's attachments, from 1
    name: str
    data: bytes


def table_attachments(data: bytes) -> list[TableAttachment]:
    """The attachments that are tables (by their bytes, not their names)."""
    found = []
    for number, part in enumerate(parse(data).iter_attachments(), start=1):
        payload = part.get_payload(decode=True) or b""
        name = part.get_filename() or f"attachment{number}"
        kind = sniff(payload, name) if payload else ""
        if kind in TABLE_KINDS or (kind == "ole" and name.lower().endswith(".xls")):
            found.append(TableAttachment(number, name, payload))
    return found


def minimised_name(name: str, suffix: str) -> str:
    """認定者一覧.xlsx → 認定者一覧_集計.xlsx (the suffix of what was written)."""
    stem = PurePath(name).stem or "table"
    return f"{stem}_必要な情報のみ{suffix}"


def replace_attachment(data: bytes, number: int, name: str, content: bytes) -> bytes:
    """``data`` with attachment ``number`` replaced by ``content`` named ``name``."""
    message = parse(data)
    parts = list(message.iter_attachments())
    if not 1 <= number <= len(parts):
        raise ValueError(f"no attachment {number}")
    part = parts[number - 1]
    maintype, subtype = _SUBTYPES.get(
        PurePath(name).suffix.lower(),
        tuple((mimetypes.guess_type(name)[0] or "application/octet-stream").split("/", 1)),
    )
    part.set_content(content, maintype=maintype, subtype=subtype, filename=name)
    del message["Message-ID"]
    message["Message-ID"] = make_msgid(domain="sekisho.invalid")
    return message.as_bytes()
