"""Entity name search (FTS5 trigram), append-only audit log, USCC overrides.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # External-content FTS5 index over entities.name; triggers keep it in step with the table.
    op.execute(
        "CREATE VIRTUAL TABLE entity_fts USING fts5("
        "name, content='entities', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER entities_fts_ai AFTER INSERT ON entities BEGIN "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    )
    op.execute(
        "CREATE TRIGGER entities_fts_ad AFTER DELETE ON entities BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); END"
    )
    op.execute(
        "CREATE TRIGGER entities_fts_au AFTER UPDATE OF name ON entities BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    )
    # Index the rows that the first schema already holds.
    op.execute("INSERT INTO entity_fts(entity_fts) VALUES ('rebuild')")

    # The audit log is append-only at the SQL level too; verify() catches what gets past this.
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )

    op.create_table(
        "uscc_overrides",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("uscc_overrides")
    for trigger in (
        "audit_log_no_delete",
        "audit_log_no_update",
        "entities_fts_au",
        "entities_fts_ad",
        "entities_fts_ai",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS entity_fts")
