"""What the SMTP client handed over, carried unchanged from the handler to the relay.

The envelope is more than sender, recipients and bytes: ``MAIL FROM`` parameters
(BODY=8BITMIME, SMTPUTF8, DSN's RET/ENVID) say how the bytes are to be read and what
the sender asked for. The relay passes them on as given instead of guessing them (a
guess from the first and last 64 KiB relayed 8-bit bytes in the middle of a 25 MB
message without BODY=8BITMIME).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

# MAIL FROM parameters passed on to the next hop. SIZE is left out (the message grows by
# the Sekisho headers); AUTH= belongs to the client's session, not to the message.
_PASSED_ON = ("BODY=", "SMTPUTF8", "RET=", "ENVID=")


def sekisho_id_for(mail_from: str, recipients: list[str] | tuple[str, ...], data: bytes) -> str:
    """Derived from the envelope and the bytes, so that a message the MTA retries after a
    crash gets the same ID: a stored one is recognised, a relayed one carries it again."""
    digest = hashlib.sha256()
    digest.update(mail_from.encode("utf-8", "surrogateescape") + b"\0")
    for recipient in recipients:
        digest.update(recipient.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Submission:
    mail_from: str
    recipients: tuple[str, ...]
    data: bytes
    mail_options: tuple[str, ...] = ()
    sekisho_id: str = ""

    @classmethod
    def received(
        cls,
        mail_from: str,
        recipients: list[str] | tuple[str, ...],
        data: bytes,
        mail_options: list[str] | tuple[str, ...] = (),
    ) -> Submission:
        return cls(
            mail_from,
            tuple(recipients),
            data,
            tuple(mail_options),
            sekisho_id_for(mail_from, recipients, data),
        )

    def with_data(self, data: bytes) -> Submission:
        """The same envelope around other bytes (stamped, encrypted)."""
        return replace(self, data=data)

    @property
    def relay_options(self) -> list[str]:
        """The MAIL FROM parameters for the next hop: the client's own, plus SMTPUTF8
        when an address needs it (without it the next hop must refuse the address)."""
        options = [o for o in self.mail_options if o.upper().startswith(_PASSED_ON)]
        utf8 = not all(a.isascii() for a in (self.mail_from, *self.recipients))
        if utf8 and not any(o.upper() == "SMTPUTF8" for o in options):
            options.append("SMTPUTF8")
        return options

    @property
    def smtputf8(self) -> bool:
        return any(o.upper() == "SMTPUTF8" for o in self.relay_options)


def own_body_options(body: bytes) -> tuple[str, ...]:
    """MAIL FROM parameters for bytes Sekisho holds whole (a notice, a minimised message):
    8-bit is declared by looking at all of them."""
    return () if body.isascii() else ("BODY=8BITMIME",)


def notice_submission(to: str, body: bytes, sekisho_id: str | None) -> Submission:
    """A notice Sekisho wrote itself, from the null sender (a notice must never bounce
    into another notice)."""
    return Submission("", (to,), body, own_body_options(body), sekisho_id or "")
