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
the first page's transaction suspends the entity name search indexes and the other secondary
indexes a pull writes (:func:`~desktop_app.store.entities.suspend_search_index`, which also
sets the ``search_index_stale`` marker) and the last page's transaction rebuilds them once. A
pull cut off in between leaves the marker set; name search then scans the table, and the next
pull goes on as a bulk load and rebuilds them at its end.

Transactions (invariant 4: a page and the cursor after it commit together). An incremental
pull commits each page with its cursor. A bulk load applies several pages in one transaction
and advances the cursor after each of them inside it, committing a durable checkpoint every
:data:`BULK_CHECKPOINT_CHANGES` changes or :data:`BULK_CHECKPOINT_SECONDS` seconds (so a
save of the user never waits longer than that), at the last page, and when it stops early
(cancel, a network or server error: the pages already applied are whole, they stay). A
process killed between checkpoints loses the uncommitted pages *and* the cursor that covered
them, so the next pull asks for them again from the last checkpoint's cursor: nothing is
lost, nothing applied twice (and an upsert by key would be idempotent anyway).

The next pages are fetched and parsed on a helper thread (:class:`PagePrefetch`) while the
current one is applied: the platform's work and the transfer overlap the store's. Up to
:data:`PREFETCH_PAGES` pages are fetched ahead, so the helper keeps going while the store
commits a checkpoint or indexes names (SQLite releases the GIL then) and the apply does not
wait for each page in turn; at most that many pages plus the one being applied are in memory.
A waiting page holds only its rows (:class:`PreparedPage`, about 10 MB for 10,000 entities):
the parsed JSON they were decoded from, twice that, is dropped at once.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from typing import Any, NamedTuple

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app import heap
from desktop_app.domain import records
from desktop_app.domain.records import record_type
from desktop_app.store.database import Store, execute_rows
from desktop_app.store.entities import (
    EntityRepository,
    catch_up_bigrams,
    entity_values,
    forget_bigram_watermark,
    rebuild_search_index,
    reset_bigrams,
    search_index_stale,
    sql_now,
    suspend_search_index,
)
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord
from desktop_app.store.outbox import SyncStateRepo
from sync.errors import Cancelled
from sync.events import EventSink, SyncEvent, SyncReport
from sync.protocol import MAX_PULL_LIMIT, PLATFORM_OWNED, Collection
from sync.snapshot import SNAPSHOT_KEY, take_snapshot
from sync.transport import PulledChange, PullPage, Transport

log = logging.getLogger(__name__)

CURSOR_KEY = "pull_cursor"
CLIENT_FORMS = frozenset(c.value for c in Collection) - frozenset(c.value for c in PLATFORM_OWNED)

# A bulk load's durable checkpoints (see the module docstring).
BULK_CHECKPOINT_CHANGES = 50_000
BULK_CHECKPOINT_SECONDS = 2.0

# Pages fetched and decoded ahead of the one being applied (see the module docstring).
PREFETCH_PAGES = 6

__all__ = [
    "BULK_CHECKPOINT_CHANGES",
    "BULK_CHECKPOINT_SECONDS",
    "CLIENT_FORMS",
    "CURSOR_KEY",
    "PREFETCH_PAGES",
    "PagePrefetch",
    "PreparedPage",
    "apply_page",
    "apply_prepared",
    "clear_caches",
    "prepare_page",
    "run_pull",
]

# The reference records' upsert, around its VALUES (execute_rows binds many rows a statement).
_REFERENCE_INSERT = (
    "INSERT INTO reference_records (collection, record_id, version, deleted, data, entity_uscc)"
)
_REFERENCE_ON_CONFLICT = (
    "ON CONFLICT(collection, record_id) DO UPDATE SET "
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
    reset_bigrams(s)  # first: the delete trigger then finds nothing to remove, row by row
    s.execute(delete(Entity))
    s.execute(delete(ReferenceRecord))
    s.execute(delete(FormRecord).where(FormRecord.dirty.is_(False)))


def _uscc_of(change: PulledChange) -> str | None:
    if not change.fields:
        return None
    return record_type(change.collection).read(change.fields).entity_uscc


def _reference_row(c: PulledChange) -> tuple[Any, ...]:
    return (
        c.collection,
        c.record_id,
        c.version,
        c.deleted,
        _dumps(c.fields) if c.fields is not None else "{}",
        _uscc_of(c),
    )


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


class PreparedPage(NamedTuple):
    """A page decoded into the rows it writes (:func:`prepare_page`), ready to apply.

    It keeps the page's cursor and flags but not its parsed changes: the rows share their
    strings, and the dictionaries they came from would double a page's memory while it waits
    in the prefetch queue.
    """

    cursor: str
    has_more: bool
    reset: bool
    gone: list[str]  # entity USCCs to delete
    entities: list[tuple[Any, ...]]  # ENTITY_COLUMNS values
    reference: list[tuple[Any, ...]]  # reference_records rows (_REFERENCE_INSERT columns)
    forms: list[PulledChange]  # applied against the local forms (dirty ones stay)

    @property
    def size(self) -> int:
        """The page's number of changes."""
        return len(self.gone) + len(self.entities) + len(self.reference) + len(self.forms)


def prepare_page(page: PullPage) -> PreparedPage:
    """Decode a page into rows without touching the store (runs on the fetch thread).

    Every record goes through its shared definition (``desktop_app.domain.records``): the
    registry's entities through :class:`records.Entity`, reference records for their entity
    code; reference JSON is serialised here too.
    """
    now = sql_now()
    gone: list[str] = []
    entities: list[tuple[Any, ...]] = []
    reference: list[tuple[Any, ...]] = []
    forms: list[PulledChange] = []
    for c in page.changes:
        if c.collection == Collection.ENTITIES:
            if c.deleted:
                gone.append(c.record_id)
            else:
                entities.append(entity_values(_entity_row(c), now))
        elif c.collection in CLIENT_FORMS:
            forms.append(c)
        else:
            reference.append(_reference_row(c))
    return PreparedPage(page.cursor, page.has_more, page.reset, gone, entities, reference, forms)


def apply_prepared(
    s: Session, prepared: PreparedPage, report: SyncReport, *, bulk: bool = False
) -> None:
    """Write a prepared page in the caller's transaction (see :func:`apply_page`).

    ``bulk``: part of a bulk load (mostly new entities; see
    :meth:`EntityRepository.upsert_rows`).
    """
    if prepared.gone:
        if bulk:
            forget_bigram_watermark(s)
        s.execute(delete(Entity).where(Entity.uscc.in_(prepared.gone)))
    if prepared.entities:
        EntityRepository(s).upsert_rows(prepared.entities, bulk=bulk)
    if prepared.reference:
        # Prepared statements of many rows each, plain tuples (no ORM bookkeeping per row).
        execute_rows(s.connection(), _REFERENCE_INSERT, prepared.reference, _REFERENCE_ON_CONFLICT)
    if prepared.forms:
        _apply_forms(s, prepared.forms, report)
    report.pulled += prepared.size


def apply_page(s: Session, changes: list[PulledChange], report: SyncReport) -> None:
    """Apply one page of changes in the caller's transaction.

    Args:
        s: A write session (the cursor is advanced in the same one).
        changes: The page; each record appears at most once.
        report: Counters to update.
    """
    apply_prepared(s, prepare_page(PullPage(changes, "", False, False)), report)


class PagePrefetch:
    """Fetch, parse and decode pull pages on a helper thread, a few pages ahead of the caller.

    The thread requests the page after ``cursor``, then the page after that one's cursor, and
    so on — never more than ``ahead`` pages not yet taken with :meth:`next` — until a page says
    ``has_more: false`` or a request fails; the failure is raised by :meth:`next` in order.
    :meth:`close` stops it and waits for a request in flight, so the transport is not used
    by two threads once the pull returns.
    """

    def __init__(
        self,
        transport: Transport,
        cursor: str | None,
        limit: int,
        ahead: int = PREFETCH_PAGES,
        *,
        snapshot: str | None = None,
    ) -> None:
        self._transport = transport
        self._limit = limit
        self._snapshot = snapshot
        self._pages: queue.Queue[tuple[PreparedPage | None, BaseException | None]] = queue.Queue()
        self._ahead = threading.Semaphore(ahead)  # pages fetched but not yet taken
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(cursor,), name="sync-pull-fetch", daemon=True
        )
        self._thread.start()

    def _run(self, cursor: str | None) -> None:
        try:
            while True:
                self._ahead.acquire()
                if self._stop.is_set():
                    return
                # The parsed page is dropped as soon as it is decoded (see PreparedPage).
                page = self._transport.pull(cursor, self._limit, self._snapshot)
                if page.reset:
                    self._snapshot = None  # the pull starts again from nothing
                prepared = prepare_page(page)
                del page
                self._pages.put((prepared, None))
                if not prepared.has_more:
                    return
                cursor = prepared.cursor
                del prepared  # taken and applied by the caller: not kept alive from here
        except BaseException as exc:  # handed to the caller's thread
            self._pages.put((None, exc))

    def next(self) -> PreparedPage:
        """The next page, decoded (:func:`prepare_page`), in order.

        Raises:
            SyncError: The request or parse of this page failed (as :meth:`Transport.pull`).
        """
        page, error = self._pages.get()
        self._ahead.release()
        if error is not None:
            raise error
        assert page is not None
        return page

    def close(self) -> None:
        """Stop fetching; returns once the helper thread has ended."""
        self._stop.set()
        self._ahead.release()
        self._thread.join()


def run_pull(
    store: Store,
    transport: Transport,
    report: SyncReport,
    *,
    cancel: threading.Event,
    emit: EventSink,
    limit: int = MAX_PULL_LIMIT,
    use_snapshot: bool = True,
) -> None:
    """Pull pages until the platform has no more.

    A store that has never pulled first asks for a snapshot (:mod:`sync.snapshot`) unless
    ``use_snapshot`` is false.

    Raises:
        Cancelled: ``cancel`` was set between pages (applied pages and their cursor stay).
        SyncError: A transport failure; nothing of the failed page was applied (the pages
            before it stay, with their cursor).
    """
    done = 0
    start_bytes = transport.bytes_in
    emit(SyncEvent("pull", 0, None, 0))
    if cancel.is_set():
        raise Cancelled("cancelled between pull pages")
    with store.read() as s:
        cursor = SyncStateRepo(s).get(CURSOR_KEY)
        snapshot = SyncStateRepo(s).get(SNAPSHOT_KEY)
    if cursor is None and snapshot is None and use_snapshot:
        taken = take_snapshot(store, transport, cancel=cancel, emit=emit)
        if taken is not None:
            snapshot = taken.cursor
            report.snapshot_entities = taken.entities
    fetcher = PagePrefetch(transport, cursor, limit, snapshot=snapshot)
    try:
        prepared = fetcher.next()
        while True:
            failure: BaseException | None = None
            with store.write() as s:
                began = time.monotonic()
                in_tx = 0
                while True:
                    page = prepared
                    if ((cursor is None and snapshot is None) or page.reset) and page.has_more:
                        # A bulk load: build the secondary indexes once, not row by row.
                        suspend_search_index(s)
                    if page.reset:
                        log.warning("platform reset the pull cursor: pulling from scratch")
                        clear_caches(s)
                        SyncStateRepo(s).delete(SNAPSHOT_KEY)
                        snapshot = None
                        report.reset = True
                    bulk = search_index_stale(s)
                    apply_prepared(s, prepared, report, bulk=bulk)
                    SyncStateRepo(s).set(CURSOR_KEY, page.cursor)
                    if not page.has_more and snapshot is not None:
                        SyncStateRepo(s).delete(SNAPSHOT_KEY)  # caught up past the snapshot
                    cursor = page.cursor
                    if not page.has_more and bulk:
                        heap.trim()  # the pages' freed memory back first: the sorter is big
                        rebuild_search_index(s)
                    report.pages += 1
                    done += page.size
                    in_tx += page.size
                    emit(SyncEvent("pull", done, None, transport.bytes_in - start_bytes))
                    if (
                        not page.has_more
                        or not bulk
                        or cancel.is_set()
                        or in_tx >= BULK_CHECKPOINT_CHANGES
                        or time.monotonic() - began >= BULK_CHECKPOINT_SECONDS
                    ):
                        break
                    try:
                        prepared = fetcher.next()
                    except Exception as exc:
                        # The pages applied so far are whole: commit them, then report.
                        failure = exc
                        break
                if bulk and page.has_more:
                    # Index the new names now, while the fetch thread downloads the next pages
                    # (whole passes only: each pass rewrites pages all over the pair table).
                    catch_up_bigrams(s, whole_passes=True)
            if failure is not None:
                raise failure
            if not page.has_more:
                return
            if cancel.is_set():
                raise Cancelled("cancelled between pull pages")
            prepared = fetcher.next()
    finally:
        fetcher.close()


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
