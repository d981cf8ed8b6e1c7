"""Entity persons: the 法定代表人's masked ID number and the 主要负责人 (issue 14).

Measures reach the legal representative and the principal of a listed or 禁入 entity (seed
三(十)). The registry carries them with the ID number masked (first 6 and last 4); a window
looks a person up by name (indexed) and matches on the masked number.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(
            sa.Column("legal_representative_id", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("principal", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("principal_id", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_entities_legal_representative", "entities", ["legal_representative"])
    op.create_index("ix_entities_principal", "entities", ["principal"])


def downgrade() -> None:
    op.drop_index("ix_entities_principal", "entities")
    op.drop_index("ix_entities_legal_representative", "entities")
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("principal_id")
        batch.drop_column("principal")
        batch.drop_column("legal_representative_id")
