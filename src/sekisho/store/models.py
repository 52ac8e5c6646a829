"""Tables. Only what policy and people need to decide is stored: counts, entity types,
masked excerpts, reasons. The message itself lives in the spool (the quarantine), the one
place raw personal data is kept, and opening it is an audited act (web issue)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class MessageRecord(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sekisho_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    # A ``states.State``; changed only along ``states.TRANSITIONS``, one conditional
    # update at a time (``version`` is bumped by each).
    state: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # MAIL FROM parameters as the client gave them (BODY=8BITMIME, SMTPUTF8, …).
    mail_options: Mapped[list | None] = mapped_column(JSON, nullable=True)
    spool_removed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    mail_from: Mapped[str] = mapped_column(String(512))
    rcpt_to: Mapped[list] = mapped_column(JSON)
    action: Mapped[str] = mapped_column(String(16))
    verdict_header: Mapped[str] = mapped_column(String(512))
    rule: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(128), nullable=True)
    then: Mapped[str | None] = mapped_column(String(16), nullable=True)
    modifiers: Mapped[list] = mapped_column(JSON, default=list)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    entities: Mapped[dict] = mapped_column(JSON, default=dict)
    samples: Mapped[dict] = mapped_column(JSON, default=dict)
    records: Mapped[int] = mapped_column(Integer, default=0)
    unscannable: Mapped[bool] = mapped_column(Boolean, default=False)
    size: Mapped[int] = mapped_column(Integer, default=0)
    spool_name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    release_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    decision_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    notice_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # [{"by", "at", "comment"}]: approvals given so far (two-person approval needs two)
    approvals: Mapped[list] = mapped_column(JSON, default=list)
    # Subject and attachment names with any personal data in them masked (the queue shows
    # them; the original is only in the spool).
    subject_masked: Mapped[str] = mapped_column(String(512), default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(64), index=True)
    sekisho_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Notice(Base):
    """A notice to a sender, kept until the next hop took it (the outbox). A notice is
    written in the same transaction as the change it tells of; ``ready`` is False while
    the message it belongs to has not left yet (a password notice before its zip); the
    body of a ``secret`` notice is wiped once sent."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("sekisho_id", "kind", name="uq_notice_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sekisho_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(512))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    ready: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    # Claimed by one sender for a short lease: two gateways do not send one notice twice.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class BlobPiece(Base):
    """A stored file in pieces, for ``--blobs db`` (``store.blobs.DatabaseBlobs``): the
    quarantine's originals and the sealed files of links, so that several hosts share
    nothing but the database. Pieces, not one value, so that a 25 MB file is written and
    read one piece in memory at a time."""

    __tablename__ = "blob_pieces"

    area: Mapped[str] = mapped_column(String(16), primary_key=True)  # "held", "links"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class JournalEntry(Base):
    """An encrypted copy of a message that left with personal data (``store.journal``):
    kept ``journal_days`` so that, if it was a mistake, the people affected can be listed.
    The key is here, the sealed bytes in the blob store; ``purged_at`` once removed."""

    __tablename__ = "journal"

    sekisho_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    blob: Mapped[str] = mapped_column(String(128))
    key: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer, default=0)
    entities: Mapped[dict] = mapped_column(JSON, default=dict)  # type → count, no values
    # The envelope and how it left ("relayed", "encrypted", "linked", "released").
    sender: Mapped[str] = mapped_column(String(512), default="")
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    how: Mapped[str] = mapped_column(String(16), default="")
    kept_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Incident(Base):
    """A mis-send being handled: the messages it concerns (``IncidentMessage``), when it
    was discovered, what the officer recorded, and whether it is closed."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    opened_by: Mapped[str] = mapped_column(String(256))
    discovered_at: Mapped[datetime] = mapped_column(DateTime)
    cause: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # What the officer knows that the store cannot: taken with unlawful intent; whether
    # an encryption key (a zip's password) could have reached the recipients.
    unlawful_intent: Mapped[bool] = mapped_column(Boolean, default=False)
    key_leaked: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # The officer's own answer to "is a report due", with the reason (None: Sekisho's).
    override_required: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class IncidentMessage(Base):
    __tablename__ = "incident_messages"

    incident_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sekisho_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Resubmission(Base):
    """A message its sender minimised while it was held: the new bytes wait here (in the
    held blobs) until a gateway scans and handles them like any received message."""

    __tablename__ = "resubmissions"

    sekisho_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the new message
    replaces: Mapped[str] = mapped_column(String(64), index=True)
    mail_from: Mapped[str] = mapped_column(String(512))
    rcpt_to: Mapped[list] = mapped_column(JSON)
    blob: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    outcome: Mapped[str] = mapped_column(String(32), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class PeopleExport(Base):
    """An admin's request for the list of an incident's people (for telling them). Above
    the threshold it needs a second admin's approval; it is downloaded once, by the admin
    who asked."""

    __tablename__ = "people_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(Integer, index=True)
    requested_by: Mapped[str] = mapped_column(String(256))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    people: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LoginFailure(Base):
    """One failed login, under a hash of what it counts against (an account, a client
    address): the throttle of every web process reads the same rows."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class User(Base):
    """A person of the web UI. ``role``: sender (own messages), approver, auditor
    (read-only), admin. The username is the person's mail address."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(256), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    departments: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Disabled rather than deleted: the audit log keeps naming who did what.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set with a one-time password: every page but the change form sends them there.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # The second factor: TOTP's shared secret once confirmed (``totp_pending`` while
    # being enrolled) and the one-time recovery codes, as hashes.
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_pending: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recovery_hashes: Mapped[list] = mapped_column(JSON, default=list)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; the store keeps its SHA-256
    (a copy of the table signs nobody in), the CSRF token and the times that end it."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(token) hex
    username: Mapped[str] = mapped_column(String(256), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_why: Mapped[str] = mapped_column(String(32), default="")
    second_factor_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PolicyVersion(Base):
    """A policy file uploaded by an admin; the newest one is in force for the gateway and
    the web (a file given on the command line is used until the first upload)."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(256))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class LinkFile(Base):
    """An attachment taken out of a message sent as links, sealed in the blob store
    (``store.sealed``). The key is here, the sealed bytes in the blob directory. The name
    a recipient downloads is sealed too (a file name may name a resident); staff pages
    show ``name_masked``."""

    __tablename__ = "link_files"
    __table_args__ = (UniqueConstraint("sekisho_id", "number", name="uq_link_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sekisho_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    name_masked: Mapped[str] = mapped_column(String(512))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    blob: Mapped[str] = mapped_column(String(128))
    key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LinkRecipient(Base):
    """One recipient's link to one message's files. Only a hash of the token is stored: a
    copy of the database gives nobody a working link."""

    __tablename__ = "link_recipients"
    __table_args__ = (UniqueConstraint("sekisho_id", "address", name="uq_link_recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sekisho_id: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(512))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    sender: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    max_downloads: Mapped[int] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    code_required: Mapped[bool] = mapped_column(Boolean, default=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    code_tries: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    first_download_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_download_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deletion_requested_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deletion_reminded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deletion_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deletion_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class LinkEvent(Base):
    """A view, a code asked for or tried, a download: who, when, from where."""

    __tablename__ = "link_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(32))
    file_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    client: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(256), default="")
