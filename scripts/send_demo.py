"""Push a few realistic mails through a running gateway (``make run``) so that every path
shows at once: the incident (held), the aggregate answer (delayed), My Number (rejected),
an internal memo (delivered). All data is generated.

    .venv/bin/python scripts/send_demo.py [--port 10025]
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.factories import incident_rows, write_xlsx

CLERK = "clerk@kourei.city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(1, 12)]


def message(
    to: list[str], subject: str, body: str, attachment: tuple[str, bytes] | None = None
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = CLERK
    mail["To"] = ", ".join(to)
    mail["Subject"] = subject
    mail.set_content(body)
    if attachment:
        mail.add_attachment(
            attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0]
        )
    return mail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=10025)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = write_xlsx(Path(tmp) / "r.xlsx", {"元データ": incident_rows()}).read_bytes()
        totals = write_xlsx(
            Path(tmp) / "t.xlsx",
            {"集計": [["区分", "人数"], ["高齢者数", 41234], ["要介護認定者数", 7203]]},
        ).read_bytes()
    mails = [
        (
            "the incident",
            message(
                CENTRES,
                "調査の件（認定者一覧）",
                "調査の件で一覧を送ります。",
                ("認定者一覧.xlsx", roster),
            ),
        ),
        (
            "the aggregate answer",
            message(CENTRES, "調査への回答", "ご依頼の2つの数字です。", ("集計.xlsx", totals)),
        ),
        (
            "My Number",
            message(
                ["chosa@chosa.example.co.jp"],
                "確認のお願い",
                "山田 太郎様の個人番号は123456789018です。",
            ),
        ),
        (
            "an internal memo",
            message(["colleague@city.example.lg.jp"], "会議のお知らせ", "明日10時から会議です。"),
        ),
    ]
    for title, mail in mails:
        recipients = [a.strip() for a in str(mail["To"]).split(",")]
        with smtplib.SMTP("127.0.0.1", args.port, timeout=120) as smtp:
            smtp.ehlo()
            smtp.mail(CLERK)
            for recipient in recipients:
                smtp.rcpt(recipient)
            code, reply = smtp.data(mail.as_bytes(policy=mail.policy.clone(linesep="\r\n")))
        print(f"{title}: {code} {reply.decode()}")
    print(
        "See var/maildir/new for what left, and `sqlite3 var/sekisho.db 'select sekisho_id, state, rule, records from messages'`."
    )


if __name__ == "__main__":
    main()
