"""The gateway's clock: releases delayed mail when its time comes, sends approved holds
(encrypting them when policy said so), and expires holds nobody decided. Decisions are
written by the web into the database; this loop carries them out (the outbox pattern)."""

from __future__ import annotations

import asyncio
import logging

from sekisho.actions import headers, notices
from sekisho.gateway.pipeline import Pipeline
from sekisho.policy import MessageFacts, Reason, Verdict
from sekisho.store import MessageRecord, utcnow

log = logging.getLogger("sekisho.gateway")


def _context(record: MessageRecord) -> notices.NoticeContext:
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


async def run_once(pipeline: Pipeline) -> int:
    """One pass; the number of messages it moved."""
    await pipeline._io(pipeline.reload_policy)
    now = utcnow()
    moved = 0
    for record in await pipeline._io(pipeline.database.due, now):
        try:
            data = await pipeline._io(pipeline.spool.read, record.spool_name)
            if record.state == "approved" and record.then == "encrypt":
                decision = f"approved by {record.decided_by or 'approver'}; encrypted"
                data = headers.prepend(data, "X-Sekisho-Decision", decision)
                await pipeline.send_encrypted(
                    record.sekisho_id,
                    record.mail_from,
                    list(record.rcpt_to),
                    data,
                    _context(record),
                )
            else:
                await pipeline.upstream.send(record.mail_from, list(record.rcpt_to), data)
        except Exception as exc:
            log.warning("release of %s failed: %s", record.sekisho_id, exc)
            await pipeline._io(pipeline.database.note_attempt, record.sekisho_id, str(exc))
            continue
        if await pipeline._io(
            pipeline.database.transition,
            record.sekisho_id,
            {"delayed", "approved"},
            "delivered",
            "scheduler",
            delivered_at=utcnow(),
        ):
            moved += 1
    for record in await pipeline._io(pipeline.database.expired, now):
        if await pipeline._io(
            pipeline.database.transition, record.sekisho_id, {"held"}, "expired", "scheduler"
        ):
            notice = notices.expired(_context(record))
            await pipeline.notify(record.mail_from, notice, record.sekisho_id)
            moved += 1
    for record in await pipeline._io(pipeline.database.rejections_to_tell):
        context = _context(record)
        notice = notices.rejected_by_approver(
            context, record.decided_by or "", record.decision_comment or ""
        )
        if await pipeline.notify(record.mail_from, notice, record.sekisho_id):
            await pipeline._io(pipeline.database.mark_told, record.sekisho_id)
            moved += 1
    return moved


async def run_forever(pipeline: Pipeline, interval: float = 5.0) -> None:
    while True:
        try:
            await run_once(pipeline)
        except Exception:
            log.exception("scheduler pass failed")
        await asyncio.sleep(interval)
