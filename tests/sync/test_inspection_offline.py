"""Offline inspection, end to end, against a REAL platform process through a proxy.

The acceptance of the issue, step by step: an inspector's laptop pulls its tasks (离线准备);
the network is cut at the proxy; a whole inspection with photos is recorded in a separate
client process, which is then killed with SIGKILL; the client restarts; the network comes
back; one sync — and the platform holds every form exactly once and every photo
byte-identical (SHA-256 of what it serves and of what it stores on disk). A second sync sends
nothing.

The profile uses a passphrase (as on a machine without a secure keyring), so the client
process opens the same encrypted store without sharing the test's in-memory keyring; only
the login tokens live in the keyring, and only this process (the one that syncs) needs them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import func, select

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import (
    AttachmentBlob,
    FormRecord,
    OutboxEntry,
    ReferenceRecord,
)
from desktop_app.store.outbox import UNSYNCED
from platform_server.blobstore import final_path
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity, TokenVault, login, restore_session
from sync.engine import SyncEngine
from sync.errors import Offline
from sync.offline_pack import prepare_offline
from sync.pull import stored_cursor
from sync.transport import Transport
from tests.sync.conftest import LiveServer
from tests.sync.faultproxy import FaultProxy, FaultRates
from tests.sync.helpers import server_count

INSPECTOR = "inspector.luzhou.1"  # the demo draw (潞州区) assigns tasks to this account
PASSPHRASE = "巡查笔记本-离线-2026"
CLIENT = Path(__file__).with_name("inspection_client.py")
ROOT = Path(__file__).resolve().parents[2]
PHOTOS = 3
DEADLINE_DAYS = 10
CLIENT_TIMEOUT_S = 90.0
FORM_COLLECTIONS = ("inspection_results", "findings", "warnings", "interviews")


# --- the pieces ------------------------------------------------------------------------------


def _upstream(server: LiveServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    assert parts.hostname == "127.0.0.1" and parts.port is not None
    return parts.hostname, parts.port


@contextlib.contextmanager
def _network_cut(proxy: FaultProxy) -> Iterator[None]:
    """Every request reaching the proxy is dropped unanswered and never forwarded."""
    proxy.rates = FaultRates(drop_before=1.0)
    proxy.faults = True
    try:
        yield
    finally:
        proxy.faults = False


def _create_passphrase_profile(paths: ProfilePaths) -> Store:
    """Make the profile as the unlock dialog does on a machine with no secure keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        unlocker = StoreUnlocker(paths)
        assert unlocker.mode().needs_passphrase
        return unlocker.unlock(PASSPHRASE)
    finally:
        keyring.set_keyring(previous)


def _open(paths: ProfilePaths) -> Store:
    return StoreUnlocker(paths).unlock(PASSPHRASE)


def _jpeg(seed: int, width: int = 360, height: int = 270) -> bytes:
    """A real JPEG (QImage of seeded noise, quality 95): a few hundred KB, distinct per seed."""
    raw = hashlib.shake_256(b"photo %d" % seed).digest(width * height * 3)
    image = QImage(raw, width, height, width * 3, QImage.Format.Format_RGB888).copy()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPEG", 95)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


@dataclass
class ClientProcess:
    """The on-site client process and the lines it printed so far."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None]

    def wait_for(self, prefix: str, timeout: float) -> dict[str, Any]:
        """The JSON after the first line starting with ``prefix``; fail on ``error`` or exit."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"client printed no {prefix!r} line in {timeout} s"
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, f"client exited: {self._stderr()}"
            assert not line.startswith("error"), f"{line}\n{self._stderr()}"
            if line.startswith(prefix + " "):
                value = json.loads(line.removeprefix(prefix + " "))
                assert isinstance(value, dict)
                return value

    def _stderr(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        assert self.proc.stderr is not None
        return self.proc.stderr.read()[-4000:] if self.proc.poll() is not None else "(running)"


def _start_client(profile: Path, photos: list[Path]) -> ClientProcess:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        INSP_PROFILE=str(profile),
        INSP_PASSPHRASE=PASSPHRASE,
        INSP_PHOTOS=os.pathsep.join(str(p) for p in photos),
        INSP_DEADLINE=str(DEADLINE_DAYS),
    )
    proc = subprocess.Popen(
        [sys.executable, str(CLIENT)],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    return ClientProcess(proc, lines)


def _local_snapshot(store: Store) -> dict[str, Any]:
    """What the laptop holds: caches, cursor, forms, outbox, attachment digests."""
    with store.read() as s:
        tasks = sorted(
            s.scalars(
                select(ReferenceRecord.record_id).where(
                    ReferenceRecord.collection == "inspection_tasks"
                )
            )
        )
        snapshot: dict[str, Any] = {
            "entities": EntityRepository(s).count(),
            "reference": int(s.scalar(select(func.count()).select_from(ReferenceRecord)) or 0),
            "tasks": tasks,
            "forms": {
                (f.collection, f.record_id): (f.version, f.dirty, f.deleted, f.data)
                for f in s.scalars(select(FormRecord))
            },
            "outbox": [
                (e.seq, e.collection, e.record_id, e.op, e.status)
                for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
            ],
            "blobs": sorted(s.scalars(select(AttachmentBlob.sha256))),
        }
    snapshot["cursor"] = stored_cursor(store)
    return snapshot


def _server_forms_of(server: LiveServer, device_id: str) -> dict[tuple[str, str], Any]:
    """``(collection, record_id) -> (version, deleted, data)`` of the device's records."""
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT collection, record_id, version, deleted, data FROM records "
            "WHERE created_by_device = ?",
            (device_id,),
        ).fetchall()
    finally:
        conn.close()
    return {(c, r): (v, bool(d), json.loads(data)) for c, r, v, d, data in rows}


def _mutations_of(server: LiveServer, device_id: str) -> int:
    return server_count(
        server.db_path, "SELECT count(*) FROM mutation_log WHERE device_id = ?", device_id
    )


class Laptop:
    """The inspector's desktop profile as the app runs it: store, transport, engine."""

    def __init__(self, proxy_url: str, profile: Path, store: Store) -> None:
        self.paths = ProfilePaths(profile)
        self.store = store
        self.vault = TokenVault(profile.name)
        self.transport = Transport(proxy_url, backoff_base=0.01, max_attempts=3)
        self.engine = SyncEngine(self.store, self.transport)

    @property
    def device_id(self) -> str:
        return DeviceIdentity.load_or_create(self.store).device_id

    def close(self) -> None:
        self.transport.close()
        self.store.close()


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(_upstream(live_server), FaultRates(), seed=2026, faults=False) as p:
        yield p


# --- the test ---------------------------------------------------------------------------------


def test_offline_inspection_with_photos_reaches_the_platform_exactly_once(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    profile = tmp_path / "inspector-laptop"

    # 1. At the office: log in through the proxy and prepare for offline work (离线准备).
    laptop = Laptop(proxy.url, profile, _create_passphrase_profile(ProfilePaths(profile)))
    try:
        login(laptop.store, laptop.transport, laptop.vault, INSPECTOR, DEMO_PASSWORD)
        pack = prepare_offline(laptop.engine, laptop.store, laptop.transport)
        assert pack.ready and pack.summary.tasks > 0, pack.summary
        device_id = laptop.device_id
        prepared = _local_snapshot(laptop.store)
        assert prepared["tasks"] and prepared["entities"] > 0 and prepared["cursor"]

        # 2. On the road: the network is cut. A sync fails as Offline and loses nothing.
        with _network_cut(proxy):
            dropped = proxy.injected["drop_before"]
            with pytest.raises(Offline):
                laptop.engine.sync()
            assert proxy.injected["drop_before"] > dropped  # it did try, and was cut off
        assert _local_snapshot(laptop.store) == prepared
    finally:
        laptop.close()  # the app quits; the on-site client opens the profile next
    assert _server_forms_of(live_server, device_id) == {}

    # 3. On site, offline: a separate client process records the whole inspection.
    photo_dir = tmp_path / "camera"
    photo_dir.mkdir()
    photos: list[Path] = []
    for i in range(PHOTOS):
        path = photo_dir / f"IMG_{2026_0318 + i}.jpg"
        path.write_bytes(_jpeg(i))
        photos.append(path)
    photo_sha = {hashlib.sha256(p.read_bytes()).hexdigest() for p in photos}
    assert len(photo_sha) == PHOTOS
    assert all(100_000 < p.stat().st_size < 1_000_000 for p in photos)

    with _network_cut(proxy):
        seen = proxy.requests
        client = _start_client(profile, photos)
        try:
            ready = client.wait_for("ready", CLIENT_TIMEOUT_S)
            committed = client.wait_for("committed", CLIENT_TIMEOUT_S)
        finally:
            # A crash right after the commit: nothing may depend on a clean exit.
            client.proc.send_signal(signal.SIGKILL)
            client.proc.communicate(timeout=30)
        assert client.proc.returncode == -signal.SIGKILL
        assert proxy.requests == seen, "recording on site must not use the network"
        assert ready["task_id"] in prepared["tasks"] and ready["items"] > 0
        assert committed["answers"] == ready["items"] and committed["photos"] == PHOTOS

        # 4. The client restarts (a new store, transport and engine, tokens from the keyring)
        # while still offline: the work is there, queued, and a sync attempt keeps it queued.
        laptop = Laptop(proxy.url, profile, _open(ProfilePaths(profile)))
        laptop.store.integrity_check()
        assert restore_session(laptop.store, laptop.transport, laptop.vault)
        assert laptop.device_id == device_id
        recorded = _local_snapshot(laptop.store)
        mine = {k: v for k, v in recorded["forms"].items() if k[0] in FORM_COLLECTIONS}
        result_key = ("inspection_results", committed["record_id"])
        assert result_key in mine
        assert any(c == "findings" for c, _ in mine), mine.keys()
        assert all(dirty and version is None for version, dirty, _d, _data in mine.values())
        pending = [e for e in recorded["outbox"] if e[4] == "pending"]
        assert {(c, r) for _seq, c, r, _op, _st in pending} == set(mine)
        assert photo_sha <= set(recorded["blobs"])
        result_fields = json.loads(mine[result_key][3])
        assert set(result_fields["attachments"]) == photo_sha
        assert result_fields["task_id"] == ready["task_id"]

        with pytest.raises(Offline):
            laptop.engine.sync()
        # The batch it tried stays queued (``sending`` is resent as is: same mutation seq).
        after = _local_snapshot(laptop.store)
        assert {e[4] for e in after["outbox"]} <= set(UNSYNCED), after["outbox"]
        assert [e[:4] for e in after["outbox"]] == [e[:4] for e in recorded["outbox"]]
        assert {**after, "outbox": None} == {**recorded, "outbox": None}
    assert _server_forms_of(live_server, device_id) == {}

    # 5. Back at the office: the network returns; one sync sends everything.
    try:
        report = laptop.engine.sync()
        assert report.rejected == 0 and report.conflicts == 0, report
        assert report.pushed == len(pending) and report.applied == len(pending), report
        assert report.blobs_uploaded == PHOTOS, report

        # 6. The platform holds every form exactly once, as the laptop now knows it.
        synced = _local_snapshot(laptop.store)
        assert {e[4] for e in synced["outbox"]} == {"applied"}
        on_server = _server_forms_of(live_server, device_id)
        assert set(on_server) == set(mine)
        for key, (version, deleted, data) in on_server.items():
            local_version, dirty, local_deleted, local_data = synced["forms"][key]
            assert (local_version, dirty, local_deleted) == (version, False, deleted), key
            assert json.loads(local_data) == data, key
        assert _mutations_of(live_server, device_id) == len(pending)
        db = live_server.db_path
        results_for_task = server_count(
            db,
            "SELECT count(*) FROM records WHERE collection = 'inspection_results' "
            "AND json_extract(data, '$.task_id') = ?",
            ready["task_id"],
        )
        findings_for_task = server_count(
            db,
            "SELECT count(*) FROM records WHERE collection = 'findings' "
            "AND json_extract(data, '$.task_id') = ?",
            ready["task_id"],
        )
        assert (results_for_task, findings_for_task) == (1, 1)
        result = on_server[result_key][2]
        assert result["task_id"] == ready["task_id"] and result["uscc"] == ready["uscc"]
        assert set(result["attachments"]) == photo_sha
        findings = [d for (c, _r), (_v, _x, d) in on_server.items() if c == "findings"]
        assert len(findings) == 1 and findings[0]["uscc"] == ready["uscc"]

        # 7. Every photo is byte-identical on the platform: on its disk and as it serves it.
        blob_dir = Path(live_server.env["CREDIT_PLATFORM_DATA"]) / "blobs"
        for sha in photo_sha:
            assert (
                server_count(db, "SELECT count(*) FROM blobs WHERE sha256 = ? AND complete", sha)
                == 1
            )
            stored = final_path(blob_dir, sha).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == sha
            served = laptop.transport.request(
                "GET", f"/v1/blobs/{sha}", headers={"Accept": "application/octet-stream"}
            ).content
            assert hashlib.sha256(served).hexdigest() == sha
            assert served == next(p.read_bytes() for p in photos if sha256_of(p) == sha)

        # 8. A second sync sends nothing and changes nothing on the platform.
        again = laptop.engine.sync()
        assert (again.pushed, again.blobs_uploaded, again.rejected) == (0, 0, 0), again
        assert _server_forms_of(live_server, device_id) == on_server
        assert _mutations_of(live_server, device_id) == len(pending)
        assert server_count(db, "SELECT count(*) FROM blobs WHERE sha256 IN (?, ?, ?)",
                            *sorted(photo_sha)) == PHOTOS  # fmt: skip
    finally:
        laptop.close()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
