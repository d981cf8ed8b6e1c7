"""自动锁定 on a real encrypted store: idle time from a settable clock, the lock prompt, drafts.

The main window runs on a real SQLCipher profile (passphrase, or keyring with a stand-in OS
account check). After the configured minutes without input the client hides its content,
writes the open form's draft, closes the store and drops its key; the prompt opens it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel

from desktop_app.config import AUTO_LOCK_KEY, DEFAULT_AUTO_LOCK_MINUTES, ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities, seed_demo_catalog
from desktop_app.services.unlock import LockKind, StoreLockedError, StoreUnlocker
from sync.report_signing import DeviceReportSigner
from tests.os_account import FakeAccount
from tests.ui.conftest import run_on_db, type_text
from ui.idle_lock import LockState, ScreenLock
from ui.main_window import MainWindow
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import DRAFT_KEY

PASSPHRASE = "窗口共用电脑-2026"
OS_PASSWORD = "os-account-secret"
TIMEOUT = 15_000


class Clock:
    """A settable monotonic clock (seconds)."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeSync:
    """A sync controller's stand-in that is still running when paused."""

    running: bool = True
    paused: int = 0
    resumed: int = 0

    def pause(self) -> None:
        self.paused += 1

    def resume(self) -> None:
        self.resumed += 1


def _open(qtbot, tasks: TaskManager, profile: ProfilePaths, unlocker: StoreUnlocker, secret):  # type: ignore[no-untyped-def]
    def work() -> AppServices:
        store = unlocker.unlock(secret)
        import_entities(store, generate_entities(50, seed=3))
        seed_demo_catalog(store)
        return AppServices.build(
            store, unlocker, actor="窗口测试", signer=DeviceReportSigner(store)
        )

    return run_on_db(qtbot, tasks, work)


@dataclass
class Client:
    services: AppServices
    window: MainWindow
    lock: ScreenLock
    clock: Clock
    settings: Settings


@pytest.fixture
def make_client(qtbot, app, tasks: TaskManager, profile: ProfilePaths) -> Iterator:
    made: list[Client] = []

    def make(unlocker: StoreUnlocker, secret: str | None = None, sync=None) -> Client:  # type: ignore[no-untyped-def]
        services = _open(qtbot, tasks, profile, unlocker, secret)
        settings = Settings.load(profile.settings_file)
        window = MainWindow(services, settings, profile, tasks)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.status_refreshed, timeout=TIMEOUT):
            window.show()
        clock = Clock()
        lock = ScreenLock(window, services, tasks, settings, sync=sync, clock=clock, check_ms=20)
        client = Client(services, window, lock, clock, settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.lock.stop()
        if client.lock.dialog is not None:
            client.lock.dialog.deleteLater()
        client.window.close()
        run_on_db(qtbot, tasks, client.services.close)


@pytest.fixture
def passphrase_profile(no_keyring: None, profile: ProfilePaths) -> StoreUnlocker:
    return StoreUnlocker(profile)


def _go_idle(qtbot, client: Client, seconds: float) -> None:  # type: ignore[no-untyped-def]
    client.clock.advance(seconds)
    with qtbot.waitSignal(client.lock.locked, timeout=TIMEOUT):
        client.lock.monitor.check()


def _submit(qtbot, client: Client, secret: str) -> None:  # type: ignore[no-untyped-def]
    dialog = client.lock.dialog
    assert dialog is not None
    type_text(qtbot, dialog.passphrase_edit, secret)
    dialog.ok_button.click()


def test_locks_only_after_the_configured_idle_minutes(
    qtbot, make_client, passphrase_profile: StoreUnlocker
) -> None:
    client = make_client(passphrase_profile, PASSPHRASE)
    assert client.settings.auto_lock_minutes == DEFAULT_AUTO_LOCK_MINUTES
    client.settings.set_auto_lock_minutes(3)

    client.clock.advance(179)
    client.lock.monitor.check()
    assert client.lock.state is LockState.UNLOCKED

    # Any input counts as activity: a mouse move starts the three minutes again.
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(client.window.nav.viewport(), move)
    assert client.lock.monitor.idle_seconds == 0
    client.clock.advance(179)
    client.lock.monitor.check()
    assert client.lock.state is LockState.UNLOCKED

    _go_idle(qtbot, client, 1)
    assert client.lock.state is LockState.LOCKED
    store = client.services.store
    assert store.locked
    with pytest.raises(StoreLockedError):
        run_on_db(qtbot, client.window._tasks, client.services.lookup.count)
    # The window shows nothing of the data; the prompt says why and what to type.
    central = client.window.centralWidget()
    assert central is not None and central.isHidden()
    assert client.window.statusBar().isHidden()
    dialog = client.lock.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() is Qt.WindowModality.ApplicationModal
    intro = dialog.findChild(QLabel, "unlockIntro")
    assert intro is not None
    assert "3 分钟无操作" in intro.text() and "本地数据库密码" in intro.text()


def test_unlocking_needs_the_passphrase_and_keeps_the_form_and_its_draft(
    qtbot, make_client, passphrase_profile: StoreUnlocker, tasks: TaskManager
) -> None:
    client = make_client(passphrase_profile, PASSPHRASE)
    dialog = client.window.commitments_page.open_new()
    qtbot.waitUntil(lambda: dialog.domain_combo.count() > 0, timeout=TIMEOUT)
    type_text(qtbot, dialog.note_edit, "申请人下午补交原件")
    assert dialog.drafts.waiting  # typed a moment ago: the draft is not written yet

    _go_idle(qtbot, client, DEFAULT_AUTO_LOCK_MINUTES * 60)
    assert not dialog.isVisible()  # hidden with everything else

    prompt = client.lock.dialog
    assert prompt is not None
    _submit(qtbot, client, "不是这个密码-123")
    qtbot.waitUntil(lambda: not prompt.busy and prompt.error_label.isVisible(), timeout=TIMEOUT)
    assert "密码不正确" in prompt.error_label.text()
    assert client.lock.state is LockState.LOCKED and client.services.store.locked

    # Esc does not get past the prompt.
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert prompt.isVisible() and client.lock.state is LockState.LOCKED

    with qtbot.waitSignal(client.lock.unlocked, timeout=TIMEOUT):
        _submit(qtbot, client, PASSPHRASE)
    assert not client.services.store.locked
    assert client.window.centralWidget() is not None
    assert client.window.centralWidget().isVisible()  # type: ignore[union-attr]
    assert dialog.isVisible() and dialog.note_edit.text() == "申请人下午补交原件"
    # The draft was written before the store closed.
    draft = run_on_db(qtbot, tasks, lambda: client.services.drafts.load(DRAFT_KEY))
    assert draft is not None and draft.text("note") == "申请人下午补交原件"
    # The store works again for every service (same store object, key taken back).
    assert run_on_db(qtbot, tasks, client.services.lookup.count) == 50
    assert client.lock.monitor.idle_seconds == 0
    dialog.close()


def test_keyring_profile_unlocks_with_the_os_account_password(
    qtbot, make_client, profile: ProfilePaths, tasks: TaskManager
) -> None:
    account = FakeAccount(OS_PASSWORD)
    client = make_client(StoreUnlocker(profile, account_check=account))
    client.lock.lock()
    qtbot.waitUntil(lambda: client.lock.state is LockState.LOCKED, timeout=TIMEOUT)
    prompt = client.lock.dialog
    assert prompt is not None and prompt.lock_kind is LockKind.OS_ACCOUNT
    intro = prompt.findChild(QLabel, "unlockIntro")
    assert intro is not None and "系统账户（clerk）" in intro.text()

    _submit(qtbot, client, "wrong")
    qtbot.waitUntil(lambda: not prompt.busy and prompt.error_label.isVisible(), timeout=TIMEOUT)
    assert "系统账户密码不正确" in prompt.error_label.text()
    assert client.services.store.locked

    with qtbot.waitSignal(client.lock.unlocked, timeout=TIMEOUT):
        _submit(qtbot, client, OS_PASSWORD)
    assert account.tried == ["wrong", OS_PASSWORD]
    assert run_on_db(qtbot, tasks, client.services.lookup.count) == 50


def test_without_an_os_account_check_the_prompt_only_offers_to_quit(
    qtbot, make_client, profile: ProfilePaths
) -> None:
    client = make_client(
        StoreUnlocker(profile, account_check=FakeAccount(OS_PASSWORD, usable=False))
    )
    client.lock.lock()
    qtbot.waitUntil(lambda: client.lock.state is LockState.LOCKED, timeout=TIMEOUT)
    prompt = client.lock.dialog
    assert prompt is not None and prompt.lock_kind is LockKind.RESTART
    assert not prompt.passphrase_edit.isVisible() and not prompt.ok_button.isVisible()
    with qtbot.waitSignal(client.lock.quit_requested, timeout=TIMEOUT):
        prompt.cancel_button.click()
    assert client.services.store.locked  # quitting leaves it closed


def test_ctrl_l_locks_at_once_and_quit_from_the_prompt(
    qtbot, make_client, passphrase_profile: StoreUnlocker
) -> None:
    client = make_client(passphrase_profile, PASSPHRASE)
    client.window.activateWindow()
    qtbot.keyClick(client.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: client.lock.state is LockState.LOCKED, timeout=TIMEOUT)
    prompt = client.lock.dialog
    assert prompt is not None
    intro = prompt.findChild(QLabel, "unlockIntro")
    assert intro is not None and intro.text().startswith("客户端已锁定")
    # While locked the window's shortcuts do nothing.
    assert not any(action.isEnabled() for action in client.window.actions())
    with qtbot.waitSignal(client.lock.quit_requested, timeout=TIMEOUT):
        prompt.cancel_button.click()


def test_the_store_closes_only_after_the_running_sync_has_ended(
    qtbot, make_client, passphrase_profile: StoreUnlocker
) -> None:
    sync = FakeSync()
    client = make_client(passphrase_profile, PASSPHRASE, sync)
    client.lock.lock()
    assert sync.paused == 1
    assert client.lock.state is LockState.LOCKING
    qtbot.wait(200)  # several of the lock's polls: the sync is still running
    assert not client.services.store.locked and client.lock.dialog is None
    assert client.window.centralWidget().isHidden()  # type: ignore[union-attr]
    sync.running = False
    qtbot.waitUntil(lambda: client.lock.state is LockState.LOCKED, timeout=TIMEOUT)
    assert client.services.store.locked
    with qtbot.waitSignal(client.lock.unlocked, timeout=TIMEOUT):
        _submit(qtbot, client, PASSPHRASE)
    assert sync.resumed == 1


def test_the_settings_page_sets_the_minutes_and_the_lock_follows(
    qtbot, make_client, passphrase_profile: StoreUnlocker, profile: ProfilePaths
) -> None:
    client = make_client(passphrase_profile, PASSPHRASE)
    spin = client.window.settings_page.auto_lock_spin
    assert spin.value() == DEFAULT_AUTO_LOCK_MINUTES
    spin.setValue(2)
    assert Settings.load(profile.settings_file).get(AUTO_LOCK_KEY) == 2
    client.clock.advance(119)
    client.lock.monitor.check()
    assert client.lock.state is LockState.UNLOCKED
    _go_idle(qtbot, client, 1)
    assert client.lock.state is LockState.LOCKED


def test_the_started_client_locks_and_quits_from_the_prompt(
    qtbot, app, tasks: TaskManager, profile: ProfilePaths
) -> None:
    from desktop_app.main import compose
    from ui.launcher import EXIT_OK, StartupFlow

    flow = StartupFlow(profile, Settings(), tasks, compose=compose, demo=False, actor="tester")
    try:
        with qtbot.waitSignal(flow.ready, timeout=TIMEOUT):
            flow.start()
        assert flow.lock is not None and flow.services is not None
        flow.lock.lock()
        qtbot.waitUntil(lambda: flow.lock.state is LockState.LOCKED, timeout=TIMEOUT)  # type: ignore[union-attr]
        assert flow.services.store.locked
        prompt = flow.lock.dialog
        assert prompt is not None
        with qtbot.waitSignal(flow.exit_requested, timeout=TIMEOUT) as exited:
            prompt.cancel_button.click()
        assert exited.args == [EXIT_OK]
    finally:
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
        flow.close()  # closing a locked store does nothing
        flow.busy.deleteLater()
        qtbot.waitUntil(lambda: tasks.pending == 0, timeout=TIMEOUT)


def test_a_paused_sync_controller_starts_nothing_until_resumed(
    qtbot, app, services: AppServices, tasks: TaskManager, profile: ProfilePaths
) -> None:
    from ui.sync_adapter import PLATFORM_URL_KEY, SyncController

    settings = Settings(extra={PLATFORM_URL_KEY: "http://127.0.0.1:9"})  # nobody listens
    ctl = SyncController(services, tasks, settings, profile)
    failures: list[str] = []
    ctl.failed.connect(failures.append)
    try:
        ctl.pause()
        assert not ctl.sync_now() and not ctl.prepare_offline()
        assert failures == []  # paused: not even tried
        ctl.resume()
        assert not ctl.sync_now()  # tried now, and refused for the missing login
        assert failures == ["尚未登录市级平台，请先登录后再同步。"]
    finally:
        ctl.shutdown()
        qtbot.waitUntil(lambda: tasks.pending == 0, timeout=TIMEOUT)
