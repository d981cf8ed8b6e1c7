"""Applying pushed mutations (idempotent, field-level conflicts) and serving pulls.

Push: one transaction per batch. On PostgreSQL pushes run side by side: the batch first
reads the records it names ``FOR UPDATE`` in key order (and the credit entries derived from
them), every other record it writes is read ``FOR UPDATE`` before it is changed
(:func:`platform_server.records.locked_record`), so two devices editing one record can never
both build on the same old version — the second waits for the first's commit, then reads it. The
change numbers are given at commit (:func:`platform_server.db.defer_numbering`): the counter's
lock is held only for numbering and COMMIT, so transactions still commit in sequence order.
A deadlock, or a unique key another push inserted first (the same new record id, or a resend
of the same ``(device_id, mutation_seq)`` racing the original), rolls the batch back and
:func:`push_retrying` runs it again from the start: it then sees what the other committed.
On SQLite (writers serialised by ``BEGIN IMMEDIATE``) a push takes the counter's lock first
and numbers at once, as every other writer does. A mutation whose collection has a hook that
may refuse it after its record was written (``after_create``/``after_update``) runs in its own
SAVEPOINT, so a rejected one rolls back only itself; every other refusal comes before the first
write, so the others need none (a refusal after a write there is a bug, answered with a 500,
never half-applied). Each result — applied, conflict or rejected — is written to
``mutation_log`` in the batch's transaction: a resend of ``(device_id, mutation_seq)`` gets
the stored answer (status ``duplicate``, ``original`` the stored status), and a mutation
that was never answered was never applied either.

Conflicts, field by field against ``base_version``: a field the client sent conflicts when
ANOTHER device (or the platform) changed it after ``base_version`` (``field_versions[f] >
base_version``, see :class:`~platform_server.records.FieldStamps`) and the values differ.
The pushing device's own later writes do not count: a client sends each queued edit with the
version its user saw when making it, and the edits it queued before were part of what that
user saw. Conflicting fields keep the server value and are reported with both values; the
others are applied (status ``conflict`` when any field conflicted). A delete is a conflict,
and is not applied, when another device changed any field after its ``base_version``.

A create of a record that exists only as a tombstone re-creates it when it names the
tombstone's version as ``base_version`` (the user chose to restore a record another device
deleted, having seen the deletion); without it the id is taken (``record_exists``).

Pull: keyset paging over ``records.seq`` (``WHERE seq > after AND seq <= head AND <scope>
ORDER BY seq``). ``head`` is the counter's committed value, read first: because transactions
commit in sequence order (``db.allocate_seq``), every change numbered up to ``head`` is
committed and visible to the page query, and none numbered above it is served on this page,
so a cursor never passes a change that commits later (sync invariant 3). When the page is
not full the cursor jumps to ``head``, past changes the caller may not see, so a narrow scope
does not rescan the whole log on every pull. The page JSON is assembled from the stored
canonical ``data`` text: no row is parsed or validated on the way out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Text, case, cast, func, literal_column, select, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain import credit_record as cr
from desktop_app.domain.records import Owner
from platform_server.collections import (
    DEFINITIONS,
    CollectionDef,
    authorize_create,
    check_update_fields,
    derive_scope,
    prepare,
    stamp_platform_fields,
)
from platform_server.credit_projection import ENTRIES, SOURCES, reproject
from platform_server.db import allocate_seq, defer_numbering
from platform_server.deps import Principal
from platform_server.form_rules import FormContext, Rejection, check_field_names
from platform_server.models import Counter, Meta, MutationLog, Record
from platform_server.publication import note_for_publication, withdraw_for_deleted_form
from platform_server.records import (
    FieldStamps,
    Scope,
    delete_record,
    dumps,
    know_locked,
    loads,
    put_record,
    writes,
)
from platform_server.scopes import Viewer, can_see, can_write, visibility_filter
from platform_server.security import now
from sync.protocol import (
    FieldConflict,
    Mutation,
    MutationResult,
    MutationStatus,
    PushRequest,
    PushResponse,
    ReasonCode,
)

ENTITIES = "entities"

OUT_OF_SCOPE = (
    "无法修改该记录：平台上没有您有权修改的这条记录。它可能属于其他服务大厅或检查任务，"
    "也可能从未成功提交。请检查此前被拒绝的变更，如有疑问请联系管理员。"
)
"""One message whether the record exists elsewhere or not at all (ids must not be probed)."""


log = logging.getLogger("platform_server")

RETRY_ATTEMPTS = 8
"""How many times :func:`push_retrying` runs a batch that lost a race before giving up."""

_RETRYABLE = frozenset({"40P01", "40001", "23505"})
"""PostgreSQL SQLSTATEs of a lost race: deadlock, serialization failure, unique violation."""


def push_retrying(
    factory: sessionmaker[Session], principal: Principal, request: PushRequest
) -> PushResponse:
    """:func:`push` in its own transaction, run again when it lost a race with another push.

    The answer is returned only after the COMMIT succeeded. A rerun starts from scratch in a
    new transaction, so it sees what the winner committed (its record id, its mutation log
    entry) and answers from that: ``record_exists``, or ``duplicate`` for a resend.

    Args:
        factory: Write sessions.
        principal: The caller.
        request: The batch.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            with factory() as session, session.begin():
                return push(session, principal, request)
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code not in _RETRYABLE or attempt >= RETRY_ATTEMPTS:
                raise
            log.info(
                "a push of device %s lost a race (%s); running it again", request.device_id, code
            )
            time.sleep(0.005 * attempt)


def push(session: Session, principal: Principal, request: PushRequest) -> PushResponse:
    """Apply a batch of mutations from one device, in order.

    Args:
        session: A write transaction, committed by the caller.
        principal: The caller (its device must be ``request.device_id``; the route checks).
        request: The batch.

    Returns:
        One result per mutation, in request order.
    """
    if not defer_numbering(session):  # PostgreSQL numbers at commit; see the module doc
        allocate_seq(session, 0)  # SQLite: take the counter lock first, pushes apply one at a time
    ctx = FormContext(session, Viewer.of(principal))
    batch = _Batch.prefetch(session, request)
    ctx.entity_names.update(_entity_names(session, request))
    return PushResponse(results=[_one(ctx, batch, request.device_id, m) for m in request.mutations])


@dataclass
class _Batch:
    """What one query per batch told us, so each mutation skips its own look-ups.

    ``logs``: stored results of this device's mutation numbers in the batch (and those added
    while applying it). ``present``: keys of records that exist. ``rows`` keeps the
    prefetched records referenced, so they stay in the session's identity map and
    ``session.get`` answers them without a query. A key absent from ``present`` is known not
    to exist: a form's row would be locked otherwise, and a concurrent insert of the same key
    makes this batch's insert fail and the batch run again.
    """

    logs: dict[int, MutationLog]
    present: set[tuple[str, str]]
    rows: list[Record]

    @classmethod
    def prefetch(cls, session: Session, request: PushRequest) -> _Batch:
        seqs = {m.mutation_seq for m in request.mutations}
        keys = {(m.collection, m.record_id) for m in request.mutations}
        logs: dict[int, MutationLog] = {}
        present: set[tuple[str, str]] = set()
        rows: list[Record] = []
        if seqs:
            stmt = select(MutationLog).where(
                MutationLog.device_id == request.device_id, MutationLog.mutation_seq.in_(seqs)
            )
            logs = {row.mutation_seq: row for row in session.scalars(stmt)}
            # Forms the batch may write, and the credit entries rewritten with them, are read
            # locked; records of other collections are refused before any write: read only.
            writable = {k for k in keys if _client_owned(k[0])}
            locked = writable | {(ENTRIES, cr.entry_id(c, r)) for c, r in writable if c in SOURCES}
            # Key order: two batches locking overlapping records queue instead of deadlocking.
            lock = (
                select(Record)
                .where(tuple_(Record.collection, Record.record_id).in_(locked))
                .order_by(Record.collection, Record.record_id)
                .with_for_update()
            )
            rows = list(session.scalars(lock)) if locked else []
            found = {(r.collection, r.record_id) for r in rows}
            know_locked(session, found, locked - found)
            others = keys - writable
            if others:
                rows.extend(
                    session.scalars(
                        select(Record).where(
                            tuple_(Record.collection, Record.record_id).in_(others)
                        )
                    )
                )
            present = {(r.collection, r.record_id) for r in rows} & keys
        return cls(logs, present, rows)

    def record(self, session: Session, collection: str, record_id: str) -> Record | None:
        """The record under this key, without a query when the batch already knows."""
        if (collection, record_id) not in self.present:
            return None
        return session.get(Record, (collection, record_id))


def _entity_names(session: Session, request: PushRequest) -> dict[str, str | None]:
    """The registry's names of the entities the batch's forms name, in one query.

    Stamped on forms by :func:`platform_server.collections.stamp_platform_fields`; read, not
    locked (as that look-up always was), and without building a row object per entity.
    """
    codes = {
        value
        for m in request.mutations
        if isinstance(value := m.fields.get("uscc"), str) and len(value) <= 64
    }
    if not codes:
        return {}
    names: dict[str, str | None] = dict.fromkeys(codes)
    stmt = select(Record.record_id, Record.data).where(
        Record.collection == ENTITIES, Record.record_id.in_(codes), Record.deleted.is_(False)
    )
    for code, data in session.execute(stmt):
        name = loads(data).get("name")
        names[code] = name if isinstance(name, str) and name else None
    return names


def _client_owned(collection: str) -> bool:
    defn = DEFINITIONS.get(collection)
    return defn is not None and defn.owner is not Owner.PLATFORM


def _digest(m: Mutation) -> str:
    # The stdlib encoder accepts every value pydantic parsed (big ints, NaN), so even a
    # mutation rejected for such a value gets a stable digest.
    body = json.dumps(
        [m.collection, m.record_id, m.op, m.base_version, m.fields],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _one(ctx: FormContext, batch: _Batch, device_id: str, m: Mutation) -> MutationResult:
    session = ctx.session
    digest = _digest(m)
    logged = batch.logs.get(m.mutation_seq)
    if logged is not None:
        return _resend(logged, m, digest)
    defn = DEFINITIONS.get(m.collection)
    before = writes(session)
    guarded = defn is not None and (defn.after_create or defn.after_update) is not None
    try:
        if guarded:
            # A hook may refuse after the record was written: roll back only this mutation.
            with session.begin_nested():
                result = _apply(ctx, batch, m)
        else:
            # Every refusal comes before the first write: no SAVEPOINT (two round trips and
            # the session's snapshot bookkeeping per mutation) is needed.
            result = _apply(ctx, batch, m)
        batch.present.add((m.collection, m.record_id))
    except Rejection as rejection:
        if not guarded and writes(session) != before:
            raise RuntimeError(
                f"{m.collection}: refused after writing without a savepoint"
            ) from rejection
        result = _result(
            m,
            MutationStatus.REJECTED,
            reason=rejection.reason,
            message=rejection.message,
            **_current_state(ctx, batch, m),
        )
    stored = {"digest": digest, "result": result.model_dump(mode="json")}
    log_row = MutationLog(
        device_id=device_id, mutation_seq=m.mutation_seq, result=dumps(stored), at=now()
    )
    session.add(log_row)
    batch.logs[m.mutation_seq] = log_row  # a repeated mutation_seq later in this batch finds it
    return result


def _current_state(ctx: FormContext, batch: _Batch, m: Mutation) -> dict[str, Any]:
    """The record's current version (and fields) for a rejection, if the caller may see it.

    A client whose change was refused must be able to put its copy back in line with the
    platform: its pull cursor is usually past the record's last change already.
    """
    record = batch.record(ctx.session, m.collection, m.record_id)
    if record is None or not can_see(ctx.session, ctx.viewer, record):
        return {}
    if record.deleted:
        return {"version": record.version}
    return {"version": record.version, "server_fields": loads(record.data)}


def _resend(logged: MutationLog, m: Mutation, digest: str) -> MutationResult:
    stored = loads(logged.result)
    if stored.get("digest") != digest:
        # Answering "duplicate" here would drop a different change without a word.
        return _result(
            m,
            MutationStatus.REJECTED,
            reason=ReasonCode.BAD_REQUEST,
            message=(
                f"变更序号 {m.mutation_seq} 已用于另一条内容不同的变更，平台未处理本条。"
                "请勿修改已提交的变更；如本机数据曾被重置，请联系管理员。"
            ),
        )
    original = MutationResult.model_validate(stored["result"])
    return original.model_copy(
        update={"status": MutationStatus.DUPLICATE, "original": original.status}
    )


def _result(m: Mutation, status: MutationStatus, **kw: Any) -> MutationResult:
    return MutationResult(
        mutation_seq=m.mutation_seq,
        status=status,
        collection=m.collection,
        record_id=m.record_id,
        **kw,
    )


def _apply(ctx: FormContext, batch: _Batch, m: Mutation) -> MutationResult:
    defn = DEFINITIONS.get(m.collection)
    if defn is None:
        raise Rejection(
            ReasonCode.UNKNOWN_COLLECTION,
            f"平台没有名为“{m.collection[:64]}”的数据集合，请升级客户端后重试。",
        )
    if defn.owner is Owner.PLATFORM:
        raise Rejection(
            ReasonCode.READ_ONLY_COLLECTION,
            "该数据由平台统一维护（主体名录、名单、信用等级、事项目录、检查任务等），"
            "客户端不能修改。如发现有误，请通过异议渠道反映。",
        )
    check_field_names(m.fields)
    fields = {k: v for k, v in m.fields.items() if k not in defn.derived}
    if m.op == "create":
        return _create(ctx, batch, defn, m, fields)
    record = batch.record(ctx.session, m.collection, m.record_id)
    if record is None or not can_write(ctx.session, ctx.viewer, record):
        if record is None and ctx.viewer.sees_everything:
            raise Rejection(ReasonCode.RECORD_MISSING, "平台上没有这条记录，无法修改或删除。")
        raise Rejection(ReasonCode.FORBIDDEN, OUT_OF_SCOPE)
    if record.deleted:
        raise Rejection(ReasonCode.RECORD_DELETED, "该记录已被删除，不能再修改。")
    if m.base_version is None:
        raise Rejection(
            ReasonCode.BASE_VERSION_REQUIRED,
            "修改或删除须带上本机所依据的版本号（base_version），请升级客户端后重试。",
        )
    if m.base_version > record.version:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            f"所依据的版本 {m.base_version} 比平台上的版本 {record.version} 还新，"
            "请重新同步后再修改。",
        )
    if m.op == "delete":
        return _delete(ctx, m, defn, record)
    return _update(ctx, defn, m, record, fields)


def _create(
    ctx: FormContext, batch: _Batch, defn: CollectionDef, m: Mutation, fields: dict[str, Any]
) -> MutationResult:
    authorize_create(ctx, defn, fields)
    existing = batch.record(ctx.session, m.collection, m.record_id)
    if existing is not None and not _restores(ctx, m, existing):
        raise Rejection(
            ReasonCode.RECORD_EXISTS,
            "平台上已有相同编号的记录，本条未保存。请重新生成表单编号后再提交。",
        )
    stored = prepare(ctx, defn, fields, None)
    stamp_platform_fields(ctx, defn, stored)
    viewer = ctx.viewer
    scope = derive_scope(defn, viewer, stored)
    record = put_record(
        ctx.session,
        m.collection,
        m.record_id,
        stored,
        scope,
        user_id=viewer.user_id,
        device_id=viewer.device_id,
        replace=existing is not None,
        known_absent=existing is None,
        flush=False,
    )
    if defn.after_create is not None:
        defn.after_create(ctx, record, stored)
    new = existing is None
    note_for_publication(
        ctx.session, m.collection, m.record_id, stored, scope.region_code, new=new, record=record
    )
    reproject(ctx.session, m.collection, m.record_id, new=new, source=record)
    return _result(m, MutationStatus.APPLIED, version=record.version, server_fields=stored)


def _restores(ctx: FormContext, m: Mutation, existing: Record) -> bool:
    # Re-creating over a tombstone: the client saw this deletion (its version) and the
    # record was in its scope.
    return (
        existing.deleted
        and m.base_version == existing.version
        and can_write(ctx.session, ctx.viewer, existing)
    )


def _update(
    ctx: FormContext, defn: CollectionDef, m: Mutation, record: Record, fields: dict[str, Any]
) -> MutationResult:
    check_update_fields(defn, record, fields)
    base = m.base_version or 0
    device = ctx.viewer.device_id
    current: dict[str, Any] = loads(record.data)
    stamps = FieldStamps.parse(record.field_versions)
    conflicts: list[FieldConflict] = []
    applied: dict[str, Any] = {}
    for name, value in fields.items():
        server_value = current.get(name)
        if stamps.changed_by_others(name, base, device) and server_value != value:
            conflicts.append(
                FieldConflict(field=name, server_value=server_value, client_value=value)
            )
        else:
            applied[name] = value
    stored = prepare(ctx, defn, {**current, **applied}, current)
    if stored != current:
        # Replace, not merge: a derived field that no longer applies must disappear.
        record = put_record(
            ctx.session, m.collection, m.record_id, stored, Scope(), device_id=device, replace=True
        )
        if defn.after_update is not None:
            defn.after_update(ctx, record, stored, current)
        note_for_publication(ctx.session, m.collection, m.record_id, stored, record.region_code)
        reproject(ctx.session, m.collection, m.record_id)
    status = MutationStatus.CONFLICT if conflicts else MutationStatus.APPLIED
    message = (
        "部分字段在您修改期间已被他人更改，已保留平台上的值；请在“冲突”中逐项确认。"
        if conflicts
        else None
    )
    return _result(
        m,
        status,
        version=record.version,
        conflicts=conflicts,
        server_fields=stored,
        message=message,
    )


def _delete(ctx: FormContext, m: Mutation, defn: CollectionDef, record: Record) -> MutationResult:
    current: dict[str, Any] = loads(record.data)
    base = m.base_version or 0
    stamps = FieldStamps.parse(record.field_versions)
    changed = [
        FieldConflict(field=name, server_value=current.get(name), client_value=None)
        for name in sorted(stamps.versions)
        if name in current and stamps.changed_by_others(name, base, ctx.viewer.device_id)
    ]
    if changed:
        return _result(
            m,
            MutationStatus.CONFLICT,
            version=record.version,
            conflicts=changed,
            server_fields=current,
            message="该记录在您删除前已被他人修改，平台未删除。请查看最新内容后再决定是否删除。",
        )
    if defn.deletable is not None:
        defn.deletable(ctx, record, current)
    record = delete_record(ctx.session, record)
    withdraw_for_deleted_form(ctx.session, m.collection, m.record_id, record.updated_at)
    reproject(ctx.session, m.collection, m.record_id)
    return _result(m, MutationStatus.APPLIED, version=record.version)


# --- pull -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PullPage:
    """Where a pull starts: after ``after``; ``reset`` when the cursor could not be served."""

    after: int
    reset: bool


def encode_cursor(epoch: str, seq: int) -> str:
    """The opaque cursor: base64url (no padding) of ``{"e": epoch, "s": seq}``."""
    raw = orjson.dumps({"e": epoch, "s": seq})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[str, int] | None:
    """``(epoch, seq)`` of a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        return None
    if not isinstance(value, dict):
        return None
    epoch, seq = value.get("e"), value.get("s")
    if not isinstance(epoch, str) or isinstance(seq, bool) or not isinstance(seq, int):
        return None
    return epoch, seq


def position(session: Session) -> tuple[str, int, int]:
    """``(epoch, min_seq, head)``: what a cursor is checked against (:func:`resume_point`).

    ``head`` is the committed value of the change counter.
    """
    meta = dict(session.execute(select(Meta.key, Meta.value)).all())
    head = int(session.scalar(select(Counter.value).where(Counter.name == "change_seq")) or 0)
    return meta.get("epoch", ""), int(meta.get("min_seq") or 0), head


def resume_point(cursor: str | None, epoch: str, min_seq: int, head: int) -> PullPage:
    """Where to continue from ``cursor``; from the start with ``reset`` when it cannot be served.

    A cursor cannot be served when it is malformed, from another epoch (the database was
    rebuilt or restored), older than ``min_seq`` (compacted away), or ahead of ``head``
    (a restored database that forgot changes the client already has).

    Args:
        cursor: The client's cursor; None or empty for a first pull.
        epoch: ``meta.epoch``.
        min_seq: ``meta.min_seq``.
        head: The committed value of the change counter.
    """
    if not cursor:
        return PullPage(0, False)
    decoded = decode_cursor(cursor)
    if decoded is None:
        return PullPage(0, True)
    cursor_epoch, seq = decoded
    if cursor_epoch != epoch or seq < min_seq or seq < 0 or seq > head:
        return PullPage(0, True)
    return PullPage(seq, False)


def _json_text(column: Any, dialect: str) -> ColumnElement[str]:
    # A text column as a JSON string literal, quoted by the database.
    if dialect == "postgresql":
        return cast(func.to_json(column), Text)
    return func.json_quote(column)


def change_json(dialect: str) -> ColumnElement[str]:
    """SQL that renders a record row as the JSON of a :class:`sync.protocol.Change`.

    The database concatenates the stored canonical ``data`` text into the envelope, so a
    pull never parses a record or builds a Python object per field (a 300,000-entity pull
    spends its time on the wire, not in the interpreter).

    Args:
        dialect: ``postgresql`` or ``sqlite``.
    """

    def const(text: str) -> ColumnElement[str]:
        return literal_column("'" + text + "'", Text)  # constants only, never client data

    return (
        const('{"collection":')
        + _json_text(Record.collection, dialect)
        + const(',"record_id":')
        + _json_text(Record.record_id, dialect)
        + const(',"version":')
        + cast(Record.version, Text)
        + case(
            (Record.deleted, const(',"deleted":true,"fields":null}')),
            else_=const(',"deleted":false,"fields":') + Record.data + const("}"),
        )
    )


def pull(
    session: Session,
    principal: Principal,
    cursor: str | None,
    limit: int,
    snapshot: str | None = None,
) -> bytes:
    """One page of changes visible to ``principal`` after ``cursor``, as PullResponse JSON.

    Args:
        session: A read transaction.
        principal: The caller.
        cursor: The cursor from the previous page; None or empty for the start.
        limit: Page size.
        snapshot: The cursor of the snapshot the caller's store was made from: what it holds
            is left out (:func:`platform_server.snapshots.snapshot_filter`); ignored when
            it can no longer be served or the page starts over (``reset``).

    Returns:
        The UTF-8 JSON body of a :class:`sync.protocol.PullResponse`.
    """
    # The head is read before the page: everything numbered up to it is committed (module doc).
    epoch, min_seq, head = position(session)
    start = resume_point(cursor, epoch, min_seq, head)
    dialect = session.get_bind().dialect.name
    stmt = select(Record.seq, change_json(dialect)).where(
        Record.seq > start.after, Record.seq <= head
    )
    # Always walk the seq index in order: with stale statistics after a bulk load PostgreSQL
    # chose a bitmap scan that sorted every remaining row on each page (0.3 s a page).
    visible = visibility_filter(Viewer.of(principal), seq_scan=True)
    if visible is not None:
        stmt = stmt.where(visible)
    if snapshot and not start.reset:
        from platform_server.snapshots import snapshot_filter  # it imports this module

        held = snapshot_filter(snapshot, epoch, min_seq, head)
        if held is not None:
            stmt = stmt.where(held)
    result = session.connection().execute(stmt.order_by(Record.seq).limit(limit + 1))
    try:
        # Thousands of (int, text) rows need no type processing: take the driver's tuples.
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    has_more = len(rows) > limit
    if has_more:
        rows = rows[:limit]
        last = rows[-1][0]
    else:
        last = head
    tail = orjson.dumps(
        {"cursor": encode_cursor(epoch, last), "has_more": has_more, "reset": start.reset}
    ).decode()
    return ('{"changes":[' + ",".join([row[1] for row in rows]) + "]," + tail[1:]).encode()
