from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator

import pytest

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.main import compose
from desktop_app.services.actor import DISPLAY_NAME_KEY
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.outbox import SyncStateRepo
from tests.os_account import FakeAccount
from ui import launcher
from ui.launcher import EXIT_OK, EXIT_STORE_ERROR, StartupFlow, run_gui
from ui.main_window import MainWindow
from ui.taskman import TaskManager

from .conftest import type_text


@pytest.fixture
def make_flow(qtbot, profile: ProfilePaths, tasks: TaskManager) -> Iterator:
    flows: list[StartupFlow] = []

    def make(*, demo: bool = False) -> StartupFlow:
        flow = StartupFlow(profile, Settings(), tasks, compose=compose, demo=demo, actor="tester")
        flows.append(flow)
        return flow

    yield make
    for flow in flows:
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
        flow.close()
        flow.busy.deleteLater()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_keyring_profile_opens_directly_and_seeds_demo_data(qtbot, make_flow) -> None:
    flow = make_flow(demo=True)
    gc.unfreeze()
    with qtbot.waitSignal(flow.ready, timeout=30_000) as ready:
        flow.start()
        assert flow.busy.isVisible()
        assert flow.busy.label.text() == "正在打开本地数据库…"
    window = ready.args[0]
    assert isinstance(window, MainWindow)
    assert window.isVisible()
    assert not flow.busy.isVisible()
    assert flow.dialog is None
    qtbot.waitUntil(lambda: window.cache_label.text() == "本地缓存 2000 个主体", timeout=10_000)
    assert flow.services is not None and flow.services.actor == "tester"
    # Start-up's objects are moved out of the collector's way once the window has painted
    # (desktop_app.heap).
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5_000)


def test_passphrase_profile_asks_first(qtbot, no_keyring, make_flow) -> None:
    flow = make_flow()
    flow.start()
    dialog = flow.dialog
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.passphrase_edit, "本地密码 tiger-77")
    type_text(qtbot, dialog.confirm_edit, "本地密码 tiger-77")
    with qtbot.waitSignal(flow.ready, timeout=30_000):
        dialog.ok_button.click()
    assert flow.window is not None and flow.window.isVisible()


class _Paints(QObject):
    """Notes when a widget paints."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.times: list[float] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.monotonic())
        return False


@pytest.fixture
def imports(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When start-up's preloading imports began (``ui.launcher._import_all``)."""
    began: list[float] = []
    real = launcher._import_all

    def noted(names: tuple[str, ...]) -> None:
        began.append(time.monotonic())
        real(names)

    monkeypatch.setattr(launcher, "_import_all", noted)
    return began


def test_the_passphrase_prompt_paints_before_anything_is_preloaded(
    qtbot, no_keyring, make_flow, imports
) -> None:
    # Preloading holds the GIL for long stretches; begun before the first window is on
    # screen, it delayed that window (docs/PERFORMANCE.md, "Cold start").
    flow = make_flow()
    flow.start()
    assert flow.dialog is not None
    paints = _Paints(flow.dialog)
    assert not imports  # not at start()
    qtbot.waitUntil(lambda: bool(imports), timeout=5_000)
    assert paints.times and paints.times[0] <= imports[0]


def test_the_busy_window_paints_before_the_store_opens(qtbot, make_flow, imports) -> None:
    flow = make_flow()
    with qtbot.waitSignal(flow.ready, timeout=30_000):
        flow.start()
        paints = _Paints(flow.busy)
        assert not imports
    assert paints.times and imports and paints.times[0] <= imports[0]


def test_a_first_window_that_never_paints_does_not_stop_the_start(qtbot) -> None:
    hidden = QWidget()  # never shown, so never painted
    called: list[bool] = []
    launcher._once_painted(hidden, lambda: called.append(True))
    qtbot.waitUntil(lambda: bool(called), timeout=launcher.PRELOAD_LATEST_AFTER_MS + 3_000)
    qtbot.wait(launcher.PRELOAD_LATEST_AFTER_MS)
    assert called == [True]  # once
    hidden.deleteLater()


def test_cancelling_the_passphrase_exits_quietly(qtbot, no_keyring, make_flow) -> None:
    flow = make_flow()
    flow.start()
    assert flow.dialog is not None
    with qtbot.waitSignal(flow.exit_requested, timeout=5000) as exited:
        flow.dialog.reject()
    assert exited.args == [EXIT_OK]
    assert flow.window is None


def test_database_without_key_header_is_explained_and_exits_2(
    qtbot, profile: ProfilePaths, make_flow
) -> None:
    profile.ensure()
    profile.database.write_bytes(b"\x93" * 4096)
    flow = make_flow()
    flow.start()
    box = flow.error_box
    assert box is not None and box.isVisible()
    assert "缺少密钥头文件" in box.text()
    assert "Traceback" not in box.text()
    with qtbot.waitSignal(flow.exit_requested, timeout=5000) as exited:
        box.button(QMessageBox.StandardButton.Ok).click()
    assert exited.args == [EXIT_STORE_ERROR]
    assert profile.database.read_bytes() == b"\x93" * 4096


def test_lost_keyring_key_is_explained(qtbot, profile, memory_keyring, make_flow, on_db) -> None:
    on_db(lambda: StoreUnlocker(profile).unlock().close())
    memory_keyring.secrets.clear()
    flow = make_flow()
    flow.start()
    qtbot.waitUntil(lambda: flow.error_box is not None, timeout=10_000)
    assert "密钥环中找不到" in flow.error_box.text()
    with qtbot.waitSignal(flow.exit_requested, timeout=5000) as exited:
        flow.error_box.button(QMessageBox.StandardButton.Ok).click()
    assert exited.args == [EXIT_STORE_ERROR]


def _hang_guard(app: QApplication, ms: int) -> QTimer:
    """Ends the event loop if the test's own exit never comes (stopped by the test)."""
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: app.exit(99))
    guard.start(ms)
    return guard


@pytest.fixture
def restore_app_state(qapp: QApplication) -> Iterator[None]:
    hook = sys.excepthook
    yield
    sys.excepthook = hook
    qapp.setQuitOnLastWindowClosed(True)


def test_run_gui_returns_2_after_a_store_error(qtbot, profile, restore_app_state) -> None:
    profile.ensure()
    profile.database.write_bytes(b"\x93" * 4096)
    app = QApplication.instance()
    clicker = QTimer()
    clicker.setInterval(50)

    def click_ok() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                widget.button(QMessageBox.StandardButton.Ok).click()

    clicker.timeout.connect(click_ok)
    clicker.start()
    guard = _hang_guard(app, 20_000)
    try:
        code = run_gui(profile, Settings(), compose=compose, demo=False, argv=[])
    finally:
        clicker.stop()
        guard.stop()
    assert code == EXIT_STORE_ERROR


def test_run_gui_runs_until_the_main_window_closes(qtbot, profile, restore_app_state) -> None:
    app = QApplication.instance()
    closer = QTimer()
    closer.setInterval(50)

    def close_main() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget.status:
                widget.close()

    closer.timeout.connect(close_main)
    closer.start()
    guard = _hang_guard(app, 30_000)
    try:
        code = run_gui(profile, Settings(), compose=compose, demo=False, argv=[])
    finally:
        closer.stop()
        guard.stop()
    assert code == 0
    assert StoreUnlocker(profile).mode().name == "OPEN_WITH_KEYRING"


def test_last_logged_in_user_is_the_handled_by_after_a_restart(
    qtbot, profile: ProfilePaths, tasks: TaskManager, on_db
) -> None:
    def earlier_login() -> None:
        store = StoreUnlocker(profile).unlock()
        with store.write() as s:  # what sync.credentials.login keeps at every login
            SyncStateRepo(s).set(DISPLAY_NAME_KEY, "潞州区窗口1")
        store.close()

    on_db(earlier_login)
    # no actor given: as main.py
    flow = StartupFlow(profile, Settings(), tasks, compose=compose, demo=False)
    try:
        with qtbot.waitSignal(flow.ready, timeout=30_000) as ready:
            flow.start()
        window = ready.args[0]
        assert flow.services is not None and flow.services.actor == "潞州区窗口1"
        assert flow.services.commitments.actor == "潞州区窗口1"
        qtbot.waitUntil(lambda: window.user_label.text() == "经办人 潞州区窗口1", timeout=5000)
    finally:
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
        flow.close()
        flow.busy.deleteLater()
        qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_before_any_login_the_os_account_stands_in_visibly(qtbot, make_flow) -> None:
    flow = make_flow()
    with qtbot.waitSignal(flow.ready, timeout=30_000) as ready:
        flow.start()
    window = ready.args[0]
    assert window.user_label.text() == "经办人 tester"
    assert "登录后将使用您的姓名" in window.user_label.toolTip()


def test_a_keyring_profile_locked_when_the_client_ended_asks_the_os_account_first(
    qtbot, profile: ProfilePaths, make_flow, on_db
) -> None:
    """Killing a locked client and starting it again leads back to the OS account check."""

    def locked_then_killed() -> None:
        unlocker = StoreUnlocker(profile, account_check=FakeAccount())
        store = unlocker.unlock()
        unlocker.lock(store)
        store.close()

    on_db(locked_then_killed)
    flow = make_flow()
    flow.unlocker = StoreUnlocker(profile, account_check=FakeAccount())
    flow.start()
    dialog = flow.dialog
    assert dialog is not None and dialog.isVisible()
    intro = dialog.findChild(QLabel, "unlockIntro")
    assert "重新启动不会跳过锁定" in intro.text() and "clerk" in intro.text()
    assert dialog.ok_button.text() == "解锁"
    type_text(qtbot, dialog.passphrase_edit, "guess")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "系统账户密码不正确" in dialog.error_label.text(), timeout=10_000)
    assert flow.window is None
    type_text(qtbot, dialog.passphrase_edit, "os-secret")
    with qtbot.waitSignal(flow.ready, timeout=30_000):
        dialog.ok_button.click()
    assert flow.window is not None and not profile.lock_marker.exists()
