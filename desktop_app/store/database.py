"""The encrypted database: engine set-up, key checks, sessions, migrations and rekeying.

Every connection is opened with the raw 256-bit key (``PRAGMA key = "x'…'"``), so SQLCipher
runs no per-connection passphrase KDF. Each thread gets its own connection
(``SingletonThreadPool``), used by that thread only; any thread may close them all. WAL is
switched on as each connection opens, outside any transaction, where SQLite honours it.
Temporary tables and sorts stay in memory so nothing is spilled to a plaintext temp file.

The key lives in one :class:`KeySlot` per engine, read as each connection opens. Locking the
store (:meth:`Store.lock`, the client's auto-lock, and before a wipe) closes every connection
and zeroes the slot; until :meth:`Store.unlock` puts a key back, every use of the store raises
:class:`StoreLockedError` before SQLite touches the file. SQL statements are logged (when SQL
logging is switched on) without their parameters, so no USCC or ID number reaches a log file.
The database file is created owner-only (0600); SQLite gives its WAL and journal the same mode.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

import sqlcipher3
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from desktop_app.store.errors import (
    NotEncryptedError,
    StoreCorruptError,
    StoreLockedError,
    WrongKeyError,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_PLAINTEXT_MAGIC = b"SQLite format 3\x00"
KEY_BYTES = 32
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


# Rows bound to one statement by execute_rows (× columns stays under SQLite's oldest
# default limit of 999 variables for tables of up to 15 columns).
ROWS_PER_STATEMENT = 64


def execute_rows(
    conn: Connection, insert: str, rows: Sequence[tuple[Any, ...]], tail: str = ""
) -> None:
    """Run ``{insert} VALUES (?, …), (?, …), … {tail}`` for ``rows``, many rows a statement.

    SQLite's driver releases Python's GIL around every statement it steps. With one
    statement a row, a thread decoding pages meanwhile (the pull's fetch thread) took the GIL
    at each row and kept it until the interpreter's switch interval (5 ms) made it let go:
    the writer waited for the GIL far longer than it wrote. :data:`ROWS_PER_STATEMENT` rows
    a statement release it that many times less. The rows are written in order, as one
    statement each would (an ``ON CONFLICT`` clause in ``tail`` applies row by row).

    Args:
        conn: A SQLAlchemy connection in the caller's transaction.
        insert: The statement up to ``VALUES``, e.g. ``INSERT INTO t (a, b)``.
        rows: The rows, all of the same width.
        tail: What follows the values (an upsert's ``ON CONFLICT … DO UPDATE``).
    """
    if not rows:
        return
    one = "(" + ", ".join("?" * len(rows[0])) + ")"
    n = ROWS_PER_STATEMENT
    whole = len(rows) // n * n
    if whole:
        sql = f"{insert} VALUES {', '.join([one] * n)} {tail}"
        flat = chain.from_iterable
        conn.exec_driver_sql(sql, [tuple(flat(rows[i : i + n])) for i in range(0, whole, n)])
    if whole < len(rows):
        rest = rows[whole:]
        sql = f"{insert} VALUES {', '.join([one] * len(rest))} {tail}"
        conn.exec_driver_sql(sql, tuple(chain.from_iterable(rest)))


def key_literal(key: bytes | bytearray) -> str:
    """The 32-byte ``key`` as ``PRAGMA key``, ``PRAGMA rekey`` and ``ATTACH … KEY`` want it."""
    if len(key) != KEY_BYTES:
        raise ValueError("the store key must be 32 bytes")
    return f"\"x'{key.hex()}'\""


class KeySlot:
    """The one copy of a store's key that its engine reads when a connection opens.

    :meth:`clear` overwrites the key's bytes with zeros and empties the slot. (The text of
    each ``PRAGMA key`` and the bytes the key came from are immutable Python objects that are
    only released, not overwritten; SQLCipher wipes its own copy when a connection closes.)
    """

    def __init__(self, key: bytes | bytearray | None = None) -> None:
        self._key: bytearray | None = None
        if key is not None:
            self.set(key)

    @property
    def empty(self) -> bool:
        """Whether no key is held (the store is locked)."""
        return self._key is None

    def set(self, key: bytes | bytearray) -> None:
        """Hold ``key`` (32 bytes), replacing (and zeroing) the one held before."""
        if len(key) != KEY_BYTES:
            raise ValueError("the store key must be 32 bytes")
        self.clear()
        self._key = bytearray(key)

    def clear(self) -> None:
        """Zero and drop the key."""
        if self._key is not None:
            for i in range(len(self._key)):
                self._key[i] = 0
            self._key = None

    def literal(self) -> str:
        """The key as ``PRAGMA key`` wants it.

        Raises:
            StoreLockedError: The slot is empty.
        """
        if self._key is None:
            raise StoreLockedError()
        return key_literal(self._key)

    def key(self) -> bytes:
        """A copy of the key (for re-encrypting a file under it).

        Raises:
            StoreLockedError: The slot is empty.
        """
        if self._key is None:
            raise StoreLockedError()
        return bytes(self._key)


def create_private_file(path: Path) -> None:
    """Make sure ``path`` exists and only its owner may read or write it (0600, 0700 folder).

    A database SQLite creates itself gets the process's umask (often 0644); an empty file made
    here first is what SQLCipher then fills, and its WAL and journal take its mode.
    """
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE_MODE)  # a file an older version made world-readable


def make_engine(path: Path, key: bytes | KeySlot, *, pool_size: int = 8) -> Engine:
    """Create an engine on the SQLCipher file ``path`` opened with the raw ``key``.

    Args:
        path: The database file (created when missing).
        key: 32 raw key bytes, or the slot that holds them (the engine reads the slot each
            time it opens a connection; an empty slot refuses with :class:`StoreLockedError`
            before the file is opened).
        pool_size: Threads that may hold a connection at once.

    Returns:
        An engine whose every connection is keyed, in WAL mode, with foreign keys on; its
        SQL log never shows parameters.
    """
    slot = key if isinstance(key, KeySlot) else KeySlot(key)
    # The plain pysqlite dialect driven by the sqlcipher3 module: the pysqlcipher dialect
    # would issue its own passphrase PRAGMA (with a per-connection KDF) before ours.
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(
        url,
        module=sqlcipher3.dbapi2,
        poolclass=SingletonThreadPool,
        pool_size=pool_size,
        # The pool still hands each thread its own connection; the driver's same-thread check
        # would only stop Store.close() (on the database worker) from closing the sync
        # worker's connection, which SQLite's serialized mode (THREADSAFE=1) allows.
        connect_args={"check_same_thread": False},
        # With SQL logging on (sqlalchemy.engine at INFO), USCCs, names and ID numbers would
        # be written to the plaintext log as statement parameters; errors would carry them too.
        hide_parameters=True,
    )

    @event.listens_for(engine, "do_connect")
    def _refuse_when_locked(*_args: Any) -> None:
        # Before SQLite opens (or creates) the file: a locked or wiped store stays untouched.
        if slot.empty:
            raise StoreLockedError()

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (see _on_begin); the driver's implicit
        # transactions would keep PRAGMAs and reads outside of what we think is a transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA cipher_log_level = NONE")
            cur.execute(f"PRAGMA key = {slot.literal()}")
            cur.execute("PRAGMA cipher_memory_security = OFF")
            try:
                cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.dbapi2.DatabaseError as exc:
                raise WrongKeyError() from exc
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 10000")
            cur.execute("PRAGMA temp_store = MEMORY")
            # A 64 MB page cache keeps decrypted pages of the name index hot: short name
            # queries scan it, and re-decrypting it each time tripled their latency.
            cur.execute("PRAGMA cache_size = -65536")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front: two deferred transactions that both upgrade to
        # writing would otherwise fail with SQLITE_BUSY instead of waiting.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def looks_plaintext(path: Path) -> bool:
    """Whether ``path`` is an ordinary (unencrypted) SQLite file."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_PLAINTEXT_MAGIC
    except FileNotFoundError:
        return False


def alembic_config(connection: Connection) -> Config:
    """An Alembic configuration bound to ``connection`` (the store's own, keyed one)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


class _SessionGate:
    """Lets sessions in side by side, and one whole-file operation in alone.

    :meth:`Store.adopt_snapshot` replaces the database file: it waits until no session of
    this store is open, and sessions opened meanwhile wait until it is done. A thread that
    already holds a session may open another (nested reads) without waiting.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._exclusive = False
        self._mine = threading.local()

    @contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._mine, "depth", 0)
        with self._cond:
            while self._exclusive and depth == 0:
                self._cond.wait()
            self._active += 1
        self._mine.depth = depth + 1
        try:
            yield
        finally:
            self._mine.depth = depth
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        if getattr(self._mine, "depth", 0):
            raise RuntimeError("a thread inside a session cannot replace the store's file")
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._exclusive = True
            while self._active:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


class Store:
    """One open encrypted store: an engine, its sessions and its maintenance operations.

    Use :meth:`write` for a unit of work (one user action or sync batch: it commits or rolls
    back as a whole) and :meth:`read` for queries.
    """

    def __init__(self, path: Path, engine: Engine, slot: KeySlot | None = None) -> None:
        self.path = path
        self._engine = engine
        self._slot = slot
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(write=True), expire_on_commit=False
        )
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._gate = _SessionGate()

    @classmethod
    def open(cls, path: Path, key: bytes, *, migrate: bool = True) -> Store:
        """Open (or create) the store at ``path`` and bring its schema to the newest revision.

        Args:
            path: The database file.
            key: The raw 32-byte key.
            migrate: Run pending migrations (tests of old revisions pass False).

        Raises:
            NotEncryptedError: ``path`` is a plaintext SQLite file.
            WrongKeyError: ``key`` does not open it; nothing was written.
        """
        if looks_plaintext(path):
            raise NotEncryptedError(
                f"{path} 是未加密的数据库文件，本软件拒绝使用。请联系管理员处理后再启动。"
            )
        create_private_file(path)
        slot = KeySlot(key)
        engine = make_engine(path, slot)
        try:
            with engine.connect() as conn:
                if migrate:
                    # Backup first, restore on failure (store/upgrade.py imports this module).
                    from desktop_app.store.upgrade import upgrade_keeping_data

                    upgrade_keeping_data(path, conn)
        except BaseException:
            engine.dispose()
            slot.clear()
            raise
        return cls(path, engine, slot)

    @property
    def engine(self) -> Engine:
        """The underlying engine (for repositories and benchmarks)."""
        return self._engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error."""
        with self._gate.shared(), self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; it reads one consistent snapshot."""
        with self._gate.shared(), self._read_sessions() as session, session.begin():
            yield session

    def revision(self) -> str | None:
        """The schema revision the database is at."""
        with self._engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def integrity_check(self) -> None:
        """Run SQLite's and SQLCipher's integrity checks.

        Raises:
            StoreCorruptError: Either check found a problem.
        """
        with self._engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            cipher = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        if result != "ok" or cipher:
            raise StoreCorruptError(
                "本地数据库校验失败，可能已损坏。请不要继续录入，并联系管理员。"
                f"（quick_check={result!r}, cipher={len(cipher)} 处错误）"
            )

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file and truncate it."""
        with self._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def adopt_snapshot(self, snapshot: Path, snapshot_key: bytes, state: Mapping[str, str]) -> None:
        """Take the store file ``snapshot`` (under ``snapshot_key``) as this store.

        The file is re-encrypted under this store's key, this store's own tables are copied
        into it with ``state`` rows added to ``sync_state`` (one transaction), and it is
        renamed over the store's file (see :mod:`desktop_app.store.snapshot`). Sessions wait
        while this runs. ``snapshot`` is gone afterwards, whether it was taken or refused.

        Raises:
            SnapshotRefusedError: The file is not a snapshot of this schema, holds device
                data, or this store has pulled already; the store is unchanged.
        """
        if self._slot is None or self._slot.empty:
            raise StoreLockedError()
        from desktop_app.store import snapshot as snapshots  # it imports this module

        key = self._slot.key()
        try:
            snapshots.rekey_file(snapshot, snapshot_key, key)
            with self._gate.exclusive():
                self.checkpoint()
                snapshots.copy_device_data(snapshot, key, self.path, state)
                snapshots.fsync_path(snapshot)
                self._engine.dispose()
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                os.chmod(snapshot, PRIVATE_FILE_MODE)
                os.replace(snapshot, self.path)
                snapshots.fsync_path(self.path.parent)
        finally:
            snapshot.unlink(missing_ok=True)
        log.info("store replaced by a snapshot")

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the whole database under ``new_key`` (``PRAGMA rekey``).

        Other threads' connections are closed first; the store reopens with the new key. The
        caller records the new key as pending *before* calling this, so a crash in between
        leaves a key that opens the file.
        """
        self.checkpoint()
        self._engine.dispose()
        raw = self._engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(f"PRAGMA rekey = {key_literal(new_key)}")
            cur.close()
        finally:
            raw.close()
        self._engine.dispose()
        if self._slot is not None:
            self._slot.clear()
        self._slot = KeySlot(new_key)
        self._engine = make_engine(self.path, self._slot)
        self._write_sessions.configure(bind=self._engine.execution_options(write=True))
        self._read_sessions.configure(bind=self._engine)

    @property
    def locked(self) -> bool:
        """Whether the store holds no key (see :meth:`lock`)."""
        return self._slot is not None and self._slot.empty

    def lock(self) -> None:
        """Close every connection and forget the key; the store refuses all use until unlocked.

        Run it when no other thread is inside a transaction (the client locks after the
        running database and sync tasks have ended). Locking a locked store does nothing.
        """
        if self._slot is None or self._slot.empty:
            return
        try:
            self.checkpoint()
        except Exception as exc:  # the key goes all the same
            log.warning("checkpoint before locking failed: %s", type(exc).__name__)
        finally:
            self._engine.dispose()
            self._slot.clear()
        log.info("store locked")

    def unlock(self, key: bytes) -> None:
        """Take the key back after :meth:`lock`; the same engine and sessions work again.

        Raises:
            WrongKeyError: ``key`` does not open the database (the store stays locked).
        """
        if self._slot is None:
            self._slot = KeySlot()
        self._slot.set(key)
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except BaseException:
            self._slot.clear()
            self._engine.dispose()
            raise
        log.info("store unlocked")

    def close(self) -> None:
        """Checkpoint and close every connection (nothing to do when the store is locked)."""
        if self.locked:
            return
        try:
            self.checkpoint()
        finally:
            self._engine.dispose()


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Migrate the database on ``conn`` to ``revision`` (every row kept)."""
    before = MigrationContext.configure(conn).get_current_revision()
    command.upgrade(alembic_config(conn), revision)
    conn.commit()
    after = MigrationContext.configure(conn).get_current_revision()
    if before != after:
        log.info("store schema migrated from %s to %s", before, after)


def head_revision() -> str:
    """The newest schema revision this build knows."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def verify_key(path: Path, key: bytes) -> None:
    """Check that ``key`` opens ``path`` without changing the file.

    Raises:
        WrongKeyError: It does not.
    """
    engine = make_engine(path, key)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
