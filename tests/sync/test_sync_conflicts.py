"""Sync edge cases that used to diverge silently, against a REAL platform process.

Two window devices of one hall (A and B). Each case was seen in a three-client
fault-injecting run and fails on the code before its fix:

* a second queued edit (or a queued delete) re-based over a change another device made
  meanwhile overwrote it without a conflict;
* a conflict's 保留本地 offered a status change the platform refuses, and a refused choice
  was lost;
* a delete of a record the platform never accepted was pushed and came back as "no record
  you may modify";
* a delete conflict resolved with 保留本地 blanked the other clerk's record;
* a session another device's check-ins point at was deleted on the platform.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.education import ATTENDANCE, SESSIONS, EducationService, SessionDraft
from desktop_app.services.forms import LocalForms
from desktop_app.services.sync_status import ResolutionRefusedError, SyncStatusService
from desktop_app.store.models import FormRecord, OutboxEntry, SyncErrorRecord
from tests.sync.conftest import LiveServer
from tests.sync.helpers import create_form, edit_form, outbox_status, server_count
from tests.sync.test_engine import WINDOW_A, WINDOW_B, Device, commitment

ENTRANT = generate_uscc("9", "1", "140403", "00000731")


@pytest.fixture
def a(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "a", WINDOW_A)
    yield device
    device.close()


@pytest.fixture
def b(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "b", WINDOW_B)
    yield device
    device.close()


def _server(db: Path, collection: str, record_id: str) -> tuple[int, bool, dict[str, Any]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT version, deleted, data FROM records WHERE collection = ? AND record_id = ?",
            (collection, record_id),
        ).fetchone()
    finally:
        conn.close()
    assert row is not None, f"{collection}/{record_id} is not on the platform"
    return int(row[0]), bool(row[1]), json.loads(row[2])


def _form(device: Device, collection: str, record_id: str) -> FormRecord:
    with device.store.read() as s:
        form = s.get(FormRecord, (collection, record_id))
        assert form is not None
        s.expunge(form)
        return form


def _shared_commitment(a: Device, b: Device, **over: object) -> str:
    rid = f"c-{uuid.uuid4().hex}"
    create_form(a.store, "commitments", rid, commitment(**over))
    a.sync()
    b.sync()
    return rid


def _session(device: Device, title: str = "诚信经营第一课") -> str:
    return (
        EducationService(device.store, WINDOW_A)
        .create_session(SessionDraft(title=title, held_on="2026-11-27", place="三楼培训室"))
        .id
    )


# --- 1. a later queued edit is never re-based over a foreign change ---------------------------


def test_second_queued_edit_conflicts_on_the_field_another_device_changed(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b)
    first = edit_form(a.store, "commitments", rid, {"matter": "食品经营许可（延续）"})
    second = edit_form(a.store, "commitments", rid, {"text": "A 的补充说明"})
    edit_form(b.store, "commitments", rid, {"text": "B 的说明"})
    assert b.sync().applied == 1  # type: ignore[attr-defined]

    report = a.sync()

    assert (report.applied, report.conflicts) == (1, 1)  # type: ignore[attr-defined]
    assert outbox_status(a.store, first) == "applied"
    assert outbox_status(a.store, second) == "conflict"
    _version, _deleted, data = _server(live_server.db_path, "commitments", rid)
    assert data["text"] == "B 的说明"  # B's change stands: never overwritten
    assert data["matter"] == "食品经营许可（延续）"
    (record,) = SyncStatusService(a.store).open_conflicts()
    assert [(f.field, f.local_value, f.server_value) for f in record.fields] == [
        ("text", "A 的补充说明", "B 的说明")
    ]
    a.sync()
    assert json.loads(_form(a, "commitments", rid).data)["text"] == "B 的说明"


def test_queued_delete_after_an_edit_conflicts_when_another_device_changed_the_record(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b, status="draft")
    edit_form(a.store, "commitments", rid, {"matter": "药品经营许可"})
    with a.store.write() as s:
        LocalForms(s).delete("commitments", rid)
    edit_form(b.store, "commitments", rid, {"text": "B 补充的承诺内容"})
    b.sync()

    report = a.sync()

    assert report.conflicts == 1  # type: ignore[attr-defined]
    _version, deleted, data = _server(live_server.db_path, "commitments", rid)
    assert not deleted and data["text"] == "B 补充的承诺内容"
    (record,) = SyncStatusService(a.store).open_conflicts()
    assert record.kind == "local_deleted"
    assert not _form(a, "commitments", rid).deleted  # the platform's record is shown again


def test_repeated_own_edits_of_one_field_apply_beside_a_foreign_change_elsewhere(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b)
    edit_form(a.store, "commitments", rid, {"text": "第一稿"})
    edit_form(a.store, "commitments", rid, {"text": "第二稿"})
    edit_form(a.store, "commitments", rid, {"matter": "事项一", "text": "第三稿"})
    edit_form(b.store, "commitments", rid, {"note": "B 的备注"})
    b.sync()

    report = a.sync()

    assert (report.applied, report.conflicts) == (3, 0)  # type: ignore[attr-defined]
    _version, _deleted, data = _server(live_server.db_path, "commitments", rid)
    assert (data["text"], data["matter"], data["note"]) == ("第三稿", "事项一", "B 的备注")


# --- 2. only resolutions the platform accepts; a refused one reopens ----------------------------


def test_a_status_conflict_offers_only_what_the_state_machine_allows(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b)  # signed
    edit_form(a.store, "commitments", rid, {"status": "verified_false"})
    a.sync()
    edit_form(b.store, "commitments", rid, {"status": "verified_true"})
    assert b.sync().conflicts == 1  # type: ignore[attr-defined]

    status = SyncStatusService(b.store)
    (record,) = status.open_conflicts()
    assert record.choices == ("server",)
    assert "虚假承诺" in record.blocked and "核查属实" in record.blocked
    with pytest.raises(ResolutionRefusedError):
        status.resolve_record("commitments", rid, "local")
    with b.store.read() as s:
        queued = s.scalars(select(OutboxEntry).where(OutboxEntry.status == "pending")).all()
    assert queued == []  # nothing the platform would refuse was queued
    assert status.open_conflicts()[0].record_id == rid  # still open, the choice not lost
    assert status.resolve_record("commitments", rid, "server") == 1
    assert _server(live_server.db_path, "commitments", rid)[2]["status"] == "verified_false"


def test_a_refused_resolution_reopens_the_conflict_with_the_platform_reason(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    """仍然删除 a session: meanwhile someone checked in on another device."""
    sid = _session(a)
    a.sync()
    b.sync()
    EducationService(a.store, WINDOW_A).delete_session(sid)
    with b.store.write() as s:
        LocalForms(s).update(SESSIONS, sid, {"place": "二楼会议室"})
    b.sync()
    assert a.sync().conflicts == 1  # type: ignore[attr-defined]
    status = SyncStatusService(a.store)
    (record,) = status.open_conflicts()
    assert (record.kind, record.choices) == ("local_deleted", ("local", "server"))
    EducationService(b.store, WINDOW_B).check_in(sid, ENTRANT, "王五", entity_name="新主体")
    b.sync()

    status.resolve_record(SESSIONS, sid, "local")  # 仍然删除
    assert status.open_conflicts() == []
    report = a.sync()

    assert report.rejected == 1  # type: ignore[attr-defined]
    (reopened,) = status.open_conflicts()
    assert reopened.record_id == sid and reopened.kind == "local_deleted"
    assert "签到" in reopened.rejected
    # Now the device knows of the check-in: deleting is no longer offered.
    assert reopened.choices == ("server",) and "签到" in reopened.blocked
    assert not _form(a, SESSIONS, sid).deleted
    assert not _server(live_server.db_path, SESSIONS, sid)[1]


# --- 3. a record the platform never accepted is dropped without a push -------------------------


def test_removing_a_refused_check_in_pushes_nothing(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    sid = _session(a)
    a.sync()
    b.sync()
    EducationService(b.store, WINDOW_B).delete_session(sid)
    b.sync()
    education = EducationService(a.store, WINDOW_A)  # A has not heard of the deletion
    attendee = education.check_in(sid, ENTRANT, "王五", entity_name="新主体").attendee
    assert a.sync().rejected == 1  # type: ignore[attr-defined]
    with a.store.read() as s:
        errors_before = len(s.scalars(select(SyncErrorRecord)).all())

    education.remove_attendee(attendee.id)

    with a.store.read() as s:
        ops = [
            e.op for e in s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == attendee.id))
        ]
    assert ops == ["create"]
    assert a.sync().pushed == 0  # type: ignore[attr-defined]
    with a.store.read() as s:
        assert len(s.scalars(select(SyncErrorRecord)).all()) == errors_before
    assert _form(a, ATTENDANCE, attendee.id).deleted


def test_a_delete_queued_behind_a_refused_create_is_never_sent(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    sid = _session(a)
    a.sync()
    b.sync()
    EducationService(b.store, WINDOW_B).delete_session(sid)
    b.sync()
    education = EducationService(a.store, WINDOW_A)
    attendee = education.check_in(sid, ENTRANT, "赵六", entity_name="新主体").attendee
    education.remove_attendee(attendee.id)  # both queued: the create may still be accepted

    report = a.sync()

    assert report.rejected == 1  # type: ignore[attr-defined]  # only the create was pushed
    assert (
        server_count(
            live_server.db_path,
            "SELECT count(*) FROM mutation_log WHERE device_id = ?",
            a.device_id,
        )
        == 2  # the session's create, the check-in's create
    )
    with a.store.read() as s:
        errors = s.scalars(select(SyncErrorRecord)).all()
    assert [e.record_id for e in errors] == [attendee.id]
    assert "本服务大厅的这场诚信教育" in errors[0].message


# --- 4. delete conflicts: restore the whole record or accept the deletion ------------------------


def test_an_edit_of_a_record_deleted_elsewhere_can_restore_the_whole_local_record(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    sid = _session(a, "守信激励政策解读")
    a.sync()
    b.sync()
    with a.store.write() as s:
        LocalForms(s).update(SESSIONS, sid, {"place": "一楼大厅"})
    EducationService(b.store, WINDOW_B).delete_session(sid)
    b.sync()

    assert a.sync().conflicts == 1  # type: ignore[attr-defined]
    status = SyncStatusService(a.store)
    (record,) = status.open_conflicts()
    assert (record.kind, record.choices) == ("server_deleted", ("local", "server"))
    (whole,) = record.fields
    assert whole.server_value is None
    assert whole.local_value["title"] == "守信激励政策解读"
    assert whole.local_value["place"] == "一楼大厅"
    assert _form(a, SESSIONS, sid).deleted  # the platform's state is current

    status.resolve_record(SESSIONS, sid, "local")  # 恢复本地记录
    assert a.sync().applied == 1  # type: ignore[attr-defined]
    _version, deleted, data = _server(live_server.db_path, SESSIONS, sid)
    assert not deleted
    assert (data["title"], data["place"]) == ("守信激励政策解读", "一楼大厅")  # never blanks
    b.sync()
    assert not _form(b, SESSIONS, sid).deleted


def test_a_refused_restore_reopens_and_leaves_the_record_deleted(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    """恢复本地记录 of a check-in whose session another device deleted meanwhile."""
    sid = _session(a)
    attendee = (
        EducationService(a.store, WINDOW_A)
        .check_in(sid, ENTRANT, "孙八", entity_name="新主体")
        .attendee
    )
    a.sync()
    b.sync()
    with a.store.write() as s:
        LocalForms(s).update(ATTENDANCE, attendee.id, {"phone": "13812345678"})
    EducationService(b.store, WINDOW_B).remove_attendee(attendee.id)
    b.sync()
    assert a.sync().conflicts == 1  # type: ignore[attr-defined]
    status = SyncStatusService(a.store)
    assert status.open_conflicts()[0].choices == ("local", "server")
    EducationService(b.store, WINDOW_B).delete_session(sid)  # nobody is checked in any more
    b.sync()

    status.resolve_record(ATTENDANCE, attendee.id, "local")  # 恢复本地记录
    assert not _form(a, ATTENDANCE, attendee.id).deleted
    report = a.sync()

    assert report.rejected == 1  # type: ignore[attr-defined]
    (reopened,) = status.open_conflicts()
    assert reopened.kind == "server_deleted"
    assert "找不到本服务大厅的这场诚信教育" in reopened.rejected
    # The pull brought the session's deletion: restoring is no longer offered.
    assert reopened.choices == ("server",) and "培训场次已不存在" in reopened.blocked
    form = _form(a, ATTENDANCE, attendee.id)
    assert form.deleted and not form.dirty
    assert _server(live_server.db_path, ATTENDANCE, attendee.id)[1]


def test_accepting_a_deletion_keeps_the_record_deleted(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b, status="draft")
    edit_form(a.store, "commitments", rid, {"matter": "本机修改"})
    with b.store.write() as s:
        LocalForms(s).delete("commitments", rid)
    b.sync()
    a.sync()
    status = SyncStatusService(a.store)
    (record,) = status.open_conflicts()
    assert record.kind == "server_deleted"
    assert status.resolve_record("commitments", rid, "server") == 1  # 接受删除
    assert a.sync().pushed == 0  # type: ignore[attr-defined]
    assert _server(live_server.db_path, "commitments", rid)[1]
    assert _form(a, "commitments", rid).deleted


def test_a_local_delete_conflict_never_queues_a_blank_update(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    rid = _shared_commitment(a, b, status="draft")
    with a.store.write() as s:
        LocalForms(s).delete("commitments", rid)
    edit_form(b.store, "commitments", rid, {"text": "B 的承诺内容"})
    b.sync()
    a.sync()
    status = SyncStatusService(a.store)
    (record,) = status.open_conflicts()
    assert record.kind == "local_deleted"

    status.resolve_record("commitments", rid, "local")  # 仍然删除

    with a.store.read() as s:
        last = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc())).first()
    assert last is not None and (last.op, last.fields) == ("delete", {})
    assert a.sync().applied == 1  # type: ignore[attr-defined]
    assert _server(live_server.db_path, "commitments", rid)[1]


# --- 6. a session with check-ins is not deleted --------------------------------------------------


def test_deleting_a_session_with_check_ins_elsewhere_is_refused_and_restored(
    a: Device, b: Device, live_server: LiveServer
) -> None:
    sid = _session(a)
    a.sync()
    b.sync()
    EducationService(b.store, WINDOW_B).check_in(sid, ENTRANT, "钱七", entity_name="新主体")
    b.sync()
    EducationService(a.store, WINDOW_A).delete_session(sid)  # A has not pulled the check-in

    report = a.sync()

    assert report.rejected == 1  # type: ignore[attr-defined]
    with a.store.read() as s:
        (error,) = s.scalars(select(SyncErrorRecord)).all()
    assert error.reason == "record_in_use" and error.record_id == sid
    assert "1人签到" in error.message and "移除" in error.message
    assert not _server(live_server.db_path, SESSIONS, sid)[1]
    form = _form(a, SESSIONS, sid)
    assert not form.deleted and not form.dirty
    assert sid in [s.id for s in EducationService(a.store, WINDOW_A).sessions()]
