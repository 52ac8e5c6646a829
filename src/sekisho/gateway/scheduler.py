"""The gateway's clock: handles messages their senders minimised, releases delayed mail when its time comes, sends approved holds
(encrypting them when policy said so), expires holds nobody decided, sends the outbox of
notices, and removes finished messages from the quarantine after the grace period.
Decisions are written by the web into the database; this loop carries them out (the
outbox pattern). Every step goes through the pipeline's public methods, each one claimed
or conditional in the store, so that several gateways sharing a database, or a pass that
overlaps a crash, do each thing once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sekisho.gateway.pipeline import Pipeline
from sekisho.store import utcnow

log = logging.getLogger("sekisho.gateway")


@dataclass
class Pass:
    """What one pass did (for logs and tests)."""

    released: int = 0
    resubmitted: int = 0  # minimised by their senders, now scanned and handled
    expired: int = 0
    rejections_told: int = 0
    notices_sent: int = 0
    spool_removed: int = 0
    deletion_reminders: int = 0
    journal_purged: int = 0


async def run_once(pipeline: Pipeline) -> Pass:
    await pipeline.run_io(pipeline.reload_policy)
    now = utcnow()
    done = Pass()
    for item in await pipeline.run_io(pipeline.database.resubmissions_due, now):
        done.resubmitted += await pipeline.resubmit(item.sekisho_id, now)
    for record in await pipeline.run_io(pipeline.database.due, now):
        done.released += await pipeline.release(record.sekisho_id, now)
    for record in await pipeline.run_io(pipeline.database.expired, now):
        done.expired += await pipeline.expire(record, now)
    for record in await pipeline.run_io(pipeline.database.rejections_to_tell):
        await pipeline.tell_rejection(record)
        done.rejections_told += 1
    if pipeline.link_store is not None and pipeline.public_url and pipeline.link_secret:
        from sekisho.actions.deletion import request_composer

        done.deletion_reminders = await pipeline.run_io(
            pipeline.link_store.remind_deletions,
            now,
            pipeline.policy.deletion_reminder_hours,
            request_composer(pipeline.link_secret, pipeline.public_url),
        )
    done.notices_sent = await pipeline.send_notices()
    done.spool_removed = await pipeline.remove_finished(now)
    done.journal_purged = await pipeline.purge_journal(now)
    return done


async def run_forever(pipeline: Pipeline, interval: float = 5.0) -> None:
    while True:
        try:
            await run_once(pipeline)
        except Exception:
            log.exception("scheduler pass failed")
        await asyncio.sleep(interval)
