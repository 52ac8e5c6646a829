"""The approval rules on their own, without a database."""

from __future__ import annotations

from datetime import datetime

import pytest

from sekisho.errors import DecisionError
from sekisho.store.approvals import rule_on
from sekisho.store.states import State, allowed

NOW = datetime(2026, 12, 1, 9, 0)
SENDER = "clerk@city.example.lg.jp"


def _rule(**changes):  # type: ignore[no-untyped-def]
    arguments = {
        "state": "held",
        "sender": SENDER,
        "approvals": [],
        "actor": "ciso@city.example.lg.jp",
        "approve": True,
        "comment": "確認済み",
        "required": 1,
        "now": NOW,
    }
    arguments.update(changes)
    return rule_on(**arguments)


def test_one_approval_approves_and_one_rejection_rejects() -> None:
    assert _rule().state is State.APPROVED
    assert _rule(approve=False).state is State.REJECTED


def test_two_person_approval_needs_two_different_people() -> None:
    first = _rule(required=2)
    assert first.state is State.HELD and first.action == "message.approval"
    second = _rule(required=2, approvals=first.approvals, actor="security@city.example.lg.jp")
    assert second.state is State.APPROVED and len(second.approvals) == 2
    with pytest.raises(DecisionError, match="twice"):
        _rule(required=2, approvals=first.approvals, actor="CISO+again@city.example.lg.jp")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"comment": " "}, "comment is required"),
        ({"actor": "Clerk+x@city.example.lg.jp"}, "own mail"),
        ({"actor": "clerk%city.example.lg.jp@relay.example"}, "own mail"),
        ({"state": "rejected"}, "already rejected"),
        ({"state": "approved", "approve": False}, "already approved"),
    ],
)
def test_refusals(changes: dict, reason: str) -> None:
    with pytest.raises(DecisionError, match=reason) as refused:
        _rule(**changes)
    assert refused.value.reason_ja


def test_the_transition_table() -> None:
    assert allowed("held", "approved") and allowed("delayed", "cancelled")
    assert not allowed("rejected", "releasing")
    assert not allowed("cancelled", "releasing")
    assert not allowed("delivered", "releasing")
    assert not allowed("held", "releasing")
