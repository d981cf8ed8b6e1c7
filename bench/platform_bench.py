"""Platform benchmark: initial pull of 300,000 entities, and 20 clients pushing at once.

Run: ``.venv/bin/python bench/platform_bench.py [--entities 300000] [--database-url URL]``.
Without ``--database-url`` it creates a fresh PostgreSQL database on 127.0.0.1:5432 (and
drops it afterwards). It seeds the demo registry, starts ``credit-platform serve`` as a real
process on loopback, and drives it over HTTP with ``requests`` like the client does. It prints
figures; it asserts nothing.
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
            f"{base}/v1/sync/pull", params={"cursor": cursor, "limit": 10000}, timeout=120
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
            bad = [r for r in resp.json()["results"] if r["status"] != "applied"]
            if bad:
                errors.append(f"{username}: {bad[0]}")
    except Exception as exc:
        errors.append(f"{username}: {exc!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=300_000)
    parser.add_argument("--database-url")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--mutations", type=int, default=500)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}"
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

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=url, CREDIT_PLATFORM_DATA=tmp)
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
        try:
            for _ in range(300):
                try:
                    if requests.get(f"{base}/healthz", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
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

            latencies: list[float] = []
            errors: list[str] = []
            users = [windows[i % len(windows)] for i in range(args.clients)]
            threads = [
                threading.Thread(
                    target=pusher,
                    args=(base, u, codes, args.mutations, args.batch, latencies, errors),
                )
                for u in users
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            done = args.clients * args.mutations
            lat = sorted(latencies)
            p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))] if lat else float("nan")
            print(
                f"push: {args.clients} clients × {args.mutations} mutations (batches of {args.batch}): "
                f"{elapsed:.1f} s → {done / elapsed:,.0f} mutations/s; push request latency "
                f"p50 {statistics.median(lat) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; errors: {len(errors)}"
            )
            for e in errors[:5]:
                print("  ", e)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if dropdb:
        admin, name = dropdb
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
