"""Schema upgrades that keep the data: an encrypted backup first, the old file back on failure.

:meth:`Store.open <desktop_app.store.database.Store.open>` hands its first connection to
:func:`upgrade_keeping_data`. A store already at this build's head, or a new one (no revision
yet), is migrated as before, with no backup. A store at an older revision that holds data is
first copied beside itself as ``<name>.backup-<revision>-<UTC time>`` (0600), then migrated.

The backup is a byte copy of the database file after ``PRAGMA wal_checkpoint(TRUNCATE)``,
taken while this connection holds a read snapshot (no checkpoint may rewrite the file under the
copy). The file is SQLCipher-encrypted page by page, so the copy is encrypted with the same key
and cipher settings, needs no key to make, and restoring it gives back exactly the file the
old client left: no re-encryption (``sqlcipher_export``) that could change what is restored.
Before migrating, the copy is checked by attaching it to the keyed connection (SQLCipher uses
the main database's key) and reading its revision and page count.

When a migration fails, every connection is closed, the failed attempt's ``-wal``/``-shm`` are
removed, the backup is copied back over the store file (the backup itself is kept), and
:class:`~desktop_app.store.errors.UpgradeFailedError` says in Chinese what happened, where the
backup is and what to do. The newest :data:`KEEP_BACKUPS` backups of a store are kept, older
ones removed. The log names revisions and backup file names only, never data.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection

from desktop_app.store.database import MIGRATIONS_DIR, upgrade
from desktop_app.store.errors import StoreError, UpgradeFailedError

log = logging.getLogger(__name__)

__all__ = [
    "BACKUP_MARK",
    "KEEP_BACKUPS",
    "Backup",
    "backups_of",
    "restore_backup",
    "take_backup",
    "upgrade_keeping_data",
]

KEEP_BACKUPS = 3
"""Backups kept per store (the newest); older ones are removed after each new one."""
BACKUP_MARK = ".backup-"
PARTIAL_SUFFIX = ".partial"
_PRIVATE_FILE_MODE = 0o600
_COPY_CHUNK = 1 << 20
_ATTACHED = "upgrade_backup"
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Backup:
    """One backup file of a store: where it is, the revision it holds, when it was taken."""

    path: Path
    revision: str
    taken_at: datetime
    serial: int = 0


def _backup_pattern(store_path: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(store_path.name + BACKUP_MARK)
        + r"(?P<rev>.+)-(?P<at>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?$"
    )


def backups_of(store_path: Path) -> list[Backup]:
    """The backups beside ``store_path``, the newest first."""
    pattern = _backup_pattern(store_path)
    found = []
    if not store_path.parent.is_dir():
        return []
    for candidate in store_path.parent.iterdir():
        match = pattern.match(candidate.name)
        if match is None or not candidate.is_file():
            continue
        taken = datetime.strptime(match["at"], _STAMP).replace(tzinfo=UTC)
        found.append(Backup(candidate, match["rev"], taken, int(match["n"] or 0)))
    return sorted(found, key=lambda b: (b.taken_at, b.serial), reverse=True)


def _prune(store_path: Path, keep: int = KEEP_BACKUPS) -> None:
    for partial in store_path.parent.glob(f"{store_path.name}{BACKUP_MARK}*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)  # a copy a crash cut short
    for old in backups_of(store_path)[keep:]:
        try:
            old.path.unlink()
            log.info("removed old store backup %s", old.path.name)
        except OSError as exc:
            log.warning("could not remove old store backup %s: %s", old.path.name, exc)


def _private_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` (0600) through a temporary file, synced, then renamed."""
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_COPY_CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if os.name == "posix":
            os.chmod(partial, _PRIVATE_FILE_MODE)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if os.name == "posix":  # the rename itself survives a power cut
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_COPY_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _backup_name(store_path: Path, revision: str, now: datetime) -> Path:
    base = f"{store_path.name}{BACKUP_MARK}{revision}-{now.strftime(_STAMP)}"
    target = store_path.with_name(base)
    serial = 0
    while target.exists():
        serial += 1
        target = store_path.with_name(f"{base}-{serial}")
    return target


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def take_backup(store_path: Path, conn: Connection, revision: str) -> Path:
    """Copy the store file (encrypted as it is) beside itself and check the copy opens.

    Args:
        store_path: The store's database file.
        conn: The keyed connection on it, outside any transaction.
        revision: The store's revision (part of the backup's name, checked in the copy).

    Returns:
        The backup file.

    Raises:
        StoreError: The copy could not be made or checked (nothing was migrated; the store
            file is untouched).
    """
    cur = _driver(conn).cursor()
    target = _backup_name(store_path, revision, datetime.now(UTC))
    wal = store_path.with_name(store_path.name + "-wal")
    in_use = StoreError(
        "本地数据库正被其他程序使用，无法在升级前完成备份，因此没有升级。"
        "请关闭其他正在运行的本软件窗口后重新启动；数据未做任何改动。"
    )
    try:
        if cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
            raise in_use
        # A read snapshot for the length of the copy: with the WAL empty, no checkpoint (of
        # this process or another) may write into the main file until it ends.
        cur.execute("BEGIN")
        try:
            pages = cur.execute("PRAGMA page_count").fetchone()[0]
            if wal.exists() and wal.stat().st_size:  # another process wrote in between
                raise in_use
            _private_copy(store_path, target)
        finally:
            cur.execute("COMMIT")
        # Attached without a KEY clause, SQLCipher opens the copy with the main database's key.
        cur.execute(f"ATTACH DATABASE ? AS {_ATTACHED}", (str(target),))
        try:
            copied = cur.execute(f"SELECT version_num FROM {_ATTACHED}.alembic_version").fetchall()
            copied_pages = cur.execute(f"PRAGMA {_ATTACHED}.page_count").fetchone()[0]
        finally:
            cur.execute(f"DETACH DATABASE {_ATTACHED}")
    except (OSError, sqlcipher3.dbapi2.Error) as exc:
        target.unlink(missing_ok=True)
        log.error("store backup before upgrade failed: %s", type(exc).__name__)
        raise StoreError(
            "升级前无法备份本地数据库（可能是磁盘空间不足或文件夹不可写），因此没有升级，"
            f"数据未做任何改动。请清理磁盘空间后重新启动；仍有问题请联系管理员。（{exc}）"
        ) from exc
    finally:
        cur.close()
    if [tuple(row) for row in copied] != [(revision,)] or copied_pages != pages:
        target.unlink(missing_ok=True)
        log.error("store backup before upgrade does not match the store")
        raise StoreError(
            "升级前备份本地数据库时校验失败，因此没有升级，数据未做任何改动。请联系管理员。"
        )
    log.info("store backup taken at revision %s: %s", revision, target.name)
    return target


def restore_backup(store_path: Path, backup: Path) -> None:
    """Put ``backup`` back as the store file (every connection to it must be closed).

    The ``-wal``, ``-shm`` and ``-journal`` files beside the store belong to the failed
    attempt and are removed first; the backup file is kept.

    Raises:
        OSError: The copy failed or does not match the backup.
    """
    for suffix in ("-wal", "-shm", "-journal"):
        store_path.with_name(store_path.name + suffix).unlink(missing_ok=True)
    _private_copy(backup, store_path)
    if _digest(store_path) != _digest(backup):
        raise OSError(f"restored store differs from its backup {backup.name}")


def _holds_data(conn: Connection) -> bool:
    master = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [n for n, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL")]
    for name, _sql in master:
        if name == "alembic_version" or name in virtual:
            continue
        if any(name.startswith(v + "_") for v in virtual):
            continue
        quoted = name.replace('"', '""')
        if conn.exec_driver_sql(f'SELECT 1 FROM "{quoted}" LIMIT 1').first() is not None:
            return True
    return False


def _failed_message(before: str, head: str, backup: Path, restored: bool) -> str:
    if restored:
        return (
            f"本地数据库升级失败（数据版本 {before} → {head}），已自动恢复到升级前的状态，"
            "数据没有丢失。\n"
            f"升级前的加密备份保存在：{backup}（请勿删除）。\n"
            "请联系管理员处理；在问题解决之前，请继续使用原来的版本。"
        )
    return (
        f"本地数据库升级失败（数据版本 {before} → {head}），并且未能自动恢复升级前的数据。\n"
        f"升级前的加密备份保存在：{backup}，请勿删除该文件，也不要删除数据文件夹中的任何文件。\n"
        "请不要再打开本软件，立即联系管理员用该备份恢复数据。"
    )


def upgrade_keeping_data(store_path: Path, conn: Connection) -> None:
    """Migrate the store on ``conn`` to this build's head, backing it up first when needed.

    Args:
        store_path: The store's database file.
        conn: The store's first keyed connection (no other is open).

    Raises:
        UpgradeFailedError: A migration failed; the store file was restored from the backup
            (or, if even that failed, the message says so), and the backup is kept.
        StoreError: The store was made by a newer version, or the backup could not be made;
            nothing was changed.
    """
    before = MigrationContext.configure(conn).get_current_revision()
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if before is None or before == head:
        upgrade(conn)
        return
    try:
        script.get_revision(before)
    except CommandError:
        conn.rollback()
        raise StoreError(
            f"本地数据库由较新版本的本软件创建（数据版本 {before}，本版本最高支持 {head}）。"
            "为保护数据，本版本不会打开或改动它。请使用较新版本的本软件，或联系管理员。"
        ) from None
    if not _holds_data(conn):
        log.info("store at revision %s holds no data: migrating without a backup", before)
        upgrade(conn)
        return
    conn.rollback()  # outside any transaction for the checkpoint and the attach
    backup = take_backup(store_path, conn, before)
    try:
        upgrade(conn)
    except Exception as exc:
        log.error(
            "store upgrade from %s to %s failed (%s): restoring %s",
            before,
            head,
            type(exc).__name__,
            backup.name,
        )
        conn.invalidate()  # closes the connection: SQLite drops the failed transaction
        conn.engine.dispose()
        restored = True
        try:
            restore_backup(store_path, backup)
        except OSError as restore_exc:
            restored = False
            log.critical(
                "restoring the store from %s failed: %s (errno %s)",
                backup.name,
                type(restore_exc).__name__,
                restore_exc.errno,
            )
        else:
            log.warning("store restored to revision %s from %s", before, backup.name)
        _prune(store_path)
        raise UpgradeFailedError(
            _failed_message(before, str(head), backup, restored), backup=backup, restored=restored
        ) from exc
    _prune(store_path)
