"""Uploading the attachments a batch of mutations cites, before the mutations (invariant 7).

Blobs are addressed by SHA-256. ``POST /v1/blobs`` announces one and answers how many bytes
the platform already holds, so an upload cut off by a lost connection or a cancelled sync
resumes from ``received`` rather than from zero.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from desktop_app.domain.records import record_type
from desktop_app.store.database import Store
from desktop_app.store.models import Attachment, AttachmentBlob
from sync.errors import Cancelled, ServerError
from sync.events import EventSink, SyncEvent
from sync.protocol import BLOB_CHUNK_BYTES, BlobStatus, BlobUploadStart, ReasonCode
from sync.transport import Transport

_SHA = re.compile(r"[0-9a-f]{64}")

__all__ = ["cited_blobs", "upload_cited"]


def cited_blobs(fields_list: Iterable[tuple[str, dict[str, Any]]]) -> list[str]:
    """The distinct SHA-256 digests the records cite, in first-seen order.

    Args:
        fields_list: ``(collection, fields)`` of each record, read by its definition.
    """
    seen: dict[str, None] = {}
    for collection, fields in fields_list:
        for sha in record_type(collection).read(fields).cited_blobs():
            seen.setdefault(sha, None)
    return list(seen)


def _upload_one(
    transport: Transport, sha: str, content: bytes, content_type: str, cancel: threading.Event
) -> int:
    start = BlobUploadStart(sha256=sha, size=len(content), content_type=content_type[:128])
    resp = transport.request("POST", "/blobs", json=start.model_dump(mode="json"), retry=True)
    status = transport.parse(resp, BlobStatus)
    sent = 0
    while not status.complete:
        if cancel.is_set():
            raise Cancelled("cancelled during a blob upload")
        offset = status.received
        chunk = content[offset : offset + BLOB_CHUNK_BYTES]
        try:
            resp = transport.request(
                "PUT",
                f"/blobs/{sha}",
                params={"offset": offset},
                data=chunk,
                headers={"Content-Type": "application/octet-stream"},
                retry=True,  # the offset makes a repeat harmless: a mismatch is answered 409
            )
        except ServerError as exc:
            if exc.code != ReasonCode.BLOB_OFFSET_MISMATCH:
                raise
            # A chunk whose answer was lost did arrive: ask where to go on from.
            resp = transport.request("GET", f"/blobs/{sha}/status")
        else:
            sent += len(chunk)
        status = transport.parse(resp, BlobStatus)
    return sent


def upload_cited(
    store: Store,
    transport: Transport,
    shas: list[str],
    cancel: threading.Event,
    emit: EventSink,
) -> int:
    """Make sure the platform holds every blob in ``shas`` that this device has.

    A digest with no local content is skipped: the platform decides whether the mutation
    citing it is acceptable (it may hold the blob from another device).

    Returns:
        How many blobs had bytes sent.
    """
    uploaded = 0
    sent_bytes = 0
    for done, sha in enumerate(shas, 1):
        with store.read() as s:
            content = s.scalar(select(AttachmentBlob.content).where(AttachmentBlob.sha256 == sha))
            mime = s.scalar(select(Attachment.mime_type).where(Attachment.sha256 == sha).limit(1))
        if content is None:
            continue
        sent = _upload_one(transport, sha, content, mime or "application/octet-stream", cancel)
        uploaded += 1 if sent else 0
        sent_bytes += sent
        emit(SyncEvent("blobs", done, len(shas), sent_bytes))
    return uploaded
