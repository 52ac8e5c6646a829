"""What happens to one message, from bytes to an SMTP reply.

Order matters for never losing a message: a held or delayed message is answered 250 only
after its spool file is fsync'd and its row committed; a relayed one only after the next
hop accepted it. Anything else raises, and the SMTP edge answers 451 so the MTA retries.
The Sekisho ID is derived from the envelope and the bytes (``Submission``), so a message
the MTA retries after a crash gets the same ID: a duplicate is recognised (stored ones)
or marked (relayed ones carry the same X-Sekisho-Id). Notices to the sender go through
the outbox (written with the row they tell of) and are retried until sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import IntegrityError

from sekisho.actions import headers, link_mail, notices, rewrite
from sekisho.actions.links import LinkSigner
from sekisho.addresses import canonical
from sekisho.detect.redact import redact
from sekisho.extract.mail import read_head
from sekisho.gateway import records
from sekisho.gateway.auditlog import BatchedAudit
from sekisho.gateway.metrics import SCAN_SECONDS, VERDICTS
from sekisho.gateway.records import context_of, stored_record, submission_of
from sekisho.gateway.scan_pool import ScanPool, facts_of
from sekisho.gateway.submission import Submission, notice_submission, own_body_options
from sekisho.gateway.upstream import Upstream
from sekisho.policy import MessageFacts, Policy, Verdict, evaluate
from sekisho.policy.source import PolicySource
from sekisho.scan import Scanner
from sekisho.store import Action, Database, MessageRecord, Notice, Spool, utcnow
from sekisho.store.database import recipient_domains
from sekisho.store.journal import Journal
from sekisho.store.links import LinkStore, NewFile

log = logging.getLogger("sekisho.gateway")

INLINE_SCAN_BYTES = 64 * 1024


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
    link_store: LinkStore | None = None  # action link: sealed files and recipients' links
    public_url: str | None = None  # where recipients open their links
    link_secret: str | None = None  # signs deletion confirmations (reminders)
    # Blocking I/O (database, fsync) and scans have a pool each: a small message's commit
    # never waits in line behind two workbooks being scanned.
    executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=4))
    scans: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))
    # Big messages are scanned in child processes when there is a pool (the gateway's
    # default), in the ``scans`` threads otherwise.
    scan_pool: ScanPool | None = None
    journal: Journal | None = None  # copies of what left with personal data
    audit: BatchedAudit = field(init=False)
    # The policy in force (``policy``) as the web reads it too: uploads replace it.
    policies: PolicySource = field(init=False)

    def reload_policy(self) -> bool:
        """Take the newest policy uploaded from the web UI, if there is a newer one."""
        if not self.policies.refresh():
            return False
        self.policy = self.policies.policy
        log.warning(
            "policy version %d in force (uploaded by %s)",
            self.policies.version,
            self.policies.uploaded_by,
        )
        self.warn_if_links_cannot_leave()
        return True

    def warn_if_links_cannot_leave(self) -> bool:
        """Say so, at start and at each new policy, when the policy sends links and no
        public listener is configured: such mail is held (at receipt) or waits approved
        (``then: link``) until the gateway is restarted with ``--public-url`` and
        ``--secret``; nothing leaves another way."""
        if not self.policy.sends_links or self.link_store is not None:
            return False
        log.warning(
            "ポリシーが link（ダウンロードリンク）を使いますが --public-url と --secret が"
            "設定されていません。該当するメールは保留され、承認済みのものは設定されるまで送信されません / "
            "the policy uses link but --public-url and --secret are not set: such mail is "
            "held, and approved 'then: link' mail waits until they are"
        )
        return True

    @property
    def policy_version(self) -> int | None:
        """The uploaded policy in force (None: the start-up one)."""
        return self.policies.version

    def __post_init__(self) -> None:
        self.policies = PolicySource(self.policy, self.database.latest_policy)
        self.audit = BatchedAudit(lambda events: self.run_io(self.database.audit_many, events))

    async def process(self, submission: Submission) -> Outcome:
        # A lost database file means nothing stored now would be found again: 451 for
        # every message (relayed ones too: their audit events would be lost) until the
        # gateway is restarted on the right file.
        self.database.check()
        sekisho_id = submission.sekisho_id
        data = submission.data
        started = time.perf_counter()
        head = read_head(data)
        envelope = (submission.mail_from, list(submission.recipients), head.visible_recipients)
        if len(data) <= INLINE_SCAN_BYTES:
            # A plain message scans in about a millisecond: a hop would cost more.
            facts = facts_of(self.scanner, data, *envelope)
        elif self.scan_pool is not None:
            facts = await self.scan_pool.facts(data, *envelope)
        else:
            loop = asyncio.get_running_loop()
            scan = partial(facts_of, self.scanner, data, *envelope)
            facts = await loop.run_in_executor(self.scans, scan)
        SCAN_SECONDS.observe(time.perf_counter() - started)
        verdict = evaluate(self.policy, facts)
        VERDICTS.labels(action=verdict.action).inc()
        log.info(
            "%s from=%s rcpts=%d verdict=%s records=%d",
            sekisho_id,
            _mask(submission.mail_from),
            len(submission.recipients),
            verdict.header,
            facts.records,
        )
        if "bcc" in verdict.modifiers:
            data = rewrite.move_to_bcc(data, lambda a: self.policy.recipient_class(a) == "internal")
        stamped = submission.with_data(headers.stamp(data, sekisho_id, verdict.header))
        del data, submission  # from here on only the stamped copy is needed
        cancel_url = (
            self.links.url(sekisho_id, "cancel") if self.links and verdict.action == "delay" else ""
        )
        action = Action(verdict.action)
        # Notices and the queue show the subject masked (a "山田 太郎様の件" is personal data
        # too); relayed mail needs neither, so the hot path skips the detector pass.
        subject = "" if action is Action.DELIVER else redact(self.scanner.detector, head.subject)
        minimise_url = (
            self.links.url(sekisho_id, "minimise")
            if self.links and verdict.suggest_minimise and action is Action.HOLD
            else ""
        )
        context = notices.NoticeContext(
            sekisho_id, subject, facts, verdict, cancel_url, minimise_url
        )
        if action is Action.LINK and self.link_store is None:
            # No public listener configured: the files cannot be served. Held for an
            # approver instead of sent as something else (fail closed).
            log.warning("%s: verdict link but no public URL configured; held", sekisho_id)
            verdict = replace(verdict, action="hold", then="link")
            action = Action.HOLD
            context = replace(context, verdict=verdict)
        handler = {
            Action.DELIVER: self._deliver,
            Action.ENCRYPT: self._encrypt,
            Action.LINK: self._link,
        }.get(action, self._hold)
        return await handler(stamped, facts, verdict, context)

    async def _deliver(
        self,
        stamped: Submission,
        facts: MessageFacts,
        verdict: Verdict,
        context: notices.NoticeContext,
    ) -> Outcome:
        await self.keep_in_journal(stamped, facts.records, facts.entities, "relayed")
        await self.upstream.send(stamped)
        return self._relayed(stamped, facts, verdict, "relayed")

    async def _encrypt(
        self,
        stamped: Submission,
        facts: MessageFacts,
        verdict: Verdict,
        context: notices.NoticeContext,
    ) -> Outcome:
        await self.keep_in_journal(stamped, facts.records, facts.entities, "encrypted")
        await self.send_encrypted(stamped, context)
        await self.run_io(self.database.notice_ready, stamped.sekisho_id)
        await self.send_notices(stamped.sekisho_id)
        return self._relayed(stamped, facts, verdict, "encrypted")

    async def _link(
        self,
        stamped: Submission,
        facts: MessageFacts,
        verdict: Verdict,
        context: notices.NoticeContext,
    ) -> Outcome:
        await self.keep_in_journal(stamped, facts.records, facts.entities, "linked")
        await self.send_as_links(stamped, context.subject)
        return self._relayed(stamped, facts, verdict, "linked")

    def _relayed(
        self, stamped: Submission, facts: MessageFacts, verdict: Verdict, done: str
    ) -> Outcome:
        sekisho_id = stamped.sekisho_id
        detail = {
            "sender": stamped.mail_from,
            "domains": recipient_domains(list(stamped.recipients)),
            "verdict": verdict.header,
            "records": facts.records,
            "entities": facts.entities,
        }
        self.audit.record("gateway", f"message.{done}", sekisho_id, detail)
        return Outcome(f"250 2.0.0 Ok: {done} as {sekisho_id}", verdict.action, sekisho_id)

    async def _hold(
        self,
        stamped: Submission,
        facts: MessageFacts,
        verdict: Verdict,
        context: notices.NoticeContext,
    ) -> Outcome:
        """Hold, delay or reject: spooled and stored before the 250."""
        sekisho_id = stamped.sekisho_id
        action = Action(verdict.action)
        record = stored_record(
            stamped, facts, verdict, context.subject, self.policy, self.scanner.detector, utcnow()
        )
        tell = {Action.HOLD: notices.held, Action.DELAY: notices.delayed}.get(
            action, notices.rejected
        )
        notice = records.notice(record.state, stamped.mail_from, tell(context), sekisho_id)
        stored = await self._store(record, stamped.data, notice)
        if stored is not None:  # the MTA retried a message already stored: not twice
            log.info("duplicate %s (already %s)", sekisho_id, stored)
            return Outcome(f"250 2.0.0 Ok: already {stored} as {sekisho_id}", stored, sekisho_id)
        # Told now if the notice port takes it; else the scheduler's outbox retries it.
        await self.send_notices(sekisho_id)
        return Outcome(f"250 2.0.0 Ok: {record.state} as {sekisho_id}", action, sekisho_id)

    async def send_as_links(
        self, submission: Submission, subject: str, decision: str | None = None
    ) -> None:
        """Take the attachments out, seal them, and relay to each recipient a copy naming
        only that recipient's link. A copy is marked sent once the next hop took it: a
        relay retried after a failure sends only the copies that did not leave (with new
        tokens: the unsent ones were never seen)."""
        assert self.link_store is not None and self.public_url is not None
        sekisho_id = submission.sekisho_id
        stripped, taken = await self.run_io(link_mail.take_attachments, submission.data)
        if decision is not None:  # on the copies only: the full message is not copied again
            stripped = headers.prepend(stripped, ("X-Sekisho-Decision", decision))
        if not taken:
            await self.upstream.send(submission.with_data(stripped))
            return
        now = utcnow()
        new = [
            NewFile(f.name, redact(self.scanner.detector, f.name), f.content_type, f.read)
            for f in taken
        ]
        stored = await self.run_io(self.link_store.store_files, sekisho_id, new, now)
        listed = [(f.name, row.size) for f, row in zip(taken, stored, strict=True)]
        del taken, new
        copies = await self.run_io(link_mail.Copies, stripped)
        del stripped
        policy = self.policy
        for address in submission.recipients:
            token = await self.run_io(
                self.link_store.issue,
                sekisho_id,
                submission.mail_from,
                address,
                now=now,
                days=policy.link_days,
                max_downloads=policy.link_max_downloads,
                code_required=policy.link_code_required(address),
            )
            if token is None:
                continue  # this recipient's copy already left
            url = f"{self.public_url.rstrip('/')}/d/{token}"
            expires = now + timedelta(days=policy.link_days)
            text = link_mail.link_text(url, listed, expires, policy.link_max_downloads)
            copy = copies.copy_for(text)
            await self.upstream.send(replace(submission, recipients=(address,), data=copy))
            await self.run_io(self.link_store.mark_sent, sekisho_id, address, utcnow())
        log.info(
            "%s sent as links: %d files to %d recipients",
            sekisho_id,
            len(stored),
            len(submission.recipients),
        )

    async def send_encrypted(self, submission: Submission, context: notices.NoticeContext) -> None:
        """Relay with the attachments in one AES zip, its password told to the sender
        once the zip has left. Zip and password are made once and kept (spool and outbox):
        a relay retried after a failure or a crash sends the same bytes, and the sender
        hears of one password."""
        encrypted = await self.run_io(self._encrypted_once, submission, context)
        await self.upstream.send(submission.with_data(encrypted))

    def _encrypted_once(self, submission: Submission, context: notices.NoticeContext) -> bytes:
        sekisho_id = submission.sekisho_id
        name = f"{sekisho_id}.encrypted.eml"
        told = self.database.notice(sekisho_id, "password")
        if told is not None and self.spool.exists(name):
            return self.spool.read(name)
        secret = rewrite.make_password()
        encrypted, names = rewrite.encrypt_attachments(submission.data, secret)
        if not names:  # nothing to encrypt: no password to tell
            return encrypted
        to = submission.mail_from
        if not self.may_receive_secret(to):
            # A password goes only to someone the city knows: an envelope sender can be
            # anything. The zip leaves; the officer hears of the withheld password.
            self.database.audit(
                "gateway",
                "notice.withheld",
                sekisho_id,
                {"kind": "password", "sender": to, "why": "not an account or internal address"},
            )
            return encrypted
        shown = [redact(self.scanner.detector, n) for n in names]
        body = notices.password(context, secret, shown)
        self.database.put_secret(records.notice("password", to, body, sekisho_id, secret=True))
        self.spool.write(name, encrypted)
        return encrypted

    async def keep_in_journal(
        self, submission: Submission, records: int, entities: dict[str, int], how: str
    ) -> None:
        """The journal's encrypted copy of a message with personal data, before it leaves
        (so nothing leaves without one; a retried relay writes it again)."""
        if self.journal is not None and (records or entities):
            await self.run_io(
                self.journal.keep,
                submission.sekisho_id,
                submission.data,
                records,
                utcnow(),
                self.policy.journal_days,
                entities,
                (submission.mail_from, list(submission.recipients)),
                how,
            )

    async def purge_journal(self, now: datetime) -> int:
        if self.journal is None:
            return 0
        return await self.run_io(self.journal.purge, now)

    def may_receive_secret(self, address: str) -> bool:
        if self.policy.recipient_class(address) == "internal":
            return True
        return self.database.user(canonical(address, self.policy.recipient_delimiter)) is not None

    async def send_notices(self, sekisho_id: str | None = None) -> int:
        """Send what the outbox holds (or only ``sekisho_id``'s notices); the number sent.
        A notice that fails stays for the next pass."""
        target = self.notices_to or self.upstream
        sent = 0
        now = utcnow()
        for notice in await self.run_io(self.database.notices_to_send, sekisho_id, now):
            if not await self.run_io(self.database.claim_notice, notice.id, now):
                continue  # another gateway sends it
            try:
                await target.send(
                    notice_submission(notice.recipient, notice.body, notice.sekisho_id)
                )
            except Exception as exc:
                log.warning("notice %s for %s failed: %s", notice.kind, notice.sekisho_id, exc)
                await self.run_io(self.database.notice_failed, notice.id, str(exc))
                continue
            if await self.run_io(self.database.notice_sent, notice.id):
                sent += 1
        return sent

    async def release(self, sekisho_id: str, now: datetime) -> bool:
        """Send a due message (approved, or delayed whose time came) once: claimed first,
        so that of two gateways, or a release and the sender's cancel, one goes ahead."""
        record = await self.run_io(self.database.claim_release, sekisho_id, now)
        if record is None:
            return False
        try:
            data = await self.run_io(self.spool.read, record.spool_name)
            submission = submission_of(record, data)
            how = {Action.ENCRYPT: "encrypted", Action.LINK: "linked"}.get(
                Action(record.then) if record.then else None, "released"
            )
            await self.keep_in_journal(submission, record.records, record.entities, how)
            if record.action == Action.HOLD and record.then == Action.ENCRYPT:
                decision = f"approved by {record.decided_by or 'approver'}; encrypted"
                submission = submission.with_data(
                    headers.prepend(data, ("X-Sekisho-Decision", decision))
                )
                await self.send_encrypted(submission, context_of(record))
            elif record.action == Action.HOLD and record.then == Action.LINK:
                if self.link_store is None:
                    raise RuntimeError(
                        "then: link, but the gateway has no --public-url and --secret: "
                        "restart it with both to send this approved message"
                    )
                decision = f"approved by {record.decided_by or 'approver'}; sent as links"
                await self.send_as_links(submission, record.subject_masked, decision)
            else:
                await self.upstream.send(submission)
        except asyncio.CancelledError:
            # Shutdown: the claim is given back now rather than left to its lease.
            self.database.release_failed(sekisho_id, "cancelled by shutdown")
            raise
        except Exception as exc:
            log.warning("release of %s failed: %s", sekisho_id, exc)
            await self.run_io(self.database.release_failed, sekisho_id, str(exc))
            return False
        return await self.run_io(self.database.released, sekisho_id)

    async def resubmit(self, sekisho_id: str, now: datetime) -> bool:
        """A message its sender minimised while held, handled as if just received (scanned,
        policy applied, relayed or held) under the ID it was queued with; claimed first,
        so that of several gateways one does it. False when not done now (another has it,
        or it failed and waits for the next pass)."""
        item = await self.run_io(self.database.claim_resubmission, sekisho_id, now)
        if item is None:
            return False
        try:
            data = await self.run_io(self.spool.read, item.blob)
            submission = Submission(
                item.mail_from, tuple(item.rcpt_to), data, own_body_options(data), item.sekisho_id
            )
            outcome = await self.process(submission)
        except Exception as exc:
            log.warning("resubmission of %s failed: %s", sekisho_id, exc)
            await self.run_io(self.database.resubmit_failed, sekisho_id, str(exc))
            return False
        if not outcome.reply.startswith("250"):
            await self.run_io(self.database.resubmit_failed, sekisho_id, outcome.reply)
            return False
        await self.run_io(self.database.resubmitted, sekisho_id, outcome.action)
        await self.run_io(self.spool.remove, item.blob)
        return True

    async def expire(self, record: MessageRecord, now: datetime) -> bool:
        body = notices.expired(context_of(record))
        notice = records.notice("expired", record.mail_from, body, record.sekisho_id)
        return await self.run_io(self.database.expire, record.sekisho_id, now, notice)

    async def tell_rejection(self, record: MessageRecord) -> None:
        body = notices.rejected_by_approver(
            context_of(record), record.decided_by or "", record.decision_comment or ""
        )
        notice = records.notice("rejected_by_approver", record.mail_from, body, record.sekisho_id)
        await self.run_io(self.database.tell, record.sekisho_id, notice)

    async def remove_finished(self, now: datetime) -> int:
        """Quarantine retention: the spool copies of messages finished for longer than the
        policy's grace period are removed, each removal audited."""
        grace = timedelta(days=self.policy.quarantine_retention_days)
        removed = 0
        for record in await self.run_io(self.database.spool_to_remove, now, grace):
            names = [record.spool_name, f"{record.sekisho_id}.encrypted.eml"]
            await self.run_io(self._remove_from_spool, record.sekisho_id, names)
            removed += 1
        return removed

    def _remove_from_spool(self, sekisho_id: str, names: list[str]) -> None:
        present = [n for n in names if self.spool.exists(n)]
        for name in present:
            self.spool.remove(name)
        self.database.spool_removed(sekisho_id, present)

    async def _store(self, record: MessageRecord, data: bytes, notice: Notice) -> str | None:
        """Spool then commit (row, audit event and notice in one transaction); None when
        stored now, the earlier state when it already was (the unique Sekisho ID refuses a
        second row, whichever gateway process tries)."""
        existing = await self.run_io(self.database.get, record.sekisho_id)
        if existing is not None:
            return existing.state
        await self.run_io(self.spool.write, record.spool_name, data)
        try:
            await self.run_io(self.database.add_message, record, notice=notice)
        except IntegrityError:
            existing = await self.run_io(self.database.get, record.sekisho_id)
            return existing.state if existing is not None else "stored"
        return None

    async def run_io(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Run blocking I/O (fsync, database) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, partial(fn, *args, **kwargs)
        )


def _mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
