"""Links: the files of a message sent as links, one link per recipient, and everything that
happens to them (code, views, downloads, revocation, deletion confirmation).

Each change is one conditional update in one transaction with its audit event, as the
message states are: a download that races a revocation either counts before it or is
refused after it, and two downloads racing for the last allowed one do not both win.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select, update

from sekisho.store.database import Database
from sekisho.store.models import LinkEvent, LinkFile, LinkRecipient, Notice

TOKEN_BYTES = 32  # 256 random bits; the URL carries them base64url (43 characters)
TOKEN_LENGTH = 43
CODE_MINUTES = 10
CODE_TRIES = 5

# The deletion request mail for one recipient's row (reminder or not): built in actions.
Compose = Callable[[LinkRecipient, bool], bytes]


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _code_hash(recipient_id: int, code: str) -> str:
    return hashlib.sha256(f"{recipient_id}:{code}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewFile:
    name: str  # as the recipient will save it (sealed in the database)
    name_masked: str  # as staff pages show it
    content_type: str
    read: Callable[[], bytes]  # called when the file is sealed, one file at a time


@dataclass(frozen=True, slots=True)
class Visit:
    """Where a request came from, for the download log."""

    client: str = ""
    user_agent: str = ""


def link_state(link: LinkRecipient, now: datetime) -> str:
    """active, revoked, expired or exhausted (what ``message show`` reports); none for a
    row kept only to track a deletion request of mail that left with its attachments."""
    if link.max_downloads == 0:
        return "none"
    if link.revoked_at is not None:
        return "revoked"
    if now >= link.expires_at:
        return "expired"
    if link.downloads >= link.max_downloads:
        return "exhausted"
    return "active"


class LinkStore:
    def __init__(self, database: Database, blobs, secret: str) -> None:  # type: ignore[no-untyped-def]
        self.database = database
        self.blobs = blobs  # store.sealed.BlobStore
        # File names (a name may name a resident) are sealed under a key derived from the
        # installation's secret, which is not in the database.
        self._names_key = hashlib.sha256(b"sekisho link names\0" + secret.encode()).digest()

    # -- making links ---------------------------------------------------------------

    def store_files(self, sekisho_id: str, files: list[NewFile], now: datetime) -> list[LinkFile]:
        """Seal and record the files once: a relay retried after a failure finds them."""
        existing = self.files(sekisho_id)
        if existing:
            return existing
        rows = []
        for number, new in enumerate(files, start=1):
            blob = f"{sekisho_id}.{number}.sealed"
            data = new.read()
            key = self.blobs.put(blob, data)
            size = len(data)
            del data
            name_sealed = _seal_name(new.name, self._names_key)
            rows.append(
                LinkFile(
                    sekisho_id=sekisho_id,
                    number=number,
                    name_sealed=name_sealed,
                    name_masked=new.name_masked[:500],
                    content_type=new.content_type[:120],
                    size=size,
                    blob=blob,
                    key=key,
                    created_at=now,
                )
            )
        with self.database.session() as session:
            session.add_all(rows)
            self.database._audit(
                session,
                "gateway",
                "link.files_stored",
                sekisho_id,
                {"files": len(rows), "bytes": sum(r.size for r in rows)},
            )
        return rows

    def issue(
        self,
        sekisho_id: str,
        sender: str,
        address: str,
        *,
        now: datetime,
        days: int,
        max_downloads: int,
        code_required: bool,
    ) -> str | None:
        """A new token for ``address``'s link (the row made on first call). None when the
        copy naming an earlier token was already sent: it is not sent twice."""
        token = new_token()
        with self.database.session() as session:
            link = session.scalar(
                select(LinkRecipient).where(
                    LinkRecipient.sekisho_id == sekisho_id, LinkRecipient.address == address
                )
            )
            if link is not None and link.sent_at is not None:
                return None
            if link is None:
                session.add(
                    LinkRecipient(
                        sekisho_id=sekisho_id,
                        address=address,
                        token_hash=token_hash(token),
                        sender=sender,
                        created_at=now,
                        expires_at=now + timedelta(days=days),
                        max_downloads=max_downloads,
                        downloads=0,
                        code_required=code_required,
                        code_tries=0,
                    )
                )
            else:  # a copy that never left: its token was never seen, a new one replaces it
                link.token_hash = token_hash(token)
        return token

    def mark_sent(self, sekisho_id: str, address: str, now: datetime) -> None:
        with self.database.session() as session:
            session.execute(
                update(LinkRecipient)
                .where(
                    LinkRecipient.sekisho_id == sekisho_id,
                    LinkRecipient.address == address,
                    LinkRecipient.sent_at.is_(None),
                )
                .values(sent_at=now)
            )
            self.database._audit(
                session, "gateway", "link.sent", sekisho_id, {"recipient": address}
            )

    # -- reading ----------------------------------------------------------------------

    def files(self, sekisho_id: str) -> list[LinkFile]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(LinkFile)
                    .where(LinkFile.sekisho_id == sekisho_id)
                    .order_by(LinkFile.number)
                )
            )

    def recipients(self, sekisho_id: str) -> list[LinkRecipient]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(LinkRecipient)
                    .where(LinkRecipient.sekisho_id == sekisho_id)
                    .order_by(LinkRecipient.id)
                )
            )

    def link_messages(self, limit: int = 500) -> list[tuple[str, str, datetime, int]]:
        """The newest messages that left as links: (Sekisho ID, sender, when, recipients)."""
        with self.database.reading() as session:
            rows = session.execute(
                select(
                    LinkRecipient.sekisho_id,
                    LinkRecipient.sender,
                    func.min(LinkRecipient.created_at),
                    func.count(),
                )
                .where(LinkRecipient.max_downloads > 0)
                .group_by(LinkRecipient.sekisho_id, LinkRecipient.sender)
                .order_by(func.min(LinkRecipient.created_at).desc())
                .limit(limit)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]

    def by_token(self, token: str) -> LinkRecipient | None:
        """The link of ``token``: one indexed lookup of its hash whether it exists or not,
        so that an unknown token costs what a known one does."""
        with self.database.reading() as session:
            return session.scalar(
                select(LinkRecipient).where(LinkRecipient.token_hash == token_hash(token))
            )

    def get(self, recipient_id: int) -> LinkRecipient | None:
        with self.database.reading() as session:
            return session.get(LinkRecipient, recipient_id)

    def events(self, recipient_id: int) -> list[LinkEvent]:
        with self.database.reading() as session:
            return list(
                session.scalars(
                    select(LinkEvent)
                    .where(LinkEvent.recipient_id == recipient_id)
                    .order_by(LinkEvent.id)
                )
            )

    def file_name(self, file: LinkFile) -> str:
        return _open_name(file.name_sealed, self._names_key)

    # -- what recipients do -----------------------------------------------------------

    def record(self, link: LinkRecipient, kind: str, visit: Visit, now: datetime, **extra) -> None:  # type: ignore[no-untyped-def]
        with self.database.session() as session:
            self._event(session, link, kind, visit, now, **extra)

    def _event(
        self,
        session,
        link: LinkRecipient,
        kind: str,
        visit: Visit,
        now: datetime,
        file_number: int | None = None,
        size: int = 0,
        error: str = "",
    ) -> None:  # type: ignore[no-untyped-def]
        session.add(
            LinkEvent(
                recipient_id=link.id,
                at=now,
                kind=kind,
                file_number=file_number,
                bytes=size,
                client=visit.client[:60],
                user_agent=visit.user_agent[:250],
            )
        )
        detail = {"recipient": link.address, "client": visit.client[:60]}
        if file_number is not None:
            detail.update(file=file_number, bytes=size)
        if error:
            detail["error"] = error[:200]
        self.database._audit(session, "recipient", f"link.{kind}", link.sekisho_id, detail)

    def new_code(self, link: LinkRecipient, visit: Visit, now: datetime) -> str | None:
        """A fresh 6-digit code for ``link`` (None when locked or not active); the caller
        mails it to the link's address."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self.database.session() as session:
            done = session.execute(
                update(LinkRecipient)
                .where(
                    LinkRecipient.id == link.id,
                    LinkRecipient.locked_at.is_(None),
                    LinkRecipient.revoked_at.is_(None),
                )
                .values(
                    code_hash=_code_hash(link.id, code),
                    code_expires_at=now + timedelta(minutes=CODE_MINUTES),
                )
            ).rowcount
            if not done:
                return None
            self._event(session, link, "code_sent", visit, now)
        return code

    def check_code(self, link: LinkRecipient, code: str, visit: Visit, now: datetime) -> str:
        """ok, wrong, expired (ask for a new one) or locked (after ``CODE_TRIES`` wrong)."""
        with self.database.session() as session:
            row = session.get(LinkRecipient, link.id)
            assert row is not None
            if row.locked_at is not None:
                return "locked"
            if row.code_hash is None or row.code_expires_at is None or now >= row.code_expires_at:
                return "expired"
            if hmac.compare_digest(row.code_hash, _code_hash(row.id, code.strip())):
                row.confirmed_at = row.confirmed_at or now
                row.code_hash = None
                self._event(session, row, "code_confirmed", visit, now)
                return "ok"
            row.code_tries += 1
            if row.code_tries >= CODE_TRIES:
                row.locked_at = now
                row.code_hash = None
                self._event(session, row, "locked", visit, now)
                return "locked"
            self._event(session, row, "code_wrong", visit, now)
            return "wrong"

    def begin_download(
        self, link: LinkRecipient, number: int, visit: Visit, now: datetime
    ) -> LinkFile | None:
        """Count one download of file ``number`` if the link still allows it (one
        conditional update: not revoked, not expired, downloads left, mailbox confirmed
        when a code is required); the file, or None when refused."""
        with self.database.session() as session:
            file = session.scalar(
                select(LinkFile).where(
                    LinkFile.sekisho_id == link.sekisho_id, LinkFile.number == number
                )
            )
            if file is None:
                return None
            conditions = [
                LinkRecipient.id == link.id,
                LinkRecipient.revoked_at.is_(None),
                LinkRecipient.expires_at > now,
                LinkRecipient.downloads < LinkRecipient.max_downloads,
            ]
            if link.code_required:
                conditions.append(LinkRecipient.confirmed_at.is_not(None))
            values = {
                "downloads": LinkRecipient.downloads + 1,
                "last_download_at": now,
            }
            done = session.execute(
                update(LinkRecipient).where(*conditions).values(**values)
            ).rowcount
            if not done:
                return None
            session.execute(
                update(LinkRecipient)
                .where(LinkRecipient.id == link.id, LinkRecipient.first_download_at.is_(None))
                .values(first_download_at=now)
            )
            self._event(session, link, "download", visit, now, file_number=number, size=file.size)
            return file

    # -- taking it back ---------------------------------------------------------------

    def tracking_row(
        self, sekisho_id: str, address: str, sender: str, now: datetime
    ) -> LinkRecipient:
        """``address``'s row for ``sekisho_id``: its link's, or a row without a link
        (``max_downloads`` 0, a token nobody has) for mail that left as it was."""
        with self.database.session() as session:
            row = session.scalar(
                select(LinkRecipient).where(
                    LinkRecipient.sekisho_id == sekisho_id, LinkRecipient.address == address
                )
            )
            if row is None:
                row = LinkRecipient(
                    sekisho_id=sekisho_id,
                    address=address,
                    token_hash=token_hash(new_token()),
                    sender=sender,
                    created_at=now,
                    expires_at=now,
                    max_downloads=0,
                    downloads=0,
                    code_required=True,
                    code_tries=0,
                    sent_at=now,
                )
                session.add(row)
                session.flush()
            return row

    def ask_to_delete(
        self, sekisho_id: str, addresses: list[str], actor: str, now: datetime, compose: Compose
    ) -> int:
        """Queue a deletion request to every recipient of ``addresses`` not asked yet (the
        row marked asked in the same transaction as the outbox entry); the number queued.
        Mail that left without links gets rows of its own, so confirmations are tracked
        the same way."""
        record = self.database.get(sekisho_id)
        sender = (
            record.mail_from
            if record is not None
            else next((r.sender for r in self.recipients(sekisho_id)), "")
        )
        queued = 0
        for address in addresses:
            row = self.tracking_row(sekisho_id, address, sender, now)
            with self.database.session() as session:
                done = session.execute(
                    update(LinkRecipient)
                    .where(
                        LinkRecipient.id == row.id, LinkRecipient.deletion_requested_at.is_(None)
                    )
                    .values(deletion_requested_at=now)
                ).rowcount
                if not done:
                    continue
                self.database._enqueue(session, _request(row, compose(row, False), "delete"))
                self.database._audit(
                    session, actor, "message.ask_delete", sekisho_id, {"recipient": address}
                )
            queued += 1
        return queued

    def remind_deletions(self, now: datetime, hours: int, compose: Compose) -> int:
        """One reminder to each recipient asked ``hours`` ago who has not confirmed."""
        with self.database.reading() as session:
            due = list(
                session.scalars(
                    select(LinkRecipient).where(
                        LinkRecipient.deletion_requested_at <= now - timedelta(hours=hours),
                        LinkRecipient.deletion_confirmed_at.is_(None),
                        LinkRecipient.deletion_reminded_at.is_(None),
                    )
                )
            )
        sent = 0
        for row in due:
            with self.database.session() as session:
                done = session.execute(
                    update(LinkRecipient)
                    .where(LinkRecipient.id == row.id, LinkRecipient.deletion_reminded_at.is_(None))
                    .values(deletion_reminded_at=now)
                ).rowcount
                if done:
                    self.database._enqueue(
                        session, _request(row, compose(row, True), "delete-remind")
                    )
                    sent += done
        return sent

    def confirm_deletion(self, recipient_id: int, note: str, visit: Visit, now: datetime) -> str:
        """ok; used (confirmed before: a confirmation link works once); unknown (never
        asked)."""
        with self.database.session() as session:
            row = session.get(LinkRecipient, recipient_id)
            if row is None or row.deletion_requested_at is None:
                return "unknown"
            if row.deletion_confirmed_at is not None:
                return "used"
            row.deletion_confirmed_at = now
            row.deletion_note = note[:500] or None
            self._event(session, row, "deletion_confirmed", visit, now)
        return "ok"

    def revoke(self, sekisho_id: str, actor: str, now: datetime, address: str | None = None) -> int:
        """Revoke one recipient's link or all of a message's; the number revoked now."""
        with self.database.session() as session:
            query = update(LinkRecipient).where(
                LinkRecipient.sekisho_id == sekisho_id, LinkRecipient.revoked_at.is_(None)
            )
            if address is not None:
                query = query.where(LinkRecipient.address == address)
            count = session.execute(query.values(revoked_at=now, revoked_by=actor[:250])).rowcount
            self.database._audit(
                session,
                actor,
                "link.revoked",
                sekisho_id,
                {"recipient": address or "*", "links": count},
            )
        return count

    def revoke_sender(
        self, sender: str, start: datetime, end: datetime, actor: str, now: datetime
    ) -> int:
        """Every link of ``sender`` made between ``start`` and ``end`` (a compromised
        mailbox): the number revoked now."""
        with self.database.session() as session:
            count = session.execute(
                update(LinkRecipient)
                .where(
                    LinkRecipient.sender == sender,
                    LinkRecipient.created_at >= start,
                    LinkRecipient.created_at <= end,
                    LinkRecipient.revoked_at.is_(None),
                )
                .values(revoked_at=now, revoked_by=actor[:250])
            ).rowcount
            self.database._audit(
                session,
                actor,
                "link.revoked_sender",
                None,
                {
                    "sender": sender,
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "links": count,
                },
            )
        return count


def _request(row: LinkRecipient, body: bytes, kind: str) -> Notice:
    return Notice(
        sekisho_id=row.sekisho_id,
        kind=f"{kind}:{row.id}",
        recipient=row.address,
        body=body,
        secret=False,
        ready=True,
        attempts=0,
    )


def _seal_name(name: str, key: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, name.encode("utf-8"), b"name")


def _open_name(sealed: bytes, key: bytes) -> str:
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], b"name").decode("utf-8")
