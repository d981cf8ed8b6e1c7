"""Store benchmark: SQLCipher vs plain SQLite writes, USCC lookup and name search latency.

Run: ``.venv/bin/python bench/store_bench.py [--entities 300000]``. It prints figures; it is
not a test and asserts nothing. Each figure is one run on this machine; record them in
docs/PERFORMANCE.md with the date and machine.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.services.demo_data import generate_entities
from desktop_app.services.entities import EntityLookupService
from desktop_app.store.database import Store, upgrade
from desktop_app.store.entities import EntityRepository
from desktop_app.store.keys import new_random_key

BATCH = 5000


def bulk_write(session_factory: Callable[[], Any], rows: list[dict[str, Any]]) -> float:
    """Time upserting ``rows`` in batches, one transaction per batch."""
    start = time.perf_counter()
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH)):
        with session_factory() as session:
            EntityRepository(session).upsert_many(batch)
    return time.perf_counter() - start


def plain_sqlite_sessions(path: Path) -> Callable[[], Any]:
    """Sessions on an unencrypted SQLite file with the same schema and pragmas."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "foreign_keys = ON",
            "temp_store = MEMORY",
            "cache_size = -65536",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    with engine.connect() as conn:
        upgrade(conn)

    class _Factory:
        def __call__(self) -> Any:
            session = Session(engine)
            session.begin()
            return _Tx(session)

    return _Factory()


class _Tx:
    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.session.commit()
        else:
            self.session.rollback()
        self.session.close()


def percentiles(samples: Iterable[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    data = sorted(s * 1000 for s in samples)
    p99 = data[min(len(data) - 1, round(0.99 * (len(data) - 1)))]
    return statistics.median(data), p99


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(1)
    print(
        f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}"
    )
    print(f"generating {args.entities:,} synthetic entities ...")
    rows = list(generate_entities(args.entities, seed=2020))

    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        folder = Path(tmp)
        plain = plain_sqlite_sessions(folder / "plain.db")
        t_plain = bulk_write(plain, rows)
        store = Store.open(folder / "cipher.db", new_random_key())
        t_cipher = bulk_write(store.write, rows)
        print(
            f"(a) bulk write {args.entities:,} rows: plain SQLite {t_plain:.2f} s, "
            f"SQLCipher {t_cipher:.2f} s, ratio {t_cipher / t_plain:.2f} (target <= 1.5)"
        )

        service = EntityLookupService(store)
        codes = [r["uscc"] for r in rng.sample(rows, args.queries)]
        it = iter(codes)
        lookups = timed(lambda: service.lookup(next(it)), len(codes))
        p50, p99 = percentiles(lookups)
        print(
            f"(b) USCC lookup ({len(codes)} codes): p50 {p50:.2f} ms, p99 {p99:.2f} ms "
            f"(target p99 <= 5 ms)"
        )

        names = [r["name"] for r in rows]
        for length in (2, 3, 4):
            queries = []
            while len(queries) < args.queries:
                name = rng.choice(names)
                start = rng.randrange(0, len(name) - length + 1)
                queries.append(name[start : start + length])
            found: list[int] = []

            def search_and_first_page(query: str, found: list[int] = found) -> None:
                result = service.lookup(query)
                found.append(len(result.ids))
                service.rows(result.ids[:100])

            qi = iter(queries)
            samples = timed(lambda qi=qi: search_and_first_page(next(qi)), len(queries))
            p50, p99 = percentiles(samples)
            print(
                f"(c) name search, {length}-char queries ({len(queries)}; search + first page "
                f"of 100 rows; {'bigram index' if length == 2 else 'FTS5 trigram'}): "
                f"p50 {p50:.2f} ms, p99 {p99:.2f} ms "
                f"(target p99 <= {20 if length == 2 else 5} ms); "
                f"median hits {statistics.median(found):.0f}"
            )
        store.close()
        db_mb = (folder / "cipher.db").stat().st_size / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"(d) peak RSS {rss_mb:.0f} MB (includes the {args.entities:,} generated rows held "
        f"in memory); encrypted database {db_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
