"""Demo mails for a newcomer: the 2022 incident (held), the answer with the two numbers
(delayed, Bcc), a My Number mail (rejected, the sender told) and an internal memo
(delivered). Every resident is made up here: surnames and given names are drawn from
short lists, numbers are random, and no combination is anybody's."""

from __future__ import annotations

import io
import random
import smtplib
from datetime import date
from email.message import EmailMessage

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
]
GIVEN = [
    "太郎",
    "花子",
    "一郎",
    "陽子",
    "健",
    "美智子",
    "浩",
    "幸子",
    "誠",
    "和子",
    "博",
    "京子",
    "茂",
    "節子",
    "実",
    "洋子",
    "清",
    "恵子",
    "進",
    "久美子",
]
TOWNS = [
    "東京都千代田区千代田",
    "横浜市港北区日吉",
    "大阪府大阪市北区梅田",
    "札幌市中央区北一条西",
    "福岡市博多区博多駅前",
]
LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
CLERK = "clerk@kourei.city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(1, 12)]


def roster_xlsx(rows: int = 7203, seed: int = 20220520) -> bytes:
    """The incident's workbook: 被保険者番号, 氏名, 生年月日, 性別, 住所, 電話番号, 要介護度."""
    import xlsxwriter

    rng = random.Random(seed)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("元データ")
    dates = book.add_format({"num_format": "yyyy/mm/dd"})
    sheet.write_row(
        0, 0, ["被保険者番号", "氏名", "生年月日", "性別", "住所", "電話番号", "要介護度"]
    )
    for r in range(1, rows + 1):
        sheet.write_string(r, 0, f"{1_000_000 + r * 7:010d}")
        sheet.write_string(r, 1, f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}")
        sheet.write_datetime(
            r, 2, date(rng.randint(1925, 1957), rng.randint(1, 12), rng.randint(1, 28)), dates
        )
        sheet.write_string(r, 3, rng.choice(["男", "女"]))
        sheet.write_string(
            r,
            4,
            f"{rng.choice(TOWNS)}{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}",
        )
        sheet.write_string(r, 5, f"090-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}")
        sheet.write_string(r, 6, rng.choice(LEVELS))
    book.close()
    return buffer.getvalue()


def totals_xlsx() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("集計")
    for r, row in enumerate([["区分", "人数"], ["高齢者数", 41234], ["要介護認定者数", 7203]]):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def messages() -> list[tuple[str, list[str], EmailMessage]]:
    def mail(
        to: list[str], subject: str, body: str, attachment: tuple[str, bytes] | None = None
    ) -> EmailMessage:
        message = EmailMessage()
        message["From"] = CLERK
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message.set_content(body)
        if attachment:
            message.add_attachment(
                attachment[1],
                maintype="application",
                subtype="octet-stream",
                filename=attachment[0],
            )
        return message

    return [
        (
            "the incident / 事故のメール",
            CENTRES,
            mail(
                CENTRES,
                "調査の件（認定者一覧）",
                "調査の件で一覧を送ります。",
                ("認定者一覧.xlsx", roster_xlsx()),
            ),
        ),
        (
            "the two numbers / 必要な2つの数字",
            CENTRES,
            mail(CENTRES, "調査への回答", "ご依頼の2つの数字です。", ("集計.xlsx", totals_xlsx())),
        ),
        (
            "My Number / 個人番号",
            ["chosa@chosa.example.co.jp"],
            mail(
                ["chosa@chosa.example.co.jp"],
                "確認のお願い",
                "山田 太郎様の個人番号は123456789018です。",
            ),
        ),
        (
            "an internal memo / 庁内連絡",
            ["colleague@city.example.lg.jp"],
            mail(["colleague@city.example.lg.jp"], "会議のお知らせ", "明日10時から会議です。"),
        ),
    ]


def send(host: str = "127.0.0.1", port: int = 10025) -> list[tuple[str, int, str]]:
    """Send the demo mails; (title, SMTP code, reply) for each."""
    results = []
    for title, recipients, message in messages():
        with smtplib.SMTP(host, port, timeout=120) as smtp:
            smtp.ehlo()
            smtp.mail(CLERK)
            for recipient in recipients:
                smtp.rcpt(recipient)
            code, reply = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        results.append((title, code, reply.decode(errors="replace")))
    return results
