"""Loading the entity registry cache (demo seed now; the sync pull applies pages the same way)."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from desktop_app.domain.commitment_catalog import CATALOG
from desktop_app.services.demo_data import generate_credit_records, generate_entities
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import ReferenceRecord

log = logging.getLogger(__name__)

DEMO_ENTITY_COUNT = 2000
CATALOG_COLLECTION = "commitment_catalog"


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
    log.info(
        "seeded %d demo entities, %d credit records and %d catalog matters", added, records, matters
    )
    return added


def seed_demo_catalog(store: Store) -> int:
    """Store the demo commitment catalog as ``commitment_catalog`` records, as a pull would.

    Returns:
        Matters written.
    """
    rows = ((CATALOG_COLLECTION, matter_id, dict(fields)) for matter_id, fields in CATALOG)
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
                        entity_uscc=fields.get("uscc"),
                    )
                )
        total += len(batch)
    return total
