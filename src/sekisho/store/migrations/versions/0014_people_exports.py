"""People exports: an incident's list of people, asked for, approved by a second admin
above the threshold, downloaded once.

Revision ID: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people_exports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.Integer, nullable=False, index=True),
        sa.Column("requested_by", sa.String(256), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
        sa.Column("approved_by", sa.String(256), nullable=True),
        sa.Column("approved_at", sa.DateTime, nullable=True),
        sa.Column("downloaded_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("people_exports")
