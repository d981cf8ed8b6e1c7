"""Login on a machine without a secure keyring, and where tokens live (REAL platform process).

The first test runs the client as two separate processes with keyring's ``fail`` backend
(:mod:`tests.sync.no_keyring_client`): the first creates a passphrase store, logs in and syncs;
the second — a restart — is given only the store passphrase, restores the login from the
store and syncs again. The others check :class:`sync.credentials.TokenVault` itself: tokens go
where the store key is, survive a keyring that refuses writes, and are gone after a logout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.errors
import pytest

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import KEYRING_SERVICE, TokenVault, login, profile_token_id, restore_session
from sync.engine import SyncEngine
from sync.transport import Transport
from tests.memory_keyring import MemoryKeyring
from tests.sync.conftest import LiveServer
from tests.sync.helpers import server_count

ROOT = Path(__file__).resolve().parents[2]
CLIENT = Path(__file__).with_name("no_keyring_client.py")
PASSPHRASE = "本机数据库口令-2026"
USER = "window.luzhou.1"
RECORDS = "SELECT count(*) FROM records WHERE collection = 'commitments' AND record_id = ?"


def _run_client(server: LiveServer, profile: Path, record: str, password: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NK_", "PYTHON_KEYRING"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "NK_PROFILE": str(profile),
        "NK_PASSPHRASE": PASSPHRASE,
        "NK_URL": server.url,
        "NK_USER": USER,
        "NK_RECORD": record,
    }
    if password is not None:
        env["NK_PASSWORD"] = password
    done = subprocess.run(
        [sys.executable, str(CLIENT)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-4000:]}"
    return done.stdout


def _stored_tokens(profile: Path) -> tuple[str, str]:
    """The pair the profile's store holds, read as the app would (passphrase only)."""
    paths = ProfilePaths(profile)
    store = StoreUnlocker(paths).unlock(PASSPHRASE)
    try:
        tokens = TokenVault.for_profile(paths, store).load()
    finally:
        store.close()
    assert tokens is not None
    return tokens


def test_login_without_keyring_survives_a_restart_with_only_the_passphrase(
    live_server: LiveServer, tmp_path: Path, no_keyring: None
) -> None:
    profile = tmp_path / "profile"
    first, second = f"c-{uuid.uuid4().hex}", f"c-{uuid.uuid4().hex}"

    out = _run_client(live_server, profile, first, DEMO_PASSWORD)
    assert "mode create-passphrase" in out and "keyring keyring.backends.fail" in out
    assert "logged-in" in out and 'synced {"pushed": 1, "rejected": 0}' in out
    tokens_after_login = _stored_tokens(profile)

    # A restart: a new process, no platform password — only the store passphrase.
    out = _run_client(live_server, profile, second, None)
    assert "mode open-passphrase" in out
    assert "restored True" in out and 'synced {"pushed": 1, "rejected": 0}' in out

    assert server_count(live_server.db_path, RECORDS, first) == 1
    assert server_count(live_server.db_path, RECORDS, second) == 1
    # The tokens are inside the encrypted store only: no file of the profile shows them.
    access, refresh = _stored_tokens(profile)
    assert access and refresh
    for path in profile.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for token in (access, refresh, *tokens_after_login):
                assert token.encode() not in raw, path


@pytest.fixture
def transport(live_server: LiveServer) -> Iterator[Transport]:
    t = Transport(live_server.url, backoff_base=0.01, max_attempts=3)
    yield t
    t.close()


def _keyring_entry(paths: ProfilePaths) -> str | None:
    return keyring.get_password(KEYRING_SERVICE, f"tokens:{profile_token_id(paths)}")


def test_keyring_profile_keeps_tokens_in_the_keyring_and_logout_clears_both_places(
    live_server: LiveServer, transport: Transport, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    store = StoreUnlocker(paths).unlock()
    try:
        vault = TokenVault.for_profile(paths, store)
        login(store, transport, vault, USER, DEMO_PASSWORD)
        assert _keyring_entry(paths) is not None and not vault.in_store
        SyncEngine(store, transport).sync()
        # A refresh while the keyring refuses writes: now both places hold a pair.
        refusing = _RefusingKeyring()
        refusing.secrets = memory_keyring.secrets
        keyring.set_keyring(refusing)
        pair = transport.refresh()
        assert vault.in_store and _keyring_entry(paths) is not None
        assert vault.load() == (pair.access_token, pair.refresh_token)  # the newest wins
        vault.clear()  # logout
        assert _keyring_entry(paths) is None and not vault.in_store and vault.load() is None
        with Transport(live_server.url) as fresh:
            assert not restore_session(store, fresh, vault)
    finally:
        keyring.set_keyring(memory_keyring)  # never leave the refusing keyring to later tests
        store.close()


class _RefusingKeyring(MemoryKeyring):
    """A keyring that reads but refuses every write (a locked or broken secret service)."""

    # Never picked up by keyring's own discovery (its chainer takes every backend class with a
    # priority above 0): only the tests that set it use it.
    priority = 0  # type: ignore[assignment]

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


def test_a_keyring_that_refuses_writes_falls_back_to_the_store(
    live_server: LiveServer, transport: Transport, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    store = StoreUnlocker(paths).unlock()  # the store key itself is in the keyring
    try:
        refusing = _RefusingKeyring()
        refusing.secrets = memory_keyring.secrets  # the same entries; writes now refused
        keyring.set_keyring(refusing)
        vault = TokenVault.for_profile(paths, store)
        login(store, transport, vault, USER, DEMO_PASSWORD)  # must not fail
        assert vault.in_store and _keyring_entry(paths) is None
        # A restart restores the login from the store, and the sync works with it.
        again = Transport(live_server.url, backoff_base=0.01, max_attempts=3)
        try:
            assert restore_session(store, again, TokenVault.for_profile(paths, store))
            SyncEngine(store, again).sync()
            # The keyring works again: the next pair goes there, the store copy is dropped.
            keyring.set_keyring(memory_keyring)
            pair = again.refresh()
            assert not vault.in_store
            assert vault.load() == (pair.access_token, pair.refresh_token)
        finally:
            again.close()
    finally:
        keyring.set_keyring(memory_keyring)  # never leave the refusing keyring to later tests
        store.close()


def test_passphrase_profile_tokens_stay_out_of_any_keyring_and_logout_clears_them(
    live_server: LiveServer, transport: Transport, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = StoreUnlocker(paths).unlock(PASSPHRASE)  # no secure keyring: a passphrase store
    keyring.set_keyring(previous)  # a keyring appears later: tokens must still not go there
    try:
        vault = TokenVault.for_profile(paths, store)
        login(store, transport, vault, USER, DEMO_PASSWORD)
        assert vault.in_store and memory_keyring.secrets == {}
        vault.clear()
        assert not vault.in_store and vault.load() is None
    finally:
        store.close()
