"""Issued credit reports, and reference records findable by entity.

``issued_reports`` keeps every report this device issued (the exact document, its QR payload
and whether the platform has registered it), for the 已出具报告 list and exact reprints.
``reference_records.entity_uscc`` (filled from the record's ``uscc`` field) lets a report or
an entity card find an entity's licences, penalties and list memberships without scanning.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_reports",
        sa.Column("report_no", sa.String(64), primary_key=True),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("entity_name", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("content_digest", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=True),
        sa.Column("register_error", sa.Text(), nullable=True),
        sa.Column("reprints", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_issued_reports_issued_at", "issued_reports", ["issued_at"])
    op.create_index("ix_issued_reports_uscc", "issued_reports", ["uscc"])
    with op.batch_alter_table("reference_records") as batch:
        batch.add_column(sa.Column("entity_uscc", sa.String(18), nullable=True))
    op.execute(
        "UPDATE reference_records SET entity_uscc = json_extract(data, '$.uscc') "
        "WHERE json_valid(data) AND json_type(data, '$.uscc') = 'text'"
    )
    op.create_index(
        "ix_reference_records_entity", "reference_records", ["entity_uscc", "collection"]
    )


def downgrade() -> None:
    op.drop_index("ix_reference_records_entity", "reference_records")
    with op.batch_alter_table("reference_records") as batch:
        batch.drop_column("entity_uscc")
    op.drop_index("ix_issued_reports_uscc", "issued_reports")
    op.drop_index("ix_issued_reports_issued_at", "issued_reports")
    op.drop_table("issued_reports")
