"""Loading the entity registry cache (demo seed now; the sync pull applies pages the same way)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from desktop_app.services.demo_data import generate_entities
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository

log = logging.getLogger(__name__)

DEMO_ENTITY_COUNT = 2000


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
    added = import_entities(store, generate_entities(count))
    log.info("seeded %d demo entities", added)
    return added
