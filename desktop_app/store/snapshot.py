"""A ready-made store taken as this device's store: a window's first pull from a snapshot.

A province's registry is millions of entities; pulling them page by page and building their
name indexes takes minutes on a window PC. The platform can instead serve a *snapshot*: a
store file with the shared collections and their indexes already built, encrypted under a
key of its own (:class:`sync.protocol.SnapshotInfo`). This module is the store's half:

* :func:`strip_device_data` — for the builder: empties every table that is a device's own
  (outbox, sync state and device identity, audit log, drafts, …) so the file carries only
  what every window may read.
* :func:`adopt_snapshot` — for the client: re-encrypts the file under this store's key
  (``PRAGMA rekey``), copies this store's own tables into it, records ``state`` rows in the
  same transaction, and puts the file in place of the store. The store's own rows survive
  whole; the old file stays untouched until the atomic rename, so a crash at any point
  leaves either the old store or the new one, never a mixture.

The tables a snapshot fills (:data:`SNAPSHOT_TABLES`) must be empty here: a store that has
pulled anything pulls on page by page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from desktop_app.store.database import key_literal
from desktop_app.store.errors import StoreError

log = logging.getLogger(__name__)

__all__ = [
    "SNAPSHOT_TABLES",
    "SnapshotRefusedError",
    "copy_device_data",
    "device_tables",
    "fsync_path",
    "open_raw",
    "rekey_file",
    "strip_device_data",
]

SNAPSHOT_TABLES = frozenset({"entities", "entity_bigrams", "reference_records"})
"""The tables a snapshot fills (with the name search's virtual table and its shadow tables)."""

_SCHEMA_TABLES = frozenset({"alembic_version"})


class SnapshotRefusedError(StoreError):
    """The snapshot cannot be taken; the store was not changed.

    Its key does not open it, its schema is not this store's, it holds device data, or this
    store has pulled already.
    """


def open_raw(path: Path, key: bytes) -> Any:
    """A plain SQLCipher connection on ``path`` (autocommit; the caller closes it).

    Raises:
        SnapshotRefusedError: ``key`` does not open the file.
    """
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key_literal(key)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.dbapi2.DatabaseError as exc:
        conn.close()
        raise SnapshotRefusedError("快照文件无法用其密钥打开（文件损坏或密钥不符）。") from exc
    return conn


def device_tables(conn: Any, schema: str = "main") -> list[str]:
    """The ordinary tables of ``schema`` that hold a device's own data, in creation order.

    Not the :data:`SNAPSHOT_TABLES`, not a virtual table (the name search) nor its shadow
    tables, not SQLite's or Alembic's own.
    """
    rows = conn.execute(
        f"SELECT name, type, sql FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY rowid"
    ).fetchall()
    virtual = [name for name, _t, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [
        name
        for name, _t, sql in rows
        if not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(f"{v}_") for v in virtual)
        and name not in SNAPSHOT_TABLES
        and name not in _SCHEMA_TABLES
    ]


def _has_sequence(conn: Any, schema: str) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM {schema}.sqlite_master WHERE name = 'sqlite_sequence'"
    ).fetchone()
    return row is not None


def _delete_guards(conn: Any, table: str) -> list[tuple[str, str]]:
    """``(name, sql)`` of the triggers that refuse deletes from ``table``."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
        "AND upper(sql) LIKE '%BEFORE DELETE%'",
        (table,),
    ).fetchall()
    return [(name, sql) for name, sql in rows]


def strip_device_data(path: Path, key: bytes) -> None:
    """Empty every device table of the store file at ``path`` (the builder's own data).

    The audit log refuses deletes by trigger; the trigger is dropped and put back in the same
    transaction. The file is left in rollback-journal mode with its WAL folded in.
    """
    conn = open_raw(path, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN IMMEDIATE")
        for table in device_tables(conn):
            guards = _delete_guards(conn, table)
            for name, _sql in guards:
                conn.execute(f'DROP TRIGGER "{name}"')
            conn.execute(f'DELETE FROM "{table}"')
            for _name, sql in guards:
                conn.execute(sql)
        if _has_sequence(conn, "main"):
            conn.execute("DELETE FROM sqlite_sequence")
        conn.execute("COMMIT")
    finally:
        conn.close()


def _columns(conn: Any, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _revision(conn: Any, schema: str) -> str | None:
    row = conn.execute(f"SELECT version_num FROM {schema}.alembic_version").fetchone()
    return row[0] if row else None


def _is_empty(conn: Any, schema: str, table: str) -> bool:
    return conn.execute(f'SELECT 1 FROM {schema}."{table}" LIMIT 1').fetchone() is None


def copy_device_data(
    snapshot: Path, key: bytes, store_path: Path, state: Mapping[str, str]
) -> None:
    """Copy the store's device tables into ``snapshot`` (both under ``key``) and set ``state``.

    One transaction. ``snapshot`` must be at the store's schema revision, with empty device
    tables; the store's :data:`SNAPSHOT_TABLES` must be empty.

    Raises:
        SnapshotRefusedError: One of those does not hold (nothing was changed).
    """
    conn = open_raw(snapshot, key)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(f"ATTACH DATABASE ? AS old KEY {key_literal(key)}", (str(store_path),))
        if _revision(conn, "main") != _revision(conn, "old"):
            raise SnapshotRefusedError("快照与本机数据库的版本不同，改为逐页下载。")
        tables = device_tables(conn)
        if tables != device_tables(conn, "old"):
            raise SnapshotRefusedError("快照的表结构与本机数据库不同，改为逐页下载。")
        for table in tables:
            if not _is_empty(conn, "main", table):
                raise SnapshotRefusedError(f"快照中含有设备数据（{table}），已拒绝使用。")
        for table in SNAPSHOT_TABLES:
            if not _is_empty(conn, "old", table):
                raise SnapshotRefusedError("本机已下载过数据，继续逐页同步。")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in tables:
                cols = _columns(conn, "main", table)
                if cols != _columns(conn, "old", table):
                    raise SnapshotRefusedError(f"快照中 {table} 的列与本机不同，改为逐页下载。")
                names = _quoted(cols)
                conn.execute(
                    f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM old."{table}"'
                )
            if _has_sequence(conn, "main") and _has_sequence(conn, "old"):
                conn.execute("DELETE FROM main.sqlite_sequence")
                conn.execute("INSERT INTO main.sqlite_sequence SELECT * FROM old.sqlite_sequence")
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            for name, value in state.items():
                conn.execute(
                    "INSERT OR REPLACE INTO main.sync_state (key, value, updated_at) "
                    "VALUES (?, ?, ?)",
                    (name, value, now),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE old")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def rekey_file(path: Path, key: bytes, new_key: bytes) -> None:
    """Re-encrypt the file at ``path`` from ``key`` to ``new_key`` in place.

    With no rollback journal: the file is a download not yet in use; the caller throws it
    away if this is interrupted (:mod:`sync.snapshot` no longer marks it resumable by then).
    """
    conn = open_raw(path, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute(f"PRAGMA rekey = {key_literal(new_key)}")
    finally:
        conn.close()


def fsync_path(path: Path) -> None:
    """Flush ``path`` (a file or a directory) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
