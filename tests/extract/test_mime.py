"""The copy-free MIME splitter against the standard library's reading of the same bytes."""

from email import message_from_bytes, policy

import pytest

from sekisho.extract.mime import split
from tests.extract.builders import eml_bytes

NESTED = (
    b"From: a@example.jp\r\nSubject: t\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
    b"This is a preamble.\r\n"
    b"--outer\r\n"
    b'Content-Type: multipart/alternative; boundary="inner"\r\n\r\n'
    b"--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    b"=E6=90=BA=E5=B8=AF 090-1234-5678\r\n"
    b"--inner\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n"
    b"--inner--\r\n"
    b"--outer\r\nContent-Type: application/octet-stream; name=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"aGVs\r\nbG8=\r\n"
    b"--outer--\r\nepilogue\r\n"
)


def _tree(part, depth=0):  # type: ignore[no-untyped-def]
    children = list(part.children(depth))
    if children:
        return [part.content_type, [_tree(c, depth + 1) for c in children]]
    return [part.content_type, part.decoded()]


def test_nested_multipart_with_preamble_epilogue_qp_and_base64() -> None:
    tree = _tree(split(NESTED))
    assert tree == [
        "multipart/mixed",
        [
            [
                "multipart/alternative",
                [["text/plain", "携帯 090-1234-5678".encode()], ["text/html", b"<p>x</p>"]],
            ],
            ["application/octet-stream", b"hello"],
        ],
    ]


@pytest.mark.parametrize("charset", ["utf-8", "iso-2022-jp"])
def test_agrees_with_the_standard_library(charset: str) -> None:
    data = eml_bytes(
        "本文です。\n携帯 090-1234-5678",
        {"名簿.csv": b"a,b\r\n1,2\r\n", "x.bin": bytes(range(256)) * 10},
        charset=charset,
    )
    ours = split(data)
    theirs = message_from_bytes(data, policy=policy.default)
    ours_leaves = list(ours.children())
    theirs_leaves = list(theirs.iter_parts())
    assert [p.content_type for p in ours_leaves] == [p.get_content_type() for p in theirs_leaves]
    assert [p.decoded() for p in ours_leaves] == [p.get_payload(decode=True) for p in theirs_leaves]


def test_missing_close_delimiter_keeps_the_last_part() -> None:
    data = b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nlast words\r\n'
    (part,) = list(split(data).children())
    assert part.decoded().strip() == b"last words"


def test_a_longer_boundary_that_starts_with_ours_is_not_a_delimiter() -> None:
    """Like the standard library: "--b0undX" inside a part does not end the part."""
    data = (
        b'Content-Type: multipart/mixed; boundary="b0und"\r\n\r\n'
        b"--b0und\r\nContent-Type: text/plain\r\n\r\nline one\r\n--b0undX not a delimiter\r\n"
        b"--b0und--\r\n"
    )
    (part,) = list(split(data).children())
    assert part.decoded() == b"line one\r\n--b0undX not a delimiter"
    theirs = message_from_bytes(data, policy=policy.default)
    assert [p.get_payload(decode=True) for p in theirs.iter_parts()] == [part.decoded()]
