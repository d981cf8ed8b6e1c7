"""A revoked device is wiped for real, and only a real revocation wipes it.

The whole client (start-up flow, main window, sync controller) runs on a real profile with its
log file and settings file, logs in to a REAL ``credit-platform serve`` process, keeps a form
draft, and is revoked with ``credit-platform revoke-device``. After the next sync the profile
folder holds nothing at all — no store, no ``store.db`` stub made by a later read, no logs, no
settings — and no key or token is left in the keyring. A 410 page from something on the way
(a captive portal) wipes nothing.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from desktop_app.config import ProfilePaths, Settings
from desktop_app.logs import setup_logging, stop_file_logging
from desktop_app.main import compose
from sync.credentials import DeviceIdentity
from tests.memory_keyring import MemoryKeyring
from tests.sync.conftest import LiveServer
from tests.sync.test_transport import TOKENS, Reply, Script, _handler
from tests.ui.conftest import run_on_db
from ui.launcher import EXIT_DEVICE_REVOKED, StartupFlow
from ui.sync_adapter import PLATFORM_URL_KEY
from ui.taskman import TaskManager

TIMEOUT = 60_000
DRAFT = {"note": "申请人下午补交原件", "uscc": "91140400MA0K1234X5"}


def _listing(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def logged_profile(profile: ProfilePaths) -> Iterator[ProfilePaths]:
    """The profile as ``credit-desk`` sets it up: folder, log file, settings file."""
    profile.ensure()
    setup_logging(profile.log_dir)
    yield profile
    stop_file_logging()


@pytest.fixture
def flows(tasks: TaskManager, qtbot) -> Iterator[list[StartupFlow]]:
    made: list[StartupFlow] = []
    yield made
    for flow in made:
        if flow.error_box is not None:
            flow.error_box.deleteLater()
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
        flow.close()
        flow.busy.deleteLater()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=TIMEOUT)


def _start(qtbot, tasks: TaskManager, profile: ProfilePaths, url: str, flows) -> StartupFlow:  # type: ignore[no-untyped-def]
    settings = Settings.load(profile.settings_file)
    settings.set(PLATFORM_URL_KEY, url)
    flow = StartupFlow(profile, settings, tasks, compose=compose, demo=False, actor="tester")
    flows.append(flow)
    with qtbot.waitSignal(flow.ready, timeout=TIMEOUT):
        flow.start()
    return flow


def test_a_revoked_device_leaves_nothing_in_its_profile(
    qtbot,
    app,
    tasks: TaskManager,
    logged_profile: ProfilePaths,
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,
    flows: list[StartupFlow],
) -> None:
    profile = logged_profile
    flow = _start(qtbot, tasks, profile, live_server.url, flows)
    sync, services = flow.sync, flow.services
    assert sync is not None and services is not None and flow.window is not None
    with qtbot.waitSignal(sync.finished, timeout=TIMEOUT):
        sync.login(live_server.url, "window.luzhou.1", "demo-2026")
    run_on_db(qtbot, tasks, lambda: services.drafts.save("commitment.new", DRAFT, "新建承诺"))
    device = run_on_db(
        qtbot, tasks, lambda: DeviceIdentity.load_or_create(services.store).device_id
    )
    before = _listing(profile.data_dir)
    assert {"store.db", "store.header.json", "settings.json", "logs/credit-desk.log"} <= set(before)
    assert memory_keyring.secrets  # the store key and the login tokens

    done = live_server.cli("revoke-device", device)
    assert done.returncode == 0, done.stderr
    with qtbot.waitSignal(sync.revoked, timeout=TIMEOUT):
        sync.sync_now()

    # What still runs afterwards must not bring anything back: a status refresh reads the
    # store, a setting is changed, something is logged.
    flow.window.refresh_status()
    flow.window._settings.set("pdf_export_folder", "/tmp")
    logging.getLogger("desktop_app").warning("after the wipe")
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=TIMEOUT)

    assert _listing(profile.data_dir) == []
    assert memory_keyring.secrets == {}
    box = flow.error_box
    assert box is not None and "本机数据已清除" in box.text()
    with qtbot.waitSignal(flow.exit_requested, timeout=TIMEOUT) as exited:
        box.accept()
    assert exited.args == [EXIT_DEVICE_REVOKED]
    assert _listing(profile.data_dir) == []


@pytest.fixture
def portal() -> Iterator[tuple[Script, str]]:
    """A loopback server that logs in like the platform, then answers like a captive portal."""
    script = Script()
    script.replies["/v1/auth/login"] = [Reply.json(TOKENS)]
    script.replies["/healthz"] = [Reply.json({"status": "ok"})]
    page = b"<html><body>Please log in to the guest Wi-Fi</body></html>"
    for path in ("/v1/sync/push", "/v1/sync/pull", "/v1/reports"):
        script.replies[path] = [Reply(410, page, "text/html")]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield script, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_portals_410_is_a_server_error_and_wipes_nothing(
    qtbot,
    app,
    tasks: TaskManager,
    logged_profile: ProfilePaths,
    portal: tuple[Script, str],
    flows: list[StartupFlow],
) -> None:
    profile = logged_profile
    script, url = portal
    flow = _start(qtbot, tasks, profile, url, flows)
    sync = flow.sync
    assert sync is not None
    revoked: list[str] = []
    sync.revoked.connect(revoked.append)
    with qtbot.waitSignal(sync.failed, timeout=TIMEOUT) as failed:
        sync.login(url, "window.luzhou.1", "demo-2026")
    assert any(path == "/v1/sync/pull" for _m, path, _a in script.seen)
    assert "稍后会自动重试" in failed.args[0]
    assert revoked == []
    assert {"store.db", "store.header.json", "settings.json"} <= set(_listing(profile.data_dir))
    assert json.loads(profile.settings_file.read_text("utf-8"))["extra"][PLATFORM_URL_KEY] == url
    assert flow.services is not None and not flow.services.store.locked
