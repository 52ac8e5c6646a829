"""Sessions in the store: logout, a password change or reset, a role change and
disabling end them at once; idle and absolute limits.

Revision ID: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(256), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("ended_why", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
