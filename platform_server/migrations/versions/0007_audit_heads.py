"""audit_heads: the signed heads of the audit log, published daily (append-only)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00.000000

Each row says that the audit log had ``count`` rows ending in ``hash`` at ``at``, signed by
the platform key (``platform_server.audit_log``). The table refuses UPDATE and DELETE by
trigger on both databases, so a published head can only be added to, never rewritten.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_MESSAGE = "audit_heads is append-only: a published head is never changed or removed"


def upgrade() -> None:
    op.create_table(
        "audit_heads",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("prev", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_heads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads "
            "FOR EACH ROW EXECUTE FUNCTION audit_heads_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_heads_no_{event.lower()} BEFORE {event} ON audit_heads "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_heads_append_only ON audit_heads")
        op.execute("DROP FUNCTION IF EXISTS audit_heads_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_heads_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_heads_no_delete")
    op.drop_table("audit_heads")
