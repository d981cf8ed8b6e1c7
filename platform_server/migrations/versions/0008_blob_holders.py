"""blob_holders: per-device blob uploads (a device proves it holds the bytes)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 07:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_holders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "device_id"),
    )
    # The device that uploaded a blob so far holds it.
    op.execute(
        "INSERT INTO blob_holders (sha256, device_id, received, complete, created_at) "
        "SELECT sha256, created_by_device, received, complete, created_at FROM blobs "
        "WHERE created_by_device IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("blob_holders")
