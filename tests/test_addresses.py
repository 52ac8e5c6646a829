"""Every spelling of one mailbox has one canonical form (issue 10: self-approval through
``approver+x@`` and ``approver%city@`` was accepted)."""

from __future__ import annotations

import pytest

from sekisho.addresses import canonical, domain, same_mailbox

OWN = "approver@city.example.lg.jp"


@pytest.mark.parametrize(
    "spelling",
    [
        "Approver@City.Example.LG.JP",
        "approver+x@city.example.lg.jp",
        "approver+@city.example.lg.jp",
        "approver%city.example.lg.jp@relay.example",
        '"approver"@city.example.lg.jp',
        '"app\\rover"@city.example.lg.jp',
        "<approver@city.example.lg.jp>",
        "@relay.example,@mx.example:approver@city.example.lg.jp",
        "approver@city.example.lg.jp.",
        "relay!approver@city.example.lg.jp",
        "  approver@city.example.lg.jp ",
    ],
)
def test_spellings_of_one_mailbox(spelling: str) -> None:
    assert canonical(spelling) == OWN
    assert same_mailbox(spelling, OWN)


def test_the_delimiter_is_configurable_and_can_be_off() -> None:
    assert canonical("approver-x@city", "-") == "approver@city"
    assert canonical("approver+x@city", "") == "approver+x@city"
    assert canonical("approver-x@city", "+-") == "approver@city"


def test_different_mailboxes_stay_different() -> None:
    assert not same_mailbox("approver2@city.example.lg.jp", OWN)
    assert not same_mailbox("", "")  # the null sender is nobody
    assert canonical('"a@b"@city') == "a@b@city"


def test_percent_routing_decides_the_domain() -> None:
    assert domain("someone%outside.example@city.example.lg.jp") == "outside.example"
