"""Store.lock / Store.unlock: the key leaves memory, the file is untouched until it comes back."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from desktop_app.store.database import KeySlot, Store, StoreLockedError
from desktop_app.store.errors import WrongKeyError
from desktop_app.store.keys import new_random_key


def _count(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(text("SELECT count(*) FROM sync_state")).scalar_one())


def _write(store: Store) -> None:
    with store.write() as session:
        session.execute(text("DELETE FROM sync_state"))


def test_a_locked_store_refuses_everything_and_reopens_in_place(tmp_path: Path) -> None:
    key = new_random_key()
    store = Store.open(tmp_path / "store.db", key)
    with store.write() as session:
        session.execute(
            text(
                "INSERT INTO sync_state (key, value, updated_at) "
                "VALUES ('k', 'v', '2026-01-01 00:00:00')"
            )
        )
    engine = store.engine

    store.lock()
    assert store.locked
    slot = store._slot
    assert slot is not None and slot.empty
    for use in (
        lambda: _count(store),
        lambda: _write(store),
        lambda: store.engine.connect(),
        store.checkpoint,
    ):
        with pytest.raises(StoreLockedError):
            use()
    store.close()  # closing a locked store does nothing (and does not raise)

    with pytest.raises(WrongKeyError):
        store.unlock(new_random_key())
    assert store.locked

    store.unlock(key)
    assert not store.locked and store.engine is engine  # same engine, same listeners
    assert _count(store) == 1
    store.close()


def test_every_threads_connection_closes_when_locking(tmp_path: Path) -> None:
    key = new_random_key()
    store = Store.open(tmp_path / "store.db", key)
    worker = threading.Thread(target=lambda: _count(store))  # a second thread's connection
    worker.start()
    worker.join()
    store.lock()
    assert not store.engine.pool._all_conns  # type: ignore[attr-defined]
    store.unlock(key)
    store.close()


def test_a_locked_store_never_recreates_a_deleted_file(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store.open(path, new_random_key())
    store.lock()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreLockedError):
        _count(store)
    assert list(tmp_path.iterdir()) == []


def test_the_key_slot_zeroes_its_bytes() -> None:
    key = bytes(range(32))
    slot = KeySlot(key)
    held = slot._key
    assert held is not None and bytes(held) == key
    assert slot.literal() == f"\"x'{key.hex()}'\""
    slot.clear()
    assert slot.empty and bytes(held) == bytes(32)
    with pytest.raises(StoreLockedError):
        slot.literal()
    with pytest.raises(ValueError, match="32 bytes"):
        slot.set(b"short")


def test_statement_errors_do_not_carry_their_parameters(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db", new_random_key())
    try:
        with pytest.raises(OperationalError) as info, store.write() as session:
            session.execute(
                text("INSERT INTO no_such_table (uscc) VALUES (:uscc)"),
                {"uscc": "91140400MA0K1234X5"},
            )
        assert "91140400MA0K1234X5" not in str(info.value)
    finally:
        store.close()
