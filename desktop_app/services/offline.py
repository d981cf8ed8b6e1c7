"""离线准备 (offline pack) for inspectors: what the store holds for work without a network.

The readiness queries live in :mod:`desktop_app.store.readiness`, which the sync engine's
:mod:`sync.offline_pack` also uses after it downloads what is missing; the 同步 page asks this
service, so the summary shows with the network gone.
"""

from __future__ import annotations

from desktop_app.store.outbox import SyncStateRepo
from desktop_app.store.readiness import OfflineReadiness, OfflineSummary
from desktop_app.store.state_keys import PREPARED_KEY as PREPARED_KEY
from desktop_app.store.state_keys import ROLE_KEY

__all__ = ["INSPECTOR_ROLE", "ROLE_KEY", "OfflineService", "OfflineSummary"]

INSPECTOR_ROLE = "inspector"


class OfflineService(OfflineReadiness):
    """Offline readiness for the 同步 page, and the role of the account last logged in.

    The queries are :class:`~desktop_app.store.readiness.OfflineReadiness`'s.

    Args:
        store: The open store.
    """

    def role(self) -> str | None:
        """The role of the account last logged in on this device (``inspector``, …)."""
        with self._store.read() as s:
            return SyncStateRepo(s).get(ROLE_KEY)
