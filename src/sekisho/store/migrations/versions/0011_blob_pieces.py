"""Files in the database (``--blobs db``): held originals and sealed link files in pieces.

Revision ID: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_pieces",
        sa.Column("area", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Sealed pieces are random bytes: PostgreSQL's TOAST would try to compress each
        # megabyte and fail. EXTERNAL stores them out of line without trying.
        op.execute("ALTER TABLE blob_pieces ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("blob_pieces")
