"""Engine and sessions for PostgreSQL or SQLite, and the change-sequence allocator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text, update
from sqlalchemy.orm import Session, sessionmaker

from platform_server.models import Counter

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
    """
    stmt = (
        update(Counter)
        .where(Counter.name == "change_seq")
        .values(value=Counter.value + n)
        .returning(Counter.value)
    )
    last = session.execute(stmt).scalar_one()
    return int(last) - n + 1


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
