"""The sync engine against a REAL platform process: pull, push once, conflicts, errors, revoke."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.config import ProfilePaths
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.attachments import Attachments
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository, search_index_stale
from desktop_app.store.models import (
    FormRecord,
    OutboxEntry,
    ReferenceRecord,
    SyncConflict,
    SyncErrorRecord,
    SyncState,
)
from desktop_app.store.outbox import Outbox
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity, TokenVault, login
from sync.engine import SyncEngine
from sync.errors import Cancelled, DeviceRevoked
from sync.events import SyncEvent
from sync.pull import stored_cursor
from sync.transport import Transport
from tests.sync.conftest import LiveServer
from tests.sync.helpers import create_form, edit_form, outbox_status, server_count

WINDOW_A = "window.luzhou.1"
WINDOW_B = "window.luzhou.2"  # same hall (潞州区) as WINDOW_A
CODE = generate_uscc("9", "1", "140403", "00000731")


def commitment(code: str = CODE, **over: object) -> dict[str, object]:
    return {
        "uscc": code,
        "kind": "notify",
        "status": "signed",
        "matter": "食品经营许可",
        "signed_on": "2026-03-18",
        **over,
    }


class Device:
    """One desktop profile: its own encrypted store, transport and engine, logged in."""

    def __init__(self, server: LiveServer, folder: Path, username: str, **engine_kw: int) -> None:
        self.store = StoreUnlocker(ProfilePaths(folder)).unlock()
        self.transport = Transport(server.url, backoff_base=0.01, max_attempts=3)
        self.events: list[SyncEvent] = []
        login(
            self.store,
            self.transport,
            TokenVault(folder.name),
            username,
            DEMO_PASSWORD,
            device_name="测试笔记本",
            on_event=self.events.append,
        )
        self.engine = SyncEngine(self.store, self.transport, **engine_kw)
        self.device_id = DeviceIdentity.load_or_create(self.store).device_id

    def sync(self, cancel: threading.Event | None = None) -> object:
        return self.engine.sync(cancel=cancel, on_event=self.events.append)

    def close(self) -> None:
        self.transport.close()
        self.store.close()


@pytest.fixture
def device_a(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "a", WINDOW_A)
    yield device
    device.close()


@pytest.fixture
def device_b(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "b", WINDOW_B)
    yield device
    device.close()


def _count(store: Store, model: type, *where: object) -> int:
    with store.read() as s:
        stmt = select(func.count()).select_from(model)
        for w in where:
            stmt = stmt.where(w)  # type: ignore[arg-type]
        return int(s.scalar(stmt) or 0)


def test_login_keeps_tokens_in_the_keyring_and_the_key_in_the_store(
    device_a: Device, memory_keyring: object
) -> None:
    secrets = memory_keyring.secrets  # type: ignore[attr-defined]
    stored = json.loads(secrets[("credit-desk", "tokens:a")])
    assert set(stored) == {"access", "refresh"}
    assert [e.phase for e in device_a.events] == ["login"]
    with device_a.store.read() as s:
        values = {r.key: r.value for r in s.scalars(select(SyncState))}
    assert values["device_id"] == device_a.device_id
    assert stored["access"] not in json.dumps(values)
    # The database file never holds the token in plaintext either (it is encrypted anyway).
    assert stored["access"].encode() not in device_a.store.path.read_bytes()


def test_initial_pull_fills_entity_cache_and_reference_records(device_a: Device) -> None:
    report = device_a.sync()
    assert report.pulled > 300 and report.pages >= 1  # type: ignore[attr-defined]
    with device_a.store.read() as s:
        assert EntityRepository(s).count() == 300

        def held(collection: str) -> int:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(ReferenceRecord)
                    .where(ReferenceRecord.collection == collection)
                )
                or 0
            )

        grades, catalog, public = (
            held("credit_grades"),
            held("commitment_catalog"),
            held("credit_entries"),
        )
    # A window never holds risk classes; it holds the city-wide public credit record.
    assert grades == 0 and catalog and public
    assert stored_cursor(device_a.store) is not None
    phases = [e.phase for e in device_a.events]
    assert phases[0] == "login" and "pull" in phases and phases[-1] == "done"
    again = device_a.sync()
    assert again.pulled == 0  # type: ignore[attr-defined]


def test_commitment_reaches_the_platform_exactly_once_even_when_resent(
    device_a: Device, live_server: LiveServer
) -> None:
    rid = f"c-{uuid.uuid4().hex}"
    seq = create_form(device_a.store, "commitments", rid, commitment())
    first = device_a.sync()
    assert first.applied == 1 and first.duplicates == 0  # type: ignore[attr-defined]
    assert outbox_status(device_a.store, seq) == "applied"
    with device_a.store.read() as s:
        form = s.get(FormRecord, ("commitments", rid))
        assert form is not None and form.version == 1 and not form.dirty
        assert json.loads(form.data)["hall_id"] == "hall-140403"  # the platform's fields
    # The answer was "lost": the entry goes back to pending and is sent again.
    with device_a.store.write() as s:
        entry = s.get(OutboxEntry, seq)
        assert entry is not None
        entry.status = "pending"
    second = device_a.sync()
    assert second.duplicates == 1 and second.applied == 1  # type: ignore[attr-defined]
    assert outbox_status(device_a.store, seq) == "applied"
    db = live_server.db_path
    assert server_count(db, "SELECT count(*) FROM records WHERE record_id = ?", rid) == 1
    assert (
        server_count(
            db, "SELECT count(*) FROM mutation_log WHERE device_id = ?", device_a.device_id
        )
        == 1
    )


def test_overlapping_edit_from_another_device_becomes_a_conflict_row(
    device_a: Device, device_b: Device
) -> None:
    rid = f"c-{uuid.uuid4().hex}"
    create_form(device_a.store, "commitments", rid, commitment())
    device_a.sync()
    device_b.sync()  # B now holds the form at version 1
    with device_b.store.read() as s:
        form_b = s.get(FormRecord, ("commitments", rid))
        assert form_b is not None and form_b.version == 1 and not form_b.dirty

    edit_form(device_a.store, "commitments", rid, {"matter": "食品经营许可（延续）"})
    assert device_a.sync().applied == 1  # type: ignore[attr-defined]
    seq = edit_form(device_b.store, "commitments", rid, {"matter": "药品经营许可", "text": "B"})
    report = device_b.sync()

    assert report.conflicts == 1  # type: ignore[attr-defined]
    assert outbox_status(device_b.store, seq) == "conflict"
    with device_b.store.read() as s:
        rows = list(s.scalars(select(SyncConflict)))
        form_b = s.get(FormRecord, ("commitments", rid))
    assert [(c.field, json.loads(c.local_value), json.loads(c.server_value)) for c in rows] == [
        ("matter", "药品经营许可", "食品经营许可（延续）")
    ]
    assert rows[0].base_version == 1 and rows[0].server_version == 3
    # The server value stays current; the non-overlapping field was merged, not lost.
    assert form_b is not None
    data = json.loads(form_b.data)
    assert data["matter"] == "食品经营许可（延续）" and data["text"] == "B"
    assert form_b.version == 3 and not form_b.dirty


def test_rejected_mutation_is_recorded_and_does_not_block_the_next(device_a: Device) -> None:
    bad = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    bad_seq = create_form(device_a.store, "commitments", f"c-{uuid.uuid4().hex}", commitment(bad))
    good_seq = create_form(device_a.store, "commitments", f"c-{uuid.uuid4().hex}", commitment())
    report = device_a.sync()
    assert (report.rejected, report.applied) == (1, 1)  # type: ignore[attr-defined]
    assert outbox_status(device_a.store, bad_seq) == "rejected"
    assert outbox_status(device_a.store, good_seq) == "applied"
    with device_a.store.read() as s:
        errors = list(s.scalars(select(SyncErrorRecord)))
    assert [(e.outbox_seq, e.reason) for e in errors] == [(bad_seq, "invalid_uscc")]
    assert errors[0].message  # the platform's Chinese message, for the user
    # Nothing is retried forever: the next sync has nothing to push.
    assert device_a.sync().pushed == 0  # type: ignore[attr-defined]


def test_attachment_is_uploaded_before_the_form_that_cites_it(
    device_a: Device, live_server: LiveServer
) -> None:
    content = b"signed letter scan " * 4000
    sha = hashlib.sha256(content).hexdigest()
    rid = f"c-{uuid.uuid4().hex}"
    with device_a.store.write() as s:
        Attachments(s).add(content, "letter.jpg", "image/jpeg", "commitments", rid)
    seq = create_form(device_a.store, "commitments", rid, commitment(attachments=[sha]))
    report = device_a.sync()
    assert report.blobs_uploaded == 1 and report.applied == 1  # type: ignore[attr-defined]
    assert outbox_status(device_a.store, seq) == "applied"
    status = device_a.transport.request("GET", f"/blobs/{sha}/status").json()
    assert status["complete"] and status["size"] == len(content)
    assert "blobs" in [e.phase for e in device_a.events]


def test_cancel_mid_pull_then_resume_gets_everything_exactly_once(
    live_server: LiveServer, tmp_path: Path
) -> None:
    reference = Device(live_server, tmp_path / "ref", WINDOW_A)
    device = Device(live_server, tmp_path / "c", WINDOW_A, pull_limit=100)
    try:
        expected = reference.sync().pulled  # type: ignore[attr-defined]
        cancel = threading.Event()

        def on_event(event: SyncEvent) -> None:
            if event.phase == "pull" and event.done >= 200:
                cancel.set()

        with pytest.raises(Cancelled) as info:
            device.engine.sync(cancel=cancel, on_event=on_event)
        assert "中断处继续" in info.value.user_message
        with device.store.read() as s:
            cached = EntityRepository(s).count()
        assert 0 < cached < 300 and stored_cursor(device.store) is not None
        rest = device.sync().pulled  # type: ignore[attr-defined]
        assert rest == expected - 200
        with device.store.read() as s:
            assert EntityRepository(s).count() == 300
        assert _count(device.store, ReferenceRecord) == _count(reference.store, ReferenceRecord)
    finally:
        reference.close()
        device.close()


def test_revoked_device_raises_device_revoked(device_a: Device, live_server: LiveServer) -> None:
    device_a.sync()
    create_form(device_a.store, "commitments", f"c-{uuid.uuid4().hex}", commitment())
    done = live_server.cli("revoke-device", device_a.device_id)
    assert done.returncode == 0, done.stderr
    with pytest.raises(DeviceRevoked) as info:
        device_a.sync()
    assert "注销" in info.value.user_message and info.value.code == "device_revoked"
    # Unsynced work is untouched: wiping is the UI's decision, not the engine's.
    with device_a.store.read() as s:
        assert Outbox(s).unsynced_count() == 1


def test_offline_create_then_edit_are_both_applied_without_a_self_conflict(
    device_a: Device,
) -> None:
    rid = f"c-{uuid.uuid4().hex}"
    first = create_form(device_a.store, "commitments", rid, commitment())
    second = edit_form(device_a.store, "commitments", rid, {"text": "补充说明"})
    report = device_a.sync()
    assert (report.applied, report.conflicts, report.rejected) == (2, 0, 0)  # type: ignore[attr-defined]
    assert (
        outbox_status(device_a.store, first) == outbox_status(device_a.store, second) == "applied"
    )
    with device_a.store.read() as s:
        form = s.get(FormRecord, ("commitments", rid))
    assert form is not None and form.version == 2 and not form.dirty
    assert json.loads(form.data)["text"] == "补充说明"


def test_cancelled_first_pull_leaves_search_stale_and_the_next_sync_rebuilds_it(
    live_server: LiveServer, tmp_path: Path
) -> None:
    device = Device(live_server, tmp_path / "s", WINDOW_A, pull_limit=100)
    try:
        cancel = threading.Event()

        def on_event(event: SyncEvent) -> None:
            if event.phase == "pull" and event.done >= 200:
                cancel.set()

        with pytest.raises(Cancelled):
            device.engine.sync(cancel=cancel, on_event=on_event)
        with device.store.read() as s:
            assert search_index_stale(s)
            repo = EntityRepository(s)
            first = repo.get_many([1])[0]
            # Name search keeps working while the index is suspended (a table scan).
            assert first.id in repo.search_name(first.name[-4:]).ids
            assert first.id in repo.search_name(first.name[-1]).ids
        device.sync()
        with device.store.read() as s:
            assert not search_index_stale(s)
            repo = EntityRepository(s)
            assert repo.count() == 300
            last = max(repo.get_many(list(range(1, 400))), key=lambda e: e.id)
            # Served by the rebuilt FTS index and name index again.
            assert last.id in repo.search_name(last.name[-4:]).ids
            assert last.id in repo.search_name(last.name[-2:]).ids
            triggers = s.connection().exec_driver_sql(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'entities_fts_%'"
            )
            assert triggers.scalar() == 3
    finally:
        device.close()
