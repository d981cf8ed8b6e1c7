"""Repository of the cached entity registry: exact USCC lookup, name search, bulk upsert.

Name search uses the FTS5 trigram index for queries of three or more characters. Trigrams
cannot answer one- or two-character queries, so those scan the narrow ``ix_entities_name``
index with ``instr`` and stop at the result limit, which keeps them fast for common
characters and bounded for rare ones.

A bulk load (the first pull of the registry) can suspend both indexes
(:func:`suspend_search_index`) and rebuild them once at the end
(:func:`rebuild_search_index`); while the ``search_index_stale`` marker is set in
``sync_state``, :meth:`EntityRepository.search_name` scans the table instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop_app.domain import person_id
from desktop_app.store.models import Entity, SyncState

DEFAULT_SEARCH_LIMIT = 5000
_FTS_MIN_CHARS = 3

# The name search schema as it stands now, for the bulk-load suspend/rebuild below. Migration
# 0002 created these objects and stays frozen history; tests/store/test_migrations.py checks
# that the two agree.
ENTITY_FTS_TABLE = (
    "CREATE VIRTUAL TABLE entity_fts USING fts5("
    "name, content='entities', content_rowid='id', tokenize='trigram')"
)
# External-content FTS5 index over entities.name; the triggers keep it in step with the table.
ENTITY_FTS_TRIGGERS: dict[str, str] = {
    "entities_fts_ai": (
        "CREATE TRIGGER entities_fts_ai AFTER INSERT ON entities BEGIN "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    ),
    "entities_fts_ad": (
        "CREATE TRIGGER entities_fts_ad AFTER DELETE ON entities BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); END"
    ),
    "entities_fts_au": (
        "CREATE TRIGGER entities_fts_au AFTER UPDATE OF name ON entities BEGIN "
        "INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name); "
        "INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name); END"
    ),
}
ENTITY_FTS_REBUILD = "INSERT INTO entity_fts(entity_fts) VALUES ('rebuild')"
# Created by migration 0001 (op.create_index); the same statement SQLite records for it.
ENTITY_NAME_INDEX = "CREATE INDEX ix_entities_name ON entities (name)"
# The person lookup's indexes (法定代表人 / 主要负责人 by name), suspended with the name index.
PERSON_INDEXES = {
    "ix_entities_legal_representative": (
        "CREATE INDEX ix_entities_legal_representative ON entities (legal_representative)"
    ),
    "ix_entities_principal": "CREATE INDEX ix_entities_principal ON entities (principal)",
}
PERSON_LOOKUP_LIMIT = 200
# sync_state key present while the indexes above are suspended for a bulk load.
SEARCH_STALE_KEY = "search_index_stale"

# Columns a registry row writes (upsert) in this order; the id is the store's own.
ENTITY_COLUMNS = (
    "uscc",
    "name",
    "legal_representative",
    "legal_representative_id",
    "principal",
    "principal_id",
    "address",
    "region_code",
    "industry",
    "status",
    "credit_grade",
    "lists",
    "version",
    "updated_at",
)
_UPSERT_SQL = (
    f"INSERT INTO entities ({', '.join(ENTITY_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ENTITY_COLUMNS)}) "
    "ON CONFLICT(uscc) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ENTITY_COLUMNS if c != "uscc")
)


def _sql_datetime(value: datetime) -> str:
    # What SQLAlchemy's SQLite DateTime type stores (always with microseconds).
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sql_json(value: Any) -> str:
    # What SQLAlchemy's JSON type stores (the dialect's default json.dumps).
    return "[]" if value == [] else json.dumps(value)


def search_index_stale(session: Session) -> bool:
    """Whether the name search indexes are suspended (a bulk load has not finished)."""
    return session.get(SyncState, SEARCH_STALE_KEY) is not None


def suspend_search_index(session: Session) -> None:
    """Drop the FTS triggers and the name index and mark search stale, in the caller's transaction.

    Writes to ``entities`` then skip the index maintenance; :func:`rebuild_search_index`
    restores both in one pass. Does nothing when already suspended.
    """
    if search_index_stale(session):
        return
    conn = session.connection()
    for name in ENTITY_FTS_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_entities_name")
    for name in PERSON_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    now = datetime.now(UTC).replace(tzinfo=None)
    session.merge(SyncState(key=SEARCH_STALE_KEY, value="1", updated_at=now))
    session.flush()


def rebuild_search_index(session: Session) -> None:
    """Re-create the name index, rebuild ``entity_fts`` from the table, restore the triggers.

    Runs in the caller's transaction and clears the stale marker. Safe to call when nothing
    was suspended (it then only rebuilds the FTS index).
    """
    conn = session.connection()
    existing = {
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'entities' "
            "AND type IN ('index', 'trigger')"
        )
    }
    if "ix_entities_name" not in existing:
        conn.exec_driver_sql(ENTITY_NAME_INDEX)
    for name, sql in PERSON_INDEXES.items():
        if name not in existing:
            conn.exec_driver_sql(sql)
    conn.exec_driver_sql(ENTITY_FTS_REBUILD)
    for name, sql in ENTITY_FTS_TRIGGERS.items():
        if name not in existing:
            conn.exec_driver_sql(sql)
    stale = session.get(SyncState, SEARCH_STALE_KEY)
    if stale is not None:
        session.delete(stale)
        session.flush()


@dataclass(frozen=True)
class SearchHits:
    """Entity ids matching a name query, in display order, and whether more were cut off."""

    ids: tuple[int, ...]
    truncated: bool


def fts_phrase(query: str) -> str:
    """Quote ``query`` as one FTS5 phrase, so its punctuation is never FTS syntax."""
    return '"' + query.replace('"', '""') + '"'


class EntityRepository:
    """Queries and bulk writes on ``entities`` within one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def find_by_person(self, name: str, id_masked: str = "") -> list[tuple[Entity, str]]:
        """Entities whose 法定代表人 or 主要负责人 has this name (and masked ID, when given).

        Args:
            name: The person's name, exactly.
            id_masked: Their masked ID number (``140402********123X``); "" matches by name only.
                A full number is masked first (it never reaches the query).

        Returns:
            ``(entity, role)`` pairs, role ``legal_representative`` or ``principal``, by entity
            name; at most :data:`PERSON_LOOKUP_LIMIT`.
        """
        name = name.strip()
        if not name:
            return []
        id_masked = person_id.mask_id_number(id_masked) if id_masked.strip() else ""
        found: list[tuple[Entity, str]] = []
        for role, name_col, id_col in (
            ("legal_representative", Entity.legal_representative, Entity.legal_representative_id),
            ("principal", Entity.principal, Entity.principal_id),
        ):
            stmt = select(Entity).where(name_col == name).order_by(Entity.name, Entity.id)
            if id_masked:
                stmt = stmt.where(id_col == id_masked)
            found += [(e, role) for e in self._s.scalars(stmt.limit(PERSON_LOOKUP_LIMIT))]
        found.sort(key=lambda pair: (pair[0].name, pair[1]))
        return found[:PERSON_LOOKUP_LIMIT]

    def get_by_uscc(self, uscc: str) -> Entity | None:
        """The entity with this (normalised) code, or None."""
        return self._s.scalar(select(Entity).where(Entity.uscc == uscc))

    def get_many(self, ids: Sequence[int]) -> list[Entity]:
        """Entities by id, in the order of ``ids`` (missing ids are skipped)."""
        if not ids:
            return []
        rows = {e.id: e for e in self._s.scalars(select(Entity).where(Entity.id.in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def count(self) -> int:
        """Number of cached entities."""
        return int(self._s.scalar(select(func.count()).select_from(Entity)) or 0)

    def search_name(self, query: str, limit: int = DEFAULT_SEARCH_LIMIT) -> SearchHits:
        """Ids of entities whose name contains ``query``.

        Args:
            query: One or more characters; surrounding blanks are ignored.
            limit: Most ids to return; ``truncated`` says when more matched.
        """
        query = query.strip()
        if not query:
            return SearchHits((), False)
        if search_index_stale(self._s):
            # A bulk load suspended both indexes: scan the table (slower, still correct).
            stmt = text("SELECT id FROM entities WHERE instr(name, :q) > 0 ORDER BY id LIMIT :n")
            params: dict[str, Any] = {"q": query, "n": limit + 1}
        elif len(query) >= _FTS_MIN_CHARS:
            stmt = text(
                "SELECT rowid FROM entity_fts WHERE entity_fts MATCH :q ORDER BY rowid LIMIT :n"
            )
            params = {"q": fts_phrase(query), "n": limit + 1}
        else:
            stmt = text(
                "SELECT id FROM entities INDEXED BY ix_entities_name "
                "WHERE instr(name, :q) > 0 LIMIT :n"
            )
            params = {"q": query, "n": limit + 1}
        ids = [int(r[0]) for r in self._s.execute(stmt, params)]
        return SearchHits(tuple(ids[:limit]), len(ids) > limit)

    def upsert_many(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert or update entities by USCC (the registry pull's apply step).

        Args:
            rows: Mappings with the :class:`Entity` column names (``id`` is not used).

        Returns:
            How many rows were written.
        """
        now = _sql_datetime(datetime.now(UTC).replace(tzinfo=None))
        batch = [
            (
                row["uscc"],
                row["name"],
                row.get("legal_representative", ""),
                row.get("legal_representative_id") or "",
                row.get("principal") or "",
                row.get("principal_id") or "",
                row.get("address", ""),
                row.get("region_code", ""),
                row.get("industry", ""),
                row.get("status", ""),
                row.get("credit_grade"),
                _sql_json(row.get("lists", [])),
                int(row.get("version", 0)),
                _updated_at(row.get("updated_at"), now),
            )
            for row in rows
        ]
        if not batch:
            return 0
        # One prepared statement, plain tuples: no ORM bookkeeping per row.
        self._s.connection().exec_driver_sql(_UPSERT_SQL, batch)
        return len(batch)


def _updated_at(value: Any, now: str) -> Any:
    if value is None:
        return now
    return _sql_datetime(value) if isinstance(value, datetime) else value
