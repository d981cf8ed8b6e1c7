"""Sync benchmark: initial pull of 300,000 entities, incremental sync, peak RSS, GUI stalls.

Run: ``.venv/bin/python bench/sync_bench.py [--entities 300000] [--platform-db FILE]``;
``--small`` for CI (3,000 entities, a few rounds, under ~30 s on a quiet machine; its figures
mean nothing); ``--pull-only`` for figure 1 alone (to compare two versions of the pull);
``--province [--entities 3000000] [--platform-db /tmp/syncbench/p3m.db] [--skip-seed]`` for
figure 5 only.

The platform is the real ``credit-platform serve`` process on loopback with an SQLite
database (the embedded default), seeded by ``credit-platform seed-demo`` — which also makes
list memberships, licences, penalties and the city-wide public credit record (commitments and
breaches of every hall, standing entries), so a window user's pull carries more than the
entities (never the credit grades: windows do not get them). ``--platform-db`` reuses (and
tops up) an already seeded file instead of seeding a new one in a temporary folder. The
client is the real :class:`sync.engine.SyncEngine` with a :class:`sync.transport.Transport`
logged in through :func:`sync.credentials.login`, writing into a fresh SQLCipher
:class:`~desktop_app.store.database.Store`.

It prints:

1. the initial pull's wall time and records/s, with a breakdown (fetch thread: HTTP request =
   server work + transfer, response parse; sync thread: apply per kind, the final index
   rebuild, the rest = commits, bookkeeping and waiting for the next page), divided by the
   *anchor*: the same run bulk-inserts exactly the rows the pull stored (entities,
   reference_records, form_records) into a fresh SQLCipher store with every trigger and
   secondary index dropped, then builds the indexes, the FTS index and the bigram index once
   — all in one transaction (target ≤ 1.3);
2. an incremental sync of ``--changes`` entity changes (``put_record`` on the platform's
   database, then one sync) on the big store ÷ the same on a 1,000-entity store, median of
   ``--rounds`` alternating rounds, split into the platform's share (HTTP) and the client's
   (target ≤ 1.2);
3. the peak RSS (VmHWM) of a process that only does the pull;
4. the longest gap of a 10 ms ``QTimer`` in the GUI thread while the pull runs on a worker
   thread with the client's interactive page size (target ≤ 50 ms);
5. (``--province`` only) a 3,000,000-entity first pull's time (target < 60 s) and the peak RSS
   of the process that only pulls (target ≤ 500 MB): from the platform's snapshot, built and
   published first as an operator would (``sync.snapshot_build``, ``publish-snapshot``; timed
   apart), split into download, adoption and the pull after it; with ``--province-pages`` also
   page by page (minutes).

It asserts nothing. Each figure is one run; on a shared machine they are noisy (the load
average is printed with them).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import requests
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sync.pull as pull_module  # noqa: E402
from bench.platform_process import SCRIPT, platform_env, serve  # noqa: E402
from desktop_app import heap  # noqa: E402
from desktop_app.store.database import Store  # noqa: E402
from desktop_app.store.entities import (  # noqa: E402
    ENTITY_COLUMNS,
    ENTITY_FTS_REBUILD,
    EntityRepository,
    build_bigrams,
)
from desktop_app.store.keys import new_random_key  # noqa: E402
from platform_server.db import make_engine, make_sessionmaker, transaction  # noqa: E402
from platform_server.models import Record  # noqa: E402
from platform_server.records import Scope, put_record  # noqa: E402
from sync.credentials import TokenVault, login  # noqa: E402
from sync.engine import INTERACTIVE_PULL_LIMIT, SyncEngine  # noqa: E402
from sync.events import SyncEvent, SyncReport  # noqa: E402
from sync.snapshot_build import build_snapshot  # noqa: E402
from sync.transport import Transport  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402

USERNAME = "window.luzhou.1"
PASSWORD = "demo-2026"
SNAPSHOT_USER = "window.qinyuan.2"  # the builder: a window account of another hall
SNAPSHOT_PASSWORD = PASSWORD


keyring.set_keyring(MemoryKeyring())


# --- the platform -------------------------------------------------------------------------


def seed(db: Path, entities: int) -> float:
    """``credit-platform seed-demo --entities N`` (tops up an existing database)."""
    t0 = time.perf_counter()
    subprocess.run(
        [str(SCRIPT), "seed-demo", "--entities", str(entities)],
        env=platform_env(db),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def change_entities(db: Path, n: int, round_no: int) -> None:
    """Make ``n`` entity changes on the platform the way imports do (``put_record``)."""
    engine = make_engine(f"sqlite:///{db}")
    try:
        sessions = make_sessionmaker(engine, write=True)
        with transaction(sessions) as s:
            ids = list(
                s.scalars(
                    select(Record.record_id)
                    .where(Record.collection == "entities")
                    .order_by(Record.record_id)
                    .offset(round_no * n)
                    .limit(n)
                )
            )
            for rid in ids:
                put_record(s, "entities", rid, {"address": f"长治市测试路{round_no}号"}, Scope())
    finally:
        engine.dispose()


# --- the client ----------------------------------------------------------------------------


class TimedTransport(Transport):
    """A Transport that times HTTP requests (server + transfer) and response parsing."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.t_request = 0.0
        self.t_parse = 0.0

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        t0 = time.perf_counter()
        try:
            return super().request(*args, **kwargs)
        finally:
            self.t_request += time.perf_counter() - t0

    def parse_pull(self, resp: requests.Response) -> Any:  # type: ignore[override]
        t0 = time.perf_counter()
        try:
            return Transport.parse_pull(resp)
        finally:
            self.t_parse += time.perf_counter() - t0

    def parse(self, resp: requests.Response, model: Any) -> Any:  # type: ignore[override]
        t0 = time.perf_counter()
        try:
            return Transport.parse(resp, model)
        finally:
            self.t_parse += time.perf_counter() - t0


class ApplyTimer:
    """Times ``sync.pull.apply_prepared``, ``EntityRepository.upsert_rows`` and the rebuild."""

    def __init__(self) -> None:
        self.apply = 0.0
        self.entity_upsert = 0.0
        self.rebuild = 0.0
        self.bigrams = 0.0  # the bigram catch-ups at the checkpoints (sync thread)
        self.waiting = 0.0  # the sync thread waiting for the next page
        self.prepare = 0.0  # decoding pages into rows (fetch thread)
        self.counts: Counter[str] = Counter()

    def _timed(self, real: Any, span: str) -> Any:
        """``real`` wrapped to add its seconds to the attribute ``span``."""

        def timed(*args: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return real(*args, **kw)
            finally:
                setattr(self, span, getattr(self, span) + time.perf_counter() - t0)

        return timed

    @contextmanager
    def installed(self) -> Iterator[ApplyTimer]:
        targets: list[tuple[Any, str, str]] = [  # (owner, attribute, span)
            (pull_module, "rebuild_search_index", "rebuild"),
            (pull_module, "catch_up_bigrams", "bigrams"),
            (pull_module.PagePrefetch, "next", "waiting"),
            (pull_module, "prepare_page", "prepare"),
            (EntityRepository, "upsert_rows", "entity_upsert"),
        ]
        real = {(owner, name): getattr(owner, name) for owner, name, _ in targets}
        real_apply = pull_module.apply_prepared
        timed_apply = self._timed(real_apply, "apply")

        def apply_prepared(s: Any, prepared: Any, report: SyncReport, **kw: Any) -> None:
            timed_apply(s, prepared, report, **kw)
            self.counts["entities"] += len(prepared.gone) + len(prepared.entities)
            self.counts.update(r[0] for r in prepared.reference)  # the collection
            self.counts.update(f.collection for f in prepared.forms)

        for owner, name, span in targets:
            setattr(owner, name, self._timed(real[owner, name], span))
        pull_module.apply_prepared = apply_prepared
        try:
            yield self
        finally:
            pull_module.apply_prepared = real_apply
            for (owner, name), original in real.items():
                setattr(owner, name, original)


def client(
    url: str, folder: Path, name: str, *, use_snapshot: bool = False
) -> tuple[Store, TimedTransport, SyncEngine]:
    """A fresh encrypted store, a logged-in transport and an engine.

    The engine pulls page by page unless ``use_snapshot`` (figure 5 measures both).
    """
    store = Store.open(folder / f"{name}.db", new_random_key())
    transport = TimedTransport(url)
    login(store, transport, TokenVault(f"bench-{name}"), USERNAME, PASSWORD)
    return store, transport, SyncEngine(store, transport, use_snapshot=use_snapshot)


def entity_count(store: Store) -> int:
    with store.read() as s:
        return EntityRepository(s).count()


# --- the anchor: fastest bulk insert + index build of exactly what the pull stored ----------

# Tables a pull writes, with the columns the anchor copies (the store's own ids included, so
# the FTS and bigram indexes are built over the same rowids).
ANCHOR_TABLES: dict[str, tuple[str, ...]] = {
    "entities": ("id", *ENTITY_COLUMNS),
    "reference_records": (
        "collection",
        "record_id",
        "version",
        "deleted",
        "data",
        "entity_uscc",
    ),
    "form_records": ("collection", "record_id", "version", "data", "deleted", "dirty"),
}


def read_pulled_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the pull stored, per table, exactly as SQLite holds them (not timed)."""
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table, cols in ANCHOR_TABLES.items():
            order = "id" if table == "entities" else "rowid"
            cur.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
            out[table] = list(cur.fetchall())
        cur.close()
        return out
    finally:
        raw.close()


def anchor_load(folder: Path, rows: dict[str, list[tuple[Any, ...]]]) -> tuple[float, int]:
    """Bulk-insert ``rows`` into a fresh store and index them, the fastest way we know.

    A fresh SQLCipher store at the newest schema (same key handling, pragmas and indexes as
    the client's). Timed: one transaction that drops every trigger and secondary index of
    the pulled tables (the primary keys and UNIQUE(uscc) belong to the tables and stay),
    ``executemany`` of each table's rows, then every index created again, ``entity_fts``
    rebuilt and ``entity_bigrams`` built once, the triggers restored; then the commit.

    Returns:
        Seconds, and the rows inserted.
    """
    store = Store.open(folder / "anchor-load.db", new_random_key())
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        names = ", ".join(f"'{t}'" for t in ANCHOR_TABLES)
        triggers = dict(
            cur.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({names}) AND name NOT LIKE 'audit%'"
            ).fetchall()
        )
        indexes = dict(
            cur.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                f"({names}) AND sql IS NOT NULL"
            ).fetchall()
        )
        t0 = time.perf_counter()
        cur.execute("BEGIN IMMEDIATE")
        for name in triggers:
            cur.execute(f"DROP TRIGGER {name}")
        for name in indexes:
            cur.execute(f"DROP INDEX {name}")
        n = 0
        for table, cols in ANCHOR_TABLES.items():
            marks = ", ".join("?" for _ in cols)
            cur.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows[table]
            )
            n += len(rows[table])
        t_insert = time.perf_counter()
        for sql in indexes.values():
            cur.execute(sql)
        t_indexes = time.perf_counter()
        cur.execute(ENTITY_FTS_REBUILD)
        t_fts = time.perf_counter()
        build_bigrams(cur)
        t_bigrams = time.perf_counter()
        for sql in triggers.values():
            cur.execute(sql)
        cur.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        print(
            f"   anchor's steps: insert {t_insert - t0:.2f} s, indexes {t_indexes - t_insert:.2f} s, "
            f"FTS {t_fts - t_indexes:.2f} s, bigrams {t_bigrams - t_fts:.2f} s, "
            f"triggers and commit {t0 + elapsed - t_bigrams:.2f} s"
        )
        cur.close()
    finally:
        raw.close()
    store.close()
    return elapsed, n


# --- children: one job per process ---------------------------------------------------------


def vm_hwm_kb() -> int:
    """Peak RSS of this process image from /proc (``ru_maxrss`` keeps the parent's peak
    across fork + exec on Linux, so a child started by a big parent reports the parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def child_pull(url: str, use_snapshot: bool = False) -> None:
    """Only the pull, then print peak RSS as JSON (for figures 3 and 5)."""
    with tempfile.TemporaryDirectory(prefix="sync-bench-rss-") as tmp:
        store, transport, engine = client(url, Path(tmp), "rss", use_snapshot=use_snapshot)
        before = vm_hwm_kb()
        seen: list[tuple[str, float]] = []  # each event's phase and moment

        def on_event(event: SyncEvent) -> None:
            seen.append((event.phase, time.perf_counter()))

        t0 = time.perf_counter()
        report = engine.sync(on_event=on_event)
        elapsed = time.perf_counter() - t0
        adopt = next((t for p, t in seen if p == "snapshot_adopt"), None)
        phases: dict[str, float] = {}
        if adopt is not None:
            # The pull's first progress after the adoption: its pages from the start.
            catch_up = next(t for p, t in seen if p in ("pull", "done") and t > adopt)
            phases = {
                "download": adopt - t0,
                "adopt": catch_up - adopt,
                "catch_up": t0 + elapsed - catch_up,
            }
        peak = vm_hwm_kb()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        n = entity_count(store)
        transport.close()
        store.close()
    print(
        json.dumps(
            {
                "before_kb": before,
                "peak_kb": peak,
                "maxrss_kb": maxrss,
                "seconds": elapsed,
                "pulled": report.pulled,
                "snapshot": adopt is not None,
                "phases": phases,
            }
        )
    )
    print(json.dumps({"entities": n}))


def child_stall(url: str) -> None:
    """Pull on a worker thread while a 10 ms QTimer ticks in the GUI thread (figure 4).

    The engine pulls pages of ``INTERACTIVE_PULL_LIMIT`` changes, as the client the user
    works in does (``ui.sync_adapter``), after the heap was settled as the client's launcher
    does (``desktop_app.heap``): without that, full collections of the cyclic garbage
    collector (up to 48 ms, GIL held) were the longest stalls, not the page decoding (~5 ms).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication([])
    with tempfile.TemporaryDirectory(prefix="sync-bench-stall-") as tmp:
        store, transport, engine = client(url, Path(tmp), "stall")
        engine.pull_limit = INTERACTIVE_PULL_LIMIT
        heap.settle()  # as the client does once its window is up (ui.launcher)
        gaps: list[float] = []
        errors: list[BaseException] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now
            if not worker.is_alive():
                app.quit()

        def run() -> None:
            try:
                engine.sync()
            except BaseException as exc:  # reported by the parent
                errors.append(exc)

        worker = threading.Thread(target=run, name="sync-worker")
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        t0 = time.perf_counter()
        last[0] = t0
        worker.start()
        app.exec()
        elapsed = time.perf_counter() - t0
        worker.join()
        transport.close()
        store.close()
    ordered = sorted(gaps)
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "ticks": len(gaps),
                "max_ms": ordered[-1] * 1000,
                "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
                "over_100": sum(g > 0.1 for g in gaps),
                "over_50": sum(g > 0.05 for g in gaps),
                "error": repr(errors[0]) if errors else None,
            }
        )
    )


def run_child(kind: str, url: str, *extra: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, f"--child-{kind}", url, *extra],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1:] or ["?"]}
    result: dict[str, Any] = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    return result


# --- the figures ---------------------------------------------------------------------------


def timed_sync(engine: SyncEngine, profile: Path | None = None) -> tuple[float, SyncReport]:
    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    report = engine.sync()
    if prof:
        prof.disable()
    elapsed = time.perf_counter() - t0
    if prof and profile:
        prof.dump_stats(str(profile))
    return elapsed, report


def incremental(
    db: Path, engine: SyncEngine, changes: int, rounds: int, first_round: int
) -> list[tuple[float, float]]:
    """``(seconds of one sync, seconds of its HTTP requests)`` after ``changes`` platform
    changes, ``rounds`` times."""
    out = []
    transport = engine.transport
    assert isinstance(transport, TimedTransport)
    for r in range(rounds):
        change_entities(db, changes, first_round + r)
        before = transport.t_request
        elapsed, report = timed_sync(engine)
        if report.pulled != changes:
            print(f"   (round {r}: pulled {report.pulled}, expected {changes})")
        out.append((elapsed, transport.t_request - before))
    return out


def print_profile(path: Path, top: int) -> None:
    print(f"   cProfile of the client during the pull (top {top} by own time; {path}):")
    stats = pstats.Stats(str(path))
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in rows:
        where = f"{Path(file).name}:{line}" if line else file
        print(f"     {tottime:6.2f} s own {cumtime:6.2f} s cum {ncalls:>9} calls  {func} ({where})")


def build_and_publish(db: Path, url: str) -> tuple[float, float, dict[str, Any]]:
    """The operator's job: build a snapshot as a window account and publish it.

    The builder logs in as a demo window account of another hall (its hall's forms are
    emptied from the copy): an account of its own would make ``seed-demo`` refuse to top the
    file up afterwards (a database with a non-demo account is one in real use).
    Its own store is kept beside ``db`` (``snapshot-<name>/builder``), as an operator's would
    be between nightly builds; the first build pulls everything.

    Returns:
        Seconds to build, seconds to publish, the manifest.
    """
    env = platform_env(db)
    out = db.parent / f"snapshot-{db.stem}"
    t0 = time.perf_counter()
    with Transport(url) as transport:
        info = build_snapshot(transport, SNAPSHOT_USER, SNAPSHOT_PASSWORD, out)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    published = subprocess.run(
        [str(SCRIPT), "publish-snapshot", str(out)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if published.returncode != 0:
        raise RuntimeError(f"publish-snapshot: {published.stderr.strip()}")
    return built, time.perf_counter() - t0, info.model_dump()


def province(args: argparse.Namespace) -> None:
    """Figure 5: a province-sized first pull in a child process that only pulls.

    From the platform's snapshot (built and published first, timed apart: the operator's
    nightly job), and with ``--province-pages`` also page by page.
    """
    default = (
        Path(tempfile.mkdtemp(prefix="syncbench-province-")) / "platform.db"
        if args.small  # a smoke run never touches (or pulls) a real province file
        else Path("/tmp/syncbench/p3m.db")
    )
    db = args.platform_db or default
    db.parent.mkdir(parents=True, exist_ok=True)
    if args.skip_seed and db.exists():
        print(f"platform database {db} used as it is (--skip-seed)")
    else:
        took = seed(db, args.entities)
        print(f"seed-demo --entities {args.entities:,} ({db}): {took:.1f} s")
    with serve(db) as url:
        if args.province_pages:
            load = os.getloadavg()[0]
            rss = run_child("pull", url)
            if "error" in rss:
                print(f"5. province pull, page by page: child failed: {rss['error']}")
            else:
                print(
                    f"5. province initial pull, page by page ({args.entities:,} entities): "
                    f"{rss['pulled']:,} records in {rss['seconds']:.1f} s → "
                    f"{rss['pulled'] / rss['seconds']:,.0f} records/s; peak RSS (VmHWM) "
                    f"{rss['peak_kb'] / 1024:.0f} MB; load average at the start {load:.1f}"
                )
        built, published, info = build_and_publish(db, url)
        print(
            f"   the operator's snapshot: built in {built:.1f} s (the builder's own store "
            f"brought up to date, copied, re-encrypted, emptied of its device data), "
            f"published in {published:.1f} s; {info['entities']:,} entities, "
            f"{info['size'] / 1e6:,.0f} MB"
        )
        load = os.getloadavg()[0]
        rss = run_child("pull", url, "--use-snapshot")
    if "error" in rss:
        print(f"5. province pull from the snapshot: child failed: {rss['error']}")
        return
    how = "from the snapshot" if rss["snapshot"] else "page by page (the snapshot was NOT taken)"
    print(
        f"5. province first pull {how} ({rss['entities']:,} entities stored): download, "
        f"re-encryption and catch-up ({rss['pulled']:,} records) in {rss['seconds']:.1f} s "
        f"(target < 60 s); peak RSS (VmHWM) of the process that only pulls "
        f"{rss['peak_kb'] / 1024:.0f} MB (target <= 500 MB); load average at the start {load:.1f}"
    )
    if rss["phases"]:
        p = rss["phases"]
        print(
            f"   of which: the offer and the download {p['download']:.1f} s, re-encryption, "
            f"copy of the device's own rows and rename {p['adopt']:.1f} s, the pull from the "
            f"start with snapshot= (the hall's forms and the changes since) {p['catch_up']:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=None, help="entities of the big store")
    parser.add_argument(
        "--small-entities", type=int, default=1_000, help="entities of the small store"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="CI mode: 3,000 entities, 3 rounds, well under 30 s (figures are not meaningful)",
    )
    parser.add_argument(
        "--province",
        action="store_true",
        help="only figure 5: a 3,000,000-entity pull's time and peak RSS (with --entities N)",
    )
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=9, help="incremental syncs per store")
    parser.add_argument("--platform-db", type=Path, help="reuse this seeded SQLite file")
    parser.add_argument(
        "--skip-seed", action="store_true", help="with --province: do not top the file up"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process pull")
    parser.add_argument("--skip-stall", action="store_true")
    parser.add_argument(
        "--pull-only", action="store_true", help="only figure 1 (the pull and its anchor)"
    )
    parser.add_argument(
        "--province-pages",
        action="store_true",
        help="with --province: also time the page-by-page pull (minutes)",
    )
    parser.add_argument("--child-pull", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--use-snapshot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-stall", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_pull:
        child_pull(args.child_pull, args.use_snapshot)
        return
    if args.child_stall:
        child_stall(args.child_stall)
        return
    if args.entities is None:
        args.entities = 3_000 if args.small else 3_000_000 if args.province else 300_000
    if args.small:
        args.rounds = min(args.rounds, 3)
        args.changes = min(args.changes, 50)
        args.small_entities = min(args.small_entities, 500)

    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, python {platform.python_version()}"
    )
    print("platform: credit-platform serve on loopback, SQLite database; client as", USERNAME)
    if args.province:
        province(args)
        return
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        folder = Path(tmp)
        big_db = args.platform_db or folder / "platform-big" / "platform.db"
        small_db = folder / "platform-small" / "platform.db"
        big_db.parent.mkdir(parents=True, exist_ok=True)
        small_db.parent.mkdir(parents=True, exist_ok=True)
        took = seed(big_db, args.entities)
        print(f"seed-demo --entities {args.entities:,} ({big_db}): {took:.1f} s")
        if not args.pull_only:
            took = seed(small_db, args.small_entities)
            print(f"seed-demo --entities {args.small_entities:,}: {took:.1f} s")

        small_serve = nullcontext("") if args.pull_only else serve(small_db)
        with serve(big_db) as big_url, small_serve as small_url:
            # 1. initial pull vs the anchor ----------------------------------------------------
            store, transport, engine = client(big_url, folder, "big")
            profile = folder / "pull.prof" if args.profile else None
            transport.t_request = transport.t_parse = 0.0  # not the login
            transport.bytes_in = 0
            load = os.getloadavg()[0]
            with ApplyTimer().installed() as timer:
                wall, report = timed_sync(engine, profile)
            n_entities = entity_count(store)
            total = report.pulled
            rest = wall - timer.apply - timer.rebuild - timer.bigrams - timer.waiting
            print(
                f"1. initial pull via SyncEngine: {total:,} records in {report.pages} pages "
                f"({', '.join(f'{k} {v:,}' for k, v in timer.counts.most_common())}) "
                f"in {wall:.2f} s → {total / wall:,.0f} records/s; {n_entities:,} entities stored"
                f"; load average {load:.1f} at the start"
                f"{'  [under cProfile: slower than normal]' if profile else ''}"
            )
            print(
                f"   where the time went: on the fetch thread (overlapping the apply) HTTP "
                f"requests {transport.t_request:.2f} s + response parse {transport.t_parse:.2f} s "
                f"+ decoding into rows {timer.prepare:.2f} s; "
                f"on the sync thread apply {timer.apply:.2f} s (entity upsert_rows "
                f"{timer.entity_upsert:.2f} s, other collections "
                f"{timer.apply - timer.entity_upsert:.2f} s), bigram catch-ups "
                f"{timer.bigrams:.2f} s, index rebuild at the end {timer.rebuild:.2f} s, "
                f"waiting for the next page {timer.waiting:.2f} s, the rest (commits, cursor) "
                f"{rest:.2f} s; {transport.bytes_in / 1e6:.0f} MB decoded JSON"
            )
            rows = read_pulled_rows(store)
            anchor, loaded = anchor_load(folder, rows)
            del rows
            print(
                f"   anchor: bulk insert of the same {loaded:,} rows (entities, reference_records, "
                f"form_records) into a fresh SQLCipher store, triggers and indexes dropped, then "
                f"indexes, FTS and bigrams built once (as the pull's rebuild does), one transaction: {anchor:.2f} s"
            )
            print(
                f"   ratio initial pull ÷ insert+index anchor: {wall:.2f} ÷ {anchor:.2f} = "
                f"{wall / anchor:.2f} (target <= 1.3)"
            )
            if profile:
                print_profile(profile, 20)
            if args.pull_only:
                transport.close()
                store.close()
                return

            # 2. incremental sync on the big vs the small store ------------------------------
            small_store, small_transport, small_engine = client(small_url, folder, "small")
            small_engine.sync()
            small_n = entity_count(small_store)
            # Alternate the stores round by round, so load changes hit both alike.
            small_runs: list[tuple[float, float]] = []
            big_runs: list[tuple[float, float]] = []
            for r in range(args.rounds):
                small_runs += incremental(small_db, small_engine, args.changes, 1, r)
                big_runs += incremental(big_db, engine, args.changes, 1, r)
            t_small = [t for t, _ in small_runs]
            t_big = [t for t, _ in big_runs]
            m_small, m_big = statistics.median(t_small), statistics.median(t_big)
            # The client's share: the sync minus its HTTP requests (the platform's work).
            c_small = statistics.median(t - h for t, h in small_runs)
            c_big = statistics.median(t - h for t, h in big_runs)
            h_small = statistics.median(h for _, h in small_runs)
            h_big = statistics.median(h for _, h in big_runs)
            print(
                f"2. incremental sync of {args.changes} entity changes (put_record on the "
                f"platform, then one SyncEngine.sync), median of {args.rounds}: "
                f"{n_entities:,}-entity store {m_big * 1000:.0f} ms "
                f"[{', '.join(f'{t * 1000:.0f}' for t in t_big)}], "
                f"{small_n:,}-entity store {m_small * 1000:.0f} ms "
                f"[{', '.join(f'{t * 1000:.0f}' for t in t_small)}]; "
                f"ratio {m_big / m_small:.2f} (target <= 1.2); load average "
                f"{os.getloadavg()[0]:.1f}"
            )
            print(
                f"   of which HTTP requests (the platform's work + transfer), median: "
                f"{h_big * 1000:.0f} ms ÷ {h_small * 1000:.0f} ms; the client's own work: "
                f"{c_big * 1000:.0f} ms ÷ {c_small * 1000:.0f} ms = {c_big / c_small:.2f}"
            )
            for t in (transport, small_transport):
                t.close()
            store.close()
            small_store.close()

            # 3. peak RSS of a process that only pulls ------------------------------------
            rss = run_child("pull", big_url)
            if "error" in rss:
                print(f"3. peak RSS: child failed: {rss['error']}")
            else:
                print(
                    f"3. peak RSS of a process that only pulls {rss['pulled']:,} records: "
                    f"VmHWM {rss['peak_kb'] / 1024:.0f} MB (before the pull "
                    f"{rss['before_kb'] / 1024:.0f} MB; getrusage ru_maxrss says "
                    f"{rss['maxrss_kb'] / 1024:.0f} MB, which on Linux carries over the parent's "
                    f"peak across fork + exec); that pull took {rss['seconds']:.2f} s → "
                    f"{rss['pulled'] / rss['seconds']:,.0f} records/s"
                )

            # 4. GUI event-loop stall --------------------------------------------------------
            if not args.skip_stall:
                st = run_child("stall", big_url)
                if st.get("error"):
                    print(f"4. event-loop stall: child failed: {st['error']}")
                else:
                    print(
                        f"4. 10 ms QTimer in the GUI thread while a {n_entities:,}-entity pull "
                        f"({INTERACTIVE_PULL_LIMIT:,}-change pages, as the client pulls) runs on "
                        f"a worker thread ({st['seconds']:.1f} s, {st['ticks']:,} ticks): "
                        f"longest gap {st['max_ms']:.0f} ms, p99 {st['p99_ms']:.0f} ms, "
                        f"{st['over_100']} gaps > 100 ms, {st['over_50']} > 50 ms "
                        f"(target max <= 50 ms)"
                    )


if __name__ == "__main__":
    main()
