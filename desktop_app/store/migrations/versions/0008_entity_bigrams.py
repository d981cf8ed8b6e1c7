"""Two-character name search: the ``entity_bigrams`` index (issue 18).

Trigrams (``entity_fts``) cannot answer a two-character query, which scanned the name index
(p99 ~41 ms on 300,000 entities). ``entity_bigrams`` holds every pair of adjacent characters
of every entity name (ASCII letters lower-cased, as the trigram index folds them) with the
entity's id; its primary key answers a two-character query with one range read in id order.
Triggers keep it in step with ``entities`` like the FTS triggers; a bulk pull suspends and
rebuilds them together (``desktop_app.store.entities``). The upgrade fills it from the rows
the store already holds — unless a bulk pull is under way (``search_index_stale`` set, the
search triggers suspended): that pull's end builds it with the other indexes.

The FTS update trigger now fires only when the name really changed: a pull rewrites every
column of each entity it updates, and re-indexing an unchanged name wrote FTS segments for
nothing (part of what made an incremental sync slower on a large store).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from alembic import op
from sqlalchemy import text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _pairs_of(row: str) -> str:
    # (gram) of each pair of adjacent characters of {row}.name: json_each walks an array of
    # as many zeros as the name has pairs (no CTE or generate_series in a trigger body).
    return f"SELECT substr(lower({row}.name), j.key + 1, 2) AS gram FROM {_positions_of(row)}"


def _positions_of(row: str) -> str:
    # json_each over [0,0,…] (one more zero than the name has pairs) AS j, and the filter.
    n = f"max(length({row}.name) - 1, 0)"
    return (
        f"json_each('[' || replace(hex(zeroblob({n})), '00', '0,') || '0]') AS j "
        f"WHERE j.key < length({row}.name) - 1"
    )


def upgrade() -> None:
    op.execute(
        "CREATE TABLE entity_bigrams (gram TEXT NOT NULL, entity_id INTEGER NOT NULL, "
        "PRIMARY KEY (gram, entity_id)) WITHOUT ROWID"
    )
    stale = (
        op.get_bind()
        .execute(text("SELECT count(*) FROM sync_state WHERE key = 'search_index_stale'"))
        .scalar()
    )
    if stale:
        return
    op.execute("DROP TRIGGER entities_fts_au")
    op.execute(
        "CREATE TRIGGER entities_fts_au AFTER UPDATE OF name ON entities "
        "WHEN old.name IS NOT new.name BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    )
    op.execute(
        "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
        f"SELECT substr(lower(e.name), j.key + 1, 2), e.id FROM entities AS e, "
        f"{_positions_of('e')} ORDER BY 1, 2"
    )
    op.execute(
        "CREATE TRIGGER entities_bigram_ai AFTER INSERT ON entities BEGIN "
        "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
        f"SELECT gram, new.id FROM ({_pairs_of('new')}); END"
    )
    op.execute(
        "CREATE TRIGGER entities_bigram_ad AFTER DELETE ON entities BEGIN "
        "DELETE FROM entity_bigrams WHERE entity_id = old.id "
        f"AND gram IN ({_pairs_of('old')}); END"
    )
    op.execute(
        "CREATE TRIGGER entities_bigram_au AFTER UPDATE OF name ON entities "
        "WHEN old.name IS NOT new.name BEGIN "
        "DELETE FROM entity_bigrams WHERE entity_id = old.id "
        f"AND gram IN ({_pairs_of('old')}); "
        "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
        f"SELECT gram, new.id FROM ({_pairs_of('new')}); END"
    )


def downgrade() -> None:
    for name in ("entities_bigram_au", "entities_bigram_ad", "entities_bigram_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TRIGGER IF EXISTS entities_fts_au")
    op.execute(
        "CREATE TRIGGER entities_fts_au AFTER UPDATE OF name ON entities BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    )
    op.execute("DROP TABLE entity_bigrams")
