"""Sync through a fault-injecting proxy (SQLite and PostgreSQL): clients end at the server state.

Three clients (separate profiles, stores and devices; two accounts of one hall) create, edit
and delete forms and sync again and again while the proxy drops connections, delays, cuts
answers, answers 500/503 and stalls. Between two syncs a client often edits the same record
several times (different fields each time, sometimes deleting it after), so queued edits of
one record meet other devices' changes. Then the faults stop, every client syncs, and
:func:`~tests.sync.reliability_checks.assert_converged` checks the invariants, among them
that no record diverged silently: every local change that did not reach the platform is an
open conflict or a sync error the user sees.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sync.errors import Offline, ProtocolError, ServerError
from tests.sync.conftest import LiveServer
from tests.sync.faultproxy import FaultProxy, FaultRates
from tests.sync.reliability_checks import (
    EDITABLE,
    Client,
    assert_converged,
    commitment,
    server_forms,
)

ACCOUNTS = ("window.luzhou.1", "window.luzhou.2", "window.luzhou.1")  # 3 devices, 1 hall
ROUNDS = 8


def _upstream(server: LiveServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    assert parts.hostname == "127.0.0.1" and parts.port is not None
    return parts.hostname, parts.port


@pytest.fixture
def proxy(backend_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(_upstream(backend_server), FaultRates.chaos(0.06), seed=20260318) as p:
        yield p


def _clients(
    url: str, tmp_path: Path, n: int, *, push_batch: int = 100, pull_limit: int = 5000
) -> list[Client]:
    return [
        Client(
            url,
            tmp_path / f"c{i}",
            ACCOUNTS[i],
            seed=i,
            push_batch=push_batch,
            pull_limit=pull_limit,
        )
        for i in range(n)
    ]


def _random_work(
    rng: random.Random, c: Client, shared: list[str], counter: list[int], bursts: list[int]
) -> None:
    """1–3 random local changes; edits favour a few shared records to provoke overlaps.

    A burst edits one record 2–3 times before the next sync (and sometimes deletes it).
    """
    for _ in range(rng.randint(1, 3)):
        counter[0] += 1
        tag = f"{c.name}#{counter[0]}"
        live = c.live_ids()
        roll = rng.random()
        hot = [r for r in shared if r in live]
        if roll < 0.3 or not live:
            rid = f"r-{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}"
            c.create(rid, commitment(text=f"created by {tag}"))
        elif roll < 0.55:
            rid = rng.choice(hot) if hot and rng.random() < 0.7 else rng.choice(live)
            fields = rng.sample(EDITABLE, rng.randint(1, 2))
            c.edit(rid, {f: f"{f} by {tag}" for f in fields})
        elif roll < 0.9:
            rid = rng.choice(hot) if hot and rng.random() < 0.8 else rng.choice(live)
            for step in range(rng.randint(2, 3)):
                field = rng.choice(EDITABLE)
                c.edit(rid, {field: f"{field} by {tag}.{step}"})
            if rng.random() < 0.15:
                c.delete(rid)
            bursts[0] += 1
        else:
            c.delete(rng.choice(live))


@pytest.mark.slow
def test_clients_converge_through_a_faulty_network(
    backend_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    rng = random.Random(7)
    proxy.faults = False  # log in and take the first pull cleanly
    clients = _clients(proxy.url, tmp_path, 3, push_batch=4, pull_limit=150)
    try:
        for c in clients:
            c.sync()
        # A few records everybody holds: edits of the same fields collide on them.
        shared = [f"hot-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}" for _ in range(3)]
        for rid in shared:
            clients[0].create(rid, commitment(text="shared"))
        clients[0].sync()
        for c in clients:
            c.sync()
        proxy.faults = True
        counter = [0]
        bursts = [0]
        failures: dict[str, int] = {}
        for _ in range(ROUNDS):
            for c in rng.sample(clients, len(clients)):
                _random_work(rng, c, shared, counter, bursts)
                try:
                    c.sync()
                except (Offline, ServerError, ProtocolError) as exc:
                    # The network is bad: the next round resumes. Any other error fails.
                    failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
        # The faults really happened, and really broke syncs.
        assert sum(proxy.injected.values()) >= 10, proxy.injected
        assert {"drop_after", "cut", "status_after"} & set(proxy.injected), proxy.injected
        assert failures, "no sync failed: the proxy injected nothing that mattered"

        proxy.faults = False
        for _ in range(2):  # push everything, then let everyone pull everyone's changes
            for c in clients:
                c.sync()
        assert_converged(backend_server, clients)
        assert len(server_forms(backend_server)) >= 3
        # The workload did make both sides edit the same fields: conflicts are visible.
        assert sum(len(c.conflicts()) for c in clients) >= 1
        # Clients did edit one record several times between syncs, and some of those
        # queued edits met another device's change of a field only a later edit touched.
        assert bursts[0] >= 10, bursts
        assert _queued_edits_that_met_foreign_changes(clients) >= 1
    finally:
        for c in clients:
            c.close()


def _queued_edits_that_met_foreign_changes(clients: list[Client]) -> int:
    """Updates sent after an earlier queued update of the same record, answered ``conflict``."""
    met = 0
    for c in clients:
        previous: dict[str, int | None] = {}
        for e in c.outbox():
            if e.op != "update":
                continue
            base = c.seen.get(e.seq)
            if base is not None and previous.get(e.record_id) == base:
                met += e.status == "conflict"
            previous[e.record_id] = base
    return met


def test_rejected_change_puts_the_form_back_in_line(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """A delete the platform refuses (a signed letter) must not leave the form deleted locally."""
    (client,) = _clients(live_server.url, tmp_path, 1)
    try:
        rid = f"r-{uuid.uuid4().hex[:16]}"
        client.create(rid, commitment(status="signed", signed_on="2026-03-18"))
        client.sync()
        assert client.delete(rid)
        report = client.sync()
        assert report.rejected == 1
        client.sync()
        version, deleted, _data, dirty = client.forms()[rid]
        on_server = server_forms(live_server)[rid]
        assert (version, deleted, dirty) == (on_server.version, on_server.deleted, False)
    finally:
        client.close()
