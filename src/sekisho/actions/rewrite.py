"""Changes to a message's content: moving external recipients to Bcc, and replacing the
attachments by one AES-256 zip whose password goes to the sender only."""

from __future__ import annotations

import io
import secrets
import string
from collections.abc import Callable
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses

import pyzipper

_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.SMTP).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def headers_of(data: bytes) -> Message:
    """The header block only, parsed the light way (compat32: no header objects)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        end = data.find(b"\n\n")
    head = data[: end if end >= 0 else 65536]
    return BytesHeaderParser(policy=policy.compat32).parsebytes(head)


def visible_recipients(data: bytes | Message) -> list[str]:
    """Addresses in To and Cc (who every recipient sees)."""
    message = headers_of(data) if isinstance(data, bytes) else data
    values = [_decode(str(v)) for key in ("To", "Cc") for v in message.get_all(key, [])]
    return [address for _, address in getaddresses(values) if address]


def subject(data: bytes | Message) -> str:
    message = headers_of(data) if isinstance(data, bytes) else data
    return _decode(str(message.get("Subject", "") or ""))


def _decode(value: str) -> str:
    """RFC 2047 encoded words decoded; raw 8-bit bytes (SMTPUTF8 headers) read as UTF-8."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in value:
        value = str(make_header(decode_header(value)))
    return value


def move_to_bcc(data: bytes, is_internal: Callable[[str], bool]) -> bytes:
    """Remove the external addresses from To and Cc; the envelope still delivers to them,
    as Bcc does. Internal addresses stay visible."""
    message = parse(data)
    for key in ("To", "Cc"):
        values = [str(v) for v in message.get_all(key, [])]
        if not values:
            continue
        keep = [
            (name, address)
            for name, address in getaddresses(values)
            if address and is_internal(address)
        ]
        del message[key]
        if keep:
            message[key] = ", ".join(str(Address(display_name=n, addr_spec=a)) for n, a in keep)
    if message.get("To") is None:
        message["To"] = "undisclosed-recipients:;"
    return message.as_bytes()


def make_password(length: int = 16) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def encrypt_attachments(
    data: bytes, password: str, archive_name: str = "attachments.zip"
) -> tuple[bytes, list[str]]:
    """The message with its attachments replaced by one WinZip-AES-256 zip, and the names
    of what went in. A message without attachments comes back unchanged."""
    message = parse(data)
    attachments = list(message.iter_attachments())
    if not attachments:
        return data, []
    buffer = io.BytesIO()
    names: list[str] = []
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for number, part in enumerate(attachments, start=1):
            name = part.get_filename() or f"attachment{number}"
            while name in names:
                name = f"{number}-{name}"
            names.append(name)
            archive.writestr(name, part.get_payload(decode=True) or b"")
    _remove_attachments(message)
    message.add_attachment(
        buffer.getvalue(), maintype="application", subtype="zip", filename=archive_name
    )
    return message.as_bytes(), names


def _remove_attachments(message: EmailMessage) -> None:
    if not message.is_multipart():
        return
    kept = []
    for part in message.iter_parts():
        if part.is_attachment():
            continue
        if part.is_multipart():
            _remove_attachments(part)  # type: ignore[arg-type]
        kept.append(part)
    message.set_payload(kept)
