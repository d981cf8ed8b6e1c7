"""Sync invariant 3 with two real ``credit-platform serve`` processes on one PostgreSQL.

Pushes run side by side on PostgreSQL (their change numbers are given at commit, see
:mod:`platform_server.db`). Several threads push batches through two serving processes while
other threads pull continuously from their cursors through both. Afterwards a full pull shows
every record's latest change; each continuous puller must have been delivered every one of
them (nothing skipped), never the same change twice, with a cursor that only advanced. Two
devices also edit one shared record all the time: its final version must count every applied
edit (no two pushes built on the same version).

Real processes, real HTTP, real PostgreSQL; nothing is timed. With the numbering taken
outside commit order (the counter's lock released before the rows commit) the pullers skip
changes and the first test fails (checked once by breaking ``db.number_pending`` so: "puller 0
skipped 229 committed changes").

The second test races pushes that must lose to each other (the same new ids from two devices,
the same batch resent by one device) through the two processes: the loser's batch is rolled
back and run again, and every id is applied exactly once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from platform_server.app import create_app
from platform_server.settings import ServerSettings
from tests.platform.helpers import Caller, cursor_seq, make_caller, mutation
from tests.platform.test_login_limits import serving
from tests.sync.conftest import fresh_postgres_database

PUSHERS = 4
BATCHES = 12
PER_BATCH = 6
PULLERS = 3
PAGE = 7
SHARED = "shared-session"


@dataclass
class Stream:
    """What one continuous puller was delivered."""

    delivered: list[tuple[str, int]] = field(default_factory=list)
    cursors: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], list[Caller], Caller]]:
    """Two serving processes on a fresh PostgreSQL database, window devices and an admin."""
    with fresh_postgres_database() as url:
        app = create_app(
            ServerSettings(database_url=url, blob_dir=tmp_path / "blobs", data_dir=tmp_path)
        )
        try:
            windows = [make_caller(app, f"w{i}", "window", hall="hall-a") for i in range(PUSHERS)]
            admin = make_caller(app, "admin", "admin", region=None)
        finally:
            app.state.engine.dispose()
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        with serving(tmp_path / "a", url) as one, serving(tmp_path / "b", url) as two:
            yield [one.url, two.url], windows, admin


def _push(base: str, caller: Caller, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    resp = requests.post(
        f"{base}/v1/sync/push",
        json={"device_id": caller.device_id, "mutations": mutations},
        headers=caller.headers,
        timeout=120,
    )
    assert resp.status_code == 200, resp.text
    results: list[dict[str, Any]] = resp.json()["results"]
    return results


def _pull(base: str, caller: Caller, cursor: str) -> dict[str, Any]:
    resp = requests.get(
        f"{base}/v1/sync/pull",
        params={"cursor": cursor, "limit": str(PAGE)},
        headers=caller.headers,
        timeout=120,
    )
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_concurrent_pushes_through_two_servers_never_make_a_puller_skip(
    two_servers: tuple[list[str], list[Caller], Caller],
) -> None:
    bases, windows, admin = two_servers
    first = _push(
        bases[0],
        windows[0],
        [mutation(1, "education_sessions", SHARED, title="诚信教育", held_on="2025-04-01")],
    )
    assert first[0]["status"] == "applied"
    start = _pull(bases[0], admin, "")
    while start["has_more"]:
        start = _pull(bases[0], admin, start["cursor"])

    pushing_done = threading.Event()
    edits_applied: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def pusher(n: int) -> None:
        caller = windows[n]
        seq = 100
        try:
            for b in range(BATCHES):
                batch = []
                for i in range(PER_BATCH):
                    seq += 1
                    batch.append(
                        mutation(
                            seq,
                            "education_sessions",
                            f"s-{n}-{b}-{i}-{uuid.uuid4().hex[:6]}",
                            title=f"诚信教育{n}-{b}-{i}",
                            held_on="2025-04-02",
                        )
                    )
                seq += 1
                # Everyone edits the shared record from the version it first saw.
                batch.insert(
                    b % PER_BATCH,
                    mutation(seq, "education_sessions", SHARED, "update", 1, title=f"改{n}-{b}"),
                )
                results = _push(bases[(n + b) % 2], caller, batch)
                with lock:
                    for r in results:
                        if r["record_id"] == SHARED:
                            # Another device's edit since version 1 is a conflict (not applied).
                            if r["status"] not in ("applied", "conflict"):
                                failures.append(f"{r}")
                            if r["status"] == "applied":
                                edits_applied.append(1)
                        elif r["status"] != "applied":
                            failures.append(f"{r}")
        except Exception as exc:  # reported by the assertion below
            failures.append(repr(exc))

    streams = [Stream() for _ in range(PULLERS)]

    def puller(n: int) -> None:
        stream = streams[n]
        cursor = start["cursor"]
        last = cursor_seq(cursor)
        turn = 0
        try:
            while True:
                finished = pushing_done.is_set()  # read before the page: a full pass after it
                while True:
                    page = _pull(bases[(n + turn) % 2], admin, cursor)
                    turn += 1
                    if page["reset"]:
                        stream.problems.append("cursor reset")
                    stream.delivered.extend((c["record_id"], c["version"]) for c in page["changes"])
                    cursor = page["cursor"]
                    seq = cursor_seq(cursor)
                    if seq < last:
                        stream.problems.append(f"cursor went back from {last} to {seq}")
                    last = seq
                    stream.cursors.append(seq)
                    if not page["has_more"]:
                        break
                if finished:
                    return
        except Exception as exc:
            stream.problems.append(repr(exc))

    threads = [threading.Thread(target=pusher, args=(n,)) for n in range(PUSHERS)]
    readers = [threading.Thread(target=puller, args=(n,)) for n in range(PULLERS)]
    for t in readers + threads:
        t.start()
    for t in threads:
        t.join(300)
    pushing_done.set()
    for t in readers:
        t.join(300)
    assert not any(t.is_alive() for t in threads + readers)
    assert failures == []

    # The truth: a full pull from the same starting point after everything committed.
    final: dict[str, int] = {}
    cursor = start["cursor"]
    while True:
        page = _pull(bases[1], admin, cursor)
        for c in page["changes"]:
            assert c["record_id"] not in final, f"{c['record_id']} twice in one full pull"
            final[c["record_id"]] = c["version"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert len(final) == PUSHERS * BATCHES * PER_BATCH + 1
    # Every applied edit of the shared record made its own version (none built on a stale one).
    assert final[SHARED] == 1 + len(edits_applied)

    for n, stream in enumerate(streams):
        assert stream.problems == [], f"puller {n}: {stream.problems[:5]}"
        assert len(set(stream.delivered)) == len(stream.delivered), f"puller {n}: duplicates"
        got = set(stream.delivered)
        skipped = [(rid, v) for rid, v in final.items() if (rid, v) not in got]
        assert skipped == [], f"puller {n} skipped {len(skipped)} committed changes: {skipped[:5]}"


def test_racing_pushes_of_one_id_or_one_batch_apply_it_once(
    two_servers: tuple[list[str], list[Caller], Caller],
) -> None:
    """Races a push loses (a unique key the other inserted first) end in a rerun, not a 500.

    Two devices create the same record ids at once through the two processes: each id is
    applied exactly once, the loser is told ``record_exists``. One device sends the same batch
    twice at once (a client that timed out and resent): one answer is ``applied``, the other
    ``duplicate`` of it, and the records exist once.
    """
    bases, windows, admin = two_servers
    rounds = 6
    outcomes: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    errors: list[str] = []

    def send(
        base: str, caller: Caller, batch: list[dict[str, Any]], barrier: threading.Barrier
    ) -> None:
        try:
            barrier.wait(30)
            results = _push(base, caller, batch)
            with lock:
                outcomes.extend((caller.username, r["record_id"], r["status"]) for r in results)
        except Exception as exc:
            errors.append(repr(exc))

    for n in range(rounds):
        ids = [f"race-{n}-{i}" for i in range(5)]
        same = [
            mutation(
                10 * n + i + 1, "education_sessions", rid, title="诚信教育", held_on="2025-04-03"
            )
            for i, rid in enumerate(ids)
        ]
        barrier = threading.Barrier(2)
        if n % 2 == 0:  # two devices, the same new ids
            pair = [(bases[0], windows[0], same), (bases[1], windows[1], same)]
        else:  # one device, the same batch twice
            pair = [(bases[0], windows[2], same), (bases[1], windows[2], same)]
        threads = [threading.Thread(target=send, args=(*p, barrier)) for p in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        for rid in ids:
            statuses = sorted(s for _, r, s in outcomes if r == rid)
            if n % 2 == 0:
                assert statuses == ["applied", "rejected"], (rid, statuses)
            else:
                assert statuses == ["applied", "duplicate"], (rid, statuses)

    seen: dict[str, int] = {}
    cursor = ""
    while True:
        page = _pull(bases[0], admin, cursor)
        for c in page["changes"]:
            seen[c["record_id"]] = seen.get(c["record_id"], 0) + 1
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    raced = {rid: k for rid, k in seen.items() if rid.startswith("race-")}
    assert raced == {f"race-{n}-{i}": 1 for n in range(rounds) for i in range(5)}
