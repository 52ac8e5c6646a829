"""Decisions that hold under races, releases claimed once, the notice outbox, retention.

- ``messages.version``: every state change is ``UPDATE … WHERE state = :s AND version = :v``.
- ``messages.claimed_until``: a release is claimed by one process for a lease.
- ``messages.mail_options``: the SMTP ``MAIL FROM`` parameters (BODY=8BITMIME, SMTPUTF8)
  passed on when the message is released.
- ``messages.spool_removed_at``: the quarantine copy was removed after the grace period.
- ``notices``: every notice to a sender, kept until delivered (retried).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("claimed_until", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("mail_options", sa.JSON, nullable=True))
        batch.add_column(sa.Column("spool_removed_at", sa.DateTime, nullable=True))
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sekisho_id", sa.String(64), nullable=True, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(512), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("secret", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("ready", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True, index=True),
        sa.Column("claimed_until", sa.DateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.UniqueConstraint("sekisho_id", "kind", name="uq_notice_once"),
    )


def downgrade() -> None:
    op.drop_table("notices")
    with op.batch_alter_table("messages") as batch:
        for column in ("spool_removed_at", "mail_options", "claimed_until", "version"):
            batch.drop_column(column)
