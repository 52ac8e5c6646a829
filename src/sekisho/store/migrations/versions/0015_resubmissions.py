"""Resubmissions: a held message replaced by its sender's minimised version, waiting for a
gateway to scan it.

Revision ID: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resubmissions",
        sa.Column("sekisho_id", sa.String(64), primary_key=True),
        sa.Column("replaces", sa.String(64), nullable=False, index=True),
        sa.Column("mail_from", sa.String(512), nullable=False),
        sa.Column("rcpt_to", sa.JSON, nullable=False),
        sa.Column("blob", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claimed_until", sa.DateTime, nullable=True),
        sa.Column("done_at", sa.DateTime, nullable=True, index=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("resubmissions")
