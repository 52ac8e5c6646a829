"""The approval rules, as one pure function the store applies inside its transaction.

Kept apart from the database so that the rules can be read and tested on their own, and
so that the store cannot apply half of them: it reads the row, asks ``rule_on``, and
writes what it says with a conditional update (a concurrent decision makes that update
miss, and the loser is told "already decided").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sekisho.addresses import DEFAULT_DELIMITERS, canonical
from sekisho.errors import DecisionError
from sekisho.store.states import State


@dataclass(frozen=True, slots=True)
class Ruling:
    state: State  # HELD while a second approver is still needed
    approvals: list[dict]
    action: str  # the audit event: message.approval / message.approved / message.rejected


def rule_on(
    *,
    state: str,
    sender: str,
    approvals: list[dict],
    actor: str,
    approve: bool,
    comment: str,
    required: int,
    now: datetime,
    delimiters: str = DEFAULT_DELIMITERS,
) -> Ruling:
    """What an approver's decision does to a message in ``state``; DecisionError when it
    is not allowed: no comment, the sender deciding (in any spelling of their address),
    a message no longer held, or the same approver approving twice."""
    if not comment.strip():
        raise DecisionError("a comment is required", "コメントを入力してください")
    who = canonical(actor, delimiters)
    if who == canonical(sender, delimiters):
        raise DecisionError(
            "approvers cannot decide on their own mail", "自分のメールは承認・却下できません"
        )
    if state != State.HELD:
        raise DecisionError(f"already {state}", "すでに処理済みです")
    if not approve:
        return Ruling(State.REJECTED, list(approvals), "message.rejected")
    if any(canonical(a["by"], delimiters) == who for a in approvals):
        raise DecisionError(
            "the same approver cannot approve twice", "同じ承認者は二度承認できません"
        )
    given = [
        *approvals,
        {"by": actor.strip().lower(), "at": now.isoformat(), "comment": comment.strip()},
    ]
    if len(given) < required:
        return Ruling(State.HELD, given, "message.approval")
    return Ruling(State.APPROVED, given, "message.approved")
