"""The gate's core promise: no message shape carries residents past the scanner.

Each shape of ``hostile_mail`` is a message that a client or Python's ``email`` package
still decodes into 100 residents; the scan must find them or call the message
unscannable, never clean. The differential test checks every leaf that the standard
library's parser produces (both policies) against what ``extract.mail`` read.
"""

from __future__ import annotations

import email
from email import policy as email_policy

import pytest

from sekisho.detect import Finding
from sekisho.scan import FileReport, Scanner
from tests.extract import hostile_mail
from tests.extract.hostile_mail import SHAPES


def _scan(scanner: Scanner, data: bytes) -> FileReport:
    return scanner.scan_bytes(data, "message.eml")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_hostile_shape_is_found_or_unscannable(scanner: Scanner, shape: str) -> None:
    make, expected = SHAPES[shape]
    report = _scan(scanner, make())
    if expected == "people":
        assert not report.unscannable, [p.reason for p in report.problems]
        assert report.records >= 80, (report.records, report.entities)
    else:
        assert report.unscannable
        assert report.problems[0].detail, "the reason names what stopped the reading"


def test_every_message_partial_fragment_is_unscannable(scanner: Scanner) -> None:
    fragments = hostile_mail.partial_fragments(6)
    reports = [_scan(scanner, f) for f in fragments]
    assert all(r.unscannable for r in reports)
    assert all("fragment" in r.problems[0].reason for r in reports)


def test_limits_name_themselves(scanner: Scanner) -> None:
    deep = _scan(scanner, hostile_mail.nested_deeper_than_the_limit())
    assert "nested deeper than 32" in deep.problems[0].reason
    big = _scan(scanner, hostile_mail.part_header_over_64k())
    assert "header block is larger than 65,536 bytes" in big.problems[0].reason


def _keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.entity, f.key) for f in findings if f.key}


def _leaves(data: bytes, policy: email_policy.Policy) -> list[bytes]:
    message = email.message_from_bytes(data, policy=policy)
    leaves = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload.strip():
            leaves.append(payload)
    return leaves


@pytest.mark.parametrize(
    "policy", [email_policy.default, email_policy.compat32], ids=["default", "compat32"]
)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_no_leaf_of_the_standard_library_is_left_unread(
    scanner: Scanner, shape: str, policy: email_policy.Policy
) -> None:
    """Whatever personal data a leaf holds when Python's parser hands it over, the scan of
    the whole message holds too (or the message is unscannable)."""
    data = SHAPES[shape][0]()
    whole = _scan(scanner, data)
    if whole.unscannable:
        return
    found = _keys(whole.findings)
    for number, leaf in enumerate(_leaves(data, policy)):
        alone = _keys(scanner.scan_bytes(leaf, f"leaf{number}").findings)
        missing = alone - found
        assert len(missing) <= len(alone) // 20, (number, sorted(missing)[:5])
