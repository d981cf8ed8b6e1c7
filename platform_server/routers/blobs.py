"""Blob endpoints: announce, resumable chunk upload, status, download with Range.

Upload: ``POST /v1/blobs`` with ``{sha256, size, content_type}``, then ``PUT
/v1/blobs/{sha}?offset=N`` with raw bytes from ``received`` on; ``GET`` (or ``HEAD``)
``/v1/blobs/{sha}/status`` says where to resume. Any authenticated device may upload.
Download: ``GET /v1/blobs/{sha}`` for the uploading device or anyone who can see a form
citing the blob; ``Range: bytes=…`` answers 206 with ``Content-Range``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, StreamingResponse

from platform_server import blobstore
from platform_server.deps import PrincipalDep, SessionDep, SettingsDep, WriteSessionDep
from platform_server.errors import ApiError, error_response
from platform_server.models import Blob
from platform_server.scopes import Viewer
from sync.protocol import MAX_BLOB_BYTES, BlobStatus, BlobUploadStart, ErrorBody, ReasonCode

router = APIRouter(prefix="/v1/blobs", tags=["blobs"])

Sha = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lower-case hex")]
_CHUNK = 256 * 1024
_E: dict[str, object] = {"model": ErrorBody}
_COMMON: dict[int | str, dict[str, object]] = {401: _E, 410: _E, 422: _E}
_DIGEST_MESSAGE = (
    "附件内容与其 SHA-256 摘要不符，平台已丢弃收到的内容。请从头重新上传该附件；"
    "如反复出现，请检查本机文件是否损坏。"
)


async def _raw_body(request: Request) -> bytes:
    # Read on the event loop; the sync handler then runs in the thread pool with the bytes.
    return await request.body()


@router.post(
    "",
    response_model=BlobStatus,
    responses={**_COMMON, 413: _E},
)
def start_upload(
    body: BlobUploadStart,
    principal: PrincipalDep,
    session: WriteSessionDep,
    settings: SettingsDep,
) -> BlobStatus:
    """Announce a blob by digest and size; the answer says how much the platform holds."""
    try:
        return blobstore.start_upload(session, settings.blob_dir, body, principal.device.id)
    except blobstore.DigestMismatch:
        # Only an empty blob is checked here; nothing of it is kept (the exception rolls back).
        raise ApiError(422, ReasonCode.BLOB_DIGEST_MISMATCH, _DIGEST_MESSAGE) from None


def _status(session: SessionDep, sha: str, device_id: str) -> BlobStatus:
    # This device's own upload only: whether anyone else stored the content is not said.
    holder = blobstore.holder_of(session, sha, device_id)
    blob = session.get(Blob, sha)
    assert blob is not None  # a holder row is made with (or after) its blob
    return blobstore.status_of(blob, holder)


@router.get("/{sha}/status", response_model=BlobStatus, responses={**_COMMON, 404: _E})
def upload_status(sha: Sha, principal: PrincipalDep, session: SessionDep) -> BlobStatus:
    """How many bytes of this device's upload the platform holds (resume from ``received``)."""
    return _status(session, sha, principal.device.id)


@router.head("/{sha}/status", responses={**_COMMON, 404: _E})
def upload_status_head(sha: Sha, principal: PrincipalDep, session: SessionDep) -> Response:
    """The same as GET, in headers: ``Upload-Offset``, ``Upload-Length``, ``Blob-Complete``."""
    status = _status(session, sha, principal.device.id)
    return Response(
        status_code=200,
        headers={
            "Upload-Offset": str(status.received),
            "Upload-Length": str(status.size),
            "Blob-Complete": "true" if status.complete else "false",
        },
    )


@router.put(
    "/{sha}",
    response_model=BlobStatus,
    responses={**_COMMON, 404: _E, 409: _E, 413: _E},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def upload_chunk(
    sha: Sha,
    principal: PrincipalDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    data: Annotated[bytes, Depends(_raw_body)],
    offset: Annotated[int, Query(ge=0, le=MAX_BLOB_BYTES)],
) -> BlobStatus | JSONResponse:
    """Append a chunk at ``offset`` (must equal ``received``); the last chunk is verified."""
    try:
        return blobstore.append_chunk(
            session, settings.blob_dir, sha, offset, data, principal.device.id
        )
    except blobstore.DigestMismatch as mismatch:
        # Answered, not raised: the reset to zero must commit with this request.
        return error_response(
            422,
            ReasonCode.BLOB_DIGEST_MISMATCH,
            _DIGEST_MESSAGE,
            detail=mismatch.status.model_dump(),
        )


def _stream(path: Path, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as src:
        src.seek(start)
        while length > 0:
            chunk = src.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


@router.get(
    "/{sha}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The whole blob"},
        206: {"content": {"application/octet-stream": {}}, "description": "One byte range"},
        **_COMMON,
        403: _E,
        404: _E,
        416: _E,
    },
)
def download(
    sha: Sha, request: Request, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """The blob's bytes; ``Range: bytes=a-b`` answers 206 with ``Content-Range``."""
    blob = session.get(Blob, sha)
    path = blobstore.final_path(settings.blob_dir, sha)
    # One answer for "no such blob" and "not yours to read": existence is not revealed.
    if (
        blob is None
        or not blob.complete
        or not path.is_file()
        or not blobstore.may_download(session, Viewer.of(principal), blob)
    ):
        raise ApiError(
            404,
            ReasonCode.NOT_FOUND,
            "没有可供您查看的该附件：它不存在、尚未上传完成，或不属于您可见的任何表单。",
        )
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{sha}"',
        "Cache-Control": "private, max-age=31536000, immutable",
        "Content-Disposition": f'attachment; filename="{sha}"',
        "X-Content-Type-Options": "nosniff",
    }
    wanted = blobstore.parse_range(request.headers.get("range"), blob.size)
    if wanted is None:
        headers["Content-Length"] = str(blob.size)
        return StreamingResponse(
            _stream(path, 0, blob.size), media_type=blob.content_type, headers=headers
        )
    start, end = wanted
    headers["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(
        _stream(path, start, end - start + 1),
        status_code=206,
        media_type=blob.content_type,
        headers=headers,
    )
