"""Asking recipients to delete a message that left, and recording their confirmation.

The PPC's guidance (通則編 Q&A 6-1) does not count a mis-sent mail as a leak when the
recipient deleted it without viewing it, which must be confirmed. Sekisho mails each
recipient a request with a signed, single-use confirmation link to the public listener;
the message page and ``sekisho message show`` count the confirmations ("確認済み 9/11"),
and one reminder goes out after ``deletion_reminder_hours``.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer

from sekisho.actions.notices import automatic_mail

_SALT = "sekisho-deletion"


def signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def confirmation_url(secret: str, public_url: str, recipient_id: int) -> str:
    token = signer(secret).dumps({"r": recipient_id, "n": secrets.token_urlsafe(6)})
    return f"{public_url.rstrip('/')}/x/{token}"


def read_confirmation(secret: str, token: str) -> int | None:
    """The link row a confirmation token names; None when it was altered or made up."""
    try:
        data = signer(secret).loads(token)
    except BadSignature:
        return None
    rid = data.get("r") if isinstance(data, dict) else None
    return rid if isinstance(rid, int) else None


def request_composer(secret: str, public_url: str):  # type: ignore[no-untyped-def]
    """What ``LinkStore.ask_to_delete`` and ``remind_deletions`` call for each recipient's
    row (address, id, sekisho_id, sender): the request mail with its signed link."""

    def compose(row, reminder: bool) -> bytes:  # type: ignore[no-untyped-def]
        url = confirmation_url(secret, public_url, row.id)
        return request_mail(row.address, url, row.sekisho_id, row.sender, reminder=reminder)

    return compose


def request_mail(to: str, url: str, sekisho_id: str, sender: str, *, reminder: bool) -> bytes:
    again_ja, again_en = ("【再送】", "Reminder: ") if reminder else ("", "")
    return automatic_mail(
        to,
        f"{again_ja}誤送信メールの削除のお願い / {again_en}Please delete a mis-sent mail",
        f"{sender} からあなた宛てに送られたメール（Sekisho ID {sekisho_id}）は誤って送信されました。\n"
        "開かずに削除し、ごみ箱・転送先・保存したファイルからも消したうえで、"
        "次のリンクから削除したことをお知らせください。\n"
        f"{url}\n\n"
        f"A mail sent to you by {sender} (Sekisho ID {sekisho_id}) was sent by mistake.\n"
        "Please delete it without opening it (also from the trash, forwarded copies and saved "
        "files) and confirm the deletion at the link above.\n",
        sekisho_id,
    )
