"""Loading the entity registry cache (demo seed now; the sync pull applies pages the same way).

The local demo (``--demo``) also caches what an inspector's 离线准备 would bring: the demo
checklists and a few ``inspection_tasks`` on demo entities, so the task list shows offline.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from desktop_app.domain.clock import china_today
from desktop_app.domain.commitment_catalog import CATALOG, CHECKLISTS, DEMO_CHECKLIST
from desktop_app.domain.records import record_type
from desktop_app.domain.working_days import CalendarUnknown, WorkingDayCalendar
from desktop_app.services.demo_data import generate_credit_records, generate_entities
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import ReferenceRecord

log = logging.getLogger(__name__)

DEMO_ENTITY_COUNT = 2000
CATALOG_COLLECTION = "commitment_catalog"
CHECKLIST_COLLECTION = "checklists"
TASK_COLLECTION = "inspection_tasks"
DEMO_TASK_COUNT = 6
DEMO_TASK_DUE_WORKING_DAYS = 20
DEMO_DRAW_ID = "DR-LOCAL-DEMO"
DEMO_DRAW_TITLE = "演示双随机抽查（本机演示数据）"
FOOD_CHECKLIST = "CL-FOOD-01"
_FOOD_WORDS = ("餐饮", "食品", "饭店", "面馆", "超市")


def import_entities(
    store: Store,
    rows: Iterable[dict[str, Any]],
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Upsert registry rows in batches, one transaction per batch.

    Args:
        store: The open store.
        rows: Entity mappings.
        batch_size: Rows per transaction.
        progress: Called with the running total after each batch.

    Returns:
        Rows written.
    """
    total = 0
    it = iter(rows)
    while batch := list(itertools.islice(it, batch_size)):
        with store.write() as session:
            total += EntityRepository(session).upsert_many(batch)
        if progress:
            progress(total)
    return total


def seed_demo_if_empty(store: Store, count: int = DEMO_ENTITY_COUNT) -> int:
    """Fill an empty cache with demo entities; a cache with data is left alone.

    Returns:
        Rows added (0 when the cache already had entities).
    """
    with store.read() as session:
        if EntityRepository(session).count():
            return 0
    entities = list(generate_entities(count))
    added = import_entities(store, entities)
    records = import_reference_records(store, generate_credit_records(entities))
    matters = seed_demo_catalog(store)
    checklists = seed_demo_checklists(store)
    tasks = seed_demo_tasks(store, entities[:DEMO_TASK_COUNT])
    log.info(
        "seeded %d demo entities, %d credit records, %d catalog matters, %d checklists, %d tasks",
        added,
        records,
        matters,
        checklists,
        tasks,
    )
    return added


def seed_demo_catalog(store: Store) -> int:
    """Store the demo commitment catalog as ``commitment_catalog`` records, as a pull would.

    Returns:
        Matters written.
    """
    rows = ((CATALOG_COLLECTION, matter_id, dict(fields)) for matter_id, fields in CATALOG)
    return import_reference_records(store, rows)


def seed_demo_checklists(store: Store) -> int:
    """Store the demo checklists as ``checklists`` records, as a pull would.

    Returns:
        Checklists written.
    """
    rows = ((CHECKLIST_COLLECTION, cid, dict(fields)) for cid, fields in CHECKLISTS)
    return import_reference_records(store, rows)


def _demo_checklist(entity: dict[str, Any]) -> str:
    text = f"{entity.get('name', '')}{entity.get('industry', '')}"
    return FOOD_CHECKLIST if any(word in text for word in _FOOD_WORDS) else DEMO_CHECKLIST


def seed_demo_tasks(
    store: Store, entities: Sequence[dict[str, Any]], today: date | None = None
) -> int:
    """Store ``inspection_tasks`` on demo entities, shaped as the platform's draw makes them.

    Like the platform's, the task records carry no credit grade. The due date is
    :data:`DEMO_TASK_DUE_WORKING_DAYS` working days after ``today`` on the official calendar;
    when the calendar does not know the year the task has no due date and says why.

    Args:
        store: The open store.
        entities: The entities to inspect (registry rows with ``uscc`` and ``name``).
        today: The assignment date (default: today).

    Returns:
        Tasks written.
    """
    day = today or china_today()
    try:
        due: date | None = WorkingDayCalendar().deadline(day, DEMO_TASK_DUE_WORKING_DAYS)
        note = None
    except CalendarUnknown:
        due, note = None, "该年度节假日安排尚未发布，暂无法计算办结期限。"
    rows = [
        (
            TASK_COLLECTION,
            f"{DEMO_DRAW_ID}-{i:04d}",
            {
                "draw_id": DEMO_DRAW_ID,
                "draw_title": DEMO_DRAW_TITLE,
                "uscc": entity["uscc"],
                "entity_name": entity.get("name", ""),
                "inspectors": [],
                "checklist_id": _demo_checklist(entity),
                "assigned_on": day.isoformat(),
                "due_on": due.isoformat() if due else None,
                "due_note": note,
                "status": "assigned",
            },
        )
        for i, entity in enumerate(entities, start=1)
    ]
    return import_reference_records(store, rows)


def import_reference_records(
    store: Store, rows: Iterable[tuple[str, str, dict[str, Any]]], *, batch_size: int = 5000
) -> int:
    """Store platform-shaped registry records (licences, penalties …) as a pull would.

    Args:
        store: The open store.
        rows: ``(collection, record_id, fields)``.
        batch_size: Rows per transaction.

    Returns:
        Rows written.
    """
    total = 0
    it = iter(rows)
    while batch := list(itertools.islice(it, batch_size)):
        with store.write() as session:
            for collection, record_id, fields in batch:
                session.merge(
                    ReferenceRecord(
                        collection=collection,
                        record_id=record_id,
                        version=0,
                        deleted=False,
                        data=json.dumps(fields, ensure_ascii=False, sort_keys=True),
                        entity_uscc=record_type(collection).read(fields).entity_uscc,
                    )
                )
        total += len(batch)
    return total
