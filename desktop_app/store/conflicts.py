"""Conventions of the ``sync_conflicts`` table, shared by the sync engine and the services.

The engine writes conflict rows and reopens or settles them after a push; the conflict
service (:mod:`desktop_app.services.sync_status`) shows and resolves them. Both read the same
marks from here.
"""

from __future__ import annotations

__all__ = ["WHOLE_RECORD", "rejected_mark", "resolution_mark"]

WHOLE_RECORD = "*"
"""The ``field`` of a delete conflict's row (never a field name: those are identifiers)."""


def resolution_mark(seq: int) -> str:
    """``SyncConflict.resolution`` of rows settled by keeping the local side (outbox ``seq``)."""
    return f"local:{seq}"


def rejected_mark(seq: int) -> str:
    """``SyncConflict.resolution`` of rows reopened because the platform refused ``seq``."""
    return f"rejected:{seq}"
