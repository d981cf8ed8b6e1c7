"""Sync invariant 3 on real PostgreSQL: a pull never skips a change that commits late.

Concurrent PostgreSQL transactions can commit in another order than they took sequence
numbers. ``db.allocate_seq`` holds the counter row's lock until commit, so a transaction
that would take ``n+1`` waits until the one holding ``n`` ends; a pull therefore never sees
``n+1`` while ``n`` is still open, and a client that pulled in between gets both later.
These tests use real connections and threads (no mocks) and never skip: PostgreSQL is
required (see conftest).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.requests import Request

from platform_server.app import create_app
from platform_server.db import make_engine
from platform_server.deps import get_write_session
from platform_server.records import Scope, locked_record, put_record
from platform_server.settings import ServerSettings
from tests.platform.conftest import empty_tables
from tests.platform.helpers import (
    Caller,
    cursor_seq,
    make_caller,
    mutation,
    pull,
    pull_all,
    push,
    seed_entity,
    uscc,
)
from tests.waiting import wait_for


@pytest.fixture
def pg_app(pg_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    engine = make_engine(pg_url)
    empty_tables(engine)
    with engine.begin() as conn:  # meta survives emptying; no earlier test's compaction here
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'min_seq'"))
    engine.dispose()
    app = create_app(
        ServerSettings(database_url=pg_url, blob_dir=tmp_path / "b", data_dir=tmp_path)
    )
    assert app.state.engine.dialect.name == "postgresql"
    yield app
    app.state.engine.dispose()


def waiting_on_counter(engine: Engine) -> int:
    """Backends of this database blocked on a lock while updating the counter."""
    return waiting_on_lock(engine, "%UPDATE counters%")


def waiting_on_lock(engine: Engine, query: str = "%") -> int:
    """Backends of this database blocked on a lock, running a query ``LIKE`` ``query``."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE :query"
                ),
                {"query": query},
            ).scalar_one()
        )


def write(session: Session, record_id: str) -> int:
    """Write one entity the way imports and draws do; returns its sequence number."""
    code = uscc(7)
    record = put_record(session, "entities", record_id, {"uscc": code}, Scope(entity_uscc=code))
    return record.seq


def test_a_later_number_waits_for_the_earlier_commit(pg_app: FastAPI) -> None:
    app = pg_app
    engine: Engine = app.state.engine
    admin = make_caller(app, "admin", "admin", region=None)
    window = make_caller(app, "w", "window", hall="hall-a")
    seed_entity(app, uscc(1))
    with TestClient(app) as client:
        _, cursor = pull_all(client, admin)
        start = cursor_seq(cursor)

        # Transaction A takes number start+1 and stays open.
        a = Session(engine)
        a.begin()
        a_seq = write(a, "A")
        assert a_seq == start + 1

        # Transaction B (a real push over HTTP) wants the next number.
        pushed: dict[str, object] = {}

        def push_b() -> None:
            resp = client.post(
                "/v1/sync/push",
                json={
                    "device_id": window.device_id,
                    "mutations": [
                        mutation(
                            1, "education_sessions", "B", title="诚信教育", held_on="2025-04-01"
                        )
                    ],
                },
                headers=window.headers,
            )
            pushed["result"] = resp.json()["results"][0]

        b = threading.Thread(target=push_b)
        b.start()
        try:
            wait_for(lambda: waiting_on_counter(engine) == 1, "B waits for A's counter lock")
            assert "result" not in pushed
            # A pull in between is not blocked, and sees neither A nor B.
            between = pull(client, admin, cursor)
            assert between["changes"] == [] and not between["reset"]
            assert cursor_seq(between["cursor"]) == start
            a.commit()
        finally:
            a.close()
            b.join(10)
        assert pushed["result"]["status"] == "applied"  # type: ignore[index]
        # The client that pulled in between now gets both, in commit (= sequence) order.
        changes, final = pull_all(client, admin, between["cursor"])
        assert [(c["collection"], c["record_id"]) for c in changes] == [
            ("entities", "A"),
            ("education_sessions", "B"),
        ]
        assert cursor_seq(final) == start + 2


def test_concurrent_writers_never_make_a_puller_skip(pg_app: FastAPI) -> None:
    """Writers commit at random moments while a client pulls continuously."""
    app = pg_app
    engine: Engine = app.state.engine
    admin = make_caller(app, "admin", "admin", region=None)
    writers, per_writer = 4, 12
    written: list[tuple[int, str]] = []
    lock = threading.Lock()
    done = threading.Event()

    def writer(n: int) -> None:
        rng = random.Random(n)
        for i in range(per_writer):
            with Session(engine) as s, s.begin():
                # Work before and after taking a number, so transactions overlap.
                time.sleep(rng.uniform(0, 0.004))
                seq = write(s, f"w{n}-{i}")
                time.sleep(rng.uniform(0, 0.004))
            with lock:
                written.append((seq, f"w{n}-{i}"))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    delivered: list[str] = []
    errors: list[BaseException] = []
    with TestClient(app) as client:

        def puller(who: Caller) -> None:
            cursor = None
            try:
                while True:
                    finished = done.is_set()  # read before the pull: the last pull sees all
                    page = pull(client, who, cursor, limit=7)
                    assert not page["reset"]
                    delivered.extend(change["record_id"] for change in page["changes"])
                    before = cursor_seq(cursor) if cursor else 0
                    cursor = page["cursor"]
                    assert cursor_seq(cursor) >= before
                    if finished and not page["has_more"]:
                        return
            except BaseException as exc:  # surfaced in the test thread below
                errors.append(exc)

        for t in threads:
            t.start()
        puller_thread = threading.Thread(target=puller, args=(admin,))
        puller_thread.start()
        for t in threads:
            t.join(30)
        done.set()
        puller_thread.join(30)
        assert not puller_thread.is_alive()
    assert not errors, errors
    assert len(written) == writers * per_writer
    ids = delivered
    assert sorted(ids) == sorted(record_id for _, record_id in written)  # nothing skipped
    assert len(ids) == len(set(ids))  # nothing twice
    # Delivery order is sequence order.
    order = {record_id: seq for seq, record_id in written}
    assert [order[i] for i in ids] == sorted(order[i] for i in ids)


def test_concurrent_pushes_to_one_record_lose_no_edit(pg_app: FastAPI) -> None:
    """Two devices edit different fields of one record at the same moment, many times.

    Each push takes the counter lock before reading anything, so the second one builds on
    the first one's version instead of overwriting it from the same old version.
    """
    app = pg_app
    a = make_caller(app, "a", "window", hall="hall-a")
    b = make_caller(app, "b", "window", hall="hall-a")
    rounds = 15
    with TestClient(app) as client:
        created = client.post(
            "/v1/sync/push",
            json={
                "device_id": a.device_id,
                "mutations": [
                    mutation(1, "education_sessions", "s", title="t", held_on="2025-04-01")
                ],
            },
            headers=a.headers,
        )
        assert created.json()["results"][0]["status"] == "applied"
        errors: list[BaseException] = []
        barrier = threading.Barrier(2)

        def editor(who: Caller, field: str, first_seq: int) -> None:
            base = 1  # the version this device last saw
            try:
                for i in range(rounds):
                    barrier.wait(10)
                    edit = mutation(first_seq + i, "education_sessions", "s", "update", base)
                    edit["fields"] = {field: i}
                    resp = client.post(
                        "/v1/sync/push",
                        json={"device_id": who.device_id, "mutations": [edit]},
                        headers=who.headers,
                    )
                    result = resp.json()["results"][0]
                    # The other device changed only the other field: a merge, never a conflict.
                    assert result["status"] == "applied", resp.text
                    base = result["version"]
            except BaseException as exc:
                errors.append(exc)

        threads = [
            threading.Thread(target=editor, args=(a, "count_a", 2)),
            threading.Thread(target=editor, args=(b, "count_b", 1)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        changes, _ = pull_all(client, a)
    (record,) = [c for c in changes if c["record_id"] == "s"]
    assert record["version"] == 1 + 2 * rounds
    assert record["fields"]["count_a"] == rounds - 1 and record["fields"]["count_b"] == rounds - 1


def test_a_request_writer_and_a_push_on_the_same_record_both_commit(pg_app: FastAPI) -> None:
    """A draw, decision or publication (any request with a write session) against a push.

    The request writes record X, then record Y; a push holding Y commits in between. When
    request writers took the change counter at their first write, the push waited for the
    counter the request held while the request waited for the push's row Y: PostgreSQL rolled
    one back (the request answered 503 平台正忙). Numbered at commit, the request holds only
    row X while it works: the push commits, and the request then builds on the push's Y.
    """
    app = pg_app
    engine: Engine = app.state.engine
    window = make_caller(app, "w", "window", hall="hall-a")
    admin = make_caller(app, "admin", "admin", region=None)
    with TestClient(app) as client:
        (created,) = push(
            client,
            window,
            mutation(1, "education_sessions", "Y", title="诚信教育", held_on="2025-04-01"),
        )
        assert created["status"] == "applied"
        _, cursor = pull_all(client, admin)
        start = cursor_seq(cursor)

        # The request's own session, from the dependency every writing endpoint uses.
        scope = {"type": "http", "app": app, "method": "POST", "path": "/", "headers": []}
        writer = get_write_session(Request(scope))
        desk = next(writer)
        write(desk, "X")  # row X locked; no counter lock

        pushed: dict[str, Any] = {}

        def push_y() -> None:
            edit = mutation(2, "education_sessions", "Y", "update", created["version"])
            edit["fields"] = {"title": "诚信教育（改期）"}
            pushed["results"] = push(client, window, edit)

        b = threading.Thread(target=push_y)
        b.start()
        try:
            b.join(10)
            assert not b.is_alive(), (
                f"the push is blocked ({waiting_on_lock(engine)} backends wait on a lock): "
                "the request holds the change counter while it works"
            )
            (result,) = pushed["results"]
            assert result["status"] == "applied"
            y = locked_record(desk, "education_sessions", "Y")  # the push's version, now ours
            assert y is not None and y.version == result["version"]
            put_record(desk, "education_sessions", "Y", {"place": "大厅二楼"}, Scope())
        except BaseException:
            with pytest.raises(RuntimeError):
                writer.throw(RuntimeError("test failed"))  # rolled back: the push may go on
            b.join(10)
            raise
        with pytest.raises(StopIteration):
            next(writer)  # the dependency's exit: commit
        b.join(10)

        changes, final = pull_all(client, admin, cursor)
    # Both committed, numbered densely in commit order: the push's Y first, then the request's
    # X and Y (Y once, at its latest version, carrying both edits).
    assert [(c["record_id"], c["version"]) for c in changes] == [("X", 1), ("Y", 3)]
    (y_change,) = [c for c in changes if c["record_id"] == "Y"]
    assert y_change["fields"]["title"] == "诚信教育（改期）"
    assert y_change["fields"]["place"] == "大厅二楼"
    assert cursor_seq(final) == start + 3
