"""Platform benchmark: initial pull of 300,000 entities, and 20 clients pushing at once.

Run: ``.venv/bin/python bench/platform_bench.py [--entities 300000] [--database-url URL]
[--workers 2]``; ``--small`` is a quick run for CI (3,000 entities, 4 clients × 50 mutations,
well under 30 s). Without ``--database-url`` it creates a fresh PostgreSQL database on
127.0.0.1:5432 (and drops it afterwards). It seeds the demo registry, starts ``--workers``
``credit-platform serve`` processes on one database (separate OS processes on their own
loopback ports, the clients split between them), and drives them over HTTP with ``requests``
like the client does. It prints figures (with the machine's CPU count and load average); it
asserts nothing about time. After the pushes a full pull as ``admin`` must show every pushed
mutation exactly once, else it exits 1.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from platform_server.db import make_engine, make_sessionmaker  # noqa: E402
from platform_server.demo import seed_demo  # noqa: E402
from platform_server.migrate import upgrade  # noqa: E402
from platform_server.models import Record, User  # noqa: E402

PG_ADMIN = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
DEMO_PASSWORD = "demo-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def login(base: str, username: str) -> tuple[requests.Session, str]:
    key = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    device_id = uuid.uuid4().hex
    session = requests.Session()
    resp = session.post(
        f"{base}/v1/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "device_id": device_id,
            "device_public_key": base64.b64encode(key).decode(),
        },
        timeout=30,
    )
    resp.raise_for_status()
    session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
    return session, device_id


def full_pull(base: str, session: requests.Session, gzip: bool) -> dict[str, Any]:
    """Page through everything the account sees; time the transfer and the client's parse."""
    session.headers["Accept-Encoding"] = "gzip" if gzip else "identity"
    cursor = ""
    counts: dict[str, int] = {}
    pages = 0
    wire = 0
    parse = 0.0
    start = time.perf_counter()
    while True:
        resp = session.get(
            f"{base}/v1/sync/pull", params={"cursor": str(cursor), "limit": "10000"}, timeout=120
        )
        resp.raise_for_status()
        raw = resp.content
        wire += int(resp.headers.get("content-length") or len(raw))
        t0 = time.perf_counter()
        body = orjson.loads(raw)
        parse += time.perf_counter() - t0
        pages += 1
        for change in body["changes"]:
            counts[change["collection"]] = counts.get(change["collection"], 0) + 1
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    total = time.perf_counter() - start
    return {"seconds": total, "parse": parse, "counts": counts, "pages": pages, "wire": wire}


def pusher(
    base: str,
    username: str,
    codes: list[str],
    n: int,
    batch: int,
    latencies: list[float],
    errors: list[str],
    pushed: list[str],
) -> None:
    try:
        session, device_id = login(base, username)
        seq = 0
        for start in range(0, n, batch):
            mutations = []
            for i in range(start, min(n, start + batch)):
                seq += 1
                mutations.append(
                    {
                        "mutation_seq": seq,
                        "collection": "commitments",
                        "record_id": uuid.uuid4().hex,
                        "op": "create",
                        "fields": {
                            "uscc": codes[i % len(codes)],
                            "kind": "notify",
                            "status": "signed",
                            "signed_on": "2026-11-20",
                            "matter": "食品经营许可（告知承诺）",
                            "text": "本人承诺所提交材料真实有效。",
                        },
                    }
                )
            t0 = time.perf_counter()
            resp = session.post(
                f"{base}/v1/sync/push",
                json={"device_id": device_id, "mutations": mutations},
                timeout=300,
            )
            latencies.append(time.perf_counter() - t0)
            if not resp.ok:
                errors.append(f"{username}: HTTP {resp.status_code} {resp.text[:300]}")
                return
            results = resp.json()["results"]
            pushed.extend(r["record_id"] for r in results if r["status"] == "applied")
            bad = [r for r in results if r["status"] != "applied"]
            if bad:
                errors.append(f"{username}: {bad[0]}")
    except Exception as exc:
        errors.append(f"{username}: {exc!r}")


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``credit-platform serve`` on ``port``; returns once it answers ``/healthz``."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("credit-platform")),
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"credit-platform serve on port {port} exited: {server.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return server
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"credit-platform serve on port {port} not healthy in 60 s")
        time.sleep(0.1)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cpu_seconds(pids: list[int], *, reaped: bool = False) -> float:
    """User + system CPU time of these processes so far (Linux ``/proc``; 0 elsewhere).

    ``reaped``: add what their children that ended have used (``cutime``, ``cstime``): a
    PostgreSQL backend that exits during the run moves its time to the postmaster's.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / tick


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, WAL writer, checkpointer)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def pushed_ids_seen(base: str, session: requests.Session, after: str) -> dict[str, int]:
    """Commitment ids in a full pull from ``after`` (the cursor before the pushes), counted."""
    session.headers["Accept-Encoding"] = "gzip"
    cursor = after
    seen: dict[str, int] = {}
    while True:
        resp = session.get(
            f"{base}/v1/sync/pull", params={"cursor": str(cursor), "limit": "10000"}, timeout=120
        )
        resp.raise_for_status()
        body = orjson.loads(resp.content)
        for change in body["changes"]:
            if change["collection"] == "commitments":
                seen[change["record_id"]] = seen.get(change["record_id"], 0) + 1
        cursor = body["cursor"]
        if not body["has_more"]:
            return seen


def pull_cursor_at_head(base: str, session: requests.Session) -> str:
    """The cursor after paging through everything (the head)."""
    cursor = ""
    while True:
        resp = session.get(
            f"{base}/v1/sync/pull", params={"cursor": str(cursor), "limit": "10000"}, timeout=120
        )
        resp.raise_for_status()
        body = orjson.loads(resp.content)
        cursor = body["cursor"]
        if not body["has_more"]:
            return str(cursor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=300_000)
    parser.add_argument("--database-url")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--mutations", type=int, default=500)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument(
        "--workers", type=int, default=2, help="credit-platform serve processes (one database)"
    )
    parser.add_argument(
        "--small", action="store_true", help="CI size: 3,000 entities, 4 clients × 50 mutations"
    )
    args = parser.parse_args()
    if args.small:
        args.entities, args.clients, args.mutations, args.batch = 3_000, 4, 50, 25
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, {load()}"
    )

    dropdb = None
    url = args.database_url
    if url is None:
        name = f"credit_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        dropdb = (admin, name)
    failed = False
    try:
        failed = run(args, url)
    finally:
        if dropdb:
            admin, name = dropdb
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    if failed:
        sys.exit(1)


def run(args: argparse.Namespace, url: str) -> bool:
    """Seed, serve, pull, push, check; True when the check failed."""
    engine = make_engine(url)
    upgrade(engine)
    t0 = time.perf_counter()
    seed_demo(make_sessionmaker(engine, write=True), entities=args.entities)
    print(f"seed-demo {args.entities:,} entities: {time.perf_counter() - t0:.1f} s")
    with make_sessionmaker(engine)() as s:
        windows = list(s.scalars(select(User.username).where(User.role == "window")))
        codes = list(
            s.scalars(select(Record.record_id).where(Record.collection == "entities").limit(5000))
        )
    engine.dispose()

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        env = dict(os.environ, DATABASE_URL=url, CREDIT_PLATFORM_DATA=tmp)
        bases = []
        servers = []
        for _ in range(args.workers):
            port = free_port()
            servers.append(start_server(port, env))
            stack.callback(stop_server, servers[-1])
            bases.append(f"http://127.0.0.1:{port}")
        base = bases[0]
        session, _ = login(base, windows[0])
        for gzip in (False, True):
            result = full_pull(base, session, gzip)
            total = sum(result["counts"].values())
            entities = result["counts"].get("entities", 0)
            served = result["seconds"] - result["parse"]
            print(
                f"initial pull ({'gzip' if gzip else 'identity'}) as {windows[0]}: {total:,} records "
                f"({entities:,} entities) in {result['pages']} pages, {result['wire'] / 1e6:.0f} MB on the wire: "
                f"served and transferred in {served:.2f} s ({total / served:,.0f} records/s), client parse "
                f"(orjson) {result['parse']:.2f} s; the entities' share of serving ≈ "
                f"{served * entities / total:.2f} s (target < 3 s)"
            )
        checker, _ = login(base, "admin")
        before = pull_cursor_at_head(base, checker)

        latencies: list[float] = []
        errors: list[str] = []
        pushed: list[str] = []
        users = [windows[i % len(windows)] for i in range(args.clients)]
        threads = [
            threading.Thread(
                target=pusher,
                args=(
                    bases[i % len(bases)],
                    u,
                    codes,
                    args.mutations,
                    args.batch,
                    latencies,
                    errors,
                    pushed,
                ),
            )
            for i, u in enumerate(users)
        ]
        server_pids = [p.pid for p in servers]
        pg_pids = postgres_pids()
        cpu0 = (cpu_seconds(server_pids), cpu_seconds(pg_pids, reaped=True), time.process_time())
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        cpu1 = (
            cpu_seconds(server_pids),
            cpu_seconds(postgres_pids(), reaped=True),
            time.process_time(),
        )
        done = args.clients * args.mutations
        lat = sorted(latencies)
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))] if lat else float("nan")
        p50 = statistics.median(lat) if lat else float("nan")
        print(
            f"push: {args.clients} clients × {args.mutations} mutations (batches of {args.batch}) "
            f"to {args.workers} serve processes on one PostgreSQL: {elapsed:.1f} s → "
            f"{done / elapsed:,.0f} mutations/s; push request latency p50 {p50 * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms (targets ≥ 1,000 mutations/s, p99 ≤ 3 s); "
            f"errors: {len(errors)}; {load()}"
        )
        spent = [b - a for a, b in zip(cpu0, cpu1, strict=True)]
        per = [x * 1000 / max(done, 1) for x in spent]
        print(
            f"CPU during the pushes: serve processes {spent[0]:.1f} s ({per[0]:.2f} ms/mutation), "
            f"PostgreSQL {spent[1]:.1f} s ({per[1]:.2f} ms/mutation), load generator "
            f"{spent[2]:.1f} s ({per[2]:.2f} ms/mutation); "
            f"{os.cpu_count()} CPUs × {elapsed:.1f} s = {(os.cpu_count() or 1) * elapsed:.1f} CPU-s"
        )
        for e in errors[:5]:
            print("  ", e)

        seen = pushed_ids_seen(bases[-1], checker, before)
        missing = [r for r in pushed if r not in seen]
        twice = [r for r, n in seen.items() if n > 1]
        unknown = set(seen) - set(pushed)
        ok = not missing and not twice and not unknown and not errors and len(pushed) == done
        print(
            f"check: a full pull from before the pushes shows {len(seen):,} of {len(pushed):,} pushed "
            f"commitments; missing {len(missing)}, more than once {len(twice)}, unexpected "
            f"{len(unknown)} — {'OK' if ok else 'FAILED'}"
        )
        return not ok


if __name__ == "__main__":
    main()
