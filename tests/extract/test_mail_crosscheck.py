"""The second reading of a message's structure: a leaf that the standard library finds
and the scan did not read makes the message unscannable."""

from __future__ import annotations

import pytest

from sekisho.extract import mail_crosscheck, mime
from sekisho.extract.mime import split
from sekisho.scan import Scanner
from tests.extract import hostile_mail
from tests.extract.hostile_mail import CRLF, file_part, multipart, roster_csv, text_part


def _two_part_message() -> bytes:
    head, body = multipart(
        "mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv")], "b0und"
    )
    return hostile_mail.message(head, body)


def _leaf_ranges(data: bytes) -> list[tuple[int, int]]:
    root = split(data)
    return [(child.start, child.end) for child in root.children()]


def test_every_leaf_read_leaves_nothing_unread() -> None:
    data = _two_part_message()
    assert mail_crosscheck.unread_leaves(data, _leaf_ranges(data)) == []


def test_a_leaf_not_read_is_named() -> None:
    data = _two_part_message()
    text, _attachment = _leaf_ranges(data)
    missed = mail_crosscheck.unread_leaves(data, [text])
    assert len(missed) == 1 and "application/octet-stream" in missed[0]


def test_a_boundary_line_inside_a_read_body_still_divides_the_skeleton() -> None:
    """The skeleton keeps "-" lines: a part the standard library finds inside a body that
    was read is still found there (and is covered, since its bytes were read)."""
    inner = f"見出し{CRLF}--b0und{CRLF}Content-Type: text/plain{CRLF}{CRLF}隠れた部分{CRLF}"
    data = hostile_mail.message(*multipart("mixed", [text_part(inner, cte="8bit")], "b0und"))
    skeleton, placed = mail_crosscheck._skeleton(data, mail_crosscheck._merged(_leaf_ranges(data)))
    assert b"--b0und\r\nContent-Type" in skeleton  # the line that divides is kept
    assert "隠れた部分".encode() not in skeleton  # content is reduced to a marker
    assert len(placed) == 2  # the multipart's parts, now two ranges


def test_a_splitter_that_loses_a_part_makes_the_message_unscannable(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were ``mime`` ever to divide a message differently from the standard library (here
    made to drop the last part), the scan says so instead of reporting what it saw."""
    ranges = mime._ranges
    monkeypatch.setattr(mime, "_ranges", lambda *a: (ranges(*a)[0][:-1], *ranges(*a)[1:]))
    report = scanner.scan_bytes(_two_part_message(), "m.eml", kind="eml")
    assert report.unscannable
    assert "divide this message into parts differently" in report.problems[0].reason
    assert report.records == 0


@pytest.mark.parametrize("shape", sorted(hostile_mail.SHAPES))
def test_no_hostile_shape_divides_differently(scanner: Scanner, shape: str) -> None:
    """The scan's own reading agrees with the standard library on every hostile shape
    (where it does not, the shape is one that must be unscannable anyway)."""
    make, expected = hostile_mail.SHAPES[shape]
    report = scanner.scan_bytes(make(), "m.eml", kind="eml")
    disagreements = [p for p in report.problems if "differently" in p.reason]
    assert not disagreements or expected == "unscannable"
