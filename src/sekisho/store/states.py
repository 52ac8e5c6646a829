"""The one vocabulary of a stored message's life, and the only moves between its states.

Every state change in the store is checked against ``TRANSITIONS`` and written as one
conditional update (``… WHERE state = :expected``), so that of two people or processes
racing for one message exactly one wins: approve against reject, cancel against release,
expiry against a late approval.

    held ──approve──▶ approved ──claim──▶ releasing ──sent──▶ delivered
      │ └─reject──▶ rejected                 ▲  │
      ├──expire──▶ expired                   │  └─(send failed: stays, retried)
      └──minimise (its sender)──▶ minimised (a new, minimised message is scanned instead)
    delayed ──claim (when due)───────────────┘
      └──cancel (its sender)──▶ cancelled
    rejected (by policy at receipt) is stored directly.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    HELD = "held"
    DELAYED = "delayed"
    APPROVED = "approved"
    RELEASING = "releasing"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    MINIMISED = "minimised"  # replaced by its sender with a minimised version, never sent


class Action(StrEnum):
    """What policy said at receipt (``Verdict.action``); ``DELIVER``, ``ENCRYPT`` and
    ``LINK`` never reach the store's message table (links have tables of their own), the
    others are stored as ``STORED_AS``."""

    DELIVER = "deliver"
    ENCRYPT = "encrypt"
    LINK = "link"
    HOLD = "hold"
    DELAY = "delay"
    REJECT = "reject"


STORED_AS: dict[Action, State] = {
    Action.HOLD: State.HELD,
    Action.DELAY: State.DELAYED,
    Action.REJECT: State.REJECTED,
}

TRANSITIONS: frozenset[tuple[State, State]] = frozenset(
    {
        (State.HELD, State.APPROVED),
        (State.HELD, State.REJECTED),
        (State.HELD, State.EXPIRED),
        (State.APPROVED, State.RELEASING),
        (State.DELAYED, State.RELEASING),
        (State.DELAYED, State.CANCELLED),
        (State.HELD, State.MINIMISED),
        (State.RELEASING, State.RELEASING),  # a claim whose holder died, taken over
        (State.RELEASING, State.DELIVERED),
    }
)

# The end of the road: the spool copy may go after the grace period.
FINAL: frozenset[State] = frozenset(
    {State.DELIVERED, State.REJECTED, State.EXPIRED, State.CANCELLED, State.MINIMISED}
)


def allowed(current: str, new: str) -> bool:
    return (State(current), State(new)) in TRANSITIONS
