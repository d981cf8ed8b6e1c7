"""Screenshots of the 同步 page after a real sync, and of its conflict view.

Run under a real (virtual) X server::

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot_sync.py

It seeds and starts a throw-away platform (``credit-platform seed-demo --entities 2000``),
logs a throw-away profile in as the demo window account, syncs, makes a conflict with a
second device, and saves docs/screenshot-sync.png and docs/screenshot-conflict.png.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import keyring
import keyring.backend

from PySide6.QtCore import QTimer

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.app import AppServices
from desktop_app.services.unlock import StoreUnlocker
from sync.credentials import TokenVault, login
from sync.engine import SyncEngine
from sync.transport import Transport
from tests.memory_keyring import MemoryKeyring
from tests.sync.helpers import create_form, edit_form
from ui.app import create_application
from ui.main_window import PAGE_SYNC, MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = Path(sys.executable).with_name("credit-platform")
RID = f"c-{uuid.uuid4().hex[:12]}"
FORM = {
    "uscc": generate_uscc("9", "1", "140403", "00000731"),
    "kind": "notify",
    "status": "signed",
    "matter": "食品经营许可",
    "signed_on": "2026-03-18",
}


def start_platform(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = dict(os.environ, CREDIT_PLATFORM_DATA=str(data))
    env.pop("DATABASE_URL", None)
    subprocess.run([str(PLATFORM), "seed-demo", "--entities", "2000"], env=env, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [str(PLATFORM), "serve", "--port", str(port), "--log-level", "warning"], env=env
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the platform did not start")


def other_device_edits(url: str, folder: Path) -> None:
    """A second window's device changes the same field on the platform."""
    store = StoreUnlocker(ProfilePaths(folder)).unlock()
    transport = Transport(url)
    try:
        login(store, transport, TokenVault("shot-other"), "window.luzhou.2", "demo-2026")
        engine = SyncEngine(store, transport)
        engine.sync()
        edit_form(store, "commitments", RID, {"matter": "食品经营许可（延续）"})
        engine.sync()
    finally:
        transport.close()
        store.close()


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-sync-shot-")
    work = Path(workdir.name)
    proc, url = start_platform(work / "platform")
    settings = Settings(extra={PLATFORM_URL_KEY: url})
    app = create_application(sys.argv[:1], settings)
    tasks = TaskManager()
    paths = ProfilePaths(work / "profile")
    unlocker = StoreUnlocker(paths)
    state: dict[str, object] = {}
    steps: list[str] = []

    def fail(exc: object) -> None:
        print(f"failed: {exc}", file=sys.stderr)
        app.exit(1)

    def show(store: object) -> None:
        services = AppServices.build(store, unlocker, actor="screenshot")  # type: ignore[arg-type]
        state["services"] = services
        controller = SyncController(services, tasks, settings, paths, demo=True)
        state["controller"] = controller
        window = MainWindow(services, settings, paths, tasks, sync=controller)
        state["window"] = window
        window.resize(1360, 860)
        window.show()
        window.show_page(PAGE_SYNC)
        controller.failed.connect(fail)
        controller.finished.connect(lambda _r: next_step())
        steps.extend(["create", "conflict", "shots"])
        controller.login(url, "window.luzhou.1", "demo-2026")

    def next_step() -> None:
        if not steps:
            return
        step = steps.pop(0)
        services = state["services"]
        controller = state["controller"]
        assert isinstance(services, AppServices)
        assert isinstance(controller, SyncController)
        if step == "create":
            tasks.run_db(
                lambda: create_form(services.store, "commitments", RID, FORM),
                lambda _seq: controller.sync_now(),
                fail,
            )
        elif step == "conflict":
            other_device_edits(url, work / "other")
            tasks.run_db(
                lambda: edit_form(services.store, "commitments", RID, {"matter": "药品经营许可"}),
                lambda _seq: controller.sync_now(),
                fail,
            )
        else:
            QTimer.singleShot(300, shots)

    def save(name: str) -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        out = ROOT / "docs" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(f"saved {out}")

    def shots() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        assert window.sync_page is not None
        page = window.sync_page
        page.tabs.setCurrentIndex(2)
        save("screenshot-sync.png")
        page.tabs.setCurrentIndex(0)
        page.conflicts_view.selectRow(0)
        QTimer.singleShot(300, lambda: (save("screenshot-conflict.png"), finish()))

    def finish() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        window.close()
        app.exit(0)

    tasks.run_db(unlocker.unlock, show, fail)
    code = app.exec()
    services = state.get("services")
    if isinstance(services, AppServices):
        tasks.run_db(services.close)
    tasks.shutdown()
    proc.terminate()
    proc.wait(timeout=20)
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
