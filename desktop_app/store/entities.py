"""Repository of the cached entity registry: exact USCC lookup, name search, bulk upsert.

Name search uses the FTS5 trigram index for queries of three or more characters. Trigrams
cannot answer one- or two-character queries, so those scan the narrow ``ix_entities_name``
index with ``instr`` and stop at the result limit, which keeps them fast for common
characters and bounded for rare ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop_app.store.models import Entity

DEFAULT_SEARCH_LIMIT = 5000
_FTS_MIN_CHARS = 3


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
        if len(query) >= _FTS_MIN_CHARS:
            stmt = text(
                "SELECT rowid FROM entity_fts WHERE entity_fts MATCH :q ORDER BY rowid LIMIT :n"
            )
            params: dict[str, Any] = {"q": fts_phrase(query), "n": limit + 1}
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
        now = datetime.now(UTC).replace(tzinfo=None)
        batch = []
        for row in rows:
            values = {
                "uscc": row["uscc"],
                "name": row["name"],
                "legal_representative": row.get("legal_representative", ""),
                "address": row.get("address", ""),
                "region_code": row.get("region_code", ""),
                "industry": row.get("industry", ""),
                "status": row.get("status", ""),
                "credit_grade": row.get("credit_grade"),
                "lists": row.get("lists", []),
                "version": int(row.get("version", 0)),
                "updated_at": row.get("updated_at", now),
            }
            batch.append(values)
        if not batch:
            return 0
        stmt = sqlite_insert(Entity)
        updatable = {c: stmt.excluded[c] for c in batch[0] if c != "uscc"}
        stmt = stmt.on_conflict_do_update(index_elements=[Entity.uscc], set_=updatable)
        self._s.execute(stmt, batch)
        return len(batch)
