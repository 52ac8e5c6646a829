"""The SMTP edge: thin, as aiosmtpd intends. ``handle_DATA`` hands the submission to the
pipeline and returns its reply; any failure is 451, never aiosmtpd's default 500 (which
would make Postfix bounce the mail instead of retrying it). On shutdown, messages still
in the pipeline get a grace period, then are cancelled and answered 421, so the MTA
keeps them queued."""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.smtp import SMTP, Envelope, Session

from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.submission import Submission

log = logging.getLogger("sekisho.gateway")

TEMPORARY_FAILURE = "451 4.3.0 Sekisho could not process the message; try again later"
SHUTTING_DOWN = "421 4.3.2 Sekisho is shutting down; try again later"


class GatewayHandler:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.stopping = False
        self._inflight: set[asyncio.Task] = set()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.stopping:
            return SHUTTING_DOWN
        size = len(envelope.original_content or b"")
        submission = Submission.received(
            _text(envelope.mail_from),
            [_text(r) for r in envelope.rcpt_tos],
            _take(envelope),
            list(envelope.mail_options),
        )
        task = asyncio.create_task(self.pipeline.process(submission))
        # Handed over without a reference kept here, so that the pipeline can let the
        # original go once it has the stamped copy (a 35 MB message is then held once).
        del submission
        self._inflight.add(task)
        try:
            outcome = await task
        except asyncio.CancelledError:
            if self.stopping and task.cancelled():
                log.warning("message of %d bytes cancelled by shutdown; answering 421", size)
                return SHUTTING_DOWN
            raise
        except Exception:
            log.exception("message of %d bytes failed; answering 451", size)
            return TEMPORARY_FAILURE
        finally:
            self._inflight.discard(task)
        return outcome.reply

    async def handle_exception(self, error: Exception) -> str:
        log.error("SMTP session error: %r", error)
        return TEMPORARY_FAILURE

    async def stop(self, grace: float) -> None:
        """Refuse new messages; let those in the pipeline finish for ``grace`` seconds,
        then cancel them (a relay stuck on a stalled next hop among them)."""
        self.stopping = True
        pending = set(self._inflight)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)


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
