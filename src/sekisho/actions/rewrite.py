"""Changes to a message's content: moving external recipients to Bcc, and replacing the
attachments by one AES-256 zip whose password goes to the sender only. Reading a message
(subject, recipients, what it holds) is ``extract.mail``'s; this module only changes one."""

from __future__ import annotations

import io
import secrets
import string
from collections.abc import Callable
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import pyzipper

_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.SMTP).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


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
    remove_attachments(message)
    message.add_attachment(
        buffer.getvalue(), maintype="application", subtype="zip", filename=archive_name
    )
    return message.as_bytes(), names


def remove_attachments(message: EmailMessage) -> None:
    if not message.is_multipart():
        return
    kept = []
    for part in message.iter_parts():
        if part.is_attachment():
            continue
        if part.is_multipart():
            remove_attachments(part)  # type: ignore[arg-type]
        kept.append(part)
    message.set_payload(kept)
