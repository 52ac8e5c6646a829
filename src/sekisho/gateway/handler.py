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
        mail_from = _text(envelope.mail_from)
        recipients = [_text(r) for r in envelope.rcpt_tos]
        size = len(envelope.original_content or b"")
        try:
            # Handed over without a reference kept here, so that the pipeline can let the
            # original go once it has the stamped copy (a 35 MB message is then held once).
            outcome = await self.pipeline.process(mail_from, recipients, _take(envelope))
        except Exception:
            log.exception("message of %d bytes failed; answering 451", size)
            return TEMPORARY_FAILURE
        return outcome.reply

    async def handle_exception(self, error: Exception) -> str:
        log.error("SMTP session error: %r", error)
        return TEMPORARY_FAILURE


def _take(envelope: Envelope) -> bytes:
    data = envelope.original_content or b""
    envelope.original_content = None
    envelope.content = None
    return data


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value
