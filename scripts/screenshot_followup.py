"""Screenshots of 跟踪督办: the supervisor's lists and the inspector's follow-up list.

Run under a real (virtual) X server::

    PYTHONPATH=. xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot_followup.py

It seeds and starts a throw-away platform (``credit-platform seed-demo --entities 2000``); a
window device takes three 告知承诺 signed in the summer and records what it did about the
measures of three listed entities, and an inspector gives two 失信警示
forty days ago (headless, through the real services and sync); then the client logs in as the
demo supervisor and saves the three supervisor lists, and as the inspector and saves the
follow-up list:

* docs/screenshot-followup-verification.png — 承诺核查: commitments due, overdue in red;
* docs/screenshot-followup-risk.png — 风险预警: flagged entities with the rules that fired;
* docs/screenshot-followup-supervisor.png — 逾期未整改 for the supervisor (from the platform);
* docs/screenshot-followup-measures.png — 联合奖惩: the windows' feedback per list measure;
* docs/screenshot-followup-inspector.png — 逾期未整改 on the inspector's PC (offline list).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring

from PySide6.QtCore import QTimer

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitments import CommitmentKind
from desktop_app.domain.records import MeasureOutcome
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.inspections import InspectionService
from desktop_app.services.measures import MeasureService
from desktop_app.services.unlock import StoreUnlocker
from scripts.screenshot_sync import start_platform
from sync.credentials import TokenVault, login
from sync.engine import SyncEngine
from sync.transport import Transport
from tests.memory_keyring import MemoryKeyring
from tests.sync.test_inspection_sync import _warning_input
from ui.app import create_application
from ui.main_window import PAGE_FOLLOWUP, MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _device(url: str, folder: Path, username: str) -> tuple[object, Transport, SyncEngine]:
    store = StoreUnlocker(ProfilePaths(folder)).unlock()
    transport = Transport(url)
    login(store, transport, TokenVault(folder.name), username, "demo-2026")
    engine = SyncEngine(store, transport)
    engine.sync()
    return store, transport, engine


def prepare(url: str, work: Path) -> None:
    """Commitments due for 核查 at a window; overdue warnings from an inspector."""
    store, transport, engine = _device(url, work / "hall", "window.luzhou.1")
    try:
        codes = [e.uscc for e in _entities(store)[:3]]
        for n, code in enumerate(codes):
            signed = datetime(2026, 7, 1 + 7 * n, 10, 0)
            CommitmentService(store, "window.luzhou.1", clock=lambda s=signed: s).create(  # type: ignore[arg-type]
                CommitmentInput(
                    uscc=code,
                    matter_id="cc-tax-01",
                    kind=CommitmentKind.NOTIFY,
                    applicant_name=["王五", "赵六", "孙七"][n],
                )
            )
        measures = MeasureService(store, "window.luzhou.1")  # type: ignore[arg-type]
        for entity in _listed(store):
            choices = measures.choices(entity)
            measures.record_many(
                entity,
                [
                    (choices[0], MeasureOutcome.APPLIED, ""),
                    (choices[-1], MeasureOutcome.NOT_APPLICABLE, "本事项不涉及财政资金"),
                ],
                matter="食品经营许可",
            )
        engine.sync()
    finally:
        transport.close()
        store.close()  # type: ignore[attr-defined]
    store, transport, engine = _device(url, work / "insp", "inspector.luzhou.1")
    try:
        service = InspectionService(store, "inspector.luzhou.1")  # type: ignore[arg-type]
        for n, task in enumerate(service.tasks()[:2]):
            items = [i.no for i in service.checklist(task.checklist_id).items]
            day = date.today() - timedelta(days=40 + 9 * n)
            service.record(_warning_input(task.task_id, items, inspected_on=day))
        engine.sync()
    finally:
        transport.close()
        store.close()  # type: ignore[attr-defined]


def _listed(store: object) -> list[str]:
    """Three cached entities on a list that calls for measures."""
    from sqlalchemy import select

    from desktop_app.store.models import Entity

    with store.read() as s:  # type: ignore[attr-defined]
        codes = list(s.scalars(select(Entity.uscc).order_by(Entity.uscc)))
    measures = MeasureService(store, "screenshot")  # type: ignore[arg-type]
    return [c for c in codes if len(measures.choices(c)) >= 2][:3]


def _entities(store: object) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from desktop_app.store.models import Entity

    with store.read() as s:  # type: ignore[attr-defined]
        return list(s.scalars(select(Entity).where(Entity.region_code == "140403").limit(3)))


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-followup-shot-")
    work = Path(workdir.name)
    proc, url = start_platform(work / "platform")
    prepare(url, work)
    settings = Settings(extra={PLATFORM_URL_KEY: url})
    app = create_application(sys.argv[:1], settings)
    app.setQuitOnLastWindowClosed(False)  # the supervisor's window closes before the next opens
    tasks = TaskManager()
    state: dict[str, object] = {}

    def fail(exc: object) -> None:
        print(f"failed: {exc}", file=sys.stderr)
        app.exit(1)

    def open_as(username: str, then: Callable[[MainWindow], None]) -> None:
        paths = ProfilePaths(work / f"gui-{username}")
        unlocker = StoreUnlocker(paths)

        def show(store: object) -> None:
            services = AppServices.build(store, unlocker, actor=username)  # type: ignore[arg-type]
            controller = SyncController(services, tasks, settings, paths, demo=True)
            window = MainWindow(services, settings, paths, tasks, sync=controller)
            state.update(services=services, controller=controller, window=window)
            window.resize(1360, 860)
            window.show()
            controller.failed.connect(fail)
            done = {"once": False}

            def synced(_report: object) -> None:
                if not done["once"]:
                    done["once"] = True
                    window.show_page(PAGE_FOLLOWUP)
                    QTimer.singleShot(1500, lambda: then(window))

            controller.finished.connect(synced)
            controller.login(url, username, "demo-2026")

        tasks.run_db(unlocker.unlock, show, fail)

    def save(window: MainWindow, name: str) -> None:
        out = DOCS / name
        if not window.grab().save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(f"saved {out}")

    def supervisor(window: MainWindow) -> None:
        page = window.followup_page
        page.due_table.selectRow(0)
        save(window, "screenshot-followup-verification.png")
        page.tabs.setCurrentIndex(1)
        QTimer.singleShot(1500, lambda: risk(window))

    def risk(window: MainWindow) -> None:
        save(window, "screenshot-followup-risk.png")
        window.followup_page.tabs.setCurrentIndex(2)
        QTimer.singleShot(1500, lambda: overdue(window))

    def overdue(window: MainWindow) -> None:
        save(window, "screenshot-followup-supervisor.png")
        window.followup_page.tabs.setCurrentIndex(3)
        QTimer.singleShot(1500, lambda: measures(window))

    def measures(window: MainWindow) -> None:
        save(window, "screenshot-followup-measures.png")
        close(window)
        open_as("inspector.luzhou.1", inspector)

    def inspector(window: MainWindow) -> None:
        window.followup_page.overdue_table.selectRow(0)
        save(window, "screenshot-followup-inspector.png")
        close(window)
        app.exit(0)

    def close(window: MainWindow) -> None:
        controller = state["controller"]
        assert isinstance(controller, SyncController)
        controller.shutdown()
        window.close()
        services = state["services"]
        assert isinstance(services, AppServices)
        services.close()

    open_as("supervisor", supervisor)
    code = app.exec()
    tasks.shutdown()
    proc.terminate()
    proc.wait(timeout=20)
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
