"""The second factor: a TOTP secret per account, its recovery codes (hashed), and when a
session gave it.

Revision ID: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_pending", sa.String(64), nullable=True))
        batch.add_column(sa.Column("recovery_hashes", sa.JSON, nullable=True))
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("second_factor_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("second_factor_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("recovery_hashes")
        batch.drop_column("totp_pending")
        batch.drop_column("totp_secret")
