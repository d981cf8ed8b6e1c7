"""SyncController on a machine without a secure keyring, against a REAL platform process.

The store is a passphrase store (keyring's ``fail`` backend), opened on the database worker as
the app does. Logging in must work, a fresh controller on the reopened store must start logged
in, logout must forget the tokens, and a revoked device must keep none of them anywhere.
"""

from __future__ import annotations

import keyring
import keyring.backends.fail

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.database import Store
from sync.credentials import DeviceIdentity, TokenVault
from sync.report_signing import DeviceReportSigner
from tests.sync.conftest import LiveServer
from tests.ui.conftest import run_on_db
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

TIMEOUT = 60_000
PASSPHRASE = "本机数据库口令-2026"


def _open(qtbot, tasks: TaskManager, profile: ProfilePaths) -> AppServices:
    def work() -> AppServices:
        unlocker = StoreUnlocker(profile)
        store = unlocker.unlock(PASSPHRASE)
        return AppServices.build(store, unlocker, actor="tester", signer=DeviceReportSigner(store))

    return run_on_db(qtbot, tasks, work)


def _controller(services: AppServices, tasks: TaskManager, profile: ProfilePaths, url: str):  # type: ignore[no-untyped-def]
    return SyncController(services, tasks, Settings(extra={PLATFORM_URL_KEY: url}), profile)


def _tokens_in_store(qtbot, tasks: TaskManager, profile: ProfilePaths, store: Store) -> bool:
    return bool(run_on_db(qtbot, tasks, lambda: TokenVault.for_profile(profile, store).in_store))


def test_login_without_keyring_and_a_restart_needs_only_the_passphrase(
    qtbot, tasks: TaskManager, profile: ProfilePaths, live_server: LiveServer, no_keyring: None
) -> None:
    services = _open(qtbot, tasks, profile)
    ctl = _controller(services, tasks, profile, live_server.url)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        ctl.login(live_server.url, "window.luzhou.1", "demo-2026")
    assert ctl.logged_in
    assert _tokens_in_store(qtbot, tasks, profile, services.store)
    ctl.shutdown()
    run_on_db(qtbot, tasks, services.close)

    # Restart: the store reopened with its passphrase, a new controller, no password typed.
    services = _open(qtbot, tasks, profile)
    ctl = _controller(services, tasks, profile, live_server.url)
    try:
        with qtbot.waitSignal(ctl.logged_in_changed, timeout=TIMEOUT) as blocker:
            ctl.start()
        assert blocker.args == [True]
        qtbot.waitUntil(lambda: not ctl.running, timeout=TIMEOUT)
        with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
            assert ctl.sync_now()

        # Logout forgets the pair: the next start is logged out.
        ctl.logout()
        qtbot.waitUntil(
            lambda: not _tokens_in_store(qtbot, tasks, profile, services.store), timeout=TIMEOUT
        )
        assert not ctl.logged_in
    finally:
        ctl.shutdown()
        run_on_db(qtbot, tasks, services.close)


def test_a_revoked_device_keeps_no_tokens_anywhere(
    qtbot, tasks: TaskManager, profile: ProfilePaths, live_server: LiveServer, no_keyring: None
) -> None:
    services = _open(qtbot, tasks, profile)
    ctl = _controller(services, tasks, profile, live_server.url)
    try:
        with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
            ctl.login(live_server.url, "window.luzhou.1", "demo-2026")
        assert _tokens_in_store(qtbot, tasks, profile, services.store)
        device = run_on_db(
            qtbot, tasks, lambda: DeviceIdentity.load_or_create(services.store).device_id
        )
        done = live_server.cli("revoke-device", device)
        assert done.returncode == 0, done.stderr
        with qtbot.waitSignal(ctl.revoked, timeout=TIMEOUT):
            ctl.sync_now()
    finally:
        ctl.shutdown()
    # The store (and with it the tokens) is gone; no keyring entry was ever made or is left.
    assert not profile.database.exists() and not profile.key_header.exists()
    assert isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring)
