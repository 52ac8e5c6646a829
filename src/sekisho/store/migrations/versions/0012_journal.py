"""The journal: encrypted copies of messages that left with personal data.

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("sekisho_id", sa.String(64), primary_key=True),
        sa.Column("blob", sa.String(128), nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("entities", sa.JSON, nullable=False),
        sa.Column("sender", sa.String(512), nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("kept_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
        sa.Column("purged_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("journal")
