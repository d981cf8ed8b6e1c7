"""The sync engine: push the outbox, then pull the platform's changes.

``SyncEngine.sync`` runs on a worker thread (never the GUI thread) with its own store
sessions. Everything it commits is durable and self-describing — outbox statuses, the pull
cursor — so a sync that is cancelled, killed or cut off resumes where it stopped. Failures
surface as :mod:`sync.errors` exceptions carrying a Chinese ``user_message``; a revoked
device raises :class:`~sync.errors.DeviceRevoked` — only for the platform's own answer to an
authenticated request over verified TLS or loopback (``sync.transport.error_for``; any other
410 is a :class:`~sync.errors.ServerError`) — after which the UI erases the profile
(``StoreUnlocker.wipe``); the engine never deletes the user's data itself.
"""

from __future__ import annotations

import logging
import threading

from desktop_app.store.database import Store
from sync.credentials import DeviceIdentity
from sync.events import EventSink, SyncEvent, SyncReport
from sync.protocol import MAX_PULL_LIMIT
from sync.pull import run_pull
from sync.push import DEFAULT_BATCH, run_push
from sync.report_registry import register_reports
from sync.transport import Transport

log = logging.getLogger(__name__)

# Pull pages of the client the user works in. A 10,000-change page is parsed and applied in
# long calls that hold the GIL, and the GUI thread waited up to ~240 ms for it during a save
# or a letter issue; with 2,000 changes a page no save or issue stalls it past ~60 ms
# (bench/save_bench.py, docs/PERFORMANCE.md), for a somewhat longer initial pull.
INTERACTIVE_PULL_LIMIT = 2_000

__all__ = ["SyncEngine", "SyncEvent", "SyncReport"]


def _ignore(_event: SyncEvent) -> None:
    return None


class SyncEngine:
    """Two-way sync of one store with the platform.

    Args:
        store: The open encrypted store.
        transport: A logged-in transport (see :mod:`sync.credentials`).
        push_batch: Mutations per push request (the protocol allows up to 500).
        pull_limit: Changes per pull page (the protocol's maximum by default: fewer
            pages mean fewer commits).
    """

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        push_batch: int = DEFAULT_BATCH,
        pull_limit: int = MAX_PULL_LIMIT,
        use_snapshot: bool = True,
    ) -> None:
        self.store = store
        self.transport = transport
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        # A first pull may start from the platform's snapshot (sync.snapshot); benchmarks of
        # the page protocol turn it off.
        self.use_snapshot = use_snapshot

    def sync(
        self,
        cancel: threading.Event | None = None,
        on_event: EventSink | None = None,
    ) -> SyncReport:
        """Push every pending local change, then pull until up to date.

        Args:
            cancel: Set it to stop between batches and pages (and during backoff waits).
            on_event: Receives progress events (on the calling thread).

        Returns:
            What was done.

        Raises:
            Cancelled: ``cancel`` was set; committed work stays, the next sync resumes.
            Offline, ServerError, AuthError, ProtocolError: The run stopped; nothing half
                applied, the next sync resumes.
            DeviceRevoked: The platform revoked this device: the UI must wipe the store.
        """
        stop = cancel or threading.Event()
        emit = on_event or _ignore
        report = SyncReport()
        device_id = DeviceIdentity.load_or_create(self.store).device_id
        self.transport.cancel = stop
        try:
            run_push(
                self.store,
                self.transport,
                device_id,
                report,
                cancel=stop,
                emit=emit,
                batch_size=self.push_batch,
            )
            register_reports(self.store, self.transport, report, cancel=stop, emit=emit)
            run_pull(
                self.store,
                self.transport,
                report,
                cancel=stop,
                emit=emit,
                limit=self.pull_limit,
                use_snapshot=self.use_snapshot,
            )
        finally:
            self.transport.cancel = None
        emit(SyncEvent("done", report.pushed + report.pulled, None, 0))
        log.info(
            "sync done: pushed %d (%d conflicts, %d rejected), pulled %d in %d pages",
            report.pushed,
            report.conflicts,
            report.rejected,
            report.pulled,
            report.pages,
        )
        return report
