"""Engine and sessions for PostgreSQL or SQLite, and the change-sequence allocator.

Change numbering comes in two modes, both keeping commit order equal to sequence order (the
ground of gap-free pulls, sync invariant 3):

- **At once** (every writer on SQLite; on PostgreSQL the command-line jobs — imports, the
  demo seed — and start-up work): :func:`allocate_seq` takes the counter row's lock at the
  first change and holds it until the transaction ends.
- **At commit** (on PostgreSQL every request that writes — pushes, draws, decisions, the
  publication desk — through ``deps.get_write_session``, :func:`defer_numbering`): the
  transaction does all its work holding only row locks on the records it writes;
  :func:`allocate_seq` hands out *placeholders* (negative numbers in a range only this
  backend uses, never committed), and just before COMMIT one statement takes the counter
  lock and reserves as many numbers as the transaction has placeholder rows, a second
  renumbers them in write order. The lock is held for those two statements and the commit,
  so concurrent writers overlap all their other work, and the counter is always the last
  lock a request takes: it never waits for a row while holding the counter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from platform_server.models import Counter, Record

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # Writers (sessions from ``make_sessionmaker(engine, write=True)``) take the lock
            # up front: a deferred transaction that reads and then writes fails at once with
            # "database is locked" if another writer committed in between.
            write = conn.get_execution_options().get("write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def make_sessionmaker(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit.

    Args:
        engine: The platform engine.
        write: Sessions that will write change records (push, draw, import): on SQLite they
            take the write lock when they begin.
    """
    bound = engine.execution_options(write=True) if write else engine
    return sessionmaker(bind=bound, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with factory() as session, session.begin():
        yield session


def allocate_seq(session: Session, n: int = 1) -> int:
    """Reserve ``n`` change-sequence numbers and return the first.

    The UPDATE takes the counter row's lock and holds it until the transaction ends, so
    transactions that write changes commit in the order of their sequence numbers. A reader
    therefore always sees a gap-free prefix of the sequence, and a pull cursor never skips a
    change that commits later (sync invariant 3), on PostgreSQL as on SQLite.

    In a transaction numbered at commit (:func:`defer_numbering`) it returns ``n`` consecutive
    placeholders instead and takes no lock; ``allocate_seq(session, 0)`` (a caller that wants
    the lock itself) still takes it at once.
    """
    pending: _Pending | None = session.info.get(_PENDING)
    if pending is not None and n > 0:
        first = pending.low + pending.used
        pending.used += n
        return first
    stmt = (
        update(Counter)
        .where(Counter.name == "change_seq")
        .values(value=Counter.value + n)
        .returning(Counter.value)
    )
    last = session.execute(stmt).scalar_one()
    return int(last) - n + 1


_PENDING = "credit_desk.pending_seq"
_PLACEHOLDER_SPAN = 1 << 32


class _Pending:
    """The placeholder range of one transaction numbered at commit."""

    def __init__(self, low: int) -> None:
        self.low = low
        self.used = 0


def defer_numbering(session: Session) -> bool:
    """Number this transaction's changes when it commits (PostgreSQL); False on SQLite.

    Placeholders are ``-(backend pid + 1) * 2**32 + i``: negative, so no pull range
    (``seq > cursor >= 0``) can include them, and distinct between concurrent transactions
    (one backend runs one transaction at a time), so two pushes never wait on each other's
    uncommitted placeholder in the unique ``seq`` index. A placeholder row is never committed:
    :func:`number_pending` runs before every COMMIT (a ``before_commit`` hook); a transaction
    that ends any other way takes its rows with it.

    On SQLite writers are serialised by ``BEGIN IMMEDIATE``: nothing would be gained, and
    numbering stays at once.

    Args:
        session: A write session in its transaction, before it writes any record. The
            mode ends with the transaction.
    """
    if session.get_bind().dialect.name != "postgresql":
        return False
    if _PENDING not in session.info:
        conn = session.connection()
        pid = conn.info.get("backend_pid")  # kept with the pooled DBAPI connection
        if pid is None:
            pid = conn.info["backend_pid"] = int(
                conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            )
        session.info[_PENDING] = _Pending(-(int(pid) + 1) * _PLACEHOLDER_SPAN)
    return True


def number_pending(session: Session) -> int:
    """Give this transaction's placeholder rows their real numbers (at commit).

    Flushes, then takes the counter lock reserving one number per placeholder row, and
    renumbers them in placeholder (= write) order. Rows of savepoints rolled back are gone,
    so the numbers stay dense. The caller commits right after: the lock is held only for
    this and the COMMIT.

    Returns:
        How many rows were numbered.
    """
    pending: _Pending | None = session.info.get(_PENDING)
    if pending is None or pending.used == 0:
        return 0
    session.flush()
    low, high = pending.low, pending.low + pending.used - 1
    params = {"low": low, "high": high}
    last = session.execute(
        text(
            "UPDATE counters SET value = value + (SELECT count(*) FROM records "
            "WHERE seq BETWEEN :low AND :high) WHERE name = 'change_seq' RETURNING value"
        ),
        params,
    ).scalar_one()
    numbered = session.execute(
        text(
            "UPDATE records AS r SET seq = :last - x.n + x.rank "
            "FROM (SELECT collection, record_id, "
            "row_number() OVER (ORDER BY seq) AS rank, count(*) OVER () AS n "
            "FROM records WHERE seq BETWEEN :low AND :high) AS x "
            "WHERE r.collection = x.collection AND r.record_id = x.record_id "
            "RETURNING r.collection, r.record_id, r.seq"
        ),
        {**params, "last": int(last)},
    ).all()
    for collection, record_id, seq in numbered:
        record = session.identity_map.get(session.identity_key(Record, (collection, record_id)))
        if record is not None:
            set_committed_value(record, "seq", seq)
    pending.used = 0
    return len(numbered)


@event.listens_for(Session, "before_commit")
def _number_before_commit(session: Session) -> None:
    # Fires for savepoint releases too: only the outermost commit numbers.
    if _PENDING in session.info and not session.in_nested_transaction():
        number_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_placeholders(session: Session, transaction: Any) -> None:
    # Numbering at commit is per transaction (the next one may run on another connection,
    # whose backend pid names another placeholder range).
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def refresh_statistics(factory: sessionmaker[Session]) -> None:
    """Update the planner's statistics after a bulk load (seed, import).

    Right after hundreds of thousands of rows arrive, PostgreSQL's statistics still describe
    an empty table and it plans pulls as if so; autovacuum would fix that only later.
    """
    with factory() as session, session.begin():
        session.execute(text("ANALYZE records"))


def ping(engine: Engine) -> bool:
    """Whether the database answers."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1
