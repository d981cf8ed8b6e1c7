"""Push: send the outbox in ``seq`` order and record each result with its effect.

A batch's results are recorded in ONE transaction together with their effects (form
versions, conflict rows, error rows), so after a crash either all of a batch's answers are
known or none is, and an unanswered batch is simply sent again: the platform answers
``duplicate`` with the stored result (sync invariants 1 and 2).

A batch never holds two entries of the same record, so each entry's answer is recorded
before the next entry of that record is sent.

Edits queued on one record before a sync (nothing is ever silently overwritten):

* Every ``update`` and ``delete`` keeps the ``base_version`` its user saw when making it;
  it is NOT re-based onto the version the entries before it produced. Re-basing would hide
  a change another device made meanwhile to a field only a later edit touches (the earlier
  entry's answer says the record moved on, not which fields moved). The platform instead
  decides field by field: a field another device changed after the base conflicts; the
  device's own earlier writes do not (it keeps who wrote each field), since its user made
  the later edits on top of them. So an interleaved foreign change becomes a visible
  conflict on exactly the fields both touched, and a queued delete is refused as a
  conflict when another device changed the record after the version its user deleted.
* The only re-basing left: entries queued after a ``create`` the platform had not answered
  carry no base; they build on the version the create produced (nobody else could have
  seen the record before).

Results that are not a plain success:

* A rejected ``create``: the platform never had the record, so the entries queued after it
  can never apply; they are settled locally (never pushed) and the create's sync error is
  the one the user sees.
* A rejected ``update`` because another device deleted the record: a delete conflict (a
  ``"*"`` row whose local value is the whole local record); the form follows the platform
  (deleted) and the user chooses 恢复本地记录 or 接受删除 in the conflicts view.
* A ``delete`` answered with a conflict (another device changed the record): a ``"*"`` row
  whose local value is null; the form shows the platform's record again.
* A conflict resolution the platform rejects reopens the conflict rows it came from
  (``resolution`` ``local:<seq>`` → ``rejected:<seq>``); the platform's reason is in the
  sync error of that entry.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.store.conflicts import WHOLE_RECORD, rejected_mark, resolution_mark
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, OutboxEntry, SyncConflict, SyncErrorRecord
from desktop_app.store.outbox import UNSYNCED, Outbox
from sync.blobs import cited_blobs, upload_cited
from sync.errors import Cancelled, ProtocolError
from sync.events import EventSink, SyncEvent, SyncReport
from sync.protocol import Mutation, MutationResult, MutationStatus, PushRequest, ReasonCode
from sync.transport import Transport

log = logging.getLogger(__name__)

DEFAULT_BATCH = 100

__all__ = ["DEFAULT_BATCH", "record_results", "run_push"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class _Batch:
    mutations: list[Mutation]
    invalid: list[tuple[int, str, str, str]]  # (seq, collection, record_id, why)
    fields: list[tuple[str, dict[str, Any]]]


def _next_batch(store: Store, size: int) -> _Batch:
    batch = _Batch([], [], [])
    with store.write() as s:
        keys: set[tuple[str, str]] = set()
        for entry in Outbox(s).pending(size):
            key = (entry.collection, entry.record_id)
            if key in keys:
                break
            keys.add(key)
            try:
                mutation = Mutation(
                    mutation_seq=entry.seq,
                    collection=entry.collection,
                    record_id=entry.record_id,
                    op=entry.op,  # type: ignore[arg-type]  # checked by the model
                    base_version=entry.base_version,
                    fields=dict(entry.fields or {}),
                )
            except ValidationError as exc:
                why = "; ".join(str(e["msg"]) for e in exc.errors())
                batch.invalid.append((entry.seq, entry.collection, entry.record_id, why))
                continue
            entry.status = "sending"
            entry.attempts += 1
            batch.mutations.append(mutation)
            batch.fields.append((mutation.collection, mutation.fields))
    return batch


def _reject_locally(store: Store, invalid: list[tuple[int, str, str, str]]) -> None:
    # A mutation the protocol cannot even express must not hold up the ones after it.
    with store.write() as s:
        for seq, collection, record_id, why in invalid:
            entry = s.get(OutboxEntry, seq)
            if entry is None:
                continue
            message = f"本机变更格式无效，未提交到平台：{why}。请检查后重新填写。"
            entry.status = "rejected"
            entry.last_error = message
            s.add(
                SyncErrorRecord(
                    outbox_seq=seq,
                    collection=collection,
                    record_id=record_id,
                    reason=ReasonCode.BAD_REQUEST.value,
                    message=message,
                    at=_now(),
                )
            )


def _check_answer(sent: list[Mutation], results: list[MutationResult]) -> None:
    if [r.mutation_seq for r in results] != [m.mutation_seq for m in sent]:
        raise ProtocolError("push results do not match the mutations sent")
    for r in results:
        if r.status is MutationStatus.DUPLICATE and r.original in (None, MutationStatus.DUPLICATE):
            raise ProtocolError(f"duplicate result {r.mutation_seq} without its original status")


def _has_later(s: Session, entry: OutboxEntry) -> bool:
    stmt = select(OutboxEntry.seq).where(
        OutboxEntry.collection == entry.collection,
        OutboxEntry.record_id == entry.record_id,
        OutboxEntry.seq > entry.seq,
        OutboxEntry.status.in_(UNSYNCED),
    )
    return s.scalar(stmt.limit(1)) is not None


def _later(s: Session, entry: OutboxEntry) -> list[OutboxEntry]:
    stmt = select(OutboxEntry).where(
        OutboxEntry.collection == entry.collection,
        OutboxEntry.record_id == entry.record_id,
        OutboxEntry.seq > entry.seq,
        OutboxEntry.status.in_(UNSYNCED),
    )
    return list(s.scalars(stmt.order_by(OutboxEntry.seq)))


def _base_after_create(s: Session, entry: OutboxEntry, version: int) -> None:
    # Entries queued before the platform knew the record have no base; they build on the
    # version the create produced. Entries with a base keep it (see the module docstring).
    for later in _later(s, entry):
        if later.base_version is None:
            later.base_version = version


def _drop_after_refused_create(s: Session, entry: OutboxEntry) -> None:
    # The platform never had this record: what was queued after its create cannot apply,
    # and pushing it would only earn a "no record you may modify" answer.
    for later in _later(s, entry):
        later.status = "rejected"
        later.last_error = "该记录的新建未被平台接受，本条变更随之作废，未提交到平台。"
    form = s.get(FormRecord, (entry.collection, entry.record_id))
    if form is not None and form.deleted:
        form.dirty = False  # deleted here, never on the platform: nothing left to send


def _settle_form(s: Session, entry: OutboxEntry, r: MutationResult, outcome: str) -> None:
    form = s.get(FormRecord, (entry.collection, entry.record_id))
    if form is None:
        form = FormRecord(
            collection=entry.collection, record_id=entry.record_id, data="{}", deleted=False
        )
        form.dirty = False
        s.add(form)
    if _has_later(s, entry):
        # Unsent local edits stay visible and settle with the last entry. The form keeps the
        # version its user saw, so a new edit is not based on a version whose foreign
        # changes it never showed; a created record's first version hides nothing.
        if entry.op == "create" and form.version is None:
            form.version = r.version
        return
    if r.version is not None:
        form.version = r.version
    if entry.op == "delete" and outcome == MutationStatus.APPLIED:
        form.deleted = True
    elif r.server_fields is not None:
        form.data = _dumps(r.server_fields)
        form.deleted = False
    form.dirty = False


def _restore_rejected_form(s: Session, entry: OutboxEntry, r: MutationResult) -> None:
    # The platform refused this change and answered with its current state: put the local
    # copy back in line (the pull cursor is usually past that state already). Unsent later
    # edits stay visible; a refused create of a record the platform never had stays local,
    # marked by its sync error, for the user to correct.
    if _has_later(s, entry) or r.version is None:
        return
    form = s.get(FormRecord, (entry.collection, entry.record_id))
    if form is None:
        return
    if r.server_fields is not None:
        form.data = _dumps(r.server_fields)
        form.deleted = False
    elif r.reason is ReasonCode.RECORD_DELETED or entry.op == "create":
        form.deleted = True  # a tombstone (a refused 恢复本地记录: its conflict reopens)
    else:
        return
    form.version = r.version
    form.dirty = False


def _add_conflicts(s: Session, entry: OutboxEntry, r: MutationResult) -> None:
    for c in r.conflicts:
        local, server = _dumps(c.client_value), _dumps(c.server_value)
        same = select(SyncConflict.id).where(
            SyncConflict.collection == entry.collection,
            SyncConflict.record_id == entry.record_id,
            SyncConflict.field == c.field,
            SyncConflict.local_value == local,
            SyncConflict.server_value == server,
            SyncConflict.resolved_at.is_(None),
        )
        if s.scalar(same.limit(1)) is not None:
            continue  # the same answer recorded again after a resend
        s.add(
            SyncConflict(
                collection=entry.collection,
                record_id=entry.record_id,
                field=c.field,
                local_value=local,
                server_value=server,
                base_version=entry.base_version,
                server_version=r.version,
                created_at=_now(),
            )
        )


def _add_delete_conflict(
    s: Session, entry: OutboxEntry, version: int | None, local: Any, server: Any
) -> None:
    # One "*" row per record: a newer answer replaces the open one (a resend, or a later
    # queued edit refused for the same deletion).
    stmt = select(SyncConflict).where(
        SyncConflict.collection == entry.collection,
        SyncConflict.record_id == entry.record_id,
        SyncConflict.field == WHOLE_RECORD,
        SyncConflict.resolved_at.is_(None),
    )
    row = s.scalars(stmt.limit(1)).first()
    if row is None:
        row = SyncConflict(
            collection=entry.collection,
            record_id=entry.record_id,
            field=WHOLE_RECORD,
            base_version=entry.base_version,
            created_at=_now(),
        )
        s.add(row)
    row.local_value = _dumps(local)
    row.server_value = _dumps(server)
    row.server_version = version


def _deleted_elsewhere(s: Session, entry: OutboxEntry, r: MutationResult) -> None:
    # Another device deleted the record this edit changes: keep the whole local record in a
    # conflict (恢复本地记录 re-creates it) instead of dropping the user's work.
    entry.status = "conflict"
    entry.last_error = r.message
    form = s.get(FormRecord, (entry.collection, entry.record_id))
    local = _loads_dict(form.data) if form is not None else dict(entry.fields or {})
    _add_delete_conflict(s, entry, r.version, local, None)
    if form is None or _has_later(s, entry):
        return
    form.deleted = True  # the platform's state is current; the local one waits in the row
    form.dirty = False
    if r.version is not None:
        form.version = r.version


def _loads_dict(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _reopen_resolution(s: Session, entry: OutboxEntry) -> None:
    # The user's choice did not reach the platform: the conflict it settled is open again.
    stmt = select(SyncConflict).where(SyncConflict.resolution == resolution_mark(entry.seq))
    for row in s.scalars(stmt):
        row.resolved_at = None
        row.resolution = rejected_mark(entry.seq)


def record_results(s: Session, results: list[MutationResult], report: SyncReport) -> None:
    """Record push results and their effects in the caller's transaction.

    Args:
        s: A write session (the whole batch commits together).
        results: The platform's answers (already checked against the batch).
        report: Counters to update.
    """
    for r in results:
        entry = s.get(OutboxEntry, r.mutation_seq)
        if entry is None:
            log.warning("push result for unknown outbox entry %d", r.mutation_seq)
            continue
        outcome = r.original if r.status is MutationStatus.DUPLICATE else r.status
        assert outcome is not None  # _check_answer refused a duplicate without original
        report.pushed += 1
        report.duplicates += r.status is MutationStatus.DUPLICATE
        entry.result = r.model_dump(mode="json")
        if outcome is MutationStatus.APPLIED:
            entry.status = "applied"
            entry.last_error = None
            if r.version is not None and entry.op == "create":
                _base_after_create(s, entry, r.version)
            _settle_form(s, entry, r, outcome)
            report.applied += 1
        elif outcome is MutationStatus.CONFLICT:
            entry.status = "conflict"
            entry.last_error = r.message
            if entry.op == "delete":
                _add_delete_conflict(s, entry, r.version, None, r.server_fields or {})
            else:
                _add_conflicts(s, entry, r)
            _settle_form(s, entry, r, outcome)
            report.conflicts += 1
        elif entry.op == "update" and r.reason is ReasonCode.RECORD_DELETED:
            _deleted_elsewhere(s, entry, r)
            report.conflicts += 1
        else:
            message = r.message or "平台拒绝了这条变更。"
            entry.status = "rejected"
            entry.last_error = message
            s.add(
                SyncErrorRecord(
                    outbox_seq=entry.seq,
                    collection=entry.collection,
                    record_id=entry.record_id,
                    reason=(r.reason or ReasonCode.BAD_REQUEST).value,
                    message=message,
                    at=_now(),
                )
            )
            _restore_rejected_form(s, entry, r)
            _reopen_resolution(s, entry)
            if entry.op == "create":
                _drop_after_refused_create(s, entry)
            report.rejected += 1


def run_push(
    store: Store,
    transport: Transport,
    device_id: str,
    report: SyncReport,
    *,
    cancel: threading.Event,
    emit: EventSink,
    batch_size: int = DEFAULT_BATCH,
) -> None:
    """Push the whole outbox, batch by batch, blobs first.

    Raises:
        Cancelled: ``cancel`` was set between batches (recorded batches stay recorded).
        SyncError: A transport failure; the unanswered batch is sent again next time.
    """
    with store.read() as s:
        total = Outbox(s).unsynced_count()
    done = 0
    start_bytes = transport.bytes_out
    emit(SyncEvent("push", 0, total, 0))
    while True:
        if cancel.is_set():
            raise Cancelled("cancelled before a push batch")
        batch = _next_batch(store, batch_size)
        if batch.invalid:
            _reject_locally(store, batch.invalid)
            report.rejected += len(batch.invalid)
            done += len(batch.invalid)
        if not batch.mutations:
            if not batch.invalid:
                break
            continue
        shas = cited_blobs(batch.fields)
        if shas:
            report.blobs_uploaded += upload_cited(store, transport, shas, cancel, emit)
        response = transport.push(PushRequest(device_id=device_id, mutations=batch.mutations))
        _check_answer(batch.mutations, response.results)
        with store.write() as s:
            record_results(s, response.results, report)
        done += len(batch.mutations)
        emit(SyncEvent("push", done, total, transport.bytes_out - start_bytes))
