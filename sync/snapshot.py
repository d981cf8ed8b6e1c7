"""A window's first pull from a ready-made snapshot instead of page by page.

When a store has never pulled, :func:`take_snapshot` asks the platform for a snapshot
(``GET /v1/sync/snapshot``; 204 when none is offered for this account). One whose schema is
this store's is downloaded next to the store (encrypted under the snapshot's own key all the
way: no plaintext touches the disk), its size and SHA-256 checked, and handed to
:meth:`desktop_app.store.database.Store.adopt_snapshot`, which re-encrypts it under the
store's key, keeps every row of the device's own, records :data:`SNAPSHOT_KEY` and renames
it over the store. The pull then starts from the beginning with ``snapshot=<cursor>``: the
platform leaves out what the snapshot holds and sends the rest of the window's scope (its
hall's forms, and everything changed since the snapshot was made). The marker is removed with
the last page's cursor.

Anything short of a checked, adopted snapshot leaves the store as it was and the pull goes on
page by page (a snapshot refused, a digest that does not match); a network failure during the
download fails the sync run as any other does, and the next run starts the download again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from desktop_app.store.database import Store
from desktop_app.store.snapshot import SnapshotRefusedError
from sync.errors import Cancelled, ProtocolError, ServerError
from sync.events import EventSink, SyncEvent
from sync.protocol import SnapshotInfo
from sync.transport import Transport

log = logging.getLogger(__name__)

__all__ = ["CHUNK_BYTES", "MIB", "SNAPSHOT_KEY", "download", "offered", "take_snapshot"]

SNAPSHOT_KEY = "pull_snapshot"
"""``sync_state``: the cursor of the snapshot this store was made from, until the first pull
after it has caught up (the pull sends it as ``snapshot``)."""

CHUNK_BYTES = 1 << 20
MIB = 1 << 20


def offered(transport: Transport) -> SnapshotInfo | None:
    """The snapshot the platform offers this account, or None.

    None also when the platform does not know snapshots (404).
    """
    try:
        resp = transport.request("GET", "/sync/snapshot")
    except ServerError as exc:
        if exc.status == 404:
            return None
        raise
    if resp.status_code == 204 or not resp.content:
        return None
    return transport.parse(resp, SnapshotInfo)


def download(
    transport: Transport,
    info: SnapshotInfo,
    dest: Path,
    *,
    cancel: threading.Event,
    emit: EventSink,
) -> None:
    """Write the snapshot file to ``dest`` and check its size and SHA-256.

    Emits ``snapshot`` events: MiB received of the file's MiB (rounded up), and bytes.

    Raises:
        ProtocolError: The bytes are not the ones ``info`` names (``dest`` is removed).
        Cancelled: ``cancel`` was set (``dest`` is removed).
        SyncError: The request failed (``dest`` is removed).
    """
    digest = hashlib.sha256()
    got = 0
    total_mib = -(-info.size // MIB)
    try:
        resp = transport.request(
            "GET",
            f"/sync/snapshot/{info.sha256}",
            headers={"Accept": "application/octet-stream", "Accept-Encoding": "identity"},
            stream=True,
        )
        with resp, dest.open("wb") as fh:
            for chunk in resp.iter_content(CHUNK_BYTES):
                if cancel.is_set():
                    raise Cancelled("cancelled during the snapshot download")
                fh.write(chunk)
                digest.update(chunk)
                got += len(chunk)
                if got > info.size:
                    break
                # In MiB: a province's file is larger than a progress bar's int.
                emit(SyncEvent("snapshot", got // MIB, total_mib, got))
            fh.flush()
        transport.bytes_in += got
        if got != info.size or digest.hexdigest() != info.sha256:
            raise ProtocolError(
                f"snapshot download: {got} bytes, expected {info.size}; digest mismatch"
            )
        emit(SyncEvent("snapshot", total_mib, total_mib, got))
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def take_snapshot(
    store: Store, transport: Transport, *, cancel: threading.Event, emit: EventSink
) -> str | None:
    """Make a store that has never pulled from the platform's snapshot, when one is offered.

    Returns:
        The snapshot's cursor (the pull sends it as ``snapshot``), or None when no snapshot
        was taken and the pull goes page by page.

    Raises:
        SyncError: The offer or the download failed on the network (the store is unchanged).
    """
    info = offered(transport)
    if info is None:
        return None
    revision = store.revision()
    if info.schema_revision != revision:
        log.info(
            "snapshot is of schema %s, this store %s: pulling page by page",
            info.schema_revision,
            revision,
        )
        return None
    part = store.path.with_name(store.path.name + ".snapshot")
    part.unlink(missing_ok=True)  # a download a crash interrupted
    log.info("downloading a snapshot of %d entities (%d bytes)", info.entities, info.size)
    try:
        download(transport, info, part, cancel=cancel, emit=emit)
    except ProtocolError as exc:
        log.warning("snapshot not taken, pulling page by page: %s", exc)
        return None
    emit(SyncEvent("snapshot_adopt", 0, None, 0))
    try:
        store.adopt_snapshot(part, bytes.fromhex(info.key), {SNAPSHOT_KEY: info.cursor})
    except SnapshotRefusedError as exc:
        log.warning("snapshot refused, pulling page by page: %s", exc)
        return None
    return info.cursor
