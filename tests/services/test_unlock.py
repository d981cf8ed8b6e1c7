"""Unlocking a profile: keyring key, passphrase, wrong input, rotation, crash recovery."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import ClassVar

import keyring.backends.fail
import pytest

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker, UnlockMode
from desktop_app.store.database import Store
from desktop_app.store.errors import (
    KeyUnavailableError,
    PassphraseRequiredError,
    StoreError,
    WrongKeyError,
)
from desktop_app.store.keys import KdfParams, KeyHeader, KeyringSlots, keyring_is_secure
from desktop_app.store.outbox import SyncStateRepo
from tests.memory_keyring import MemoryKeyring

GOOD = "长治信用2026!"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def put_marker(store: Store, value: str = "v") -> None:
    with store.write() as s:
        SyncStateRepo(s).set("marker", value)


def get_marker(store: Store) -> str | None:
    with store.read() as s:
        return SyncStateRepo(s).get("marker")


def test_keyring_profile_makes_a_random_key_kept_only_in_the_keyring(
    profile: ProfilePaths, memory_keyring: MemoryKeyring
) -> None:
    unlocker = StoreUnlocker(profile)
    assert unlocker.mode() is UnlockMode.CREATE_WITH_KEYRING
    store = unlocker.unlock()
    put_marker(store)
    store.close()
    header = json.loads(profile.key_header.read_text())
    assert header["source"] == "keyring" and header["kdf"] is None
    [(service, user)] = memory_keyring.secrets
    key_hex = memory_keyring.secrets[(service, user)]
    assert len(bytes.fromhex(key_hex)) == 32
    assert key_hex not in profile.key_header.read_text()
    assert unlocker.mode() is UnlockMode.OPEN_WITH_KEYRING
    again = unlocker.unlock()
    assert get_marker(again) == "v"
    again.close()


@pytest.mark.usefixtures("no_keyring")
def test_without_a_secure_keyring_a_passphrase_is_required(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile)
    assert unlocker.mode() is UnlockMode.CREATE_WITH_PASSPHRASE
    with pytest.raises(PassphraseRequiredError):
        unlocker.unlock()
    with pytest.raises(StoreError, match="至少需要"):
        unlocker.unlock("short")
    assert not profile.database.exists() and not profile.key_header.exists()

    store = unlocker.unlock(GOOD)
    put_marker(store)
    store.close()
    header = json.loads(profile.key_header.read_text())
    assert header["source"] == "passphrase"
    assert set(header["kdf"]) == {"algorithm", "salt", "n", "r", "p"}
    assert unlocker.mode() is UnlockMode.OPEN_WITH_PASSPHRASE


@pytest.mark.usefixtures("no_keyring")
def test_wrong_passphrase_gives_a_message_and_leaves_the_database_unchanged(
    profile: ProfilePaths,
) -> None:
    unlocker = StoreUnlocker(profile)
    unlocker.unlock(GOOD).close()
    before_db, before_header = sha(profile.database), sha(profile.key_header)
    with pytest.raises(WrongKeyError) as err:
        unlocker.unlock("not-the-password")
    assert "密码不正确" in str(err.value)
    assert sha(profile.database) == before_db
    assert sha(profile.key_header) == before_header
    unlocker.unlock(GOOD).close()


@pytest.mark.usefixtures("no_keyring")
def test_change_passphrase(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock(GOOD)
    put_marker(store, "before")
    with pytest.raises(WrongKeyError, match="原密码不正确"):
        unlocker.change_passphrase(store, "wrong-old-pass", "新的密码Abc123")
    unlocker.change_passphrase(store, GOOD, "新的密码Abc123")
    assert get_marker(store) == "before"
    store.close()
    with pytest.raises(WrongKeyError):
        unlocker.unlock(GOOD)
    reopened = unlocker.unlock("新的密码Abc123")
    assert get_marker(reopened) == "before"
    reopened.close()
    assert json.loads(profile.key_header.read_text())["pending_kdf"] is None


@pytest.mark.usefixtures("no_keyring")
def test_passphrase_change_interrupted_after_rekey_is_finished_on_next_open(
    profile: ProfilePaths,
) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock(GOOD)
    header = KeyHeader.load(profile.key_header)
    assert header is not None
    new_kdf = KdfParams.fresh()
    header.with_pending(new_kdf).save(profile.key_header)
    store.rekey(new_kdf.derive("新的密码Abc123"))
    store.close()  # crash here: header still names the old KDF as current
    reopened = unlocker.unlock("新的密码Abc123")
    reopened.close()
    promoted = KeyHeader.load(profile.key_header)
    assert promoted is not None and promoted.pending_kdf is None
    assert promoted.kdf == new_kdf


def test_rotate_key_in_keyring_mode(profile: ProfilePaths, memory_keyring: MemoryKeyring) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock()
    put_marker(store, "kept")
    header = KeyHeader.load(profile.key_header)
    assert header is not None
    old_key = KeyringSlots(header.profile_id).current()
    unlocker.rotate_key(store)
    assert get_marker(store) == "kept"
    store.close()
    new_key = KeyringSlots(header.profile_id).current()
    assert new_key is not None and new_key != old_key
    assert KeyringSlots(header.profile_id).pending() is None
    assert old_key is not None
    with pytest.raises(WrongKeyError):
        Store.open(profile.database, old_key)
    again = unlocker.unlock()
    assert get_marker(again) == "kept"
    again.close()


def test_rotation_interrupted_after_rekey_is_finished_on_next_open(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock()
    header = KeyHeader.load(profile.key_header)
    assert header is not None
    slots = KeyringSlots(header.profile_id)
    new_key = bytes(range(32))
    slots.set_pending(new_key)
    store.rekey(new_key)
    store.close()  # crash before the keyring's current key was replaced
    unlocker.unlock().close()
    assert slots.current() == new_key and slots.pending() is None


def test_lost_keyring_key_is_a_message_not_a_new_database(
    profile: ProfilePaths, memory_keyring: MemoryKeyring
) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock()
    put_marker(store)
    store.close()
    before = sha(profile.database)
    memory_keyring.secrets.clear()
    with pytest.raises(KeyUnavailableError, match="找不到"):
        unlocker.unlock()
    assert sha(profile.database) == before


def test_database_without_header_is_never_replaced(profile: ProfilePaths) -> None:
    unlocker = StoreUnlocker(profile)
    unlocker.unlock().close()
    profile.key_header.unlink()
    before = sha(profile.database)
    with pytest.raises(StoreError, match="不会新建数据库"):
        unlocker.unlock()
    assert sha(profile.database) == before


def test_wipe_removes_store_header_and_keys(
    profile: ProfilePaths, memory_keyring: MemoryKeyring
) -> None:
    unlocker = StoreUnlocker(profile)
    store = unlocker.unlock()
    unlocker.wipe(store)
    assert not profile.database.exists() and not profile.key_header.exists()
    assert memory_keyring.secrets == {}


class _AltLikeBackend(MemoryKeyring):
    pass


def test_keyring_security_judgement() -> None:
    assert keyring_is_secure(MemoryKeyring())
    assert not keyring_is_secure(keyring.backends.fail.Keyring())
    alt = _AltLikeBackend()
    type(alt).__module__ = "keyrings.alt.file"
    assert not keyring_is_secure(alt)

    class Chain:
        backends: ClassVar[list[object]] = [keyring.backends.fail.Keyring(), MemoryKeyring()]

    assert keyring_is_secure(Chain())  # type: ignore[arg-type]
    Chain.backends = [keyring.backends.fail.Keyring()]
    assert not keyring_is_secure(Chain())  # type: ignore[arg-type]
