"""tokens.parent_hash: the refresh token a pair was issued for (refresh grace period)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing tokens keep NULL: a pair issued before the upgrade simply has no grace.
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_tokens_parent", ["parent_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_tokens_parent")
        batch_op.drop_column("parent_hash")
