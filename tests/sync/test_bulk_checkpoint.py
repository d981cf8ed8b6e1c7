"""A bulk first pull killed between two durable checkpoints resumes from the last one.

A bulk load (a first pull spanning several pages) applies several pages per transaction and
commits a checkpoint — the pages and the cursor after the last of them — every so many
changes (``sync.pull.BULK_CHECKPOINT_CHANGES``). The client process (``crash_client.py``,
a real SQLCipher file, the real platform process) pulls 20 changes a page with a checkpoint
every 100; it stops inside the transaction of pages 6 and 7 and is killed with SIGKILL.
The store must then hold exactly the first checkpoint (100 changes, its cursor, search
suspended); a restart pulls everything after it exactly once, rebuilds the search indexes,
and ends with the same registry and reference data as a device that pulled without a kill.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from sqlalchemy import func, select, text

from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository, search_index_stale
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord
from sync.pull import stored_cursor
from tests.sync.conftest import LiveServer
from tests.sync.test_crash import RUN_TIMEOUT_S, _env, _finish, _start

PAGE = 20
CHECKPOINT = 100
PAUSE_AT = 140  # pages 6 and 7 applied, not committed


def _rows(store: Store) -> dict[str, object]:
    with store.read() as s:
        return {
            "entities": sorted(
                (e.uscc, e.name, e.version, e.address) for e in s.scalars(select(Entity))
            ),
            "reference": sorted(
                (r.collection, r.record_id, r.version, r.data)
                for r in s.scalars(select(ReferenceRecord))
            ),
            "forms": sorted(
                (f.collection, f.record_id, f.version) for f in s.scalars(select(FormRecord))
            ),
        }


def _pulled(lines: list[str]) -> int:
    """The last progress count of the first sync's pull in a client's output."""
    counts = [int(line.split()[2]) for line in lines if line.startswith("event pull ")]
    # The first sync's pull ends before the second (empty) sync's "event pull 0".
    first = counts[: counts.index(0, 1)] if 0 in counts[1:] else counts
    return max(first)


def test_kill_between_bulk_checkpoints_resumes_from_the_last_one(
    live_server: LiveServer, tmp_path: Path
) -> None:
    settings = {
        "CRASH_FORMS": "0",
        "CRASH_PULL_LIMIT": str(PAGE),
        "CRASH_CHECKPOINT_CHANGES": str(CHECKPOINT),
    }
    # A device that pulls the same data without being killed.
    calib = _env(live_server, tmp_path / "calib", os.urandom(32), "calib") | settings
    lines, again = _finish(calib)
    assert again == {"pushed": 0, "pulled": 0}
    total = _pulled(lines)
    assert total > PAUSE_AT + CHECKPOINT  # more checkpoints were still to come
    calib_store = Store.open(Path(calib["CRASH_STORE"]), bytes.fromhex(calib["CRASH_KEY"]))
    try:
        expected = _rows(calib_store)
    finally:
        calib_store.close()

    env = _env(live_server, tmp_path / "killed", os.urandom(32), "killed")
    env |= settings | {"CRASH_PAUSE_AT": str(PAUSE_AT)}
    run = _start(env)
    seen: list[str] = []
    while not seen or seen[-1] != "paused":
        got = run.wait_lines(1, RUN_TIMEOUT_S)
        assert got, f"the client ended before pausing: {seen[-5:]}"
        seen += got
    run.proc.send_signal(signal.SIGKILL)
    run.proc.communicate(timeout=30)
    assert f"event pull {PAUSE_AT}" in seen

    # Exactly the first checkpoint is durable: 100 changes, their cursor, search suspended.
    store = Store.open(Path(env["CRASH_STORE"]), bytes.fromhex(env["CRASH_KEY"]))
    try:
        store.integrity_check()
        with store.read() as s:
            held = sum(
                int(s.scalar(select(func.count()).select_from(m)) or 0)
                for m in (Entity, ReferenceRecord, FormRecord)
            )
            assert held == CHECKPOINT
            assert search_index_stale(s)
        assert stored_cursor(store) is not None
    finally:
        store.close()

    # The restart pulls the rest once (from the checkpoint) and ends where the other did.
    resumed = dict(env)
    del resumed["CRASH_PAUSE_AT"]
    lines, again = _finish(resumed)
    assert again == {"pushed": 0, "pulled": 0}
    assert _pulled(lines) == total - CHECKPOINT
    store = Store.open(Path(env["CRASH_STORE"]), bytes.fromhex(env["CRASH_KEY"]))
    try:
        store.integrity_check()
        assert _rows(store) == expected
        with store.read() as s:
            assert not search_index_stale(s)
            repo = EntityRepository(s)
            entities = list(s.scalars(select(Entity).order_by(Entity.id)))
            for e in (entities[0], entities[len(entities) // 2], entities[-1]):
                for query in (e.name[-4:], e.name[1:4], e.name[2:4], e.name[-1]):
                    hits = repo.search_name(query)
                    assert e.id in hits.ids or hits.truncated, (e.name, query)
            triggers = s.execute(
                text(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                    "AND (name LIKE 'entities_fts_%' OR name LIKE 'entities_bigram_%')"
                )
            ).scalar()
            assert triggers == 6
            grams = s.execute(text("SELECT count(DISTINCT entity_id) FROM entity_bigrams")).scalar()
            assert grams == len(entities)
            index = "SELECT count(*) FROM sqlite_master WHERE name = 'ix_reference_records_entity'"
            assert s.execute(text(index)).scalar() == 1
    finally:
        store.close()
