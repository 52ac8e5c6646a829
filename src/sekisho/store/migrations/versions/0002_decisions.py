"""When the sender was told of an approver's decision (the scheduler's outbox marker).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("notice_sent_at", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("notice_sent_at")
