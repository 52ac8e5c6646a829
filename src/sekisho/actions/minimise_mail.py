"""A held message with one of its table attachments minimised: the attachments a sender
may minimise, and the message rebuilt with the minimised file in the place of the
original one (a new Message-ID: it is another message), ready to be scanned again."""

from __future__ import annotations

import mimetypes
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import formataddr, getaddresses, make_msgid
from pathlib import PurePath

from sekisho.actions.rewrite import parse
from sekisho.addresses import DEFAULT_DELIMITERS, same_mailbox
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
    # The held copy carries the gateway's stamps (X-Sekisho-Id, -Verdict): they belong to
    # the original, and an ID's digits (09073549599…) read as a phone number when the new
    # message is scanned. It gets its own.
    for header in {k for k in message if k.lower().startswith("x-sekisho-")}:
        del message[header]
    del message["Message-ID"]
    message["Message-ID"] = make_msgid(domain="sekisho.invalid")
    return message.as_bytes()


def display_names(data: bytes, recipients: Sequence[str]) -> dict[str, str]:
    """Each envelope recipient's display name in To/Cc ("北部地域包括支援センター"), "" when
    the headers do not show one (Bcc)."""
    message = parse(data)
    shown = getaddresses([str(v) for h in ("To", "Cc") for v in message.get_all(h, [])])
    names: dict[str, str] = {}
    for address in recipients:
        names[address] = next(
            (name for name, a in shown if name and same_mailbox(a, address, DEFAULT_DELIMITERS)),
            "",
        )
    return names


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def route_values(
    values: Iterable[str], names: Mapping[str, str], mapping: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Which recipient each cell value's rows go to: the policy's mapping first (value →
    addresses), else the one recipient whose display name contains the value. A value
    that would go to several recipients, or to none, is not routed (its rows go nowhere:
    a row never reaches someone by a guess)."""
    routed: dict[str, str] = {}
    for value in values:
        mapped = [
            a
            for a in names
            if any(same_mailbox(a, m, DEFAULT_DELIMITERS) for m in mapping.get(value, ()))
        ]
        folded = _fold(value)
        named = [a for a, n in names.items() if len(folded) >= 2 and folded in _fold(n)]
        candidates = mapped or named
        if len(candidates) == 1:
            routed[value] = candidates[0]
    return routed


def addressed_to(data: bytes, address: str, name: str = "") -> bytes:
    """``data`` as a message to ``address`` alone (To rewritten, Cc dropped): each
    recipient of a split roster sees only their own copy."""
    message = parse(data)
    del message["To"]
    del message["Cc"]
    message["To"] = formataddr((name, address)) if name else address
    return message.as_bytes()
