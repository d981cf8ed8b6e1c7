"""Plain-Python progress events and the summary of one sync run (no Qt: an adapter re-emits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["EventSink", "SyncEvent", "SyncReport"]


@dataclass(frozen=True)
class SyncEvent:
    """Progress of one phase.

    Attributes:
        phase: ``login``, ``push``, ``blobs``, ``reports``, ``pull`` or ``done``.
        done: Items finished in this phase so far (mutations, changes, blobs).
        total: Items in the phase when known, else None (a pull does not know its size).
        bytes: Bytes sent or received in this phase so far.
    """

    phase: str
    done: int
    total: int | None
    bytes: int


EventSink = Callable[[SyncEvent], None]


@dataclass
class SyncReport:
    """What one :meth:`sync.engine.SyncEngine.sync` run did.

    Attributes:
        pushed: Mutations whose result was recorded.
        applied: Of those, applied (including resends the platform had applied).
        conflicts: Of those, with field conflicts (rows in ``conflicts``).
        rejected: Of those, rejected (rows in ``sync_errors``).
        duplicates: Of those, answered ``duplicate`` (a resend after a lost answer).
        blobs_uploaded: Attachments whose bytes were sent.
        pulled: Changes applied from pull pages.
        pages: Pull pages applied.
        reset: Whether the platform asked for a pull from scratch.
        kept_local: Pulled form changes skipped because the local form had unsent edits.
        reports_registered: Issued credit reports the platform registered in this run.
        snapshot_entities: Entities that came with the snapshot this run's first pull started
            from (0: none; ``pulled`` counts only the pages after it).
    """

    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    duplicates: int = 0
    blobs_uploaded: int = 0
    pulled: int = 0
    pages: int = 0
    reset: bool = False
    kept_local: list[tuple[str, str]] = field(default_factory=list)
    reports_registered: int = 0
    snapshot_entities: int = 0
