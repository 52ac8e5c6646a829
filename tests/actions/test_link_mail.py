"""What leaves when attachments go as links: only the text bodies stay in the copy, every
other part becomes a file (whatever its headers claim), the kept bytes are the sender's,
and each recipient's copy differs only in the link part."""

from __future__ import annotations

import base64
import os
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

import pytest

from sekisho.actions.link_mail import Copies, take_attachments
from tests.extract.builders import eml_bytes

ROSTER = "氏名,電話番号\r\n山田 太郎,090-1234-5678\r\n".encode("cp932")


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=email_policy.default)  # type: ignore[return-value]


def leaf_types(raw: bytes) -> list[str]:
    return [p.get_content_type() for p in parsed(raw).walk() if not p.is_multipart()]


def files_of(data: bytes) -> tuple[bytes, dict[str, tuple[str, bytes]]]:
    stripped, taken = take_attachments(data)
    return stripped, {f.name: (f.content_type, f.read()) for f in taken}


def test_an_ordinary_attachment_is_taken_and_the_bodies_kept() -> None:
    data = eml_bytes("本文です。", {"名簿.csv": ROSTER}, charset="utf-8", html="<p>本文</p>")
    stripped, files = files_of(data)
    assert files == {"名簿.csv": ("application/octet-stream", ROSTER)}
    assert leaf_types(stripped) == ["text/plain", "text/html"]
    assert parsed(stripped).get_body(("plain",)).get_content().strip() == "本文です。"  # type: ignore[union-attr]


def _part(ctype: str, data: bytes, **headers: str) -> EmailMessage:
    part = EmailMessage()
    maintype, subtype = ctype.split("/")
    part.set_content(data, maintype=maintype, subtype=subtype)
    del part["Content-Disposition"]
    for key, value in headers.items():
        del part[key.replace("_", "-")]
        part[key.replace("_", "-")] = value
    return part


def _mixed(*parts: EmailMessage) -> bytes:
    message = EmailMessage()
    message["From"] = "clerk@city.example.lg.jp"
    message["To"] = "a@care1.example.jp"
    message["Subject"] = "資料"
    message.set_content("本文です。")
    message.make_mixed()
    for part in parts:
        message.attach(part)
    return message.as_bytes()


def test_parts_without_content_disposition_are_files_too() -> None:
    """A client offers a spreadsheet or an image as a file whether or not the sender's
    software wrote "Content-Disposition: attachment": none of them may stay in the copy."""
    sheet = b"PK\x03\x04" + os.urandom(2000)
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(500)
    named_text = "山田 太郎 090-1234-5678".encode()
    data = _mixed(
        _part(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            sheet,
            Content_Type='application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="一覧.xlsx"',
        ),
        _part("image/png", picture, Content_Disposition="inline"),
        _part("text/plain", named_text, Content_Disposition='inline; filename="memo.txt"'),
    )
    stripped, files = files_of(data)
    assert files["一覧.xlsx"][1] == sheet
    assert files["attachment2.png"] == ("image/png", picture)
    assert files["memo.txt"][1] == named_text
    assert leaf_types(stripped) == ["text/plain"]
    assert b"PNG" not in base64.b64decode(b"".join(stripped.split(b"\r\n\r\n", 1)[1].split()))


def test_nested_multiparts_and_attached_messages_give_up_everything() -> None:
    inner = eml_bytes("転送します", {"元の名簿.csv": ROSTER}, charset="utf-8")
    nested = EmailMessage()
    nested.make_mixed()
    nested.attach(_part("application/pdf", b"%PDF-1.7 " + os.urandom(300)))
    data = eml_bytes("本文", {"a.bin": b"A" * 10}, charset="utf-8", attached_message=inner)
    message = parsed(data)
    message.attach(nested)
    stripped, files = files_of(message.as_bytes())
    assert set(files) == {"a.bin", "message2.eml", "attachment3.pdf"}
    forwarded = parsed(files["message2.eml"][1])
    assert forwarded["Subject"] == "認定者一覧の送付"
    assert leaf_types(stripped) == ["text/plain"]
    assert ROSTER not in stripped and b"%PDF" not in stripped


def test_a_message_that_is_only_a_file_keeps_its_headers_and_loses_the_file() -> None:
    message = EmailMessage()
    message["Subject"] = "名簿"
    message.set_content(ROSTER, maintype="application", subtype="pdf", filename="名簿.pdf")
    stripped, files = files_of(message.as_bytes())
    assert files == {"名簿.pdf": ("application/pdf", ROSTER)}
    copy = parsed(Copies(stripped).copy_for("リンク https://files.example/d/x"))
    assert copy["Subject"] == "名簿"
    assert leaf_types(copy.as_bytes()) == ["text/plain", "text/plain"]
    texts = [p.get_content() for p in copy.walk() if p.get_content_type() == "text/plain"]
    assert "リンク https://files.example/d/x" in texts[-1]


def test_a_message_without_files_is_left_as_it_is() -> None:
    data = eml_bytes("ただの連絡です。", charset="utf-8", html="<p>連絡</p>")
    assert take_attachments(data) == (data, [])


def test_big_bodies_are_kept_byte_for_byte_and_the_big_file_decoded_exactly() -> None:
    html = "<p>" + "会議の資料です。" * 40000 + "</p>"  # ~1 MB of HTML body, kept
    payload = os.urandom(3 << 20)
    data = eml_bytes("本文", {"data.bin": payload}, charset="utf-8", html=html)
    stripped, files = files_of(data)
    assert files == {"data.bin": ("application/octet-stream", payload)}
    original_html = parsed(data).get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert parsed(stripped).get_body(("html",)).get_content() == original_html  # type: ignore[union-attr]
    assert len(stripped) < len(data) - len(payload)


def test_copies_differ_only_in_the_link_part() -> None:
    stripped, _ = take_attachments(eml_bytes("本文です。", {"a.csv": ROSTER}, charset="utf-8"))
    copies = Copies(stripped)
    first = parsed(copies.copy_for("https://files.example/d/AAAA 有効期限"))
    second = parsed(copies.copy_for("https://files.example/d/BBBB 有効期限"))
    for copy, token in ((first, "AAAA"), (second, "BBBB")):
        texts = [p.get_content() for p in copy.walk() if p.get_content_type() == "text/plain"]
        assert texts[0].strip() == "本文です。" and token in texts[-1]
        assert "有効期限" in texts[-1] and len(texts) == 2
        assert not copy.defects and all(not p.defects for p in copy.walk())
    assert "BBBB" not in first.as_string() and "AAAA" not in second.as_string()


@pytest.mark.parametrize(
    "shape",
    [
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n\r\n%PDF-secret\r\n--b--\r\n--b\r\n"
        b"Content-Type: application/pdf\r\n\r\n%PDF-after-the-end\r\n",
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n\r\n%PDF-never-closed\r\n",
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\nno boundary ever %PDF-nothing\r\n",
    ],
)
def test_hostile_shapes_leave_no_file_part(shape: bytes) -> None:
    stripped, files = files_of(b"Subject: x\r\n" + shape)
    kept = [p for p in parsed(stripped).walk() if not p.is_multipart()]
    assert all(p.get_content_type() == "text/plain" for p in kept)
    assert b"%PDF" not in stripped  # not even after the closing delimiter
    assert files, "the PDF must be taken"
    for content_type, data in files.values():
        assert content_type in ("application/pdf", "multipart/mixed") and data


def test_the_slow_path_takes_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the two parsers disagree the standard library's alone decides; on ordinary
    mail both ways give the same files and the same kept text."""
    inner = eml_bytes("転送します", {"元の名簿.csv": ROSTER}, charset="utf-8")
    data = eml_bytes("本文", {"名簿.csv": ROSTER}, charset="utf-8", attached_message=inner)
    fast_stripped, fast = files_of(data)
    import sekisho.actions.link_mail as link_mail

    monkeypatch.setattr(link_mail, "_leaves", lambda part: iter(()))  # no markers at all
    slow_stripped, slow = files_of(data)
    assert fast.keys() == slow.keys() == {"名簿.csv", "message2.eml"}
    assert fast["名簿.csv"] == slow["名簿.csv"]
    assert parsed(fast["message2.eml"][1])["Subject"] == parsed(slow["message2.eml"][1])["Subject"]
    assert leaf_types(fast_stripped) == leaf_types(slow_stripped) == ["text/plain"]
