"""What the 同步 page shows, and resolving a conflict (no Qt, no sync import).

Conflicts are the fields both this device and the platform changed (sync invariant 5): the
platform's value is current, the local value waits here until the user picks one. Keeping
the local value queues it as a new ``update`` built on the platform's version, so the next
sync pushes it like any other edit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.services.status import LAST_SYNC_KEY
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, SyncConflict, SyncErrorRecord, SyncRun
from desktop_app.store.outbox import Outbox, SyncStateRepo

Keep = Literal["local", "server"]
Outcome = Literal["ok", "failed", "cancelled"]
HISTORY_LIMIT = 50
ERRORS_LIMIT = 500


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _loads(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


@dataclass(frozen=True)
class ConflictField:
    """One conflicting field of a record.

    Attributes:
        conflict_id: The conflict row (what :meth:`SyncStatusService.resolve` takes).
        field: The field name.
        local_value: What this device had entered.
        server_value: The platform's current value.
        server_version: The record's version on the platform when the conflict was found.
    """

    conflict_id: int
    field: str
    local_value: Any
    server_value: Any
    server_version: int | None


@dataclass(frozen=True)
class RecordConflicts:
    """The open conflicts of one record, field by field."""

    collection: str
    record_id: str
    fields: tuple[ConflictField, ...]
    found_at: datetime


@dataclass(frozen=True)
class ItemError:
    """A change the platform rejected, with its reason in Chinese."""

    id: int
    outbox_seq: int
    collection: str
    record_id: str
    reason: str
    message: str
    at: datetime


@dataclass(frozen=True)
class RunSummary:
    """One past sync run."""

    id: int
    started_at: datetime
    finished_at: datetime
    outcome: str
    pushed: int
    pulled: int
    conflicts: int
    rejected: int
    message: str


@dataclass(frozen=True)
class SyncOverview:
    """The counts the status bar and the 同步 page header show."""

    unsynced: int
    open_conflicts: int
    errors: int
    last_success: str | None


class ConflictNotFoundError(LookupError):
    """The conflict does not exist or was already resolved."""


class SyncStatusService:
    """Read-only sync summaries of one store, and conflict resolution.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- queries -------------------------------------------------------------------------

    def overview(self) -> SyncOverview:
        """Unsynced changes, open conflicts, rejected items and the last successful sync."""
        with self._store.read() as s:
            open_conflicts = s.scalar(
                select(func.count(func.distinct(SyncConflict.collection + SyncConflict.record_id)))
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            errors = s.scalar(select(func.count()).select_from(SyncErrorRecord))
            return SyncOverview(
                unsynced=Outbox(s).unsynced_count(),
                open_conflicts=int(open_conflicts or 0),
                errors=int(errors or 0),
                last_success=SyncStateRepo(s).get(LAST_SYNC_KEY),
            )

    def open_conflicts(self) -> list[RecordConflicts]:
        """Unresolved conflicts grouped by record (oldest record first), fields in order."""
        with self._store.read() as s:
            rows = s.scalars(
                select(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
                .order_by(SyncConflict.id)
            ).all()
        groups: dict[tuple[str, str], list[SyncConflict]] = {}
        for row in rows:
            groups.setdefault((row.collection, row.record_id), []).append(row)
        return [
            RecordConflicts(
                collection=collection,
                record_id=record_id,
                fields=tuple(
                    ConflictField(
                        c.id,
                        c.field,
                        _loads(c.local_value),
                        _loads(c.server_value),
                        c.server_version,
                    )
                    for c in items
                ),
                found_at=items[0].created_at,
            )
            for (collection, record_id), items in groups.items()
        ]

    def item_errors(self, limit: int = ERRORS_LIMIT) -> list[ItemError]:
        """Rejected changes, newest first, each with the platform's reason."""
        with self._store.read() as s:
            rows = s.scalars(
                select(SyncErrorRecord).order_by(SyncErrorRecord.id.desc()).limit(limit)
            ).all()
        return [
            ItemError(r.id, r.outbox_seq, r.collection, r.record_id, r.reason, r.message, r.at)
            for r in rows
        ]

    def history(self, limit: int = HISTORY_LIMIT) -> list[RunSummary]:
        """The latest sync runs, newest first."""
        with self._store.read() as s:
            rows = s.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)).all()
        return [
            RunSummary(
                r.id,
                r.started_at,
                r.finished_at,
                r.outcome,
                r.pushed,
                r.pulled,
                r.conflicts,
                r.rejected,
                r.message,
            )
            for r in rows
        ]

    # -- writes --------------------------------------------------------------------------

    def record_run(
        self,
        started_at: datetime,
        outcome: Outcome,
        *,
        pushed: int = 0,
        pulled: int = 0,
        conflicts: int = 0,
        rejected: int = 0,
        message: str = "",
    ) -> None:
        """Log one finished sync run; a successful one also becomes the last sync time.

        Args:
            started_at: When the run began (naive UTC).
            outcome: ``ok``, ``failed`` or ``cancelled``.
            pushed: Mutations whose result was recorded.
            pulled: Changes applied.
            conflicts: Mutations answered with conflicts.
            rejected: Mutations rejected.
            message: The user-facing message of a failed or cancelled run.
        """
        with self._store.write() as s:
            s.add(
                SyncRun(
                    started_at=started_at,
                    finished_at=_now(),
                    outcome=outcome,
                    pushed=pushed,
                    pulled=pulled,
                    conflicts=conflicts,
                    rejected=rejected,
                    message=message,
                )
            )
            if outcome == "ok":
                local = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
                SyncStateRepo(s).set(LAST_SYNC_KEY, local)

    def resolve(self, conflict_id: int, keep: Keep) -> None:
        """Resolve one conflicting field.

        Args:
            conflict_id: The conflict row.
            keep: ``server`` accepts the platform's value; ``local`` queues this device's
                value as a new update on the platform's version (pushed by the next sync).

        Raises:
            ConflictNotFoundError: No open conflict has this id.
        """
        with self._store.write() as s:
            row = s.get(SyncConflict, conflict_id)
            if row is None or row.resolved_at is not None:
                raise ConflictNotFoundError(conflict_id)
            _resolve(s, [row], keep)

    def resolve_record(self, collection: str, record_id: str, keep: Keep) -> int:
        """Resolve every open conflict of one record the same way, in one transaction.

        Returns:
            How many fields were resolved.
        """
        with self._store.write() as s:
            rows = s.scalars(
                select(SyncConflict)
                .where(
                    SyncConflict.collection == collection,
                    SyncConflict.record_id == record_id,
                    SyncConflict.resolved_at.is_(None),
                )
                .order_by(SyncConflict.id)
            ).all()
            _resolve(s, rows, keep)
            return len(rows)


def _resolve(s: Session, rows: Sequence[SyncConflict], keep: Keep) -> None:
    if keep not in ("local", "server"):
        raise ValueError(f"keep must be 'local' or 'server', not {keep!r}")
    now = _now()
    by_record: dict[tuple[str, str], list[SyncConflict]] = {}
    for row in rows:
        row.resolved_at = now
        row.resolution = keep
        by_record.setdefault((row.collection, row.record_id), []).append(row)
    if keep == "server":
        return
    for (collection, record_id), items in by_record.items():
        # Later conflicts on the same field supersede earlier ones.
        fields = {c.field: _loads(c.local_value) for c in items}
        form = s.get(FormRecord, (collection, record_id))
        known = [c.server_version for c in items if c.server_version is not None]
        base = form.version if form is not None and form.version is not None else None
        if base is None and known:
            base = max(known)
        if form is None:
            form = FormRecord(
                collection=collection, record_id=record_id, version=base, data="{}", deleted=False
            )
            s.add(form)
        data = _loads(form.data or "{}")
        form.data = json.dumps(
            {**(data if isinstance(data, dict) else {}), **fields},
            ensure_ascii=False,
            sort_keys=True,
        )
        form.dirty = True
        Outbox(s).add(collection, record_id, "update", fields, base)
