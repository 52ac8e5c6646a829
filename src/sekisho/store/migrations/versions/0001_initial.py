"""Messages held or delayed by the gateway, and the audit log.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sekisho_id", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("mail_from", sa.String(512), nullable=False),
        sa.Column("rcpt_to", sa.JSON, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("verdict_header", sa.String(512), nullable=False),
        sa.Column("rule", sa.String(128), nullable=False),
        sa.Column("role", sa.String(128)),
        sa.Column("then", sa.String(16)),
        sa.Column("modifiers", sa.JSON, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("entities", sa.JSON, nullable=False),
        sa.Column("samples", sa.JSON, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("unscannable", sa.Boolean, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("spool_name", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("release_at", sa.DateTime, index=True),
        sa.Column("expires_at", sa.DateTime, index=True),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decided_by", sa.String(256)),
        sa.Column("decision_comment", sa.Text),
        sa.Column("delivered_at", sa.DateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("sekisho_id", sa.String(64), index=True),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("messages")
