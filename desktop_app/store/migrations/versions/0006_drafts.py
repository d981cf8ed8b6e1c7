"""Drafts of forms being typed, kept so that a crash loses nothing (issue 12).

One row per form slot (``key``): the fields as typed, serialised as JSON, written a second
after each change and deleted when the form is saved or discarded. The table lives inside the
SQLCipher database, so a draft is encrypted like everything else.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
