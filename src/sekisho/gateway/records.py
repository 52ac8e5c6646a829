"""The one place a verdict becomes a stored record, and a stored record becomes what a
notice needs again (so that the two cannot drift apart: a field written at receipt and
forgotten when the scheduler tells of the decision)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sekisho.actions import notices
from sekisho.detect.redact import redact
from sekisho.gateway.submission import Submission
from sekisho.policy import MessageFacts, Policy, Reason, Verdict
from sekisho.store import Action, MessageRecord, Notice, State
from sekisho.store.states import STORED_AS


def stored_record(
    submission: Submission,
    facts: MessageFacts,
    verdict: Verdict,
    subject: str,
    policy: Policy,
    detector,  # type: ignore[no-untyped-def]
    now: datetime,
) -> MessageRecord:
    state = STORED_AS[Action(verdict.action)]
    return MessageRecord(
        sekisho_id=submission.sekisho_id,
        state=str(state),
        version=0,
        mail_from=submission.mail_from,
        rcpt_to=list(submission.recipients),
        mail_options=list(submission.mail_options),
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
        spool_name=f"{submission.sekisho_id}.eml",
        created_at=now,
        release_at=now + timedelta(minutes=verdict.minutes) if state is State.DELAYED else None,
        expires_at=now + timedelta(hours=policy.hold_expiry_hours) if state is State.HELD else None,
        attempts=0,
        subject_masked=subject[:500],
        attachments=[
            {"name": redact(detector, a.name), "kind": a.kind, "size": a.size}
            for a in facts.attachments
        ],
    )


def context_of(record: MessageRecord) -> notices.NoticeContext:
    """What a notice says of a stored message, from its record alone (subject masked at
    receipt; the spool is read only to send the message itself)."""
    facts = MessageFacts(
        sender=record.mail_from,
        recipients=tuple(record.rcpt_to),
        entities=dict(record.entities),
        records=record.records,
        unscannable=record.unscannable,
        samples={k: tuple(v) for k, v in record.samples.items()},
    )
    verdict = Verdict(
        action=record.action,
        rule=record.rule,
        reasons=tuple(Reason(r["rule"], r["ja"], r["en"]) for r in record.reasons),
        role=record.role,
        then=record.then,
    )
    return notices.NoticeContext(record.sekisho_id, record.subject_masked, facts, verdict)


def submission_of(record: MessageRecord, data: bytes) -> Submission:
    """The envelope as the client gave it, around the spooled bytes."""
    return Submission(
        record.mail_from,
        tuple(record.rcpt_to),
        data,
        tuple(record.mail_options or ()),
        record.sekisho_id,
    )


def notice(kind: str, to: str, body: bytes, sekisho_id: str, *, secret: bool = False) -> Notice:
    return Notice(
        sekisho_id=sekisho_id,
        kind=kind,
        recipient=to,
        body=body,
        secret=secret,
        ready=not secret,
        attempts=0,
    )
