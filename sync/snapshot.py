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
download fails the sync run as any other does, and the next run goes on from where it stopped
(``Range``), for the same snapshot.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

from desktop_app.store.database import Store
from desktop_app.store.snapshot import SnapshotRefusedError
from sync.errors import Cancelled, ProtocolError, ServerError
from sync.events import EventSink, SyncEvent
from sync.protocol import SnapshotInfo
from sync.transport import Transport, translate_errors

log = logging.getLogger(__name__)

__all__ = [
    "CHUNK_BYTES",
    "MIB",
    "SNAPSHOT_KEY",
    "discard_partial",
    "download",
    "offered",
    "partial_path",
    "take_snapshot",
]

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


def _tag(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def discard_partial(dest: Path) -> None:
    """Remove a download (whole or partial) and its tag."""
    dest.unlink(missing_ok=True)
    _tag(dest).unlink(missing_ok=True)


def _resume_point(dest: Path, info: SnapshotInfo) -> tuple[int, Any]:
    """Bytes already downloaded of this very snapshot, and their running SHA-256.

    A part of another snapshot (or of none, or too long) is removed and the tag written anew.
    """
    digest = hashlib.sha256()
    tag = _tag(dest)
    if (
        dest.is_file()
        and tag.is_file()
        and tag.read_text("ascii").strip() == info.sha256
        and dest.stat().st_size <= info.size
    ):
        got = 0
        with dest.open("rb") as fh:
            while block := fh.read(CHUNK_BYTES):
                digest.update(block)
                got += len(block)
        return got, digest
    discard_partial(dest)
    tag.write_text(info.sha256, encoding="ascii")
    return 0, digest


def download(
    transport: Transport,
    info: SnapshotInfo,
    dest: Path,
    *,
    cancel: threading.Event,
    emit: EventSink,
    chunk_bytes: int | None = None,
) -> None:
    """Write the snapshot file to ``dest`` and check its size and SHA-256.

    A download of the same snapshot that was cut short (network, cancel, crash) goes on from
    where it stopped (``Range``; ``dest.sha256`` names the snapshot the part belongs to); the
    whole file's digest is checked all the same. Emits ``snapshot`` events: MiB received of the
    file's MiB (rounded up), and bytes.

    Raises:
        ProtocolError: The bytes are not the ones ``info`` names (``dest`` is removed).
        Cancelled: ``cancel`` was set (the part is kept for the next run).
        SyncError: The request failed (the part is kept for the next run).
    """
    total_mib = -(-info.size // MIB)
    got, digest = _resume_point(dest, info)
    if got == info.size:  # all there already (a crash before the tag was removed): check it
        if digest.hexdigest() == info.sha256:
            emit(SyncEvent("snapshot", total_mib, total_mib, got))
            return
        discard_partial(dest)
        got, digest = _resume_point(dest, info)
    headers = {"Accept": "application/octet-stream", "Accept-Encoding": "identity"}
    if got:
        headers["Range"] = f"bytes={got}-"
        log.info("resuming the snapshot download at %d of %d bytes", got, info.size)
    resp = transport.request("GET", f"/sync/snapshot/{info.sha256}", headers=headers, stream=True)
    if got and resp.status_code != 206:  # the whole file after all: start again
        got, digest = 0, hashlib.sha256()
    received = 0
    with resp, dest.open("ab" if got else "wb") as fh, translate_errors():
        # A connection that drops loses the piece being read: pieces of CHUNK_BYTES.
        for chunk in resp.iter_content(chunk_bytes or CHUNK_BYTES):
            if cancel.is_set():
                raise Cancelled("cancelled during the snapshot download")
            fh.write(chunk)
            digest.update(chunk)
            got += len(chunk)
            received += len(chunk)
            if got > info.size:
                break
            # In MiB: a province's file is larger than a progress bar's int.
            emit(SyncEvent("snapshot", got // MIB, total_mib, got))
    transport.bytes_in += received
    if got != info.size or digest.hexdigest() != info.sha256:
        discard_partial(dest)
        raise ProtocolError(
            f"snapshot download: {got} of {info.size} bytes, or a SHA-256 not the manifest's"
        )
    emit(SyncEvent("snapshot", total_mib, total_mib, got))


def take_snapshot(
    store: Store, transport: Transport, *, cancel: threading.Event, emit: EventSink
) -> SnapshotInfo | None:
    """Make a store that has never pulled from the platform's snapshot, when one is offered.

    Returns:
        The snapshot taken (the pull sends its cursor as ``snapshot``), or None when none was
        taken and the pull goes page by page.

    Raises:
        SyncError: The offer or the download failed on the network (the store is unchanged).
    """
    part = partial_path(store)
    info = offered(transport)
    if info is None:
        discard_partial(part)
        return None
    revision = store.revision()
    if info.schema_revision != revision:
        log.info(
            "snapshot is of schema %s, this store %s: pulling page by page",
            info.schema_revision,
            revision,
        )
        discard_partial(part)
        return None
    log.info("downloading a snapshot of %d entities (%d bytes)", info.entities, info.size)
    try:
        download(transport, info, part, cancel=cancel, emit=emit)
    except ProtocolError as exc:
        log.warning("snapshot not taken, pulling page by page: %s", exc)
        discard_partial(part)
        return None
    # Whole and checked: from here on the file changes (re-encryption), so it is no longer a
    # part to resume — a crash from here on downloads it again.
    _tag(part).unlink(missing_ok=True)
    emit(SyncEvent("snapshot_adopt", 0, None, 0))
    try:
        store.adopt_snapshot(part, bytes.fromhex(info.key), {SNAPSHOT_KEY: info.cursor})
    except SnapshotRefusedError as exc:
        log.warning("snapshot refused, pulling page by page: %s", exc)
        return None
    finally:
        discard_partial(part)  # the file itself is gone: renamed, or removed when refused
    return info


def partial_path(store: Store) -> Path:
    """Where the snapshot is downloaded: beside the store (the profile folder)."""
    return store.path.with_name(store.path.name + ".snapshot")
