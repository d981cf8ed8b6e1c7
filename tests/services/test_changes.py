"""The store's change notifier on a real SQLCipher store: committed writes only, by table."""

from __future__ import annotations

import threading

from sqlalchemy import text

from desktop_app.services.app import AppServices
from desktop_app.services.changes import StoreChanges, written_table
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.store.database import Store
from desktop_app.store.outbox import SyncStateRepo


def _recorder(changes: StoreChanges) -> list[frozenset[str]]:
    seen: list[frozenset[str]] = []
    changes.subscribe(seen.append)
    return seen


def test_a_committed_import_names_its_tables_once_per_transaction(store: Store) -> None:
    changes = StoreChanges()
    changes.attach(store.engine)
    seen = _recorder(changes)
    import_entities(store, generate_entities(30, seed=3), batch_size=10)
    assert len(seen) == 3
    assert all("entities" in tables for tables in seen)


def test_rollback_and_reads_tell_nobody(store: Store) -> None:
    changes = StoreChanges()
    changes.attach(store.engine)
    seen = _recorder(changes)
    try:
        with store.write() as s:
            SyncStateRepo(s).set("k", "v")
            s.flush()
            raise RuntimeError("the save failed")
    except RuntimeError:
        pass
    with store.read() as s:
        s.execute(text("SELECT count(*) FROM entities")).scalar()
    assert seen == []
    with store.write() as s:  # raw SQL, as the pull writes reference records
        s.connection().exec_driver_sql(
            "INSERT INTO sync_state (key, value, updated_at) VALUES ('x', 'y', '2026-12-03')"
        )
    assert seen == [frozenset({"sync_state"})]


def test_services_notify_from_the_committing_thread_and_detach(services: AppServices) -> None:
    seen = _recorder(services.changes)
    threads: list[str] = []
    services.changes.subscribe(lambda _t: threads.append(threading.current_thread().name))
    worker = threading.Thread(
        target=lambda: import_entities(services.store, generate_entities(5, seed=4)),
        name="db-worker",
    )
    worker.start()
    worker.join()
    assert seen and "entities" in seen[0]
    assert threads == ["db-worker"]
    services.changes.detach()
    import_entities(services.store, generate_entities(5, seed=5))
    assert len(seen) == 1


def test_a_failing_listener_does_not_fail_the_save(store: Store) -> None:
    changes = StoreChanges()
    changes.attach(store.engine)

    def broken(_tables: frozenset[str]) -> None:
        raise ValueError("listener bug")

    changes.subscribe(broken)
    seen = _recorder(changes)
    assert import_entities(store, generate_entities(3, seed=6)) == 3
    assert len(seen) == 1


def test_written_table_reads_every_write_statement() -> None:
    assert written_table("INSERT INTO form_records (collection) VALUES (?)") == "form_records"
    assert written_table('  insert or replace into "entities" (uscc) values (?)') == "entities"
    assert written_table("UPDATE outbox SET status=? WHERE id=?") == "outbox"
    assert written_table("DELETE FROM reference_records WHERE collection=?") == "reference_records"
    assert written_table("SELECT * FROM entities") is None
    assert written_table("PRAGMA wal_checkpoint(TRUNCATE)") is None
