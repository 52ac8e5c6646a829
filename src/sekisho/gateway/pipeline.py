"""What happens to one message, from bytes to an SMTP reply.

Order matters for never losing a message: a held or delayed message is answered 250 only
after its spool file is fsync'd and its row committed; a relayed one only after the next
hop accepted it. Anything else raises, and the SMTP edge answers 451 so the MTA retries.
The Sekisho ID is derived from the envelope and the bytes, so a message the MTA retries
after a crash gets the same ID: a duplicate is recognised (stored ones) or marked (relayed
ones carry the same X-Sekisho-Id).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from sqlalchemy.exc import IntegrityError

from sekisho.actions import headers, notices, rewrite
from sekisho.actions.links import LinkSigner
from sekisho.detect.redact import redact
from sekisho.extract.mail import read_head
from sekisho.gateway.auditlog import BatchedAudit
from sekisho.gateway.metrics import SCAN_SECONDS, VERDICTS
from sekisho.gateway.upstream import Upstream
from sekisho.policy import Attachment, MessageFacts, Policy, Verdict, evaluate, facts_from_report
from sekisho.scan import FileReport, Scanner
from sekisho.store import Database, MessageRecord, Spool, utcnow
from sekisho.store.database import recipient_domains

log = logging.getLogger("sekisho.gateway")

INLINE_SCAN_BYTES = 64 * 1024


def sekisho_id_for(mail_from: str, recipients: list[str], data: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(mail_from.encode("utf-8", "surrogateescape") + b"\0")
    for recipient in recipients:
        digest.update(recipient.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The SMTP reply and what was done (for logs and tests)."""

    reply: str
    action: str
    sekisho_id: str


@dataclass
class Pipeline:
    scanner: Scanner
    policy: Policy
    database: Database
    spool: Spool
    upstream: Upstream
    notices_to: Upstream | None = None  # defaults to the upstream
    links: LinkSigner | None = None  # signed links to the web UI in notices
    executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))
    audit: BatchedAudit = field(init=False)
    policy_version: int | None = None  # the uploaded policy in force (None: the start-up one)

    def reload_policy(self) -> bool:
        """Take the newest policy uploaded from the web UI, if there is a newer one."""
        from sekisho.policy import parse_policy

        latest = self.database.latest_policy()
        if latest is None or latest.id == self.policy_version:
            return False
        self.policy = parse_policy(latest.text)  # linted on upload
        self.policy_version = latest.id
        log.warning("policy version %d in force (uploaded by %s)", latest.id, latest.uploaded_by)
        return True

    def __post_init__(self) -> None:
        self.audit = BatchedAudit(lambda events: self._io(self.database.audit_many, events))

    async def process(self, mail_from: str, recipients: list[str], data: bytes) -> Outcome:
        sekisho_id = sekisho_id_for(mail_from, recipients, data)
        started = time.perf_counter()
        if len(data) <= INLINE_SCAN_BYTES:
            # A plain message scans in about a millisecond: a thread hop would cost more.
            report: FileReport = self.scanner.scan_bytes(
                data, "message.eml", summary=True, kind="eml"
            )
        else:
            loop = asyncio.get_running_loop()
            scan = partial(self.scanner.scan_bytes, data, "message.eml", summary=True, kind="eml")
            report = await loop.run_in_executor(self.executor, scan)
        SCAN_SECONDS.observe(time.perf_counter() - started)
        head = read_head(data)
        facts = facts_from_report(
            report,
            sender=mail_from,
            recipients=recipients,
            visible=head.visible_recipients,
            size=len(data),
            attachments=_attachments(report),
        )
        verdict = evaluate(self.policy, facts)
        VERDICTS.labels(action=verdict.action).inc()
        log.info(
            "%s from=%s rcpts=%d verdict=%s records=%d",
            sekisho_id,
            _mask(mail_from),
            len(recipients),
            verdict.header,
            facts.records,
        )
        if "bcc" in verdict.modifiers:
            data = rewrite.move_to_bcc(data, lambda a: self.policy.recipient_class(a) == "internal")
        stamped = headers.stamp(data, sekisho_id, verdict.header)
        del data, report  # from here on only the stamped copy is needed
        cancel_url = (
            self.links.url(sekisho_id, "cancel") if self.links and verdict.action == "delay" else ""
        )
        action = verdict.action
        # Notices and the queue show the subject masked (a "山田 太郎様の件" is personal data
        # too); relayed mail needs neither, so the hot path skips the detector pass.
        subject = "" if action == "deliver" else redact(self.scanner.detector, head.subject)
        context = notices.NoticeContext(sekisho_id, subject, facts, verdict, cancel_url)
        if action in ("deliver", "encrypt"):
            if action == "deliver":
                await self.upstream.send(mail_from, recipients, stamped)
            else:
                await self.send_encrypted(sekisho_id, mail_from, recipients, stamped, context)
            done = "relayed" if action == "deliver" else "encrypted"
            detail = {
                "sender": mail_from,
                "domains": recipient_domains(recipients),
                "verdict": verdict.header,
                "records": facts.records,
                "entities": facts.entities,
            }
            self.audit.record("gateway", f"message.{done}", sekisho_id, detail)
            return Outcome(f"250 2.0.0 Ok: {done} as {sekisho_id}", action, sekisho_id)
        state = {"hold": "held", "delay": "delayed", "reject": "rejected"}[action]
        stored = await self._store(
            sekisho_id, state, mail_from, recipients, stamped, facts, verdict, subject
        )
        if stored is not None:  # the MTA retried a message already stored: not twice
            log.info("duplicate %s (already %s)", sekisho_id, stored)
            return Outcome(f"250 2.0.0 Ok: already {stored} as {sekisho_id}", stored, sekisho_id)
        notice = {"held": notices.held, "delayed": notices.delayed, "rejected": notices.rejected}[
            state
        ](context)
        await self.notify(mail_from, notice, sekisho_id)
        return Outcome(f"250 2.0.0 Ok: {state} as {sekisho_id}", action, sekisho_id)

    async def send_encrypted(
        self,
        sekisho_id: str,
        mail_from: str,
        recipients: list[str],
        data: bytes,
        context: notices.NoticeContext,
    ) -> None:
        secret = rewrite.make_password()
        encrypted, names = rewrite.encrypt_attachments(data, secret)
        await self.upstream.send(mail_from, recipients, encrypted)
        if names:
            shown = [redact(self.scanner.detector, name) for name in names]
            await self.notify(mail_from, notices.password(context, secret, shown), sekisho_id)

    async def notify(self, to: str, notice: bytes, sekisho_id: str) -> bool:
        """Send a notice to the sender; False (logged) when it could not be sent. The
        decision stands either way; the scheduler's outbox retries the notices it owns."""
        target = self.notices_to or self.upstream
        try:
            await target.send("", [to], notice)
        except Exception as exc:
            log.warning("notice for %s to sender failed: %s", sekisho_id, exc)
            return False
        return True

    async def _store(
        self,
        sekisho_id: str,
        state: str,
        mail_from: str,
        recipients: list[str],
        data: bytes,
        facts: MessageFacts,
        verdict: Verdict,
        subject: str,
    ) -> str | None:
        """Spool then commit; None when stored now, the earlier state when it already was
        (the unique Sekisho ID refuses a second row, whichever gateway process tries)."""
        now = utcnow()
        record = MessageRecord(
            sekisho_id=sekisho_id,
            state=state,
            mail_from=mail_from,
            rcpt_to=list(recipients),
            action=verdict.action,
            verdict_header=verdict.header,
            rule=verdict.rule,
            role=verdict.role,
            then=verdict.then,
            modifiers=list(verdict.modifiers),
            reasons=[{"rule": r.rule, "ja": r.ja, "en": r.en} for r in verdict.reasons],
            entities=dict(facts.entities),
            samples={k: list(v) for k, v in facts.samples.items()},
            records=facts.records,
            unscannable=facts.unscannable,
            size=facts.size,
            spool_name=f"{sekisho_id}.eml",
            created_at=now,
            release_at=now + timedelta(minutes=verdict.minutes) if state == "delayed" else None,
            expires_at=now + timedelta(hours=self.policy.hold_expiry_hours)
            if state == "held"
            else None,
            attempts=0,
        )
        existing = await self._io(self.database.get, sekisho_id)
        if existing is not None:
            return existing.state
        detector = self.scanner.detector
        record.subject_masked = subject[:500]
        record.attachments = [
            {"name": redact(detector, a.name), "kind": a.kind, "size": a.size}
            for a in facts.attachments
        ]
        await self._io(self.spool.write, record.spool_name, data)
        try:
            await self._io(self.database.add_message, record)
        except IntegrityError:
            existing = await self._io(self.database.get, sekisho_id)
            return existing.state if existing is not None else "stored"
        return None

    async def _io(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Run blocking I/O (fsync, database) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, partial(fn, *args, **kwargs)
        )


def _attachments(report: FileReport) -> list[Attachment]:
    return [Attachment(f.name, f.kind, f.size, f.flags) for f in report.attachments]


def _mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
