"""SyncStatusService on a real encrypted store: conflicts, errors, history, resolution."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from desktop_app.services.sync_status import ConflictNotFoundError, SyncStatusService
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, OutboxEntry, SyncConflict, SyncErrorRecord


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _conflicted_form(store: Store, rid: str = "c-1") -> list[int]:
    with store.write() as s:
        s.add(
            FormRecord(
                collection="commitments",
                record_id=rid,
                version=3,
                data=json.dumps({"matter": "平台值", "text": "B", "kind": "notify"}),
                deleted=False,
                dirty=False,
            )
        )
        rows = [
            SyncConflict(
                collection="commitments",
                record_id=rid,
                field=field,
                local_value=json.dumps(local, ensure_ascii=False),
                server_value=json.dumps(server, ensure_ascii=False),
                base_version=1,
                server_version=3,
                created_at=_now(),
            )
            for field, local, server in (
                ("matter", "本机值", "平台值"),
                ("kind", "tolerance", "notify"),
            )
        ]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def test_empty_store_overview(store: Store) -> None:
    overview = SyncStatusService(store).overview()
    assert (overview.unsynced, overview.open_conflicts, overview.errors) == (0, 0, 0)
    assert overview.last_success is None
    assert SyncStatusService(store).history() == []


def test_conflicts_are_grouped_by_record_field_by_field(store: Store) -> None:
    _conflicted_form(store, "c-1")
    _conflicted_form(store, "c-2")
    service = SyncStatusService(store)
    groups = service.open_conflicts()
    assert [(g.collection, g.record_id) for g in groups] == [
        ("commitments", "c-1"),
        ("commitments", "c-2"),
    ]
    fields = groups[0].fields
    assert [(f.field, f.local_value, f.server_value) for f in fields] == [
        ("matter", "本机值", "平台值"),
        ("kind", "tolerance", "notify"),
    ]
    assert service.overview().open_conflicts == 2


def test_keep_local_queues_an_update_on_the_server_version_in_one_go(store: Store) -> None:
    ids = _conflicted_form(store)
    service = SyncStatusService(store)
    service.resolve(ids[0], "local")
    with store.read() as s:
        entries = list(s.scalars(select(OutboxEntry)))
        form = s.get(FormRecord, ("commitments", "c-1"))
        row = s.get(SyncConflict, ids[0])
    assert [(e.op, e.fields, e.base_version, e.status) for e in entries] == [
        ("update", {"matter": "本机值"}, 3, "pending")
    ]
    assert form is not None and form.dirty
    assert json.loads(form.data) == {"matter": "本机值", "text": "B", "kind": "notify"}
    assert row is not None and row.resolution == f"local:{entries[0].seq}" and row.resolved_at
    assert [f.field for f in service.open_conflicts()[0].fields] == ["kind"]
    assert service.overview().unsynced == 1
    with pytest.raises(ConflictNotFoundError):
        service.resolve(ids[0], "server")


def test_keep_server_only_marks_resolved(store: Store) -> None:
    _conflicted_form(store)
    service = SyncStatusService(store)
    assert service.resolve_record("commitments", "c-1", "server") == 2
    assert service.open_conflicts() == []
    with store.read() as s:
        assert list(s.scalars(select(OutboxEntry))) == []
        form = s.get(FormRecord, ("commitments", "c-1"))
    assert form is not None and not form.dirty and json.loads(form.data)["matter"] == "平台值"


def test_resolve_record_keep_local_writes_one_update_with_every_field(store: Store) -> None:
    _conflicted_form(store)
    SyncStatusService(store).resolve_record("commitments", "c-1", "local")
    with store.read() as s:
        entries = list(s.scalars(select(OutboxEntry)))
    assert [e.fields for e in entries] == [{"matter": "本机值", "kind": "tolerance"}]


def test_item_errors_keep_the_platform_reason(store: Store) -> None:
    with store.write() as s:
        s.add(
            SyncErrorRecord(
                outbox_seq=7,
                collection="commitments",
                record_id="c-9",
                reason="invalid_uscc",
                message="统一社会信用代码校验位错误",
                at=_now(),
            )
        )
    service = SyncStatusService(store)
    errors = service.item_errors()
    assert [(e.outbox_seq, e.reason, e.message) for e in errors] == [
        (7, "invalid_uscc", "统一社会信用代码校验位错误")
    ]
    assert service.overview().errors == 1


def test_history_and_last_success(store: Store) -> None:
    service = SyncStatusService(store)
    service.record_run(_now(), "failed", message="无法连接到平台")
    assert service.overview().last_success is None
    service.record_run(_now(), "ok", pushed=2, pulled=300)
    runs = service.history()
    assert [(r.outcome, r.pushed, r.pulled) for r in runs] == [("ok", 2, 300), ("failed", 0, 0)]
    assert runs[1].message == "无法连接到平台"
    assert service.overview().last_success is not None
