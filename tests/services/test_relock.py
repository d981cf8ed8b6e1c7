"""Locking and reopening a profile's store, and erasing a revoked profile, on real files."""

from __future__ import annotations

import logging
import os

import pytest
from sqlalchemy import text

from desktop_app.config import ProfilePaths, Settings
from desktop_app.logs import setup_logging, stop_file_logging
from desktop_app.services.unlock import LockKind, StoreLockedError, StoreUnlocker, UnlockMode
from desktop_app.store.database import Store
from desktop_app.store.errors import StoreError, WrongKeyError
from desktop_app.store.keys import PamAccountCheck, os_account_check
from tests.memory_keyring import MemoryKeyring
from tests.os_account import FakeAccount

PASSPHRASE = "本机数据库口令-2026"


def _reads(store: Store) -> bool:
    with store.read() as session:
        return session.execute(text("SELECT 1")).scalar_one() == 1


def test_a_passphrase_profile_reopens_with_its_passphrase_only(
    no_keyring: None, profile: ProfilePaths
) -> None:
    unlocker = StoreUnlocker(profile, account_check=FakeAccount())
    store = unlocker.unlock(PASSPHRASE)
    assert unlocker.lock_kind() is LockKind.PASSPHRASE
    unlocker.lock(store)
    with pytest.raises(StoreLockedError):
        _reads(store)
    with pytest.raises(WrongKeyError, match="仍处于锁定状态"):
        unlocker.reopen(store, "os-secret")  # the OS password is no use here
    with pytest.raises(StoreError):
        unlocker.reopen(store, "")
    assert store.locked
    unlocker.reopen(store, PASSPHRASE)
    assert _reads(store)
    store.close()


def test_a_keyring_profile_reopens_after_the_os_account_check(profile: ProfilePaths) -> None:
    account = FakeAccount()
    unlocker = StoreUnlocker(profile, account_check=account)
    store = unlocker.unlock()
    assert unlocker.lock_kind() is LockKind.OS_ACCOUNT
    unlocker.lock(store)
    with pytest.raises(WrongKeyError, match="系统账户密码不正确"):
        unlocker.reopen(store, "guess")
    assert store.locked
    unlocker.reopen(store, "os-secret")
    assert account.tried == ["guess", "os-secret"]
    assert _reads(store)
    store.close()


def test_without_an_account_check_a_keyring_profile_needs_a_restart(
    profile: ProfilePaths,
) -> None:
    unlocker = StoreUnlocker(profile, account_check=FakeAccount(usable=False))
    store = unlocker.unlock()
    assert unlocker.lock_kind() is LockKind.RESTART
    unlocker.lock(store)
    with pytest.raises(StoreError, match="重新启动"):
        unlocker.reopen(store, "os-secret")
    assert store.locked


@pytest.mark.skipif(os.name != "posix", reason="PAM")
def test_the_real_os_account_check_refuses_a_wrong_password() -> None:
    check = os_account_check()
    if not isinstance(check, PamAccountCheck):
        pytest.skip("no PAM on this machine")
    assert check.available() and check.user
    assert not check.verify("certainly-not-the-password-2026")
    assert not check.verify("")


def test_wipe_erases_every_file_of_the_profile(
    profile: ProfilePaths, memory_keyring: MemoryKeyring
) -> None:
    profile.ensure()
    setup_logging(profile.log_dir)
    try:
        logging.getLogger("desktop_app").warning("a log line with 91140400MA0K1234X5")
        settings = Settings.load(profile.settings_file)
        settings.set("platform_url", "https://platform.example")
        unlocker = StoreUnlocker(profile)
        store = unlocker.unlock()
        profile.cache_dir.mkdir()
        (profile.cache_dir / "thumb.png").write_bytes(b"\x89PNG")
        (profile.data_dir / "settings.json.abc123.tmp").write_text("{", encoding="utf-8")
        assert (profile.log_dir / "credit-desk.log").stat().st_size > 0

        unlocker.wipe(store)
        settings.detach()
        settings.set("language_note", "after the wipe")  # must not write the file back
        logging.getLogger("desktop_app").warning("after the wipe")
        with pytest.raises(StoreLockedError):
            _reads(store)
    finally:
        stop_file_logging()
    assert not profile.data_dir.exists()
    assert memory_keyring.secrets == {}


def test_wipe_leaves_what_the_user_put_in_the_folder(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock()
    own = profile.data_dir / "我的笔记.txt"
    own.write_text("not the client's", encoding="utf-8")
    unlocker.wipe(store)
    assert sorted(p.name for p in profile.data_dir.iterdir()) == ["我的笔记.txt"]


def test_a_keyring_profile_locked_when_the_client_ended_asks_the_os_account_at_the_next_start(
    profile: ProfilePaths,
) -> None:
    """Killing a locked client and starting it again does not get around the lock."""
    account = FakeAccount()
    first = StoreUnlocker(profile, account_check=account)
    store = first.unlock()
    first.lock(store)
    assert profile.lock_marker.exists()
    store.close()  # the process ends here (quit at the prompt, killed, crashed)

    second = StoreUnlocker(profile, account_check=account)
    assert second.mode() is UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK
    assert second.mode().needs_passphrase
    with pytest.raises(StoreError):
        second.unlock()
    with pytest.raises(WrongKeyError, match="系统账户密码不正确"):
        second.unlock("guess")
    assert profile.lock_marker.exists()
    reopened = second.unlock("os-secret")
    assert _reads(reopened)
    assert not profile.lock_marker.exists()
    reopened.close()
    assert StoreUnlocker(profile, account_check=account).mode() is UnlockMode.OPEN_WITH_KEYRING


def test_unlocking_at_the_prompt_clears_the_lock_mark(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile, account_check=FakeAccount())
    store = unlocker.unlock()
    unlocker.lock(store)
    unlocker.reopen(store, "os-secret")
    assert not profile.lock_marker.exists()
    store.close()
    again = StoreUnlocker(profile, account_check=FakeAccount())
    assert again.mode() is UnlockMode.OPEN_WITH_KEYRING


def test_where_nothing_checks_the_os_account_a_restart_opens_a_locked_keyring_profile(
    profile: ProfilePaths,
) -> None:
    unlocker = StoreUnlocker(profile, account_check=FakeAccount(usable=False))
    store = unlocker.unlock()
    unlocker.lock(store)
    store.close()
    again = StoreUnlocker(profile, account_check=FakeAccount(usable=False))
    assert again.mode() is UnlockMode.OPEN_WITH_KEYRING
    reopened = again.unlock()
    assert not profile.lock_marker.exists()
    reopened.close()


def test_a_passphrase_profile_locked_at_exit_opens_with_its_passphrase_and_clears_the_mark(
    no_keyring: None, profile: ProfilePaths
) -> None:
    unlocker = StoreUnlocker(profile, account_check=FakeAccount())
    store = unlocker.unlock(PASSPHRASE)
    unlocker.lock(store)
    store.close()
    again = StoreUnlocker(profile, account_check=FakeAccount())
    assert again.mode() is UnlockMode.OPEN_WITH_PASSPHRASE
    again.unlock(PASSPHRASE).close()
    assert not profile.lock_marker.exists()
