"""A window's first pull from a snapshot, against a REAL platform process and SQLCipher files.

The operator builds a snapshot with a hall-less window account (``sync.snapshot_build``) and
publishes it (``credit-platform publish-snapshot``). A new window device then downloads it,
takes it as its store and pulls only the rest: its hall's forms and what changed since. It
must end with exactly what a device that pulled page by page has, keep every local row it had
before, carry none of the builder's own data, and fall back to pages on a bad download.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

import sync.snapshot as snapshot_module
from desktop_app.store.database import Store
from desktop_app.store.drafts import DraftRepository
from desktop_app.store.entities import EntityRepository
from desktop_app.store.keys import new_random_key
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord, SyncState
from desktop_app.store.snapshot import (
    SnapshotRefusedError,
    device_tables,
    open_raw,
    strip_device_data,
)
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity
from sync.errors import Cancelled, Offline
from sync.protocol import SNAPSHOT_COLLECTIONS
from sync.protocol.digest import file_digest
from sync.pull import CURSOR_KEY
from sync.snapshot import MIB, SNAPSHOT_KEY, discard_partial, download, offered, partial_path
from sync.snapshot_build import BuildRefusedError, build_snapshot
from sync.transport import Transport
from tests.sync.conftest import LiveServer, fresh_postgres_database, running_platform
from tests.sync.faultproxy import FaultProxy, FaultRates
from tests.sync.helpers import create_form
from tests.sync.test_engine import CODE, WINDOW_A, WINDOW_B, Device, commitment

BUILDER = "snapshot.builder"
BUILDER_PASSWORD = "Kuai-Zhao-Sheng-Cheng-7391"
INSPECTOR = "inspector.luzhou.1"
PIECE = 64 * 1024  # bytes a read of the download, to cut it short after the first
WAIT_S = 30.0  # the most a save or an adoption of a tiny file may take


@contextmanager
def _platform(data: Path, backend: str) -> Iterator[LiveServer]:
    if backend == "sqlite":
        with running_platform(data) as server:
            yield server
        return
    with fresh_postgres_database() as url, running_platform(data, url) as server:
        yield server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A platform of its own (publishing a snapshot changes what every window is offered), on
    SQLite and on a fresh PostgreSQL database."""
    data = tmp_path_factory.mktemp(f"snapshot-{request.param}")
    with _platform(data, request.param) as server:
        made = server.cli(
            "create-user",
            BUILDER,
            "--role",
            "window",
            "--hall",
            "snapshot",
            "--password",
            BUILDER_PASSWORD,
        )
        assert made.returncode == 0, made.stderr
        yield server


@pytest.fixture(scope="module")
def work(platform: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The builder's own store, kept from one build to the next as an operator's would be."""
    return tmp_path_factory.mktemp("builder")


def registry(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The entities and reference records of ``store``, sorted, for comparison."""
    with store.read() as s:
        entities = sorted(
            s.execute(
                select(Entity.uscc, Entity.name, Entity.version, Entity.status, Entity.lists)
            ).all()
        )
        reference = sorted(
            s.execute(
                select(
                    ReferenceRecord.collection,
                    ReferenceRecord.record_id,
                    ReferenceRecord.version,
                    ReferenceRecord.deleted,
                    ReferenceRecord.data,
                )
            ).all()
        )
    return [tuple(r) for r in entities], [tuple(r) for r in reference]


def forms(store: Store) -> dict[str, int | None]:
    with store.read() as s:
        return {f"{r.collection}/{r.record_id}": r.version for r in s.scalars(select(FormRecord))}


def state(store: Store, key: str) -> str | None:
    with store.read() as s:
        row = s.get(SyncState, key)
        return row.value if row else None


def build_and_publish(platform: LiveServer, out: Path, work: Path) -> dict[str, Any]:
    with Transport(platform.url) as transport:
        build_snapshot(transport, BUILDER, BUILDER_PASSWORD, out, work)
    published = platform.cli("publish-snapshot", str(out))
    assert published.returncode == 0, published.stderr
    manifest: dict[str, Any] = json.loads((out / "snapshot.json").read_text("utf-8"))
    kept = sorted(
        p.name for p in (Path(platform.env["CREDIT_PLATFORM_DATA"]) / "snapshots").iterdir()
    )
    assert kept == [f"{manifest['sha256']}.db"], "an older snapshot file was left behind"
    return manifest


def test_a_new_window_takes_the_snapshot_and_ends_like_a_page_by_page_pull(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    colleague = Device(platform, tmp_path / "colleague", WINDOW_B)
    try:
        before = f"c-{uuid.uuid4().hex}"
        create_form(colleague.store, "commitments", before, commitment())
        colleague.sync()  # pushed, and everything pulled page by page

        manifest = build_and_publish(platform, tmp_path / "built", work)

        after = f"c-{uuid.uuid4().hex}"
        create_form(colleague.store, "commitments", after, commitment())
        colleague.sync()  # after the snapshot's cursor

        device = Device(platform, tmp_path / "new", WINDOW_A)
        try:
            identity = device.device_id
            mine = f"c-{uuid.uuid4().hex}"
            create_form(device.store, "commitments", mine, commitment())  # typed offline first
            report = device.sync()
            assert report.snapshot_entities == manifest["entities"]
            assert device.sync().snapshot_entities == 0
            phases = {e.phase for e in device.events}
            assert "snapshot" in phases, "the first pull did not take the snapshot"
            done = [e for e in device.events if e.phase == "snapshot"][-1]
            assert done.done == done.total == -(-manifest["size"] // MIB)
            assert done.bytes == manifest["size"]
            assert "snapshot_adopt" in phases
            assert registry(device.store) == registry(colleague.store)
            assert len(registry(device.store)[0]) == manifest["entities"] > 0
            got = forms(device.store)
            assert {f"commitments/{before}", f"commitments/{after}"} <= set(got)
            assert got[f"commitments/{mine}"] is not None, "the form typed offline was not pushed"
            assert DeviceIdentity.load_or_create(device.store).device_id == identity
            assert state(device.store, SNAPSHOT_KEY) is None, "the marker outlived the catch-up"
            assert state(device.store, CURSOR_KEY) is not None
            assert not list(device.store.path.parent.glob("*.snapshot*"))

            colleague.sync()
            assert forms(colleague.store)[f"commitments/{mine}"] is not None
        finally:
            device.close()
        # A restart opens the adopted file with the profile's own key.
        again = Device(platform, tmp_path / "new", WINDOW_A)
        try:
            assert again.device_id == identity
            assert registry(again.store) == registry(colleague.store)
            again.store.integrity_check()
        finally:
            again.close()
    finally:
        colleague.close()


def test_the_snapshot_file_holds_no_device_data(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    manifest = build_and_publish(platform, tmp_path / "built", work)
    conn = open_raw(tmp_path / "built" / "snapshot.db", bytes.fromhex(manifest["key"]))
    try:
        tables = device_tables(conn)
        assert {"sync_state", "audit_log", "outbox", "drafts", "form_records"} <= set(tables)
        for table in tables:
            rows = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert rows == 0, f"{table} carries the builder's rows"
        assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == manifest["entities"]
        # The audit log still refuses deletes: its guard was put back.
        guard = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        ).fetchone()[0]
        assert guard >= 2
    finally:
        conn.close()


def test_a_corrupt_download_is_dropped_and_the_pull_goes_page_by_page(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    manifest = build_and_publish(platform, tmp_path / "built", work)
    stored = Path(platform.env["CREDIT_PLATFORM_DATA"]) / "snapshots" / f"{manifest['sha256']}.db"
    original = stored.read_bytes()
    stored.write_bytes(original[:-1] + bytes([original[-1] ^ 0xFF]))
    try:
        device = Device(platform, tmp_path / "new", WINDOW_A)
        try:
            device.sync()
            assert any(e.phase == "snapshot" for e in device.events)
            assert len(registry(device.store)[0]) == manifest["entities"]
            assert state(device.store, SNAPSHOT_KEY) is None
            assert not list(device.store.path.parent.glob("*.snapshot*"))
            device.store.integrity_check()
        finally:
            device.close()
    finally:
        stored.write_bytes(original)


def test_a_download_cut_short_goes_on_from_where_it_stopped(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    build_and_publish(platform, tmp_path / "built", work)
    device = Device(platform, tmp_path / "new", WINDOW_A)
    try:
        info = offered(device.transport)
        assert info is not None
        part = partial_path(device.store)
        cancel = threading.Event()
        with pytest.raises(Cancelled):  # stopped after its first piece, as a cut would
            download(
                device.transport, info, part, cancel=cancel,
                emit=lambda _e: cancel.set(), chunk_bytes=PIECE,
            )  # fmt: skip
        kept = part.stat().st_size
        assert 0 < kept < info.size
        before = device.transport.bytes_in
        download(device.transport, info, part, cancel=threading.Event(), emit=lambda _e: None)
        assert device.transport.bytes_in - before == info.size - kept, "not resumed"
        assert file_digest(part) == (info.size, info.sha256)

        # Whole and tagged (a crash right after the download): checked, not downloaded again.
        before = device.transport.bytes_in
        download(device.transport, info, part, cancel=threading.Event(), emit=lambda _e: None)
        assert device.transport.bytes_in == before
        # Whole but changed (a crash while it was being re-encrypted): downloaded again.
        with part.open("r+b") as fh:
            fh.seek(100)
            fh.write(b"\xff" * 16)
        download(device.transport, info, part, cancel=threading.Event(), emit=lambda _e: None)
        assert device.transport.bytes_in - before == info.size
        assert file_digest(part) == (info.size, info.sha256)

        # A part of another snapshot is not resumed: the download starts over.
        Path(f"{part}.sha256").write_text("0" * 64, encoding="ascii")
        before = device.transport.bytes_in
        download(device.transport, info, part, cancel=threading.Event(), emit=lambda _e: None)
        assert device.transport.bytes_in - before == info.size
        assert file_digest(part) == (info.size, info.sha256)
        discard_partial(part)
    finally:
        device.close()


def test_a_connection_cut_mid_download_fails_the_run_and_the_next_run_resumes(
    platform: LiveServer, tmp_path: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "CHUNK_BYTES", PIECE)  # the demo file is 0.5 MB
    manifest = build_and_publish(platform, tmp_path / "built", work)
    host, port = urlsplit(platform.url).hostname, urlsplit(platform.url).port
    assert host is not None and port is not None
    with FaultProxy((host, port), FaultRates(), seed=18, faults=False) as proxy:
        device = Device(replace(platform, url=proxy.url), tmp_path / "new", WINDOW_A)
        try:
            proxy.force("cut", 1, "/v1/sync/snapshot/")  # half the file, then the line drops
            with pytest.raises(Offline):
                device.sync()
            part = partial_path(device.store)
            kept = part.stat().st_size
            assert 0 < kept < manifest["size"]
            assert state(device.store, CURSOR_KEY) is None  # nothing applied
            device.events.clear()
            device.sync()
            first = next(e for e in device.events if e.phase == "snapshot")
            assert first.bytes > kept, "the download began again from nothing"
            assert len(registry(device.store)[0]) == manifest["entities"]
            assert not list(part.parent.glob("*.snapshot*"))
        finally:
            device.close()


def test_only_windows_are_offered_the_snapshot(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    manifest = build_and_publish(platform, tmp_path / "built", work)
    inspector = Device(platform, tmp_path / "inspector", INSPECTOR)
    try:
        offer = inspector.transport.request("GET", "/sync/snapshot")
        assert offer.status_code == 204
        with pytest.raises(Exception, match="404"):
            inspector.transport.request("GET", f"/sync/snapshot/{manifest['sha256']}")
    finally:
        inspector.close()
    assert requests.get(f"{platform.url}/v1/sync/snapshot", timeout=10).status_code == 401


@pytest.mark.parametrize("keep_devices", [True, False], ids=["sessions-ended", "revoked"])
def test_the_builder_recovers_when_its_account_was_reset(
    platform: LiveServer, tmp_path: Path, work: Path, keep_devices: bool
) -> None:
    first = build_and_publish(platform, tmp_path / "first", work)
    reset = platform.cli(
        "create-user", BUILDER, "--role", "window", "--hall", "snapshot",
        "--password", BUILDER_PASSWORD, *(["--keep-devices"] if keep_devices else []),
    )  # fmt: skip
    assert reset.returncode == 0, reset.stderr  # sessions ended (and the device revoked)
    second = build_and_publish(platform, tmp_path / "second", work)
    assert second["entities"] == first["entities"] > 0


def test_the_builder_refuses_an_account_that_is_not_a_window(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    with Transport(platform.url) as transport, pytest.raises(BuildRefusedError, match="窗口账户"):
        build_snapshot(transport, INSPECTOR, DEMO_PASSWORD, tmp_path / "built", tmp_path / "w")


def test_publish_refuses_a_file_that_is_not_the_manifests(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    out = tmp_path / "built"
    with Transport(platform.url) as transport:
        build_snapshot(transport, BUILDER, BUILDER_PASSWORD, out, work)
    with (out / "snapshot.db").open("ab") as fh:
        fh.write(b"\0")
    refused = platform.cli("publish-snapshot", str(out))
    assert refused.returncode == 2
    assert "与清单不符" in refused.stderr


def test_a_store_that_has_pulled_is_never_replaced(
    platform: LiveServer, tmp_path: Path, work: Path
) -> None:
    manifest = build_and_publish(platform, tmp_path / "built", work)
    device = Device(platform, tmp_path / "pulled", WINDOW_A)
    try:
        device.sync()
        before = registry(device.store)
        part = tmp_path / "copy.snapshot"
        part.write_bytes((tmp_path / "built" / "snapshot.db").read_bytes())
        with pytest.raises(SnapshotRefusedError):
            device.store.adopt_snapshot(part, bytes.fromhex(manifest["key"]), {})
        assert not part.exists()
        assert registry(device.store) == before
    finally:
        device.close()


def test_a_snapshot_under_another_key_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db", new_random_key())
    try:
        other = tmp_path / "other.db"
        Store.open(other, new_random_key()).close()
        with pytest.raises(SnapshotRefusedError, match="密钥"):
            store.adopt_snapshot(other, new_random_key(), {})
        assert not other.exists()
        with store.read() as s:
            assert s.scalars(select(Entity)).first() is None
    finally:
        store.close()


def test_what_every_window_sees_alike_is_what_a_snapshot_covers() -> None:
    from platform_server import scopes

    assert scopes.WINDOW_REGISTRY | scopes.REFERENCE == SNAPSHOT_COLLECTIONS


def _local_snapshot(folder: Path, uscc: str) -> tuple[Path, bytes]:
    """A snapshot file made without a platform: a store with one entity, device data emptied."""
    key = new_random_key()
    path = folder / "made.snapshot"
    made = Store.open(path, key)
    try:
        with made.write() as s:
            EntityRepository(s).upsert_many([{"uscc": uscc, "name": "长治市快照测试有限公司"}])
            DraftRepository(s).put("builder.draft", "builder", "{}", datetime(2026, 12, 4))
    finally:
        made.close()
    strip_device_data(path, key)
    return path, key


def test_a_session_open_during_the_adoption_is_waited_for_and_kept(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db", new_random_key())
    try:
        snapshot, key = _local_snapshot(tmp_path, CODE)
        inside, release = threading.Event(), threading.Event()

        def typing() -> None:  # a save on the database worker, in progress
            with store.write() as s:
                inside.set()
                release.wait(WAIT_S)
                DraftRepository(s).put("commitment.new", "承诺书", '{"a": 1}', datetime.now())

        saver = threading.Thread(target=typing)
        saver.start()
        assert inside.wait(WAIT_S)
        adopting = threading.Thread(target=store.adopt_snapshot, args=(snapshot, key, {"m": "1"}))
        adopting.start()
        adopting.join(0.3)
        assert adopting.is_alive(), "the file was replaced under an open session"
        release.set()
        saver.join(WAIT_S)
        adopting.join(WAIT_S)
        assert not adopting.is_alive()
        with store.read() as s:
            assert DraftRepository(s).get("commitment.new") is not None, "the save was lost"
            assert DraftRepository(s).get("builder.draft") is None
            assert EntityRepository(s).get_by_uscc(CODE) is not None
            assert s.get(SyncState, "m") is not None
    finally:
        store.close()


def test_adopting_from_inside_a_session_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db", new_random_key())
    try:
        snapshot, key = _local_snapshot(tmp_path, CODE)
        with store.read(), pytest.raises(RuntimeError, match="inside a session"):
            store.adopt_snapshot(snapshot, key, {})
        assert not snapshot.exists()
        with store.read() as s:
            assert EntityRepository(s).get_by_uscc(CODE) is None
    finally:
        store.close()
