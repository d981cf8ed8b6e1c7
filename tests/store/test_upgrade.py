"""Upgrades that keep data: stores written by released clients, opened by today's (issue 19).

The fixtures under ``tests/fixtures/stores`` were written by the old commits' own code
(``scripts/make_upgrade_fixtures.py``); each manifest holds what the generator wrote and every
row the old client's connection saw. Each test works on a copy in ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.config import ProfilePaths
from desktop_app.services.drafts import DraftService
from desktop_app.services.forms import LocalForms
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store import audit
from desktop_app.store import upgrade as store_upgrade
from desktop_app.store.attachments import Attachments
from desktop_app.store.database import Store, head_revision, upgrade
from desktop_app.store.entities import EntityRepository
from desktop_app.store.errors import StoreError, UpgradeFailedError
from desktop_app.store.keys import KeyHeader, KeyringSlots, new_random_key
from desktop_app.store.models import OutboxEntry, ReferenceRecord
from desktop_app.store.outbox import Outbox, SyncStateRepo
from desktop_app.store.upgrade import KEEP_BACKUPS, backups_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
OLDEST = "0002-14eb397"
FIRST_WITH_DRAFTS = "0006-673c6c7"
ALL = (OLDEST, FIRST_WITH_DRAFTS)
# Columns later migrations added to old tables, with what old rows must hold in them.
ADDED_COLUMNS = {
    "entities": {"legal_representative_id": "", "principal": "", "principal_id": ""},
}


class Fixture:
    """A fixture store copied to a temporary profile folder."""

    def __init__(self, name: str, tmp_path: Path) -> None:
        source = FIXTURES / name
        self.manifest: dict[str, Any] = json.loads(
            (source / "manifest.json").read_text(encoding="utf-8")
        )
        # The fixture's fixed raw key (a test fixture, written by the generator; not a secret).
        self.key = bytes.fromhex((source / self.manifest["key_file"]).read_text().strip())
        self.revision: str = self.manifest["revision"]
        self.path = tmp_path / "profile" / "store.db"
        self.path.parent.mkdir(mode=0o700, parents=True)
        shutil.copyfile(source / self.manifest["store"], self.path)
        self.path.chmod(0o600)

    @property
    def written(self) -> dict[str, Any]:
        """What the generator gave the old client's API."""
        return self.manifest["written"]

    @property
    def tables(self) -> dict[str, Any]:
        """Every row of every table as the old client wrote it."""
        return self.manifest["tables"]


def _value(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        b = bytes(v)
        return {"blob_sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
    return v


def _rows(store: Store, table: str, columns: list[str], pk: list[str]) -> dict[str, list[Any]]:
    cols = ", ".join(f'"{c}"' for c in columns)
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{table}"').fetchall()
    keyed = {}
    for row in rows:
        values = [_value(v) for v in row]
        keyed[json.dumps([values[columns.index(k)] for k in pk] if pk else values)] = values
    return keyed


def _expected(spec: dict[str, Any]) -> dict[str, list[Any]]:
    columns, pk = spec["columns"], spec["primary_key"]
    return {
        json.dumps([row[columns.index(k)] for k in pk] if pk else row): row for row in spec["rows"]
    }


def assert_tables_hold(store: Store, tables: dict[str, Any]) -> None:
    """Every manifest row is in ``store``, every old column unchanged (byte for byte)."""
    for table, spec in tables.items():
        if table == "alembic_version":
            continue
        got = _rows(store, table, spec["columns"], spec["primary_key"])
        assert got == _expected(spec), f"rows of {table} changed"


def dump(store: Store) -> dict[str, Any]:
    """Every table of ``store`` with all its columns (virtual tables left out), as rows."""
    with store.engine.connect() as conn:
        master = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        names = {n for n, _ in master}
        virtual = [n for n, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL")]
        out = {}
        for name in sorted(names):
            if name in virtual or any(name.startswith(v + "_") for v in virtual):
                continue
            info = conn.exec_driver_sql(f'PRAGMA table_info("{name}")').fetchall()
            columns = [r[1] for r in info]
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            out[name] = {"columns": columns, "primary_key": pk}
    for name, spec in out.items():
        spec["rows"] = sorted(
            _rows(store, name, spec["columns"], spec["primary_key"]).values(), key=json.dumps
        )
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the upgrade keeps every record ---------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_an_old_store_is_migrated_after_an_encrypted_backup_with_every_row(
    name: str, tmp_path: Path
) -> None:
    fx = Fixture(name, tmp_path)
    before = _sha(fx.path)

    store = Store.open(fx.path, fx.key)
    try:
        assert store.revision() == head_revision() != fx.revision
        assert_tables_hold(store, fx.tables)
        with store.engine.connect() as conn:
            for table, defaults in ADDED_COLUMNS.items():
                cols = ", ".join(defaults)
                for row in conn.exec_driver_sql(f"SELECT {cols} FROM {table}"):
                    assert dict(zip(defaults, row, strict=True)) == defaults
    finally:
        store.close()

    # The backup: beside the store, owner-only, the old file byte for byte, same key.
    (backup,) = backups_of(fx.path)
    assert backup.path.parent == fx.path.parent
    assert backup.revision == fx.revision
    assert backup.path.name.startswith(f"store.db.backup-{fx.revision}-")
    assert backup.path.stat().st_mode & 0o777 == 0o600
    assert _sha(backup.path) == before
    assert backup.path.read_bytes()[:16] != b"SQLite format 3\x00"
    old = Store.open(backup.path, fx.key, migrate=False)
    try:
        assert old.revision() == fx.revision
        assert_tables_hold(old, fx.tables)
    finally:
        old.close()


def test_the_oldest_store_reads_back_through_todays_repositories(tmp_path: Path) -> None:
    fx = Fixture(OLDEST, tmp_path)
    w = fx.written
    store = Store.open(fx.path, fx.key)
    try:
        with store.read() as s:
            repo = EntityRepository(s)
            assert repo.count() == len(w["entities"])
            for row in w["entities"]:
                e = repo.get_by_uscc(row["uscc"])
                assert e is not None
                for field in (
                    "name",
                    "legal_representative",
                    "address",
                    "region_code",
                    "industry",
                    "status",
                    "credit_grade",
                    "lists",
                    "version",
                ):
                    assert getattr(e, field) == row[field], field
                assert (e.legal_representative_id, e.principal, e.principal_id) == ("", "", "")
                assert e.id in repo.search_name(row["name"]).ids

            # The forms typed offline and never sent: every entry, its fields as written.
            entries = list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
            assert len(entries) == len(w["outbox"])
            assert Outbox(s).unsynced_count() == len(w["outbox"])
            by_key = {(e.collection, e.record_id, e.op): e for e in entries}
            for want in w["outbox"]:
                key = (want["collection"], want.get("record_id"), want["op"])
                if want["collection"] == "uscc_overrides":
                    (got,) = [e for e in entries if e.collection == "uscc_overrides"]
                else:
                    got = by_key[key]
                    assert got.seq == want["seq"]
                assert got.fields == want["fields"]
                assert got.base_version == want["base_version"]
                assert got.status == want.get("status", "pending")
                assert got.attempts == want.get("attempts", 0)
                assert got.last_error == want.get("last_error")
            assert [e.seq for e in Outbox(s).pending()] == [e.seq for e in entries]

            states = SyncStateRepo(s)
            for k, v in w["sync_state"].items():
                assert states.get(k) == v

            verdict = audit.verify(s)
            assert verdict.ok, verdict.problems
            assert verdict.rows == w["audit_rows"] == len(w["audit"])

            files = Attachments(s)
            for att in w["attachments"]:
                content = files.content(att["id"])
                assert hashlib.sha256(content).hexdigest() == att["sha256"]
                assert len(content) == att["size"]
                owned = files.for_owner(att["owner_type"], att["owner_id"])
                assert att["id"] in {a.id for a in owned}
    finally:
        store.close()


def test_the_first_store_with_drafts_reads_back_through_todays_repositories(
    tmp_path: Path,
) -> None:
    fx = Fixture(FIRST_WITH_DRAFTS, tmp_path)
    w = fx.written
    store = Store.open(fx.path, fx.key)
    try:
        drafts = DraftService(store)
        for want in w["drafts"]:
            got = drafts.load(want["key"])
            assert got is not None
            assert (got.label, got.fields) == (want["label"], want["fields"])
        assert len(drafts.pending()) == len(w["drafts"])

        form_rows = {
            (r[0], r[1]): r
            for r in fx.tables["form_records"]["rows"]  # collection, record_id, …
        }
        columns = fx.tables["form_records"]["columns"]
        with store.read() as s:
            forms = LocalForms(s)
            for collection, record_id in w["forms"]:
                row = dict(zip(columns, form_rows[(collection, record_id)], strict=True))
                assert forms.get(collection, record_id) == json.loads(row["data"])
                assert row["dirty"] == 1
            (pulled, calendar, gone) = w["pulled"]
            assert forms.get(pulled[0], pulled[1]) == pulled[4]

            for collection, record_id, fields in w["reference_records"]:
                ref = s.get(ReferenceRecord, (collection, record_id))
                assert ref is not None
                assert json.loads(ref.data) == fields
                assert ref.entity_uscc == fields.get("uscc")
            cal = s.get(ReferenceRecord, (calendar[0], calendar[1]))
            assert cal is not None and json.loads(cal.data) == calendar[4]
            tomb = s.get(ReferenceRecord, (gone[0], gone[1]))
            assert tomb is not None and tomb.deleted
            for collection, n in w["reference_counts"].items():
                count = len(
                    list(
                        s.scalars(
                            select(ReferenceRecord).where(ReferenceRecord.collection == collection)
                        )
                    )
                )
                assert count == n

            repo = EntityRepository(s)
            for row in w["entities"]:
                e = repo.get_by_uscc(row["uscc"])
                assert e is not None and e.name == row["name"] and e.lists == row["lists"]

            states = SyncStateRepo(s)
            for k, v in w["sync_state"].items():
                assert states.get(k) == v
            verdict = audit.verify(s)
            assert verdict.ok, verdict.problems
            assert verdict.rows == w["audit_rows"]

            files = Attachments(s)
            for att in w["attachments"]:
                owned = files.for_owner(att["owner_type"], att["owner_id"])
                assert [a.filename for a in owned] == [att["filename"]]
                content = files.content(owned[0].id)
                assert hashlib.sha256(content).hexdigest() == att["sha256"]
                assert len(content) == att["size"]
    finally:
        store.close()


# -- a failed migration puts the old store back ---------------------------------------------


def _obstruct(fx: Fixture) -> None:
    """Make a later migration fail as it would on a hand-patched or half-upgraded store."""
    old = Store.open(fx.path, fx.key, migrate=False)
    try:
        with old.engine.begin() as conn:
            if fx.revision < "0006":
                # 0006 creates drafts: a table of that name already exists.
                conn.exec_driver_sql("CREATE TABLE drafts (key TEXT PRIMARY KEY)")
            else:
                # 0007 adds the entities' person columns: one is already there.
                conn.exec_driver_sql("ALTER TABLE entities ADD COLUMN principal_id TEXT")
    finally:
        old.close()


@pytest.mark.parametrize("name", ALL)
def test_a_failed_migration_restores_the_store_and_keeps_the_backup(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fx = Fixture(name, tmp_path)
    _obstruct(fx)
    before = Store.open(fx.path, fx.key, migrate=False)
    try:
        state_before = dump(before)
    finally:
        before.close()

    with caplog.at_level(logging.DEBUG), pytest.raises(UpgradeFailedError) as caught:
        Store.open(fx.path, fx.key)

    # The log says what happened (revisions, the backup's file name), never data or the
    # profile's folder (its path names the OS account).
    assert "restoring store.db.backup-" in caplog.text
    assert "store restored to revision " + fx.revision in caplog.text
    assert str(fx.path.parent) not in caplog.text
    for entity in fx.written["entities"]:
        assert entity["uscc"] not in caplog.text
        assert entity["name"] not in caplog.text
    err = caught.value
    assert isinstance(err, StoreError)
    (backup,) = backups_of(fx.path)
    assert err.backup == backup.path and err.restored
    message = str(err)
    assert "升级失败" in message
    assert "已自动恢复到升级前的状态" in message
    assert str(backup.path) in message
    assert "联系管理员" in message
    assert "继续使用原来的版本" in message
    # The failed attempt's WAL and shared memory are gone; the store is the backup again.
    assert not fx.path.with_name("store.db-wal").exists()
    assert not fx.path.with_name("store.db-shm").exists()
    assert _sha(fx.path) == _sha(backup.path)
    assert fx.path.stat().st_mode & 0o777 == 0o600

    restored = Store.open(fx.path, fx.key, migrate=False)
    try:
        assert restored.revision() == fx.revision
        assert dump(restored) == state_before
        assert_tables_hold(restored, fx.tables)
    finally:
        restored.close()


def test_a_failed_restore_says_so_and_points_at_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fx = Fixture(OLDEST, tmp_path)
    _obstruct(fx)

    def broken_restore(_store: Path, _backup: Path) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(store_upgrade, "restore_backup", broken_restore)
    with pytest.raises(UpgradeFailedError) as caught:
        Store.open(fx.path, fx.key)
    assert not caught.value.restored
    assert "未能自动恢复" in str(caught.value)
    assert str(caught.value.backup) in str(caught.value)
    assert caught.value.backup.exists()


def test_no_migration_runs_when_the_backup_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fx = Fixture(OLDEST, tmp_path)
    before = _sha(fx.path)

    def full_disk(_source: Path, _target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_upgrade, "_private_copy", full_disk)
    with pytest.raises(StoreError, match="没有升级") as caught:
        Store.open(fx.path, fx.key)
    assert not isinstance(caught.value, UpgradeFailedError)
    assert backups_of(fx.path) == []
    assert _sha(fx.path) == before
    old = Store.open(fx.path, fx.key, migrate=False)
    try:
        assert old.revision() == fx.revision
    finally:
        old.close()


# -- when no backup is taken, and how many are kept -----------------------------------------


def test_a_current_store_and_a_new_store_take_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    key = new_random_key()
    Store.open(path, key).close()  # brand new
    assert backups_of(path) == []
    store = Store.open(path, key)  # already at head
    store.close()
    assert backups_of(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.db"]


def test_an_old_store_without_data_is_migrated_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    key = new_random_key()
    old = Store.open(path, key, migrate=False)
    with old.engine.connect() as conn:
        upgrade(conn, "0001")
    old.close()
    store = Store.open(path, key)
    try:
        assert store.revision() == head_revision()
    finally:
        store.close()
    assert backups_of(path) == []


def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    fx = Fixture(OLDEST, tmp_path)
    older = [
        fx.path.with_name(f"store.db.backup-{fx.revision}-2026010{d}T080000Z") for d in range(1, 5)
    ]
    for path in older:
        path.write_bytes(b"an older backup")
    unrelated = fx.path.with_name("notes.txt")
    unrelated.write_text("kept")

    Store.open(fx.path, fx.key).close()

    kept = backups_of(fx.path)
    assert len(kept) == KEEP_BACKUPS
    assert kept[0].path.read_bytes()[:16] != b"an older backup"[:16]  # the one just taken
    assert [b.path for b in kept[1:]] == [older[3], older[2]]
    assert not older[0].exists() and not older[1].exists()
    assert unrelated.exists()


def test_a_store_from_a_newer_version_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    key = new_random_key()
    Store.open(path, key).close()
    newer = Store.open(path, key, migrate=False)
    with newer.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    newer.close()
    before = _sha(path)

    with pytest.raises(StoreError, match="较新版本"):
        Store.open(path, key)
    assert _sha(path) == before
    assert backups_of(path) == []


# -- the way the launcher opens a profile ---------------------------------------------------


def _keyring_profile(fx: Fixture) -> ProfilePaths:
    """The fixture as a keyring profile: header beside it, its key in the (test) keyring."""
    paths = ProfilePaths(fx.path.parent)
    header = KeyHeader.new("keyring")
    header.save(paths.key_header)
    KeyringSlots(header.profile_id).set_current(fx.key)
    return paths


def test_the_launcher_opens_an_old_profile_and_is_told_when_its_upgrade_failed(
    tmp_path: Path,
) -> None:
    fx = Fixture(OLDEST, tmp_path / "ok")
    store = StoreUnlocker(_keyring_profile(fx)).unlock()
    try:
        assert store.revision() == head_revision()
    finally:
        store.close()
    assert len(backups_of(fx.path)) == 1

    broken = Fixture(OLDEST, tmp_path / "broken")
    _obstruct(broken)
    with pytest.raises(StoreError, match="已自动恢复到升级前的状态"):  # what the launcher shows
        StoreUnlocker(_keyring_profile(broken)).unlock()
