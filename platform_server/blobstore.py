"""Content-addressed blob storage with resumable chunked upload (sync invariant 7).

Bytes live under ``settings.blob_dir``: ``<sha[:2]>/<sha>`` when complete. Uploads are per
device (``blob_holders``): each device writes its own ``<sha>.<device>.part`` and its row is the
truth about its progress — a chunk is written at ``received`` and the file is cut there, so
bytes written by a request whose transaction then failed are overwritten by the next chunk. A
chunk is accepted only at ``offset == received``; the last one triggers a SHA-256 check, and a
mismatch discards the bytes so the upload starts again. The first device to complete puts the
bytes in place; a later one proves it holds them the same way (its bytes are then dropped).

What a device is told is its own upload's progress, never whether another device stored the
same content; it may cite a blob in a form, or read it, only when it completed its own upload
or already sees a form citing it (:func:`may_cite`, :func:`may_download`).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_server.errors import ApiError
from platform_server.models import Blob, BlobHolder, Record
from platform_server.scopes import CLIENT_FORMS, Viewer, visibility_filter
from platform_server.security import now
from sync.protocol import MAX_BLOB_BYTES, BlobStatus, BlobUploadStart, ReasonCode

_READ = 1024 * 1024
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(;[ -~]*)?")
_RANGE = re.compile(r"bytes=([0-9]{1,18})?-([0-9]{1,18})?")


def final_path(blob_dir: Path, sha: str) -> Path:
    """Where a complete blob's bytes live."""
    return blob_dir / sha[:2] / sha


def part_path(blob_dir: Path, sha: str, device_id: str) -> Path:
    """Where one device's upload in progress keeps its bytes."""
    return blob_dir / sha[:2] / f"{sha}.{device_id}.part"


def status_of(blob: Blob, holder: BlobHolder) -> BlobStatus:
    """The wire status of one device's upload of a blob."""
    return BlobStatus(
        sha256=blob.sha256, size=blob.size, received=holder.received, complete=holder.complete
    )


def holder_of(session: Session, sha: str, device_id: str, *, lock: bool = False) -> BlobHolder:
    """The device's own upload of ``sha``.

    Raises:
        ApiError: 404 when this device never announced it (whoever else did).
    """
    holder = session.get(BlobHolder, (sha, device_id), with_for_update=lock)
    if holder is None:
        raise ApiError(
            404, ReasonCode.NOT_FOUND, "本设备尚未登记该附件，请先登记（POST /v1/blobs）再上传。"
        )
    return holder


def too_large(size: int) -> ApiError:
    """413 ``blob_too_large`` with the limit in the message."""
    limit_mb = MAX_BLOB_BYTES // (1024 * 1024)
    return ApiError(
        413,
        ReasonCode.BLOB_TOO_LARGE,
        f"附件大小为 {size / 1024 / 1024:.1f} MB，超过 {limit_mb} MB 的上限。"
        "请压缩图片或降低扫描分辨率后重新添加附件。",
    )


class DigestMismatch(Exception):  # noqa: N818 - an outcome the route answers with 422
    """The uploaded bytes do not hash to the blob's name; the upload was reset.

    Attributes:
        status: The blob's status after the reset (``received`` 0).
    """

    def __init__(self, status: BlobStatus) -> None:
        super().__init__(status.sha256)
        self.status = status


def start_upload(
    session: Session, blob_dir: Path, request: BlobUploadStart, device_id: str
) -> BlobStatus:
    """Announce a blob; answer how much of *this device's* upload the platform holds.

    Args:
        session: A write transaction.
        blob_dir: The blob directory.
        request: Digest, size and content type.
        device_id: The uploading device.

    Raises:
        ApiError: 413 over the size limit; 422 for a size that contradicts a complete blob.
        DigestMismatch: An empty blob whose name is not the digest of nothing.
    """
    if request.size > MAX_BLOB_BYTES:
        raise too_large(request.size)
    if not _MEDIA_TYPE.fullmatch(request.content_type):
        raise ApiError(
            422,
            ReasonCode.INVALID_FIELD,
            "附件类型（content_type）应为形如 image/jpeg 的媒体类型，请检查客户端设置。",
        )
    blob = session.get(Blob, request.sha256, with_for_update=True)
    if blob is None:
        blob = Blob(
            sha256=request.sha256,
            size=request.size,
            received=0,
            complete=False,
            content_type=request.content_type,
            created_by_device=device_id,
            created_at=now(),
        )
        try:
            with session.begin_nested():
                session.add(blob)
        except IntegrityError:
            # A concurrent announce of the same blob (a retry racing its own first try).
            raise ApiError(
                409,
                ReasonCode.BLOB_OFFSET_MISMATCH,
                "该附件正在由另一请求登记，请查询上传进度后继续。",
            ) from None
    elif blob.size != request.size:
        if blob.complete:
            # The digest fixes the content and the size: this announcement is wrong.
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                "附件的大小与其摘要不符，请核对附件文件后重新上传。",
            )
        blob.size = request.size  # one of the two sizes was wrong: every upload starts over
        for other in session.scalars(select(BlobHolder).where(BlobHolder.sha256 == blob.sha256)):
            other.received = 0
            part_path(blob_dir, blob.sha256, other.device_id).unlink(missing_ok=True)
    holder = session.get(BlobHolder, (blob.sha256, device_id), with_for_update=True)
    if holder is None:
        holder = BlobHolder(
            sha256=blob.sha256, device_id=device_id, received=0, complete=False, created_at=now()
        )
        session.add(holder)
    if blob.size == 0 and not holder.complete:
        _finish(blob_dir, blob, holder)
    session.flush()
    return status_of(blob, holder)


def append_chunk(
    session: Session, blob_dir: Path, sha: str, offset: int, data: bytes, device_id: str
) -> BlobStatus:
    """Append ``data`` at ``offset`` of this device's upload; verify when the last byte arrives.

    Args:
        session: A write transaction (the device's upload row is locked for the write).
        blob_dir: The blob directory.
        sha: The blob's SHA-256.
        offset: Where the chunk starts; must equal the device's ``received``.
        data: The chunk.
        device_id: The uploading device.

    Raises:
        ApiError: 404 not announced by this device; 409 ``blob_offset_mismatch`` with the
            current status; 413 when the chunk runs past the announced size.
        DigestMismatch: The complete bytes do not hash to ``sha`` (upload reset to 0).
    """
    holder = holder_of(session, sha, device_id, lock=True)
    blob = session.get(Blob, sha)
    assert blob is not None  # a holder row is made with (or after) its blob
    if holder.complete:
        return status_of(blob, holder)  # a resent last chunk whose answer was lost
    part = part_path(blob_dir, sha, device_id)
    on_disk = part.stat().st_size if part.exists() else 0
    if on_disk < holder.received:
        holder.received = on_disk  # bytes lost from disk: resume from what is really there
    if offset != holder.received:
        raise ApiError(
            409,
            ReasonCode.BLOB_OFFSET_MISMATCH,
            f"续传位置不符：平台已收到 {holder.received} 字节，请从该位置继续上传。",
            detail=status_of(blob, holder).model_dump(),
        )
    if offset + len(data) > blob.size:
        raise ApiError(
            413,
            ReasonCode.BLOB_TOO_LARGE,
            f"上传的内容超过登记的附件大小（{blob.size} 字节）。请核对附件后重新上传。",
            detail=status_of(blob, holder).model_dump(),
        )
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "r+b" if part.exists() else "wb") as out:
        out.seek(offset)
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())
    holder.received = offset + len(data)
    if holder.received == blob.size:
        _finish(blob_dir, blob, holder)
    session.flush()
    return status_of(blob, holder)


def _finish(blob_dir: Path, blob: Blob, holder: BlobHolder) -> None:
    part = part_path(blob_dir, blob.sha256, holder.device_id)
    digest = hashlib.sha256()
    if blob.size:
        with open(part, "rb") as src:
            while chunk := src.read(_READ):
                digest.update(chunk)
    if digest.hexdigest() != blob.sha256:
        part.unlink(missing_ok=True)
        holder.received = 0
        raise DigestMismatch(status_of(blob, holder))
    holder.complete = True
    if blob.complete:
        part.unlink(missing_ok=True)  # the same bytes are in place already: proof enough
        return
    final = final_path(blob_dir, blob.sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    if blob.size:
        os.replace(part, final)
    else:
        final.touch()
    blob.complete = True
    blob.received = blob.size


def _cited_in_sight(session: Session, viewer: Viewer, sha: str) -> bool:
    # Attachments are lists of digests inside the form's JSON; a digest is 64 hex digits,
    # so a substring match cannot hit anything else.
    cond = [
        Record.collection.in_(CLIENT_FORMS),
        Record.deleted.is_(False),
        Record.data.contains(f'"{sha}"'),
    ]
    visible = visibility_filter(viewer)
    if visible is not None:
        cond.append(visible)
    return bool(session.scalar(select(exists().where(*cond))))


def holds(session: Session, device_id: str, sha: str) -> bool:
    """The device completed its own upload of ``sha`` (it proved it has the bytes)."""
    holder = session.get(BlobHolder, (sha, device_id))
    return holder is not None and holder.complete


def may_cite(session: Session, viewer: Viewer, sha: str) -> bool:
    """Whether ``viewer`` may cite ``sha`` in a form it writes.

    Only a blob it uploaded itself, or one it already sees cited by a form (a colleague's
    photo on a form of its hall): citing a digest is never a way to gain access to it.
    """
    return (
        viewer.sees_everything
        or holds(session, viewer.device_id, sha)
        or (_cited_in_sight(session, viewer, sha))
    )


def may_download(session: Session, viewer: Viewer, blob: Blob) -> bool:
    """Whether ``viewer`` may read ``blob``: its own upload, or a form in sight citing it.

    Args:
        session: Any session.
        viewer: The caller.
        blob: The blob.
    """
    if viewer.sees_everything or holds(session, viewer.device_id, blob.sha256):
        return True
    return _cited_in_sight(session, viewer, blob.sha256)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range ``[start, end]`` (inclusive) a ``Range`` header asks for.

    Args:
        header: The ``Range`` header, e.g. ``bytes=0-1023``, ``bytes=1024-``, ``bytes=-500``.
        size: The blob's size.

    Returns:
        None to send the whole blob (no header, several ranges or an unreadable one, which
        RFC 9110 allows a server to ignore).

    Raises:
        ApiError: 416 when the range starts beyond the end.
    """
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None or not (match[1] or match[2]):
        return None
    first, last = match[1] or "", match[2] or ""
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range at all: ignored, like any unreadable header
    if start >= size:
        raise _unsatisfiable(size)
    return start, min(int(last) if last else size - 1, size - 1)


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        ReasonCode.BAD_REQUEST,
        f"请求的字节范围超出附件大小（{size} 字节），请重新下载。",
        headers={"Content-Range": f"bytes */{size}"},
    )
