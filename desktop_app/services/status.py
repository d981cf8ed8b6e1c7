"""Numbers the status bar and the 工作台 show."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.outbox import Outbox, SyncStateRepo
from desktop_app.store.state_keys import LAST_SYNC_KEY as LAST_SYNC_KEY


@dataclass(frozen=True)
class StoreStatus:
    """A snapshot of the local store."""

    entities: int
    unsynced_changes: int
    last_sync: str | None
    audit_rows: int


@dataclass(frozen=True)
class AuditCheck:
    """Outcome of checking the audit chain, for the 设置 page."""

    ok: bool
    rows: int
    problems: tuple[str, ...]


class StatusService:
    """Read-only summaries of the store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def snapshot(self) -> StoreStatus:
        """Counts for the status bar and the 工作台."""
        with self._store.read() as session:
            return StoreStatus(
                entities=EntityRepository(session).count(),
                unsynced_changes=Outbox(session).unsynced_count(),
                last_sync=SyncStateRepo(session).get(LAST_SYNC_KEY),
                audit_rows=audit.count(session),
            )

    def verify_audit_log(self) -> AuditCheck:
        """Walk the audit chain and report any edit or deletion."""
        with self._store.read() as session:
            verdict = audit.verify(session)
        return AuditCheck(verdict.ok, verdict.rows, verdict.problems)
