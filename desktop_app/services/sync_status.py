"""What the 同步 page shows, and resolving a conflict (no Qt, no sync import).

Conflicts are the fields both this device and the platform changed (sync invariant 5): the
platform's value is current, the local value waits here until the user picks one. Keeping
the local value queues it as a new ``update`` built on the platform's version, so the next
sync pushes it like any other edit.

A delete conflict is one row whose ``field`` is :data:`WHOLE_RECORD`:

* ``local_deleted`` — this device deleted a record another device changed meanwhile (the
  local value is null, the server value the platform's record). 仍然删除 queues a delete on
  the platform's version; 保留平台记录 keeps the platform's record (already shown).
* ``server_deleted`` — another device deleted a record this device changed (the local value
  is the whole local record, the server value null). 恢复本地记录 queues a ``create`` of the
  whole record naming the tombstone's version (the platform re-creates it); 接受删除 leaves
  it deleted. Never an update of empty fields.

Only choices the platform will accept are offered (:attr:`RecordConflicts.choices`): the
commitment rules come from the same domain module the platform applies
(:func:`desktop_app.domain.commitments.check_status_change`), and what the store knows of
other records (check-ins of a session, the session of a check-in) is checked here. A choice
the platform still refuses (it knew something this device did not) REOPENS the conflict: the
push marks its rows ``rejected:<seq>`` and :attr:`RecordConflicts.rejected` shows the
platform's reason (the sync error of that outbox entry).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.status import LAST_SYNC_KEY
from desktop_app.store.conflicts import WHOLE_RECORD as WHOLE_RECORD
from desktop_app.store.conflicts import rejected_mark as rejected_mark
from desktop_app.store.conflicts import resolution_mark as resolution_mark
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, SyncConflict, SyncErrorRecord, SyncRun
from desktop_app.store.outbox import Outbox, SyncStateRepo

Keep = Literal["local", "server"]
ConflictKind = Literal["fields", "local_deleted", "server_deleted"]
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
    """The open conflicts of one record, field by field.

    Attributes:
        collection: The record's collection.
        record_id: The record.
        fields: The conflicting fields (one :data:`WHOLE_RECORD` row for a delete conflict).
        found_at: When the first one was found.
        kind: ``fields``, ``local_deleted`` (this device deleted, another changed) or
            ``server_deleted`` (another device deleted, this one changed).
        choices: The resolutions the platform will accept (``server`` always).
        blocked: Why keeping the local side is not offered ("" when it is).
        rejected: The platform's reason when it refused an earlier choice ("" otherwise).
    """

    collection: str
    record_id: str
    fields: tuple[ConflictField, ...]
    found_at: datetime
    kind: ConflictKind = "fields"
    choices: tuple[Keep, ...] = ("local", "server")
    blocked: str = ""
    rejected: str = ""


class ResolutionRefusedError(ServiceError):
    """Keeping the local side would be refused by the platform; the message says why."""


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
            return [_record_conflicts(s, items) for items in groups.values()]

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
        """Resolve one conflicting field (a delete conflict: its whole record).

        Args:
            conflict_id: The conflict row.
            keep: ``server`` accepts the platform's side; ``local`` queues this device's
                side (an update of the field, a delete, or the re-created record) on the
                platform's version, pushed by the next sync.

        Raises:
            ConflictNotFoundError: No open conflict has this id.
            ResolutionRefusedError: The platform would refuse the local side.
        """
        with self._store.write() as s:
            row = s.get(SyncConflict, conflict_id)
            if row is None or row.resolved_at is not None:
                raise ConflictNotFoundError(conflict_id)
            if row.field == WHOLE_RECORD:
                _resolve(s, _open_rows(s, row.collection, row.record_id), keep)
            else:
                _resolve(s, [row], keep)

    def resolve_record(self, collection: str, record_id: str, keep: Keep) -> int:
        """Resolve every open conflict of one record the same way, in one transaction.

        Returns:
            How many conflict rows were resolved.

        Raises:
            ResolutionRefusedError: The platform would refuse the local side.
        """
        with self._store.write() as s:
            rows = _open_rows(s, collection, record_id)
            _resolve(s, rows, keep)
            return len(rows)


def _open_rows(s: Session, collection: str, record_id: str) -> list[SyncConflict]:
    return list(
        s.scalars(
            select(SyncConflict)
            .where(
                SyncConflict.collection == collection,
                SyncConflict.record_id == record_id,
                SyncConflict.resolved_at.is_(None),
            )
            .order_by(SyncConflict.id)
        )
    )


def _kind(rows: Sequence[SyncConflict]) -> ConflictKind:
    whole = [r for r in rows if r.field == WHOLE_RECORD]
    if not whole:
        return "fields"
    return "local_deleted" if _loads(whole[-1].local_value) is None else "server_deleted"


def _record_conflicts(s: Session, items: list[SyncConflict]) -> RecordConflicts:
    collection, record_id = items[0].collection, items[0].record_id
    kind = _kind(items)
    shown = [c for c in items if c.field == WHOLE_RECORD] if kind != "fields" else items
    refusal = _local_blocked(s, kind, shown)
    blocked = str(refusal) if refusal is not None else ""
    reopened = [c.resolution for c in items if (c.resolution or "").startswith("rejected:")]
    rejected = ""
    if reopened:
        seq = int(str(reopened[-1]).split(":", 1)[1])
        error = s.scalars(
            select(SyncErrorRecord)
            .where(SyncErrorRecord.outbox_seq == seq)
            .order_by(SyncErrorRecord.id.desc())
        ).first()
        rejected = error.message if error is not None else "平台未接受上次的处理方式。"
    return RecordConflicts(
        collection=collection,
        record_id=record_id,
        fields=tuple(
            ConflictField(
                c.id, c.field, _loads(c.local_value), _loads(c.server_value), c.server_version
            )
            for c in shown
        ),
        found_at=items[0].created_at,
        kind=kind,
        choices=("server",) if blocked else ("local", "server"),
        blocked=blocked,
        rejected=rejected,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _form_data(s: Session, collection: str, record_id: str) -> dict[str, Any]:
    form = s.get(FormRecord, (collection, record_id))
    return _dict(_loads(form.data or "{}")) if form is not None else {}


def _local_blocked(
    s: Session, kind: ConflictKind, rows: Sequence[SyncConflict]
) -> ResolutionRefusedError | None:
    """Why the platform would refuse the local side of these conflicts (None if it would not)."""
    collection, record_id = rows[0].collection, rows[0].record_id
    try:
        if kind == "fields":
            current = _form_data(s, collection, record_id)  # server values where they clash
            merged = {**current, **{c.field: _loads(c.local_value) for c in rows}}
            if collection == "commitments" and "status" in merged:
                cm.check_status_change(
                    current.get("status", merged["status"]),
                    merged["status"],
                    merged.get("signed_on"),
                )
        elif kind == "local_deleted":
            server = _dict(_loads(rows[-1].server_value))
            if collection == "commitments" and server.get("status") not in cm.DELETABLE_STATUSES:
                status = cm.STATUS_LABELS.get(cm.parse_status(server.get("status")), "")
                return ResolutionRefusedError.of("sync.delete_refused_status", status=status)
            count, label = LocalForms(s).referrers(collection, record_id)
            if count:
                return ResolutionRefusedError.of(
                    "sync.delete_refused_referrers", count=count, label=label
                )
        else:
            local = _dict(_loads(rows[-1].local_value))
            if collection == "commitments":
                cm.check_status_change(None, str(local.get("status")), local.get("signed_on"))
            missing = LocalForms(s).missing_parent(collection, local)
            if missing is not None:
                return ResolutionRefusedError.of(
                    "sync.restore_refused_parent_gone",
                    label=missing.label,
                    parent_label=missing.parent_label,
                )
    except cm.CommitmentError as err:
        # The frame is catalogued; the reason is the shared domain rule's own text.
        return ResolutionRefusedError.of("sync.local_refused", code=err.code, reason=str(err))
    return None


def _resolve(s: Session, rows: Sequence[SyncConflict], keep: Keep) -> None:
    if keep not in ("local", "server"):
        raise ValueError(f"keep must be 'local' or 'server', not {keep!r}")
    now = _now()
    by_record: dict[tuple[str, str], list[SyncConflict]] = {}
    for row in rows:
        by_record.setdefault((row.collection, row.record_id), []).append(row)
    for items in by_record.values():
        if keep == "local":
            kind = _kind(_open_rows(s, items[0].collection, items[0].record_id))
            if kind != "fields":
                items = _open_rows(s, items[0].collection, items[0].record_id)
            whole = [c for c in items if c.field == WHOLE_RECORD]
            refusal = _local_blocked(s, kind, whole if kind != "fields" else items)
            if refusal is not None:
                raise refusal
            mark = resolution_mark(_keep_local(s, kind, items))
        else:
            mark = "server"
        for row in items:
            row.resolved_at = now
            row.resolution = mark


def _keep_local(s: Session, kind: ConflictKind, items: Sequence[SyncConflict]) -> int:
    """Queue this device's side of one record's conflicts; returns the outbox seq."""
    collection, record_id = items[0].collection, items[0].record_id
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
    outbox = Outbox(s)
    if kind == "local_deleted":
        form.deleted = True
        form.dirty = True
        return outbox.add(collection, record_id, "delete", {}, base).seq
    if kind == "server_deleted":
        whole = [c for c in items if c.field == WHOLE_RECORD][-1]
        record = _dict(_loads(whole.local_value))
        form.data = json.dumps(record, ensure_ascii=False, sort_keys=True)
        form.deleted = False
        form.dirty = True
        # A create naming the tombstone's version: the platform re-creates the record.
        return outbox.add(collection, record_id, "create", record, whole.server_version).seq
    # Later conflicts on the same field supersede earlier ones.
    fields = {c.field: _loads(c.local_value) for c in items}
    data = _dict(_loads(form.data or "{}"))
    form.data = json.dumps({**data, **fields}, ensure_ascii=False, sort_keys=True)
    form.dirty = True
    return outbox.add(collection, record_id, "update", fields, base).seq
