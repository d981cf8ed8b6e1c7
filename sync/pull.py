"""Pull: page through the platform's changes; each page and its cursor commit together.

Where a change goes:

* ``entities`` → the entity cache (:meth:`EntityRepository.upsert_many`; tombstones delete);
* other platform-owned collections (and collections this build does not know yet) →
  ``reference_records``;
* client forms (this hall's or this inspector's, possibly from other devices) →
  ``form_records``, unless the local form has unsent edits (``dirty``): those stay, the
  push will bring the two together with field-level conflicts on the platform.

``reset: true`` (the platform cannot serve the cursor) clears the platform-owned caches and
the forms without local edits in the same transaction that applies the first page from
scratch; the outbox and dirty forms are never touched.

A pull from scratch (no cursor, or ``reset``) that spans more than one page is a bulk load:
the first page's transaction suspends the entity name search indexes
(:func:`~desktop_app.store.entities.suspend_search_index`, which also sets the
``search_index_stale`` marker) and the last page's transaction rebuilds them once. A pull
cut off in between leaves the marker set; name search then scans the table, and the next
pull goes on without the indexes and rebuilds them at its end.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain import records
from desktop_app.domain.records import record_type
from desktop_app.store.database import Store
from desktop_app.store.entities import (
    EntityRepository,
    rebuild_search_index,
    search_index_stale,
    suspend_search_index,
)
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord
from desktop_app.store.outbox import SyncStateRepo
from sync.errors import Cancelled
from sync.events import EventSink, SyncEvent, SyncReport
from sync.protocol import MAX_PULL_LIMIT, PLATFORM_OWNED, Collection
from sync.transport import PulledChange, Transport

log = logging.getLogger(__name__)

CURSOR_KEY = "pull_cursor"
CLIENT_FORMS = frozenset(c.value for c in Collection) - frozenset(c.value for c in PLATFORM_OWNED)

__all__ = ["CLIENT_FORMS", "CURSOR_KEY", "apply_page", "clear_caches", "run_pull"]

_REFERENCE_UPSERT = (
    "INSERT INTO reference_records (collection, record_id, version, deleted, data, entity_uscc) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(collection, record_id) DO UPDATE SET "
    "version = excluded.version, deleted = excluded.deleted, data = excluded.data, "
    "entity_uscc = excluded.entity_uscc"
)


def _dumps(value: Any) -> str:
    # orjson: the same JSON (keys sorted, UTF-8 text) about 8× faster than json.dumps, which
    # matters for the 380,000 reference records of a first pull.
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _entity_row(change: PulledChange) -> dict[str, Any]:
    e = records.Entity.read(change.fields)  # the shared definition: a bad value reads as empty
    return {
        "uscc": e.uscc or change.record_id,
        "name": e.name,
        "legal_representative": e.legal_representative,
        "legal_representative_id": e.legal_representative_id,
        "principal": e.principal,
        "principal_id": e.principal_id,
        "address": e.address,
        "region_code": e.region_code,
        "industry": e.industry,
        "status": e.status,
        "credit_grade": e.credit_grade,
        "lists": e.lists,
        "version": change.version,
    }


def clear_caches(s: Session) -> None:
    """Drop platform-owned data and forms without unsent edits (before a pull from scratch)."""
    s.execute(delete(Entity))
    s.execute(delete(ReferenceRecord))
    s.execute(delete(FormRecord).where(FormRecord.dirty.is_(False)))


def _uscc_of(change: PulledChange) -> str | None:
    if not change.fields:
        return None
    return record_type(change.collection).read(change.fields).entity_uscc


def _apply_reference(s: Session, changes: list[PulledChange]) -> None:
    # One prepared statement executed with plain tuples (no ORM bookkeeping per row).
    rows = [
        (
            c.collection,
            c.record_id,
            c.version,
            c.deleted,
            _dumps(c.fields) if c.fields is not None else "{}",
            _uscc_of(c),
        )
        for c in changes
    ]
    s.connection().exec_driver_sql(_REFERENCE_UPSERT, rows)


def _apply_forms(s: Session, changes: list[PulledChange], report: SyncReport) -> None:
    for c in changes:
        form = s.get(FormRecord, (c.collection, c.record_id))
        if form is None:
            form = FormRecord(collection=c.collection, record_id=c.record_id, dirty=False)
            s.add(form)
        elif form.dirty:
            report.kept_local.append((c.collection, c.record_id))
            continue
        elif form.version is not None and form.version > c.version:
            continue  # our push already recorded a newer version than this page holds
        form.version = c.version
        form.deleted = c.deleted
        form.data = _dumps(c.fields) if c.fields is not None else (form.data or "{}")


def apply_page(s: Session, changes: list[PulledChange], report: SyncReport) -> None:
    """Apply one page of changes in the caller's transaction.

    Args:
        s: A write session (the cursor is advanced in the same one).
        changes: The page; each record appears at most once.
        report: Counters to update.
    """
    upserts: list[dict[str, Any]] = []
    gone: list[str] = []
    reference: list[PulledChange] = []
    forms: list[PulledChange] = []
    for c in changes:
        if c.collection == Collection.ENTITIES:
            if c.deleted:
                gone.append(c.record_id)
            else:
                upserts.append(_entity_row(c))
        elif c.collection in CLIENT_FORMS:
            forms.append(c)
        else:
            reference.append(c)
    if gone:
        s.execute(delete(Entity).where(Entity.uscc.in_(gone)))
    if upserts:
        EntityRepository(s).upsert_many(upserts)
    if reference:
        _apply_reference(s, reference)
    if forms:
        _apply_forms(s, forms, report)
    report.pulled += len(changes)


def run_pull(
    store: Store,
    transport: Transport,
    report: SyncReport,
    *,
    cancel: threading.Event,
    emit: EventSink,
    limit: int = MAX_PULL_LIMIT,
) -> None:
    """Pull pages until the platform has no more.

    Raises:
        Cancelled: ``cancel`` was set between pages (applied pages and their cursor stay).
        SyncError: A transport failure; nothing of the failed page was applied.
    """
    done = 0
    start_bytes = transport.bytes_in
    emit(SyncEvent("pull", 0, None, 0))
    while True:
        if cancel.is_set():
            raise Cancelled("cancelled between pull pages")
        with store.read() as s:
            cursor = SyncStateRepo(s).get(CURSOR_KEY)
        page = transport.pull(cursor, limit)
        with store.write() as s:
            if (cursor is None or page.reset) and page.has_more:
                # A bulk load: index the names once at the end, not row by row.
                suspend_search_index(s)
            if page.reset:
                log.warning("platform reset the pull cursor: pulling from scratch")
                clear_caches(s)
                report.reset = True
            apply_page(s, page.changes, report)
            SyncStateRepo(s).set(CURSOR_KEY, page.cursor)
            if not page.has_more and search_index_stale(s):
                rebuild_search_index(s)
        report.pages += 1
        done += len(page.changes)
        emit(SyncEvent("pull", done, None, transport.bytes_in - start_bytes))
        if not page.has_more:
            return


def stored_cursor(store: Store) -> str | None:
    """The pull cursor this device holds (None before the first pull)."""
    with store.read() as s:
        return SyncStateRepo(s).get(CURSOR_KEY)


def known_forms(store: Store, collection: str) -> dict[str, dict[str, Any]]:
    """Every non-deleted form of ``collection`` by record id (for views and tests)."""
    with store.read() as s:
        rows = s.scalars(
            select(FormRecord).where(
                FormRecord.collection == collection, FormRecord.deleted.is_(False)
            )
        )
        return {r.record_id: json.loads(r.data) for r in rows}
