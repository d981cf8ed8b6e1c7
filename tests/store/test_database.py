"""The SQLCipher store: encryption, keys, WAL, per-thread connections, atomic units of work."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop_app.store.database import SQLITE_PLAINTEXT_MAGIC, Store, head_revision
from desktop_app.store.errors import NotEncryptedError, WrongKeyError
from desktop_app.store.keys import new_random_key
from desktop_app.store.models import OutboxEntry, SyncState
from desktop_app.store.outbox import Outbox, SyncStateRepo


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "s.db"


def test_new_store_is_encrypted_and_at_head(db: Path) -> None:
    store = Store.open(db, new_random_key())
    try:
        assert store.revision() == head_revision()
    finally:
        store.close()
    header = db.read_bytes()[:16]
    assert header != SQLITE_PLAINTEXT_MAGIC


def test_wrong_key_is_refused_and_file_untouched(db: Path) -> None:
    key = new_random_key()
    store = Store.open(db, key)
    with store.write() as s:
        SyncStateRepo(s).set("k", "v")
    store.close()
    before = sha(db)
    with pytest.raises(WrongKeyError) as err:
        Store.open(db, new_random_key())
    assert "密码不正确" in str(err.value)
    assert sha(db) == before
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    reopened = Store.open(db, key)
    with reopened.read() as s:
        assert SyncStateRepo(s).get("k") == "v"
    reopened.close()


def test_plaintext_sqlite_file_is_refused_untouched(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = sha(db)
    with pytest.raises(NotEncryptedError):
        Store.open(db, new_random_key())
    assert sha(db) == before


def test_rekey_keeps_data_and_retires_old_key(db: Path) -> None:
    old, new = new_random_key(), new_random_key()
    store = Store.open(db, old)
    with store.write() as s:
        SyncStateRepo(s).set("cursor", "42")
    store.rekey(new)
    with store.read() as s:
        assert SyncStateRepo(s).get("cursor") == "42"
    store.close()
    with pytest.raises(WrongKeyError):
        Store.open(db, old)
    again = Store.open(db, new)
    with again.read() as s:
        assert SyncStateRepo(s).get("cursor") == "42"
    again.close()


def test_every_thread_has_its_own_connection_in_wal_mode(db: Path) -> None:
    store = Store.open(db, new_random_key())
    seen: dict[str, tuple[int, str]] = {}

    def probe(name: str) -> None:
        with store.engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            seen[name] = (id(conn.connection.dbapi_connection), str(mode))

    threads = [threading.Thread(target=probe, args=(f"t{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    probe("main")
    store.close()
    assert {mode for _, mode in seen.values()} == {"wal"}
    assert len({conn_id for conn_id, _ in seen.values()}) == 4


def test_closing_on_one_thread_closes_the_connections_of_the_others(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The database worker closes the store while the sync worker still holds a connection.
    store = Store.open(db, new_random_key())
    with store.write() as s:
        s.execute(text("SELECT 1"))
    done = threading.Event()

    def sync_worker() -> None:
        with store.write() as s:
            s.execute(text("SELECT 1"))
        done.set()

    worker = threading.Thread(target=sync_worker)
    worker.start()
    worker.join()
    assert done.is_set()
    with caplog.at_level("ERROR"):
        store.close()
    assert not [r for r in caplog.records if "closing connection" in r.getMessage()]


def test_unit_of_work_commits_domain_row_and_outbox_together_or_not_at_all(db: Path) -> None:
    store = Store.open(db, new_random_key())

    def user_action_that_crashes() -> None:
        with store.write() as s:
            SyncStateRepo(s).set("domain-row", "x")
            Outbox(s).add("things", "1", "create", {"a": 1})
            raise RuntimeError("crash in the middle of a user action")

    with pytest.raises(RuntimeError):
        user_action_that_crashes()
    with store.read() as s:
        assert s.get(SyncState, "domain-row") is None
        assert s.scalars(select(OutboxEntry)).all() == []
    with store.write() as s:
        SyncStateRepo(s).set("domain-row", "x")
        Outbox(s).add("things", "1", "create", {"a": 1})
    with store.read() as s:
        assert s.get(SyncState, "domain-row") is not None
        entries = Outbox(s).pending()
        assert [(e.collection, e.record_id, e.fields) for e in entries] == [
            ("things", "1", {"a": 1})
        ]
        assert Outbox(s).unsynced_count() == 1
    store.close()


def test_outbox_sequence_only_grows(db: Path) -> None:
    store = Store.open(db, new_random_key())
    with store.write() as s:
        first = Outbox(s).add("c", "1", "create", {}).seq
        second = Outbox(s).add("c", "2", "create", {}).seq
    with store.write() as s:
        s.execute(text("DELETE FROM outbox"))
    with store.write() as s:
        third = Outbox(s).add("c", "3", "create", {}).seq
    store.close()
    # AUTOINCREMENT: a sequence number is never reused, even after rows are removed.
    assert first < second < third


def test_integrity_check_passes_on_a_healthy_store(db: Path) -> None:
    store = Store.open(db, new_random_key())
    store.integrity_check()
    store.close()
