"""Attachments sent as per-recipient links: sealed files, recipients' links, their log.

- ``link_files``: an attachment taken out of a message, sealed in the blob store; its key.
- ``link_recipients``: one link per recipient (a hash of its token), its code, downloads,
  revocation and deletion confirmation.
- ``link_events``: every view, code and download.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sekisho_id", sa.String(64), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("name_sealed", sa.LargeBinary, nullable=False),
        sa.Column("name_masked", sa.String(512), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("blob", sa.String(128), nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("sekisho_id", "number", name="uq_link_file"),
    )
    op.create_table(
        "link_recipients",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sekisho_id", sa.String(64), nullable=False, index=True),
        sa.Column("address", sa.String(512), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("sender", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("max_downloads", sa.Integer, nullable=False),
        sa.Column("downloads", sa.Integer, nullable=False, server_default="0"),
        sa.Column("code_required", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime, nullable=True),
        sa.Column("code_tries", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_at", sa.DateTime, nullable=True),
        sa.Column("confirmed_at", sa.DateTime, nullable=True),
        sa.Column("first_download_at", sa.DateTime, nullable=True),
        sa.Column("last_download_at", sa.DateTime, nullable=True),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.String(256), nullable=True),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("deletion_requested_at", sa.DateTime, nullable=True),
        sa.Column("deletion_reminded_at", sa.DateTime, nullable=True),
        sa.Column("deletion_confirmed_at", sa.DateTime, nullable=True),
        sa.Column("deletion_note", sa.Text, nullable=True),
        sa.UniqueConstraint("sekisho_id", "address", name="uq_link_recipient"),
    )
    op.create_table(
        "link_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient_id", sa.Integer, nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_number", sa.Integer, nullable=True),
        sa.Column("bytes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sa.Column("user_agent", sa.String(256), nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("link_events", "link_recipients", "link_files"):
        op.drop_table(table)
