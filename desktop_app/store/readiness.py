"""How ready the local store is for inspections without a network (离线准备).

Read-only queries over the store, and the two writes 离线准备 makes (a downloaded
attachment, the time it finished): the inspector's tasks, whether each task's entity and
checklist are cached, the earlier inspection results, and whether every attachment cited by a
cached record is inside the encrypted database. The sync engine's :mod:`sync.offline_pack`
downloads what is missing through it; :class:`desktop_app.services.offline.OfflineService`
gives the 同步 page the same summary with the network gone. It lives in the store, below
both, because it is a question about the store's tables and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from desktop_app.store.database import Store
from desktop_app.store.models import AttachmentBlob, Entity, FormRecord, ReferenceRecord
from desktop_app.store.outbox import SyncStateRepo
from desktop_app.store.state_keys import LAST_SYNC_KEY, PREPARED_KEY

__all__ = ["OfflineReadiness", "OfflineSummary"]

TASKS = "inspection_tasks"
CHECKLISTS = "checklists"
RESULTS = "inspection_results"

_SHA = re.compile(r"[0-9a-f]{64}")


def _loads(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _cited(data: dict[str, Any]) -> list[str]:
    cited = data.get("attachments")
    if not isinstance(cited, list):
        return []
    return [sha for sha in cited if isinstance(sha, str) and _SHA.fullmatch(sha)]


@dataclass(frozen=True)
class OfflineSummary:
    """How ready the local store is for inspections without a network.

    Attributes:
        tasks: The inspector's (non-deleted) inspection tasks in the cache.
        entities_present: Distinct task entities in the entity cache.
        entities_missing: USCCs of task entities not in the cache.
        checklists_present: Distinct checklists the tasks name that are cached.
        checklists_missing: Checklist ids the tasks name that are not cached.
        earlier_results: Cached inspection results (this inspector's task entities).
        blobs_present: Distinct cited attachments held in the encrypted database.
        blobs_missing: Digests of cited attachments not held locally.
        last_sync: Local time of the last successful sync, if any.
        prepared_at: Local time the last 离线准备 finished, if any.
    """

    tasks: int
    entities_present: int
    entities_missing: tuple[str, ...]
    checklists_present: int
    checklists_missing: tuple[str, ...]
    earlier_results: int
    blobs_present: int
    blobs_missing: tuple[str, ...]
    last_sync: str | None
    prepared_at: str | None

    @property
    def synced(self) -> bool:
        """Whether the store has been filled from the platform at least once."""
        return self.prepared_at is not None or self.last_sync is not None

    @property
    def ready(self) -> bool:
        """Synced, and nothing the tasks need is missing."""
        return self.synced and not (
            self.entities_missing or self.checklists_missing or self.blobs_missing
        )

    @property
    def updated_at(self) -> str | None:
        """When the data was last brought up to date (prepare, else sync)."""
        return self.prepared_at or self.last_sync


class OfflineReadiness:
    """Offline-readiness queries of one store, and the few writes 离线准备 needs.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def cited_blobs(self) -> list[str]:
        """Distinct digests cited by cached (non-deleted) forms and reference records."""
        seen: dict[str, None] = {}
        with self._store.read() as s:
            for model in (FormRecord, ReferenceRecord):
                rows = s.scalars(
                    select(model.data).where(
                        model.deleted.is_(False), model.data.like('%"attachments"%')
                    )
                )
                for raw in rows:
                    for sha in _cited(_loads(raw)):
                        seen.setdefault(sha, None)
        return list(seen)

    def missing_blobs(self) -> list[str]:
        """Cited digests whose content is not in ``attachment_blobs``."""
        cited = self.cited_blobs()
        held = self._held(cited)
        return [sha for sha in cited if sha not in held]

    def _held(self, shas: list[str]) -> set[str]:
        held: set[str] = set()
        with self._store.read() as s:
            for i in range(0, len(shas), 500):
                part = shas[i : i + 500]
                held.update(
                    s.scalars(select(AttachmentBlob.sha256).where(AttachmentBlob.sha256.in_(part)))
                )
        return held

    def store_blob(self, sha: str, content: bytes) -> None:
        """Keep downloaded attachment bytes (inside the encrypted database).

        Raises:
            ValueError: ``content`` does not hash to ``sha``.
        """
        if hashlib.sha256(content).hexdigest() != sha:
            raise ValueError(f"content does not match SHA-256 {sha}")
        with self._store.write() as s:
            if s.get(AttachmentBlob, sha) is None:
                s.add(AttachmentBlob(sha256=sha, size=len(content), content=content))

    def mark_prepared(self, when: str) -> None:
        """Record that 离线准备 finished at ``when`` (local time text)."""
        with self._store.write() as s:
            SyncStateRepo(s).set(PREPARED_KEY, when)

    def summary(self) -> OfflineSummary:
        """The readiness summary, computed from the store alone."""
        with self._store.read() as s:
            task_rows = s.scalars(
                select(ReferenceRecord.data).where(
                    ReferenceRecord.collection == TASKS, ReferenceRecord.deleted.is_(False)
                )
            ).all()
            tasks = [_loads(raw) for raw in task_rows]
            usccs = sorted({str(t["uscc"]) for t in tasks if t.get("uscc")})
            checklist_ids = sorted({str(t["checklist_id"]) for t in tasks if t.get("checklist_id")})
            cached_entities: set[str] = set()
            for i in range(0, len(usccs), 500):
                part = usccs[i : i + 500]
                cached_entities.update(s.scalars(select(Entity.uscc).where(Entity.uscc.in_(part))))
            cached_checklists = set(
                s.scalars(
                    select(ReferenceRecord.record_id).where(
                        ReferenceRecord.collection == CHECKLISTS,
                        ReferenceRecord.deleted.is_(False),
                        ReferenceRecord.record_id.in_(checklist_ids),
                    )
                )
            )
            results = s.scalar(
                select(func.count())
                .select_from(FormRecord)
                .where(FormRecord.collection == RESULTS, FormRecord.deleted.is_(False))
            )
            state = SyncStateRepo(s)
            last_sync = state.get(LAST_SYNC_KEY)
            prepared_at = state.get(PREPARED_KEY)
        cited = self.cited_blobs()
        held = self._held(cited)
        return OfflineSummary(
            tasks=len(tasks),
            entities_present=len(cached_entities),
            entities_missing=tuple(u for u in usccs if u not in cached_entities),
            checklists_present=len(cached_checklists),
            checklists_missing=tuple(c for c in checklist_ids if c not in cached_checklists),
            earlier_results=int(results or 0),
            blobs_present=len(held),
            blobs_missing=tuple(sha for sha in cited if sha not in held),
            last_sync=last_sync,
            prepared_at=prepared_at,
        )
