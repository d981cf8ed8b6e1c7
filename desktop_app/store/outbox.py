"""The transactional outbox and sync-state cursors.

A change and its outbox entry are written in the caller's session, so they commit together
or not at all (DESIGN.md: every change writes its domain rows and its outbox entry in one
transaction).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.store.models import OutboxEntry, SyncState

Op = Literal["create", "update", "delete"]
UNSYNCED = ("pending", "sending")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Outbox:
    """Outbox operations within one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self,
        collection: str,
        record_id: str,
        op: Op,
        fields: dict[str, Any],
        base_version: int | None = None,
    ) -> OutboxEntry:
        """Queue one mutation; its ``seq`` is the device's next ``mutation_seq``."""
        entry = OutboxEntry(
            created_at=_now(),
            collection=collection,
            record_id=record_id,
            op=op,
            base_version=base_version,
            fields=fields,
            status="pending",
            attempts=0,
        )
        self._s.add(entry)
        self._s.flush()
        return entry

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest unsent entries, in ``seq`` order."""
        stmt = (
            select(OutboxEntry)
            .where(OutboxEntry.status.in_(UNSYNCED))
            .order_by(OutboxEntry.seq)
            .limit(limit)
        )
        return list(self._s.scalars(stmt))

    def unsynced_count(self) -> int:
        """How many local changes have not reached the platform yet."""
        stmt = select(func.count()).select_from(OutboxEntry)
        return int(self._s.scalar(stmt.where(OutboxEntry.status.in_(UNSYNCED))) or 0)


class SyncStateRepo:
    """Named cursors and markers."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str) -> str | None:
        """The value under ``key``, or None."""
        row = self._s.get(SyncState, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        """Set ``key`` in the caller's transaction."""
        row = self._s.get(SyncState, key)
        if row:
            row.value = value
            row.updated_at = _now()
        else:
            self._s.add(SyncState(key=key, value=value, updated_at=_now()))

    def delete(self, key: str) -> None:
        """Remove ``key`` in the caller's transaction (nothing when it is not set)."""
        row = self._s.get(SyncState, key)
        if row is not None:
            self._s.delete(row)
