"""E-mail messages: charsets, encoded names, attachments, attached messages."""

from sekisho.extract import TablePart, extract_bytes
from sekisho.scan import Scanner
from tests.extract.builders import ROSTER_TEXT, eml_bytes, zip_bytes
from tests.factories import csv_bytes


def test_iso_2022_jp_body_and_encoded_attachment_name(scanner: Scanner) -> None:
    attachment = csv_bytes([["氏名", "個人番号"], ["山田 太郎", "123456789018"]], "cp932")
    data = eml_bytes(ROSTER_TEXT, {"認定者一覧（5月分）.csv": attachment})
    assert b"ISO-2022-JP" in data.upper() or b"iso-2022-jp" in data
    report = scanner.scan_bytes(data, "message.eml")
    locations = {f.location for f in report.findings}
    assert "body, line 2" in locations  # the My Number in the body
    assert "attachment 認定者一覧（5月分）.csv, B2" in locations
    assert report.records == 1  # the same My Number in body and attachment is one person


def test_attached_message_is_read_as_a_message() -> None:
    inner = eml_bytes("携帯 090-1234-5678", charset="utf-8")
    outer = eml_bytes("転送します", attached_message=inner)
    extraction = extract_bytes(outer, "fw.eml")
    origins = [p.origin for p in extraction.parts]
    assert any(o.startswith("attachment ") and o.endswith("body") for o in origins), origins


def test_html_alternative_is_not_read_twice(scanner: Scanner) -> None:
    data = eml_bytes("携帯 090-1234-5678", charset="utf-8", html="<p>携帯 <b>090-1234-5678</b></p>")
    report = scanner.scan_bytes(data, "m.eml")
    assert report.entities == {"PHONE_NUMBER": 1}


def test_zip_attachment_inside_a_message() -> None:
    archive = zip_bytes({"名簿.csv": csv_bytes([["個人番号"], ["123456789018"]])})
    extraction = extract_bytes(eml_bytes("添付します", {"名簿.zip": archive}), "m.eml")
    (table,) = [p for p in extraction.parts if isinstance(p, TablePart)]
    assert table.cell_location(1, 0) == "attachment 名簿.zip/名簿.csv, A2"


def test_outlook_msg_body_and_attachment(scanner: Scanner) -> None:
    from tests.extract.cfb import msg_bytes

    attachment = csv_bytes([["氏名", "電話"], ["山田 太郎", "090-1234-5678"]], "cp932")
    data = msg_bytes(
        "認定者一覧の件", "山田 太郎様の個人番号は123456789018です。", {"名簿.csv": attachment}
    )
    report = scanner.scan_bytes(data, "転送.msg")
    assert not report.unscannable
    places = {(f.entity, f.location) for f in report.findings}
    assert ("JP_MY_NUMBER", "body, line 1") in places
    assert ("PHONE_NUMBER", "attachment 名簿.csv, B2") in places
    assert report.records == 1


def _raw_message(filename_header: bytes, attachment: bytes) -> bytes:
    import base64

    return (
        b"From: a@example.jp\r\nTo: b@example.jp\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        b"--XX\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsee attached\r\n"
        b"--XX\r\nContent-Type: application/octet-stream; " + filename_header + b"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(attachment)
        + b"\r\n--XX--\r\n"
    )


def test_rfc2047_encoded_attachment_name() -> None:
    from email.header import Header

    encoded = Header("認定者一覧.csv", "iso-2022-jp").encode().encode()
    data = _raw_message(b'name="' + encoded + b'"', csv_bytes([["個人番号"], ["123456789018"]]))
    extraction = extract_bytes(data, "m.eml")
    assert [p.origin for p in extraction.parts if isinstance(p, TablePart)] == [
        "attachment 認定者一覧.csv"
    ]


def test_raw_shift_jis_attachment_name() -> None:
    # Some mailers put the name in the header as raw Shift_JIS bytes, against the RFCs.
    data = _raw_message(
        b'name="' + "名簿.csv".encode("cp932") + b'"', csv_bytes([["電話"], ["090-1234-5678"]])
    )
    extraction = extract_bytes(data, "m.eml")
    assert [p.origin for p in extraction.parts if isinstance(p, TablePart)] == [
        "attachment 名簿.csv"
    ]
