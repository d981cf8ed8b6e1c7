"""Save and issue benchmark: the longest GUI stall while a form saves or a letter is issued.

Run: ``.venv/bin/python bench/save_bench.py [--entities 20000] [--sync-on-db-worker]``.

The client is the real stack on a fresh SQLCipher profile, driven through the real pages
offscreen: the 信用承诺 page's 新建承诺 form (签署并保存 → ``created``), the 检查任务 page's
检查记录 form (Ctrl+S → ``saved``), and the 信用承诺书 issue (打印承诺书 → the preview dialog
open with its pages painted). Each is timed from the click to its signal while a 10 ms
``QTimer`` on the GUI thread records the gap between its ticks (as ``inspection_bench.py``
measures the stall during a sync); the longest gap is the GUI stall. It prints each figure
against the 100 ms target (DESIGN.md), once with nothing else running and once while a sync
pulls ``--entities`` registry records from a real ``credit-platform serve`` on loopback.

``--sync-on-db-worker`` runs that sync the way the client did before issue 12 (on the one
database worker, which the saves then wait behind) for comparison.

It asserts nothing. Each figure is one run; on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.platform_process import SCRIPT, platform_env, serve  # noqa: E402
from desktop_app.config import ProfilePaths, Settings  # noqa: E402
from desktop_app.domain.commitments import CommitmentKind  # noqa: E402
from desktop_app.domain.inspections import ItemResult  # noqa: E402
from desktop_app.services.app import AppServices  # noqa: E402
from desktop_app.services.demo_data import generate_entities  # noqa: E402
from desktop_app.services.registry import import_entities  # noqa: E402
from desktop_app.services.unlock import StoreUnlocker  # noqa: E402
from platform_server.demo import DEMO_PASSWORD  # noqa: E402
from sync.credentials import TokenVault, login  # noqa: E402
from sync.engine import INTERACTIVE_PULL_LIMIT, SyncEngine  # noqa: E402
from sync.events import SyncReport  # noqa: E402
from sync.pull import apply_page  # noqa: E402
from sync.report_signing import DeviceReportSigner  # noqa: E402
from sync.transport import Transport  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.ui.test_draft_crash import TASK, _reference  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.pages.commitments import CommitmentsPage  # noqa: E402
from ui.pages.inspections import InspectionsPage  # noqa: E402
from ui.taskman import TaskManager  # noqa: E402

TARGET_MS = 100.0
TAX = "cc-tax-01"  # 涉税证明事项告知承诺
WINDOW_USER = "window.luzhou.1"
OPENED: list[float] = []  # ms from 新建承诺 to its catalog loaded (a read on the DB worker)

keyring.set_keyring(MemoryKeyring())


class Gui:
    """The GUI thread, the task manager, and a probe of the event loop's gaps."""

    def __init__(self) -> None:
        self.app: QApplication = create_application([], Settings())
        self.tasks = TaskManager()

    def wait(self, signal: SignalInstance, start: Callable[[], Any], timeout: float = 120) -> Any:
        """Call ``start``, run the event loop until ``signal``; return its arguments."""
        box: dict[str, Any] = {}
        # A local loop: QApplication.quit() would also close every window (Qt 6).
        loop = QEventLoop()

        def got(*args: Any) -> None:
            box.setdefault("args", args)
            loop.quit()

        signal.connect(got)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(int(timeout * 1000))
        start()
        if "args" not in box:
            loop.exec()
        guard.stop()
        signal.disconnect(got)
        if "args" not in box:
            raise RuntimeError("timed out")
        return box["args"]

    def until(self, condition: Callable[[], bool], timeout: float = 60) -> None:
        """Run the event loop until ``condition`` holds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError("timed out")
            self.app.processEvents()
            time.sleep(0.005)

    def on_db(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the database worker and wait for it."""
        box: dict[str, Any] = {}
        loop = QEventLoop()

        def done(value: Any) -> None:
            box["value"] = value
            loop.quit()

        def failed(exc: Exception) -> None:
            box["error"] = exc
            loop.quit()

        self.tasks.run_db(fn, done, failed)
        if not box:
            loop.exec()
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def probe(self, signal: SignalInstance, start: Callable[[], Any]) -> tuple[float, float]:
        """``(wall ms from start to signal, longest GUI gap ms)`` with a 10 ms timer ticking."""
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        t0 = last[0] = time.perf_counter()
        self.wait(signal, start)
        wall = time.perf_counter() - t0
        tick()  # the gap up to the signal counts too
        timer.stop()
        return wall * 1000, max(gaps) * 1000


def commitment_save(gui: Gui, page: CommitmentsPage, uscc: str, n: int) -> tuple[float, float]:
    """签署并保存 of a filled 新建承诺 form."""
    t0 = time.perf_counter()
    dialog = page.open_new(uscc)
    gui.until(lambda: dialog.matter_combo.count() > 0)
    OPENED.append((time.perf_counter() - t0) * 1000)
    dialog.select_matter(TAX)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(CommitmentKind.NOTIFY))
    dialog.applicant_edit.setText(f"申请人{n}")
    return gui.probe(page.created, dialog.sign_button.click)


def inspection_save(gui: Gui, page: InspectionsPage, n: int) -> tuple[float, float]:
    """Ctrl+S of the 检查记录 form (create, then updates of the same result)."""
    if page.task is None:
        page.show_task(TASK)
        gui.until(lambda: page.task is not None)
    page.form.answers.set_all(ItemResult.PASS)
    page.form.conclusion_edit.setPlainText(f"第{n}次保存：未发现问题")
    return gui.probe(page.saved, page.save)


def letter_issue(gui: Gui, page: CommitmentsPage) -> tuple[float, float]:
    """打印承诺书 of the selected commitment, until the preview is open and painted."""
    box: dict[str, Any] = {}

    def opened(dialog: Any) -> None:
        box["dialog"] = dialog

    page.preview_opened.connect(opened)
    try:
        result = gui.probe(page.preview_opened, page.print_letter)
    finally:
        page.preview_opened.disconnect(opened)
    box["dialog"].close()
    return result


def report(label: str, runs: list[tuple[float, float]]) -> None:
    walls = sorted(w for w, _ in runs)
    stall = max(g for _, g in runs)
    print(
        f"  {label:<22} stall {stall:7.1f} ms = {stall / TARGET_MS:5.2f}× target"
        f"   (wall median {walls[len(walls) // 2]:7.1f} ms, max {walls[-1]:7.1f} ms)"
    )


def run_all(
    gui: Gui, c_page: CommitmentsPage, i_page: InspectionsPage, usccs: Any, rounds: int
) -> None:
    results: dict[str, list[tuple[float, float]]] = {"c": [], "i": [], "l": []}
    for n in range(rounds):
        results["c"].append(commitment_save(gui, c_page, next(usccs), n))
        results["i"].append(inspection_save(gui, i_page, n))
        results["l"].append(letter_issue(gui, c_page))
    report("commitment save", results["c"])
    report("inspection result save", results["i"])
    report("commitment letter issue", results["l"])
    print(f"  {'form opened (DB read)':<22} wall max {max(OPENED):7.1f} ms")
    OPENED.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=20_000, help="seed-demo --entities")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sync-on-db-worker", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, python {platform.python_version()}"
    )
    gui = Gui()
    with tempfile.TemporaryDirectory(prefix="save-bench-") as tmp:
        folder = Path(tmp)
        paths = ProfilePaths(folder / "profile")
        paths.ensure()
        unlocker = StoreUnlocker(paths)
        store = gui.on_db(unlocker.unlock)
        seeded = list(generate_entities(60, seed=3))
        uscc, name = str(seeded[0]["uscc"]), str(seeded[0]["name"])
        usccs = iter(str(e["uscc"]) for e in seeded[1:])  # one commitment each

        def seed() -> None:
            import_entities(store, generate_entities(60, seed=3))
            with store.write() as s:
                apply_page(s, _reference(uscc, name), SyncReport())

        gui.on_db(seed)
        services = AppServices.build(store, unlocker, "bench", signer=DeviceReportSigner(store))
        c_page = CommitmentsPage(services, gui.tasks, Settings(), paths)
        i_page = InspectionsPage(services, gui.tasks, Settings(), paths)
        for page in (c_page, i_page):
            page.resize(1366, 768)
            page.show()
        gui.until(lambda: i_page.model.rowCount() > 0)

        print(f"\nnothing else running ({args.rounds} rounds each):")
        run_all(gui, c_page, i_page, usccs, args.rounds)

        db = folder / "platform" / "platform.db"
        db.parent.mkdir()
        t0 = time.perf_counter()
        subprocess.run(
            [str(SCRIPT), "seed-demo", "--entities", str(args.entities)],
            env=platform_env(db),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(
            f"\nplatform seeded with {args.entities:,} entities in {time.perf_counter() - t0:.0f} s"
        )
        with serve(db) as url:
            transport = Transport(url)
            gui.on_db(lambda: login(store, transport, TokenVault("save-bench"), WINDOW_USER,
                                    DEMO_PASSWORD))  # fmt: skip
            engine = SyncEngine(store, transport, pull_limit=INTERACTIVE_PULL_LIMIT)
            done = threading.Event()
            pulled: list[SyncReport] = []

            def sync() -> None:
                try:
                    pulled.append(engine.sync())
                finally:
                    done.set()

            where = "the database worker" if args.sync_on_db_worker else "its own worker"
            run = gui.tasks.run_db if args.sync_on_db_worker else gui.tasks.run_sync
            t0 = time.perf_counter()
            run(sync)
            gui.until(lambda: time.perf_counter() - t0 > 1.0)  # let the pull get going
            print(f"while a sync runs on {where} ({args.rounds} rounds each):")
            run_all(gui, c_page, i_page, usccs, args.rounds)
            busy = not done.is_set()
            while not done.is_set():
                gui.app.processEvents()
                time.sleep(0.05)
            sync_s = time.perf_counter() - t0
            records = pulled[0].pulled if pulled else 0
            print(
                f"  the sync pulled {records:,} records in {sync_s:.1f} s "
                f"({'still running' if busy else 'already done'} when the last save ended)"
            )
            transport.close()
        for page in (c_page, i_page):
            page.close()
        gui.on_db(store.close)
    gui.tasks.shutdown()


if __name__ == "__main__":
    main()
