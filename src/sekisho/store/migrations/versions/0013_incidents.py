"""Incidents: a mis-send being handled, and the messages it concerns.

Revision ID: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("opened_by", sa.String(256), nullable=False),
        sa.Column("discovered_at", sa.DateTime, nullable=False),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("unlawful_intent", sa.Boolean, nullable=False),
        sa.Column("key_leaked", sa.Boolean, nullable=True),
        sa.Column("override_required", sa.Boolean, nullable=True),
        sa.Column("override_reason", sa.Text, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "incident_messages",
        sa.Column("incident_id", sa.Integer, primary_key=True),
        sa.Column("sekisho_id", sa.String(64), primary_key=True, index=True),
    )


def downgrade() -> None:
    op.drop_table("incident_messages")
    op.drop_table("incidents")
