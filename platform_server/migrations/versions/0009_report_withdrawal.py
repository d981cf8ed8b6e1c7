"""issued_reports: a registration can be withdrawn (the report reads 已作废)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:30:00.000000

An administrator withdraws the registration of a report (or of every report of a lost device);
verification then answers ``not_valid_after`` with the withdrawal time, and the public page
reads 已作废. ``withdrawn_reason`` is what the administrator wrote (shown to staff only).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issued_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issued_reports", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_at")
