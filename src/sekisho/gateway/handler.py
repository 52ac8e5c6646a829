"""The SMTP edge: thin, as aiosmtpd intends. ``handle_DATA`` hands the envelope to the
pipeline and returns its reply; any failure is 451, never aiosmtpd's default 500 (which
would make Postfix bounce the mail instead of retrying it)."""

from __future__ import annotations

import logging

from aiosmtpd.smtp import SMTP, Envelope, Session

from sekisho.gateway.pipeline import Pipeline

log = logging.getLogger("sekisho.gateway")

TEMPORARY_FAILURE = "451 4.3.0 Sekisho could not process the message; try again later"


class GatewayHandler:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        mail_from = _text(envelope.mail_from)
        recipients = [_text(r) for r in envelope.rcpt_tos]
        try:
            outcome = await self.pipeline.process(mail_from, recipients, data)
        except Exception:
            log.exception("message from %d bytes failed; answering 451", len(data))
            return TEMPORARY_FAILURE
        return outcome.reply

    async def handle_exception(self, error: Exception) -> str:
        log.error("SMTP session error: %r", error)
        return TEMPORARY_FAILURE


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value
