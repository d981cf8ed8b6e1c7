"""Typed decode benchmark: what reading pulled records through their definitions costs.

Run: ``.venv/bin/python bench/decode_bench.py --platform-db FILE`` with the SQLite file that
``bench/sync_bench.py --platform-db FILE`` seeded (300,000 entities and their grades, lists,
licences, penalties and public inspections).

For each collection a window user pulls, it decodes up to ``--sample`` records the way the
pull does (:meth:`RecordModel.read <desktop_app.domain.records.base.RecordModel.read>`, the
shared pydantic definitions, best of ``--rounds``) and prints microseconds per record and the
projected cost for the collection's full count. When ``msgspec`` is importable (it is not a
dependency: ``pip install msgspec`` to compare) it also decodes the entities with an
equivalent ``msgspec.Struct`` (``msgspec.convert``), the alternative the typed-records issue
asked to measure. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from desktop_app.domain.records import record_type

COLLECTIONS = (
    "entities",
    "credit_grades",
    "licences",
    "list_memberships",
    "penalties",
    "public_inspections",
)


def _best(rounds: int, work: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _msgspec_entities(rows: list[dict[str, Any]], rounds: int) -> float | None:
    try:
        import msgspec
    except ImportError:
        return None

    class Entity(msgspec.Struct, forbid_unknown_fields=False):
        uscc: str = ""
        name: str = ""
        legal_representative: str = ""
        address: str = ""
        region_code: str = ""
        industry: str = ""
        status: str = ""
        credit_grade: str | None = None
        lists: list[str] = []

    def work() -> None:
        for row in rows:
            msgspec.convert(row, Entity)

    return _best(rounds, work) / len(rows)


def main() -> None:
    """Decode samples of each collection and print the per-record costs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--platform-db", required=True)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    db = sqlite3.connect(args.platform_db)
    total = 0.0
    entity_rows: list[dict[str, Any]] = []
    for collection in COLLECTIONS:
        count = db.execute(
            "SELECT count(*) FROM records WHERE collection = ? AND NOT deleted", (collection,)
        ).fetchone()[0]
        rows = [
            json.loads(raw)
            for (raw,) in db.execute(
                "SELECT data FROM records WHERE collection = ? AND NOT deleted LIMIT ?",
                (collection, args.sample),
            )
        ]
        if not rows:
            continue
        kind = record_type(collection)

        def work(rows: list[dict[str, Any]] = rows, kind: Any = kind) -> None:
            for row in rows:
                kind.read(row)

        per = _best(args.rounds, work) / len(rows)
        total += per * count
        print(f"{collection:20} {per * 1e6:5.2f} µs/record × {count:7,} = {per * count:5.2f} s")
        if collection == "entities":
            entity_rows = rows
    print(f"typed decode of the whole pull (pydantic): {total:.2f} s")
    other = _msgspec_entities(entity_rows, args.rounds) if entity_rows else None
    if other is None:
        print("msgspec not installed: no comparison")
    else:
        print(f"entities with msgspec.convert: {other * 1e6:.2f} µs/record")


if __name__ == "__main__":
    main()
