"""离线准备 against a REAL platform process, as a demo inspector with drawn tasks."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.offline import ROLE_KEY, OfflineService
from desktop_app.store.attachments import Attachments
from desktop_app.store.models import AttachmentBlob, FormRecord
from desktop_app.store.outbox import SyncStateRepo
from platform_server.demo_catalog import DEMO_CHECKLIST
from sync.engine import SyncEngine
from sync.errors import Offline
from sync.offline_pack import prepare_offline
from sync.transport import Transport
from tests.sync.conftest import LiveServer, _free_port
from tests.sync.helpers import create_form, server_count
from tests.sync.test_engine import Device

INSPECTOR = "inspector.luzhou.1"

_USER = "(SELECT id FROM users WHERE username = ?)"


def _prepare(device: Device) -> object:
    return prepare_offline(
        device.engine, device.store, device.transport, on_event=device.events.append
    )


@pytest.fixture
def inspector(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "insp", INSPECTOR)
    yield device
    device.close()


def test_prepare_makes_an_inspector_ready_with_the_server_counts(
    inspector: Device, live_server: LiveServer
) -> None:
    db = live_server.db_path
    tasks = server_count(
        db,
        f"SELECT count(DISTINCT task_id) FROM task_assignments WHERE user_id = {_USER}",
        INSPECTOR,
    )
    entities = server_count(
        db,
        f"SELECT count(DISTINCT entity_uscc) FROM task_assignments WHERE user_id = {_USER}",
        INSPECTOR,
    )
    results = server_count(
        db,
        "SELECT count(*) FROM records WHERE collection = 'inspection_results' AND NOT deleted "
        f"AND entity_uscc IN (SELECT entity_uscc FROM task_assignments WHERE user_id = {_USER})",
        INSPECTOR,
    )
    assert tasks > 0, "the demo draw gives this inspector tasks"

    pack = _prepare(inspector)

    with inspector.store.read() as s:
        assert SyncStateRepo(s).get(ROLE_KEY) == "inspector"  # stored at login
    summary = pack.summary  # type: ignore[attr-defined]
    assert pack.ready  # type: ignore[attr-defined]
    assert summary.tasks == tasks
    assert summary.entities_present == entities and summary.entities_missing == ()
    assert summary.checklists_present == 1 and summary.checklists_missing == ()
    assert summary.earlier_results == results
    assert summary.blobs_missing == ()
    assert summary.prepared_at is not None
    assert "download" in [e.phase for e in inspector.events]
    assert OfflineService(inspector.store).summary() == summary
    assert DEMO_CHECKLIST not in summary.checklists_missing


def test_attachments_of_earlier_results_are_downloaded_into_the_store(
    inspector: Device, live_server: LiveServer, tmp_path: Path
) -> None:
    _prepare(inspector)
    task = json.loads(_task_data(inspector)[0])  # a cached task of this inspector
    photo = b"\x89PNG offline pack " + uuid.uuid4().bytes
    sha = hashlib.sha256(photo).hexdigest()
    with inspector.store.write() as s:
        Attachments(s).add(photo, "现场.png", "image/png", "inspection_results", "x")
    fields = {
        "task_id": task["_id"],
        "uscc": task["uscc"],
        "inspected_on": "2026-03-18",
        "conclusion": "未发现问题",
        "attachments": [sha],
    }
    create_form(inspector.store, "inspection_results", f"ir-{uuid.uuid4().hex}", fields)
    report = inspector.sync()
    assert report.applied == 1  # type: ignore[attr-defined]

    # A second laptop of the same inspector: the result arrives by pull, its photo by download.
    laptop = Device(live_server, tmp_path / "laptop", INSPECTOR)
    try:
        pack = _prepare(laptop)
        assert sha in pack.downloaded  # type: ignore[attr-defined]
        assert pack.ready  # type: ignore[attr-defined]
        assert pack.summary.blobs_present >= 1  # type: ignore[attr-defined]
        with laptop.store.read() as s:
            blob = s.get(AttachmentBlob, sha)
            assert blob is not None and blob.content == photo

        # A cited blob the platform does not hold is listed, not fatal, and keeps it not ready.
        ghost = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
        with laptop.store.write() as s:
            s.add(
                FormRecord(
                    collection="findings",
                    record_id=f"f-{uuid.uuid4().hex}",
                    version=1,
                    data=json.dumps({"attachments": [ghost]}),
                    deleted=False,
                    dirty=False,
                )
            )
        pack = _prepare(laptop)
        assert [sha for sha, _why in pack.refused] == [ghost]  # type: ignore[attr-defined]
        assert not pack.ready  # type: ignore[attr-defined]
        assert pack.summary.blobs_missing == (ghost,)  # type: ignore[attr-defined]
    finally:
        laptop.close()


def _task_data(device: Device) -> list[str]:
    from sqlalchemy import select

    from desktop_app.store.models import ReferenceRecord

    with device.store.read() as s:
        rows = s.execute(
            select(ReferenceRecord.record_id, ReferenceRecord.data).where(
                ReferenceRecord.collection == "inspection_tasks"
            )
        ).all()
    return [json.dumps({**json.loads(data), "_id": rid}) for rid, data in rows]


def test_summary_is_computed_from_the_store_with_the_network_gone(
    inspector: Device,
) -> None:
    before = _prepare(inspector).summary  # type: ignore[attr-defined]
    inspector.transport.close()
    dead = Transport(f"http://127.0.0.1:{_free_port()}", max_attempts=1)
    dead.set_tokens("x", "a", "r")
    try:
        with pytest.raises(Offline):
            prepare_offline(SyncEngine(inspector.store, dead), inspector.store, dead)
    finally:
        dead.close()
    after = OfflineService(inspector.store).summary()
    assert after == before and after.ready
