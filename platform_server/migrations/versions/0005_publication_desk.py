"""publications: unit, entity name, matter, and where/when/by whom an item went online

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("unit", "entity_name", "matter", "published_on", "published_where", "published_by")


def upgrade() -> None:
    # Items already in the feed keep NULL: the feed falls back to the item's region as its unit
    # and to the China date of published_at as the day it went online.
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("entity_name", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("matter", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published_on", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("published_where", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publications", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
