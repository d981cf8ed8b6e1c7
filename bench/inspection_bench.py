"""Inspection benchmark: one inspection with 20 photos of 5 MB each syncs over loopback.

Run: ``.venv/bin/python bench/inspection_bench.py [--photos 20] [--photo-mb 5]``.

The platform is the real ``credit-platform serve`` process on loopback with an SQLite
database (``seed-demo --entities 300``: its draw gives the demo inspectors tasks). The client
is the real stack: a fresh SQLCipher :class:`~desktop_app.store.database.Store`, a
:class:`~sync.transport.Transport` logged in as ``inspector.luzhou.1``, 离线准备
(:func:`sync.offline_pack.prepare_offline`) to pull the tasks, then
:class:`~desktop_app.services.inspections.InspectionService` records an inspection of one
task — every checklist item answered, a finding, outcome RECTIFY — and adds ``--photos``
distinct real JPEGs (QImage noise saved at quality 100, sized to about ``--photo-mb`` MB
each; the service checks that a photo is an image).

As in the app (:mod:`ui.sync_adapter`), every piece of store work — opening it, login and
离线准备, recording, the sync — runs on the task manager's database worker
(:meth:`ui.taskman.TaskManager.run_db`) while the GUI thread of a ``QApplication`` waits in
its event loop. During the sync a 10 ms ``QTimer`` records the gap between its ticks. It
prints:

1. recording: the time to record the inspection and to add the photos into the store;
2. sync: photo MB ÷ wall time of the sync (from submitting it to its callback on the GUI
   thread) = MB/s, with the time spent in blob requests;
3. the longest GUI event-loop gap while the sync runs (target ≤ 100 ms, DESIGN.md);
4. peak RSS of the process (VmHWM) before and after the sync; the process also holds the
   generated photos in memory;
5. for scale, the same number of bytes uploaded by a bare loop through the same
   :class:`Transport` and blob API with no store (fresh random bytes, so the platform holds
   none of them yet), and the ratio sync ÷ bare.

It asserts nothing. Each figure is one run; on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.platform_process import SCRIPT, platform_env, serve  # noqa: E402
from desktop_app.domain.inspections import ItemResult, Outcome  # noqa: E402
from desktop_app.services.inspections import (  # noqa: E402
    FindingInput,
    InspectionInput,
    InspectionService,
    ItemAnswer,
)
from desktop_app.store.database import Store  # noqa: E402
from desktop_app.store.keys import new_random_key  # noqa: E402
from sync.credentials import TokenVault, login  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.events import SyncEvent, SyncReport  # noqa: E402
from sync.offline_pack import prepare_offline  # noqa: E402
from sync.protocol import BLOB_CHUNK_BYTES, BlobStatus, BlobUploadStart  # noqa: E402
from sync.transport import Transport  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402
from ui.taskman import TaskManager  # noqa: E402

USERNAME = "inspector.luzhou.1"
PASSWORD = "demo-2026"
MB = 1_000_000
T = TypeVar("T")

keyring.set_keyring(MemoryKeyring())


# --- the platform -------------------------------------------------------------------------


@contextmanager
def seeded_platform(data: Path, entities: int) -> Iterator[str]:
    """Seed, then a ``credit-platform serve`` process on a free loopback port; yields its URL."""
    db = data / "platform.db"
    data.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(SCRIPT), "seed-demo", "--entities", str(entities)],
        env=platform_env(db),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with serve(db) as url:
        yield url


# --- photos ---------------------------------------------------------------------------------


def _encode(seed: int, width: int, height: int) -> bytes:
    raw = hashlib.shake_256(b"bench photo %d" % seed).digest(width * height * 3)
    image = QImage(raw, width, height, width * 3, QImage.Format.Format_RGB888).copy()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPEG", 100):  # type: ignore[call-overload]
        raise RuntimeError("QImage could not write a JPEG")
    buffer.close()
    return bytes(data.data())


def make_photos(count: int, target_bytes: int) -> list[bytes]:
    """``count`` distinct real JPEGs of about ``target_bytes`` each (noise, quality 100)."""
    width = 1280
    probe = _encode(-1, width, 400)
    per_row = len(probe) / 400
    height = max(16, round(target_bytes / per_row))
    return [_encode(i, width, height) for i in range(count)]


# --- the client -----------------------------------------------------------------------------


class TimedTransport(Transport):
    """A Transport that adds up the time of blob requests (announce, chunks, status)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.t_blobs = 0.0
        self.t_other = 0.0

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        t0 = time.perf_counter()
        try:
            return super().request(method, path, **kwargs)
        finally:
            elapsed = time.perf_counter() - t0
            if path.startswith("/blobs"):
                self.t_blobs += elapsed
            else:
                self.t_other += elapsed


def record_inspection(store: Store, photos: list[bytes]) -> tuple[str, int, float, float]:
    """Record one whole inspection of the first open task, then add the photos.

    Returns:
        ``(record_id, checklist items, seconds to record, seconds to add the photos)``.
    """
    service = InspectionService(store, "bench")
    task = service.tasks(include_done=False)[0]
    items = service.checklist(task.checklist_id).items
    failed = items[0].no
    t0 = time.perf_counter()
    view = service.record(
        InspectionInput(
            task_id=task.task_id,
            inspected_on=date.today(),
            answers=tuple(
                ItemAnswer(i.no, ItemResult.FAIL if i.no == failed else ItemResult.PASS)
                for i in items
            ),
            conclusion="检查发现一项问题，已责令限期整改。",
            location="经营场所",
            representative_name="王某某",
            representative_role="负责人",
            findings=(FindingInput("未公示许可证件。", item_no=failed),),
            outcome=Outcome.RECTIFY,
            deadline_working_days=10,
        )
    )
    t1 = time.perf_counter()
    imported = service.add_photos(
        view.record_id, [(f"IMG_{i:04d}.jpg", p) for i, p in enumerate(photos)]
    )
    t2 = time.perf_counter()
    if imported.errors:
        raise RuntimeError(f"photos refused: {imported.errors}")
    return view.record_id, len(items), t1 - t0, t2 - t1


class Gui:
    """The GUI thread (a ``QApplication``) and the app's task manager.

    All store work runs on the task manager's database worker, as in the app: the store's
    connection lives on that thread.
    """

    def __init__(self) -> None:
        existing = QApplication.instance()
        self.app = existing if isinstance(existing, QApplication) else QApplication([])
        self.tasks = TaskManager()

    def on_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the database worker and wait (in the event loop) for its result."""
        box: dict[str, Any] = {}

        def done(value: Any) -> None:
            box["value"] = value
            self.app.quit()

        def failed(exc: Exception) -> None:
            box["error"] = exc
            self.app.quit()

        self.tasks.run_db(fn, done, failed)
        self.app.exec()
        if "error" in box:
            raise box["error"]
        return cast(T, box["value"])

    def probe(self, fn: Callable[[], T]) -> tuple[T, float, list[float]]:
        """Run ``fn`` on the worker while a 10 ms QTimer ticks on the GUI thread.

        Returns:
            ``(result, wall seconds from submit to the callback, gaps between ticks)``.
        """
        gaps: list[float] = []
        last = [0.0]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        start = last[0] = time.perf_counter()
        try:
            result = self.on_worker(fn)
        finally:
            wall = time.perf_counter() - start
            timer.stop()
        return result, wall, gaps


def bare_upload(transport: Transport, count: int, size: int) -> float:
    """Upload ``count`` fresh random blobs of ``size`` bytes through the blob API, no store."""
    blobs = [os.urandom(size) for _ in range(count)]
    t0 = time.perf_counter()
    for content in blobs:
        sha = hashlib.sha256(content).hexdigest()
        start = BlobUploadStart(sha256=sha, size=len(content), content_type="image/jpeg")
        resp = transport.request("POST", "/blobs", json=start.model_dump(mode="json"), retry=True)
        status = transport.parse(resp, BlobStatus)
        while not status.complete:
            offset = status.received
            resp = transport.request(
                "PUT",
                f"/blobs/{sha}",
                params={"offset": offset},
                data=content[offset : offset + BLOB_CHUNK_BYTES],
                headers={"Content-Type": "application/octet-stream"},
                retry=True,
            )
            status = transport.parse(resp, BlobStatus)
    return time.perf_counter() - t0


def vm_hwm_kb() -> int:
    """Peak RSS of this process from /proc (-1 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


# --- main -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--photo-mb", type=float, default=5.0, help="size of each photo, MB")
    parser.add_argument("--entities", type=int, default=300, help="seed-demo --entities")
    args = parser.parse_args()

    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, python {platform.python_version()}"
    )
    print(f"platform: credit-platform serve on loopback, SQLite; client as {USERNAME}")
    gui = Gui()
    with tempfile.TemporaryDirectory(prefix="inspection-bench-") as tmp:
        folder = Path(tmp)
        (folder / "platform").mkdir()
        with seeded_platform(folder / "platform", args.entities) as url:
            transport = TimedTransport(url)
            store = gui.on_worker(lambda: Store.open(folder / "store.db", new_random_key()))
            engine = SyncEngine(store, transport)

            def prepare() -> Any:
                login(store, transport, TokenVault("inspection-bench"), USERNAME, PASSWORD)
                return prepare_offline(engine, store, transport)

            t0 = time.perf_counter()
            pack = gui.on_worker(prepare)
            print(
                f"login + 离线准备: {pack.summary.tasks} tasks, {pack.report.pulled:,} records "
                f"pulled in {time.perf_counter() - t0:.2f} s; ready={pack.ready}"
            )

            t0 = time.perf_counter()
            photos = make_photos(args.photos, int(args.photo_mb * MB))
            total = sum(len(p) for p in photos)
            print(
                f"photos: {len(photos)} distinct JPEGs (QImage noise, quality 100), "
                f"{min(map(len, photos)) / MB:.2f}–{max(map(len, photos)) / MB:.2f} MB each, "
                f"{total / MB:.1f} MB in all (made in {time.perf_counter() - t0:.1f} s)"
            )
            record_id, n_items, t_record, t_photos = gui.on_worker(
                lambda: record_inspection(store, photos)
            )
            print(
                f"1. record: inspection {record_id[:8]}… ({n_items} checklist items, 1 finding, "
                f"RECTIFY) {t_record * 1000:.0f} ms; add {len(photos)} photos to the encrypted "
                f"store {t_photos:.2f} s ({total / MB / t_photos:.0f} MB/s)"
            )
            rss_before = vm_hwm_kb()

            transport.t_blobs = transport.t_other = 0.0
            events: list[SyncEvent] = []

            def run_sync() -> tuple[SyncReport, float]:
                t0 = time.perf_counter()
                report = engine.sync(on_event=events.append)
                return report, time.perf_counter() - t0

            (report, inside), wall, gaps = gui.probe(run_sync)
            rss_sync = vm_hwm_kb()
            print(
                f"2. sync (TaskManager.run_db): pushed {report.pushed} mutations "
                f"({report.applied} applied, {report.rejected} rejected), "
                f"{report.blobs_uploaded} blobs uploaded, pulled {report.pulled}; "
                f"wall {wall:.2f} s (inside the worker {inside:.2f} s) → "
                f"**{total / MB / wall:.1f} MB/s** of photos; "
                f"{sum(e.phase == 'blobs' for e in events)} blob progress events"
            )
            print(
                f"   blob requests {transport.t_blobs:.2f} s, other requests "
                f"{transport.t_other:.2f} s, the rest (store reads, push/pull bookkeeping) "
                f"{inside - transport.t_blobs - transport.t_other:.2f} s"
            )
            print(
                f"3. GUI event loop (10 ms QTimer, {len(gaps)} ticks) during the sync: "
                f"longest gap **{max(gaps, default=0.0) * 1000:.0f} ms** (target ≤ 100 ms), "
                f"p99 {percentile(gaps, 0.99) * 1000:.0f} ms, "
                f"{sum(g > 0.05 for g in gaps)} gaps > 50 ms, {sum(g > 0.1 for g in gaps)} > 100 ms"
            )
            print(
                f"4. peak RSS (VmHWM): {rss_before / 1024:.0f} MB before the sync (the process "
                f"holds the {total / MB:.0f} MB of generated photos), {rss_sync / 1024:.0f} MB "
                f"after it"
            )
            bare = bare_upload(transport, len(photos), total // len(photos))
            print(
                f"5. for scale: bare upload of {total / MB:.0f} MB of fresh random blobs through "
                f"the same Transport and blob API, no store: {bare:.2f} s → "
                f"{total / MB / bare:.1f} MB/s; ratio sync wall ÷ bare upload = {wall / bare:.2f}"
            )
            gui.on_worker(store.close)
            transport.close()
    gui.tasks.shutdown()


if __name__ == "__main__":
    main()
