"""The SMTP handler end to end in one process: aiosmtpd's Controller is the upstream."""

from __future__ import annotations

import smtplib
import time
from pathlib import Path

import pytest

from sekisho.store import Database
from sekisho.store.blobs import held_files
from tests.extract.builders import eml_bytes, zip_bytes
from tests.factories import csv_bytes, incident_rows, write_xlsx
from tests.gateway.conftest import RunningGateway

CLERK = "clerk@kourei.city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(11)]


def send(port: int, mail_from: str, rcpts: list[str], data: bytes) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.ehlo()
        code, message = smtp.mail(mail_from)
        assert code == 250, message
        for rcpt in rcpts:
            assert smtp.rcpt(rcpt)[0] == 250
        return smtp.data(data)


def message(to: list[str], body: str, attachments: dict[str, bytes] | None = None) -> bytes:
    data = eml_bytes(body, attachments, charset="utf-8")
    data = data.replace(b"To: center@care.example.jp", b"To: " + ", ".join(to).encode())
    return data.replace(b"\n", b"\r\n")  # SMTP lines end in CRLF


def test_internal_mail_is_relayed_with_headers(gateway: RunningGateway) -> None:
    code, reply = send(
        gateway.port,
        CLERK,
        ["colleague@city.example.lg.jp"],
        message(["colleague@city.example.lg.jp"], "会議の件です。"),
    )
    assert code == 250 and b"relayed" in reply
    gateway.sink.wait(1)
    ((mail_from, rcpts, data),) = gateway.sink.messages
    assert (mail_from, rcpts) == (CLERK, ["colleague@city.example.lg.jp"])
    assert b"X-Sekisho-Id: " in data
    assert b"X-Sekisho-Verdict: deliver+tag; rules=internal" in data


def test_the_incident_is_held_and_reaches_nobody(gateway: RunningGateway, tmp_path: Path) -> None:
    workbook = write_xlsx(
        tmp_path / "認定者一覧.xlsx", {"元データ": incident_rows(300)}
    ).read_bytes()
    code, reply = send(
        gateway.port,
        CLERK,
        CENTRES,
        message(CENTRES, "調査の件で一覧を送ります。", {"認定者一覧.xlsx": workbook}),
    )
    assert code == 250 and b"held" in reply
    gateway.sink.wait(1)
    # Only the sender's notice went out.
    assert [(m[0], m[1]) for m in gateway.sink.messages] == [("<>", [CLERK])]
    notice = _decoded(gateway.sink.messages[0][2]).decode()
    assert "承認待ち" in notice and "300人分" in notice
    database = Database(gateway.config.database_url)
    (record,) = database.messages("held")
    assert record.records == 300 and record.then == "encrypt"
    held = held_files(database, gateway.config.spool_dir, gateway.config.blob_dir)
    assert (held.size(record.spool_name) or 0) > len(workbook)  # the original, base64 and all
    assert (gateway.config.spool_dir / record.spool_name).exists() == (
        gateway.config.blob_dir != "db"
    )
    # The queue's view of it: subject and attachment, nothing of the residents.
    assert record.subject_masked == "認定者一覧の送付"
    assert record.attachments == [
        {"name": "認定者一覧.xlsx", "kind": "xlsx", "size": len(workbook)}
    ]
    (event,) = database.events(action="message.held")
    assert event.detail["domains"] == sorted({c.rpartition("@")[2] for c in CENTRES})
    assert event.detail["sender"] == CLERK


def test_approved_hold_leaves_encrypted_with_password_to_sender(gateway: RunningGateway) -> None:
    sheet = csv_bytes([["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]], "cp932")
    code, _ = send(
        gateway.port,
        CLERK,
        ["someone@example.com"],
        message(["someone@example.com"], "一覧です", {"名簿.csv": sheet}),
    )
    assert code == 250
    database = Database(gateway.config.database_url)
    (record,) = database.messages("held")
    assert database.transition(record.sekisho_id, {"held"}, "approved", "ciso@city.example.lg.jp")
    gateway.sink.wait(3)  # held notice, the message, the password
    delivered = [m for m in gateway.sink.messages if m[1] == ["someone@example.com"]]
    assert len(delivered) == 1
    assert b"attachments.zip" in delivered[0][2] and b"090-1234-5678" not in delivered[0][2]
    passwords = [
        m
        for m in gateway.sink.messages
        if m[1] == [CLERK] and _subject(m[2]).startswith("[Sekisho] 暗号化")
    ]
    assert len(passwords) == 1
    assert "件名「認定者一覧の送付」" in _decoded(passwords[0][2]).decode()
    deadline = time.monotonic() + 10
    while database.get(record.sekisho_id).state != "delivered":
        assert time.monotonic() < deadline, database.get(record.sekisho_id).state
        time.sleep(0.05)


def test_my_number_is_rejected_and_the_sender_told(gateway: RunningGateway) -> None:
    code, reply = send(
        gateway.port,
        CLERK,
        ["chosa@chosa.example.co.jp"],
        message(["chosa@chosa.example.co.jp"], "個人番号 123456789018"),
    )
    assert code == 250 and b"rejected" in reply
    gateway.sink.wait(1)
    ((_, rcpts, notice),) = gateway.sink.messages
    assert rcpts == [CLERK]
    text = _decoded(notice).decode()
    assert "ポリシーにより送信されませんでした" in text and "My Number may not be sent" in text
    assert "123456789018" not in text


def test_personal_data_in_the_subject_is_masked_in_the_notice_and_the_queue(
    gateway: RunningGateway,
) -> None:
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"] = CLERK, "someone@example.com"
    mail["Subject"] = "山田 太郎様 携帯 090-1234-5678 の件"
    mail.set_content("氏名：山田 太郎\n携帯 090-1234-5678\n")
    data = mail.as_bytes().replace(b"\n", b"\r\n")
    code, reply = send(gateway.port, CLERK, ["someone@example.com"], data)
    assert code == 250 and b"held" in reply
    gateway.sink.wait(1)
    ((_, rcpts, notice),) = gateway.sink.messages
    text = _decoded(notice).decode() + _subject(notice)
    assert rcpts == [CLERK] and "件名「山田 **様 携帯 ***-****-**78 の件」" in text
    assert "090-1234-5678" not in text and "太郎" not in text
    (record,) = Database(gateway.config.database_url).messages("held")
    assert record.subject_masked == "山田 **様 携帯 ***-****-**78 の件"


def test_a_raw_8bit_subject_and_a_my_number_file_name_are_masked_everywhere(
    gateway: RunningGateway,
) -> None:
    """An SMTPUTF8 subject (raw UTF-8, no RFC 2047) is read as text, not as U+FFFD, and
    both it and an attachment's name are stored and told masked."""
    from tests.factories import csv_bytes

    data = message(
        ["someone@example.com"],
        "添付します",
        {"名簿_123456789018.csv": csv_bytes([["氏名", "電話"], ["山田 太郎", "090-3141-5926"]])},
    )
    head, _, body = data.partition(b"\r\n\r\n")
    head = b"\r\n".join(
        line for line in head.split(b"\r\n") if not line.lower().startswith(b"subject:")
    )
    data = head + "\r\nSubject: 山田 太郎様 090-3141-5926 の件\r\n\r\n".encode() + body
    code, reply = send(gateway.port, CLERK, ["someone@example.com"], data)
    assert code == 250 and b"held" in reply
    (record,) = Database(gateway.config.database_url).messages("held")
    assert record.subject_masked == "山田 **様 ***-****-**26 の件"
    assert [a["name"] for a in record.attachments] == ["名簿_**********18.csv"]
    gateway.sink.wait(1)
    ((_, _, notice),) = gateway.sink.messages
    text = _decoded(notice).decode() + _subject(notice)
    assert "090-3141-5926" not in text and "123456789018" not in text and "\ufffd" not in text


def test_encrypted_zip_is_held(gateway: RunningGateway) -> None:
    from tests.extract.builders import aes_zip

    code, reply = send(
        gateway.port,
        CLERK,
        [CENTRES[0]],
        message([CENTRES[0]], "添付します", {"a.zip": aes_zip({"名簿.csv": b"x"})}),
    )
    assert code == 250 and b"held" in reply


def test_upstream_down_is_451(gateway: RunningGateway) -> None:
    gateway.sink.refuse = True
    code, _ = send(
        gateway.port,
        CLERK,
        ["colleague@city.example.lg.jp"],
        message(["colleague@city.example.lg.jp"], "こんにちは"),
    )
    assert code == 451


def test_delayed_mail_leaves_after_its_time(gateway: RunningGateway) -> None:
    archive = zip_bytes({"集計.csv": csv_bytes([["地区", "人数"], ["北部", 12]])})
    code, reply = send(
        gateway.port, CLERK, [CENTRES[0]], message([CENTRES[0]], "集計です", {"集計.zip": archive})
    )
    assert code == 250 and b"delayed" in reply
    database = Database(gateway.config.database_url)
    (record,) = database.messages("delayed")
    with database.session() as session:  # time passes
        from sekisho.store import MessageRecord

        session.get(MessageRecord, record.id).release_at = record.created_at
    gateway.sink.wait(2)
    assert any(m[1] == [CENTRES[0]] for m in gateway.sink.messages)


def test_japanese_addresses_pass_with_smtputf8(gateway: RunningGateway) -> None:
    sender, rcpt = "山田@city.example.lg.jp", "同僚@city.example.lg.jp"
    data = message([rcpt], "こんにちは")
    with smtplib.SMTP("127.0.0.1", gateway.port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("smtputf8")
        smtp.sendmail(sender, [rcpt], data, mail_options=["SMTPUTF8"])
    gateway.sink.wait(1)
    ((mail_from, rcpts, _),) = gateway.sink.messages
    assert (mail_from, rcpts) == (sender, [rcpt])


def _subject(raw: bytes) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.default)["Subject"])


def _decoded(raw: bytes) -> bytes:
    from email import message_from_bytes, policy

    message = message_from_bytes(raw, policy=policy.default)
    body = message.get_body(("plain",))
    return (body.get_content() if body is not None else "").encode()


@pytest.mark.parametrize("size", [0])
def test_same_message_twice_is_one_hold(gateway: RunningGateway, size: int) -> None:
    data = message(["someone@example.com"], "氏名：山田 太郎\n携帯 090-1234-5678")
    assert send(gateway.port, CLERK, ["someone@example.com"], data)[0] == 250
    code, reply = send(gateway.port, CLERK, ["someone@example.com"], data)  # the MTA retried
    assert code == 250 and b"already held" in reply
    assert len(Database(gateway.config.database_url).messages("held")) == 1


def test_japanese_address_without_the_smtputf8_flag(gateway: RunningGateway) -> None:
    """Postfix may pass a UTF-8 address without SMTPUTF8; the relay must still work."""
    import socket

    sender, rcpt = "山田@city.example.lg.jp", "同僚@city.example.lg.jp"
    body = message([rcpt], "こんにちは")
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as sock:
        reader = sock.makefile("rb")

        def command(line: bytes) -> bytes:
            sock.sendall(line + b"\r\n")
            reply = reader.readline()
            while reply[3:4] == b"-":
                reply = reader.readline()
            return reply

        assert reader.readline().startswith(b"220")
        assert command(b"EHLO postfix").startswith(b"250")
        assert command(f"MAIL FROM:<{sender}>".encode()).startswith(b"250")
        assert command(f"RCPT TO:<{rcpt}>".encode()).startswith(b"250")
        assert command(b"DATA").startswith(b"354")
        assert command(body + b"\r\n.").startswith(b"250")
        command(b"QUIT")
    gateway.sink.wait(1)
    ((mail_from, rcpts, _),) = gateway.sink.messages
    assert (mail_from, rcpts) == (sender, [rcpt])


def test_a_hold_nobody_decides_expires_with_a_notice(gateway: RunningGateway) -> None:
    from sekisho.store import MessageRecord

    code, _ = send(
        gateway.port,
        CLERK,
        ["someone@example.com"],
        message(["someone@example.com"], "氏名：山田 太郎\n携帯 090-1234-5678"),
    )
    assert code == 250
    database = Database(gateway.config.database_url)
    (record,) = database.messages("held")
    with database.session() as session:  # the expiry passes
        session.get(MessageRecord, record.id).expires_at = record.created_at
    gateway.sink.wait(2)  # the held notice, then the expiry notice
    assert [_subject(m[2]) for m in gateway.sink.messages][-1].startswith(
        "[Sekisho] 承認されないまま期限切れ"
    )
    assert database.get(record.sekisho_id).state == "expired"
    assert not any(m[1] == ["someone@example.com"] for m in gateway.sink.messages)
