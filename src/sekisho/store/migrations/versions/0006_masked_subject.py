"""The subject and the attachments of a stored message, masked, for the approval queue.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("subject_masked", sa.String(512), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("attachments", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("attachments")
        batch.drop_column("subject_masked")
