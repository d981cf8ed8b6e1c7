"""Repository of the cached entity registry: exact USCC lookup, name search, bulk upsert.

Name search uses the FTS5 trigram index for queries of three or more characters. Trigrams
cannot answer shorter queries: two-character ones look their pair up in ``entity_bigrams``
(every pair of adjacent characters of every name, ASCII letters lower-cased as the trigram
index folds them, kept by triggers like the FTS index; migration 0008), one-character ones
scan the narrow ``ix_entities_name`` index with ``instr`` and stop at the result limit.

A bulk load (the first pull of the registry) can suspend these indexes — and the other
secondary indexes a pull writes, the person indexes and ``ix_reference_records_entity`` —
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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import person_id
from desktop_app.store.database import execute_rows
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
    # Only when the name really changed (migration 0008): a pull rewrites every column of an
    # entity it updates, and re-indexing an unchanged name wrote FTS segments for nothing.
    "entities_fts_au": (
        "CREATE TRIGGER entities_fts_au AFTER UPDATE OF name ON entities "
        "WHEN old.name IS NOT new.name BEGIN "
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
# Other secondary indexes a pull writes, suspended and rebuilt with the ones above.
REFERENCE_INDEXES = {
    "ix_reference_records_entity": (
        "CREATE INDEX ix_reference_records_entity ON reference_records (entity_uscc, collection)"
    ),
}


def _pairs_of(row: str) -> str:
    """SQL: the ``gram`` of every pair of adjacent characters of ``{row}.name``.

    SQLite has no row generator in a trigger body (no CTE, no ``generate_series`` in this
    build), so ``json_each`` walks a JSON array of as many zeros as the name has pairs
    (``hex(zeroblob(n))`` is ``n`` times ``00``); ``lower`` folds ASCII letters.
    """
    return f"SELECT substr(lower({row}.name), j.key + 1, 2) AS gram FROM {_positions_of(row)}"


def _positions_of(row: str) -> str:
    # json_each over [0,0,…] (one more zero than the name has pairs) AS j, and the filter.
    n = f"max(length({row}.name) - 1, 0)"
    return (
        f"json_each('[' || replace(hex(zeroblob({n})), '00', '0,') || '0]') AS j "
        f"WHERE j.key < length({row}.name) - 1"
    )


# Two-character name search (migration 0008): (gram, entity id), the primary key is the index.
ENTITY_BIGRAM_TABLE = (
    "CREATE TABLE entity_bigrams (gram TEXT NOT NULL, entity_id INTEGER NOT NULL, "
    "PRIMARY KEY (gram, entity_id)) WITHOUT ROWID"
)
ENTITY_BIGRAM_TRIGGERS: dict[str, str] = {
    "entities_bigram_ai": (
        "CREATE TRIGGER entities_bigram_ai AFTER INSERT ON entities BEGIN "
        "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
        f"SELECT gram, new.id FROM ({_pairs_of('new')}); END"
    ),
    "entities_bigram_ad": (
        "CREATE TRIGGER entities_bigram_ad AFTER DELETE ON entities BEGIN "
        "DELETE FROM entity_bigrams WHERE entity_id = old.id "
        f"AND gram IN ({_pairs_of('old')}); END"
    ),
    "entities_bigram_au": (
        "CREATE TRIGGER entities_bigram_au AFTER UPDATE OF name ON entities "
        "WHEN old.name IS NOT new.name BEGIN "
        "DELETE FROM entity_bigrams WHERE entity_id = old.id "
        f"AND gram IN ({_pairs_of('old')}); "
        "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
        f"SELECT gram, new.id FROM ({_pairs_of('new')}); END"
    ),
}
# Fill entity_bigrams from the entities with ids in (:lo, :hi], sorted (the bulk rebuild).
ENTITY_BIGRAM_REBUILD = (
    "INSERT OR IGNORE INTO entity_bigrams (gram, entity_id) "
    f"SELECT substr(lower(e.name), j.key + 1, 2), e.id FROM entities AS e, {_positions_of('e')} "
    "AND e.id > :lo AND e.id <= :hi ORDER BY 1, 2"
)
# Entities per sorted pass: SQLite sorts each pass in memory (temp_store = MEMORY keeps
# plaintext off the disk), about 12 pairs of ~35 bytes per name: ~40 MB a pass.
BIGRAM_REBUILD_CHUNK = 100_000


def build_bigrams(conn: Any, lo: int = 0, hi: int | None = None) -> None:
    """Add the pairs of the entities with ids in ``(lo, hi]`` to ``entity_bigrams``.

    Sorted passes of :data:`BIGRAM_REBUILD_CHUNK` entities each (bounded memory).

    Args:
        conn: A SQLAlchemy connection or a DB-API cursor, inside the caller's transaction.
        lo: Ids up to this one are done already.
        hi: The last id to index (None: the largest there is).
    """
    run = conn.exec_driver_sql if hasattr(conn, "exec_driver_sql") else conn.execute
    if hi is None:
        hi = int(run("SELECT max(id) FROM entities").fetchone()[0] or 0)
    sql = ENTITY_BIGRAM_REBUILD.replace(":lo", "?").replace(":hi", "?")
    for start in range(lo, hi, BIGRAM_REBUILD_CHUNK):
        run(sql, (start, min(hi, start + BIGRAM_REBUILD_CHUNK)))


# sync_state key present while the indexes above are suspended for a bulk load.
SEARCH_STALE_KEY = "search_index_stale"
# While suspended: entity_bigrams is complete for every entity id up to this value. A bulk
# load indexes the ids added since at each checkpoint (catch_up_bigrams), so the pairs are
# sorted and written while the next pages download, not all at the end. Name changes and
# deletes of entities at or below it keep going through the (still active) bigram triggers.
BIGRAM_WATERMARK_KEY = "search_bigrams_built_to"

# The page cache while the bulk rebuild's CREATE INDEX statements sort (KiB, negative as
# PRAGMA cache_size takes it).
INDEX_BUILD_CACHE_SIZE = -8192

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
# Columns of ENTITY_COLUMNS no index covers (uscc is the key), by position.
_UNINDEXED_POSITIONS = tuple(
    i
    for i, c in enumerate(ENTITY_COLUMNS)
    if c not in ("uscc", "name", "legal_representative", "principal")
)
_UPDATE_IN_PLACE_SQL = (
    "UPDATE entities SET "
    + ", ".join(f"{ENTITY_COLUMNS[i]} = ?" for i in _UNINDEXED_POSITIONS)
    + " WHERE id = ?"
)
# The upsert, around its VALUES (execute_rows binds many rows a statement).
_UPSERT_INSERT = f"INSERT INTO entities ({', '.join(ENTITY_COLUMNS)})"
_UPSERT_ON_CONFLICT = "ON CONFLICT(uscc) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in ENTITY_COLUMNS if c != "uscc"
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
    """Drop the search triggers and secondary indexes and mark search stale (caller's transaction).

    Writes to ``entities`` and ``reference_records`` then skip the index maintenance;
    :func:`rebuild_search_index` restores everything in one pass. Does nothing when already
    suspended.
    """
    if search_index_stale(session):
        return
    conn = session.connection()
    # The bigram update and delete triggers stay: they keep the pairs of already indexed ids
    # right (and do nothing for ids above the watermark, which are indexed later).
    for name in (*ENTITY_FTS_TRIGGERS, "entities_bigram_ai"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_entities_name")
    for name in (*PERSON_INDEXES, *REFERENCE_INDEXES):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    now = datetime.now(UTC).replace(tzinfo=None)
    session.merge(SyncState(key=SEARCH_STALE_KEY, value="1", updated_at=now))
    top = conn.exec_driver_sql("SELECT max(id) FROM entities").scalar() or 0
    session.merge(SyncState(key=BIGRAM_WATERMARK_KEY, value=str(top), updated_at=now))
    session.flush()


def reset_bigrams(session: Session) -> None:
    """Empty ``entity_bigrams`` (before the entities are cleared for a pull from scratch).

    Outside a bulk load nothing else is needed (the triggers are on); during one, the
    watermark goes back to 0: every entity from now on is indexed by the catch-up.
    """
    session.connection().exec_driver_sql("DELETE FROM entity_bigrams")
    mark = session.get(SyncState, BIGRAM_WATERMARK_KEY)
    if mark is not None:
        mark.value = "0"
        session.flush()


def forget_bigram_watermark(session: Session) -> None:
    """During a bulk load that deletes entities: index every name again at its end.

    SQLite may give a new row the id of a deleted one at the top of the table, which the
    watermark would then count as indexed; a full rebuild at the end cannot be fooled.
    """
    mark = session.get(SyncState, BIGRAM_WATERMARK_KEY)
    if mark is not None:
        session.delete(mark)
        session.flush()


def catch_up_bigrams(session: Session, *, whole_passes: bool = False) -> None:
    """During a bulk load, index the names of the entities added since the last catch-up.

    Runs in the caller's transaction (a checkpoint of the pull), so the watermark and the
    pairs commit together. Does nothing outside a bulk load.

    Args:
        session: A write session.
        whole_passes: Index only whole passes of :data:`BIGRAM_REBUILD_CHUNK` ids; the rest
            waits for a later catch-up or the final rebuild. Each pass merges its sorted pairs
            into the whole table (new ids come after the old ones under every pair, all over
            the tree), so a bulk load that catches up at every checkpoint (~10 for 300,000
            entities) wrote the table's pages several times more than the anchor's 3 passes:
            7.2 s against the anchor's one build (docs/PERFORMANCE.md, "The pull").
    """
    mark = session.get(SyncState, BIGRAM_WATERMARK_KEY)
    if mark is None:
        return
    conn = session.connection()
    top = int(conn.exec_driver_sql("SELECT max(id) FROM entities").scalar() or 0)
    lo = int(mark.value)
    if whole_passes:
        top = lo + (top - lo) // BIGRAM_REBUILD_CHUNK * BIGRAM_REBUILD_CHUNK
    if top > lo:
        build_bigrams(conn, lo, top)
        mark.value = str(top)
        session.flush()


def rebuild_search_index(session: Session) -> None:
    """Re-create the indexes, rebuild ``entity_fts`` and ``entity_bigrams``, restore the triggers.

    Runs in the caller's transaction and clears the stale marker. Safe to call when nothing
    was suspended (it then only rebuilds the FTS and bigram indexes). Each index is built by
    one statement over the whole table (SQLite sorts once), which is how a bulk load is
    indexed fastest; the statements run in SQLite without holding Python's GIL.
    """
    conn = session.connection()
    existing = {
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE tbl_name IN ('entities', 'reference_records') "
            "AND type IN ('index', 'trigger')"
        )
    }
    missing = [
        sql
        for name, sql in (
            ("ix_entities_name", ENTITY_NAME_INDEX),
            *(PERSON_INDEXES | REFERENCE_INDEXES).items(),
        )
        if name not in existing
    ]
    if missing:
        # CREATE INDEX sorts in memory (temp_store = MEMORY: SQLCipher does not encrypt
        # temporary files), beside the page cache. Shrunk for these statements, the cache hands
        # its memory to the sorter: the name index of 3,000,000 entities then peaks ~60 MB
        # lower. The FTS and bigram builds below get the full cache back (they were 12 % slower
        # without it).
        cache_size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
        conn.exec_driver_sql(f"PRAGMA cache_size = {INDEX_BUILD_CACHE_SIZE}")
        try:
            for sql in missing:
                conn.exec_driver_sql(sql)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {cache_size}")
    conn.exec_driver_sql(ENTITY_FTS_REBUILD)
    mark = session.get(SyncState, BIGRAM_WATERMARK_KEY)
    if mark is None:  # suspended by an older build, or nothing suspended: index every name
        conn.exec_driver_sql("DELETE FROM entity_bigrams")
        build_bigrams(conn)
    else:  # the ids the checkpoints have not indexed yet
        build_bigrams(conn, int(mark.value))
        session.delete(mark)
        session.flush()
    for name, sql in (ENTITY_FTS_TRIGGERS | ENTITY_BIGRAM_TRIGGERS).items():
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

    def list_rows(self, ids: Sequence[int]) -> list[tuple[int, str, str, str, str, str]]:
        """The result list's columns of ``ids``, as plain tuples, in that order.

        (id, uscc, name, legal_representative, region_code, status); missing ids are skipped.

        A page of a name search reads these for 100 ids at a time; loading whole ``Entity``
        objects for it cost about as much as the search itself.
        """
        if not ids:
            return []
        # Plain SQL through the driver: the statement compiler costs more than the query here.
        marks = ",".join("?" * len(ids))
        cursor = self._s.connection().exec_driver_sql(
            "SELECT id, uscc, name, legal_representative, region_code, status FROM entities "
            f"WHERE id IN ({marks})",  # only placeholders formatted in
            tuple(int(i) for i in ids),
        )
        rows = {r[0]: tuple(r) for r in cursor}
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
        # Plain SQL on the driver's cursor, rows fetched at once: SQLAlchemy's result rows
        # cost more than FTS5 itself for the 5,001 ids of a common name part.
        conn = self._s.connection()
        if search_index_stale(self._s):
            # A bulk load suspended both indexes: scan the table (slower, still correct).
            sql = "SELECT id FROM entities WHERE instr(name, ?) > 0 ORDER BY id LIMIT ?"
            params: tuple[Any, ...] = (query, limit + 1)
        elif len(query) >= _FTS_MIN_CHARS:
            sql = "SELECT rowid FROM entity_fts WHERE entity_fts MATCH ? ORDER BY rowid LIMIT ?"
            params = (fts_phrase(query), limit + 1)
        elif len(query) == 2:
            # One range of the bigram table's primary key, already in id order.
            sql = (
                "SELECT entity_id FROM entity_bigrams WHERE gram = lower(?) "
                "ORDER BY entity_id LIMIT ?"
            )
            params = (query, limit + 1)
        else:
            sql = (
                "SELECT id FROM entities INDEXED BY ix_entities_name "
                "WHERE instr(name, ?) > 0 LIMIT ?"
            )
            params = (query, limit + 1)
        result = conn.exec_driver_sql(sql, params)
        try:
            ids = [int(r[0]) for r in result.cursor.fetchall()]
        finally:
            result.close()
        return SearchHits(tuple(ids[:limit]), len(ids) > limit)

    def upsert_many(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert or update entities by USCC (the registry pull's apply step).

        Args:
            rows: Mappings with the :class:`Entity` column names (``id`` is not used).

        Returns:
            How many rows were written.
        """
        now = sql_now()
        return self.upsert_rows([entity_values(row, now) for row in rows])

    def upsert_rows(self, rows: Sequence[tuple[Any, ...]], *, bulk: bool = False) -> int:
        """:meth:`upsert_many` for rows already in :data:`ENTITY_COLUMNS` order, as stored.

        Args:
            rows: The rows.
            bulk: A bulk load (mostly new rows): skip the in-place check below.

        Outside a bulk load, a row whose indexed columns (name, 法定代表人, 主要负责人) did not
        change is updated in place by id: an upsert would rewrite its entries in the uscc,
        name and person indexes (random pages of a large store) for nothing.

        Returns:
            How many rows were written.
        """
        if not rows:
            return 0
        conn = self._s.connection()
        rest: Sequence[tuple[Any, ...]] = rows
        if not bulk:
            old: dict[str, tuple[Any, ...]] = {}
            for at in range(0, len(rows), 500):
                chunk = [r[0] for r in rows[at : at + 500]]
                marks = ", ".join("?" for _ in chunk)
                for found in conn.exec_driver_sql(
                    "SELECT uscc, id, name, legal_representative, principal FROM entities "
                    f"WHERE uscc IN ({marks})",
                    tuple(chunk),
                ):
                    old[found[0]] = tuple(found)
            in_place: list[tuple[Any, ...]] = []
            upserts: list[tuple[Any, ...]] = []
            for r in rows:
                o = old.get(r[0])
                if o is not None and o[2:] == (r[1], r[2], r[4]):
                    in_place.append((*(r[i] for i in _UNINDEXED_POSITIONS), o[1]))
                else:
                    upserts.append(r)
            if in_place:
                conn.exec_driver_sql(_UPDATE_IN_PLACE_SQL, in_place)
            rest = upserts
        # Prepared statements of many rows each, plain tuples: no ORM bookkeeping per row.
        execute_rows(conn, _UPSERT_INSERT, rest, _UPSERT_ON_CONFLICT)
        return len(rows)


def sql_now() -> str:
    """The current UTC time as an ``updated_at`` column stores it."""
    return _sql_datetime(datetime.now(UTC).replace(tzinfo=None))


def entity_values(row: dict[str, Any], now: str) -> tuple[Any, ...]:
    """One entity mapping as an :data:`ENTITY_COLUMNS` tuple of stored values."""
    return (
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


def _updated_at(value: Any, now: str) -> Any:
    if value is None:
        return now
    return _sql_datetime(value) if isinstance(value, datetime) else value
