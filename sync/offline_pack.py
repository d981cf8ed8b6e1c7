"""离线准备 (offline pack): a full sync, then every cited attachment the store lacks.

:func:`prepare_offline` runs :meth:`SyncEngine.sync` (push, then pull until up to date),
downloads each blob cited under ``attachments`` of a cached form or reference record that is
not yet in ``attachment_blobs`` (``GET /v1/blobs/{sha}``; the SHA-256 is checked before the
bytes are kept inside the encrypted database), and returns the readiness summary that
:class:`~desktop_app.store.readiness.OfflineReadiness` computes from the store alone. A blob
the platform refuses (403) or does not hold (404) is listed in :attr:`OfflinePack.refused`
and stays missing in the summary; it does not stop the others.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from desktop_app.store.database import Store
from desktop_app.store.readiness import OfflineReadiness, OfflineSummary
from sync.engine import SyncEngine
from sync.errors import Cancelled, ServerError
from sync.events import EventSink, SyncEvent, SyncReport
from sync.transport import Transport

log = logging.getLogger(__name__)

__all__ = ["OfflinePack", "download_missing_blobs", "prepare_offline"]

REFUSED_STATUSES = frozenset({403, 404})


@dataclass(frozen=True)
class OfflinePack:
    """What one 离线准备 run did and how ready the store is afterwards.

    Attributes:
        report: The sync run's report.
        downloaded: Digests of blobs downloaded and stored in this run.
        refused: ``(sha256, reason)`` of blobs the platform refused or does not hold.
        summary: The readiness summary after the run (from the store).
    """

    report: SyncReport
    downloaded: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    summary: OfflineSummary = field(repr=False)

    @property
    def ready(self) -> bool:
        """Whether nothing the tasks need is missing."""
        return self.summary.ready


def _ignore(_event: SyncEvent) -> None:
    return None


def download_missing_blobs(
    store: Store,
    transport: Transport,
    cancel: threading.Event,
    emit: EventSink,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Download every cited blob the store lacks.

    Returns:
        ``(downloaded, refused)``: digests stored, and ``(sha, reason)`` of those refused.

    Raises:
        Cancelled: ``cancel`` was set between blobs (stored blobs stay).
        SyncError: Offline, auth or server failure other than a refusal of one blob.
    """
    service = OfflineReadiness(store)
    missing = service.missing_blobs()
    downloaded: list[str] = []
    refused: list[tuple[str, str]] = []
    received = 0
    emit(SyncEvent("download", 0, len(missing), 0))
    for done, sha in enumerate(missing, 1):
        if cancel.is_set():
            raise Cancelled("cancelled between blob downloads")
        try:
            resp = transport.request(
                "GET", f"/v1/blobs/{sha}", headers={"Accept": "application/octet-stream"}
            )
        except ServerError as exc:
            status = exc.status
            if status not in REFUSED_STATUSES:
                raise
            log.warning("blob %s refused by the platform: %s", sha, exc)
            refused.append((sha, exc.user_message))
            emit(SyncEvent("download", done, len(missing), received))
            continue
        content = resp.content
        if hashlib.sha256(content).hexdigest() != sha:
            # A corrupt answer is not kept; the blob stays missing and is listed.
            log.warning("blob %s: downloaded bytes do not match the digest", sha)
            refused.append((sha, "附件内容与摘要不符，未保存。"))
        else:
            service.store_blob(sha, content)
            downloaded.append(sha)
            received += len(content)
        emit(SyncEvent("download", done, len(missing), received))
    return downloaded, refused


def prepare_offline(
    engine: SyncEngine,
    store: Store,
    transport: Transport,
    cancel: threading.Event | None = None,
    on_event: EventSink | None = None,
) -> OfflinePack:
    """Sync fully, download missing attachments, and summarise offline readiness.

    Args:
        engine: The sync engine of ``store`` (its transport is normally ``transport``).
        store: The open store.
        transport: A logged-in transport for the blob downloads.
        cancel: Set it to stop between pages and blobs.
        on_event: Progress events (``push``, ``blobs``, ``pull``, ``download``, ``done``).

    Raises:
        Cancelled, Offline, ServerError, AuthError, ProtocolError, DeviceRevoked: As
            :meth:`SyncEngine.sync`; what was stored before stays.
    """
    stop = cancel or threading.Event()
    emit = on_event or _ignore
    report = engine.sync(stop, emit)
    transport.cancel = stop
    try:
        downloaded, refused = download_missing_blobs(store, transport, stop, emit)
    finally:
        transport.cancel = None
    service = OfflineReadiness(store)
    service.mark_prepared(datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))
    summary = service.summary()
    log.info(
        "offline pack: %d tasks, %d blobs downloaded, %d refused, ready=%s",
        summary.tasks,
        len(downloaded),
        len(refused),
        summary.ready,
    )
    return OfflinePack(report, tuple(downloaded), tuple(refused), summary)
