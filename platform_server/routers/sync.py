"""Sync endpoints: push a batch of mutations, pull a page of changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse

from platform_server import snapshots, sync_service
from platform_server.deps import PrincipalDep, SessionDep
from platform_server.errors import ApiError
from platform_server.sync_service import push_retrying
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    ReasonCode,
    Role,
    SnapshotInfo,
)

router = APIRouter(prefix="/v1/sync", tags=["sync"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "No, unknown or expired access token"},
    403: {"model": ErrorBody, "description": "The token's device is not the body's device"},
    410: {"model": ErrorBody, "description": "The device was revoked: wipe local data"},
    413: {"model": ErrorBody, "description": "Body too large: send smaller batches"},
    422: {"model": ErrorBody, "description": "The request does not match the schema"},
}


@router.post("/push", response_model=PushResponse, responses=_ERRORS)
def push(body: PushRequest, principal: PrincipalDep, request: Request) -> Response:
    """Apply mutations in order; one result each: applied, duplicate, conflict or rejected.

    A resent ``(device_id, mutation_seq)`` gets its stored result with status ``duplicate``.
    A rejected mutation does not stop the ones after it.
    """
    if body.device_id != principal.device.id:
        raise ApiError(
            403,
            ReasonCode.DEVICE_MISMATCH,
            "提交的设备编号与登录设备不一致。请在本设备上重新登录后再同步。",
        )
    # Its own transaction (not a dependency's): a batch that lost a race with a concurrent
    # push is rolled back and run again, and answered only once committed.
    result = push_retrying(request.app.state.write_sessions, principal, body)
    # Serialised once by pydantic's own encoder; the schema above documents the same shape.
    return Response(content=result.model_dump_json(), media_type="application/json")


@router.get(
    "/pull",
    response_model=PullResponse,
    responses={k: v for k, v in _ERRORS.items() if k in (401, 410, 422)},
)
def pull(
    principal: PrincipalDep,
    session: SessionDep,
    cursor: Annotated[
        str | None, Query(max_length=512, description="Opaque cursor from the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    snapshot: Annotated[
        str | None,
        Query(max_length=512, description="Cursor of the snapshot the store was made from"),
    ] = None,
) -> Response:
    """A page of changes visible to the caller after ``cursor`` (PullResponse).

    ``reset: true`` means the cursor could not be served: the page starts from the beginning.
    Deleted records come as tombstones (``deleted: true``, ``fields: null``).
    """
    # Built from stored JSON text for speed; the schema above documents the same shape.
    body = sync_service.pull(session, principal, cursor, limit, snapshot)
    return Response(content=body, media_type="application/json")


@router.get(
    "/snapshot",
    response_model=SnapshotInfo,
    responses={
        204: {"description": "No snapshot is offered to this account"},
        **{k: v for k, v in _ERRORS.items() if k in (401, 410)},
    },
)
def snapshot_offer(principal: PrincipalDep, session: SessionDep, request: Request) -> Response:
    """The snapshot a window's first pull may start from (204: none; pull page by page).

    Offered to window accounts only: the snapshot holds what every window sees alike.
    """
    info = None
    if principal.role is Role.WINDOW:
        info = snapshots.current(session, request.app.state.settings)
    if info is None:
        return Response(status_code=204)
    return Response(content=info.model_dump_json(), media_type="application/json")


@router.get(
    "/snapshot/{sha256}",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The store file"},
        404: {"model": ErrorBody, "description": "Not the snapshot offered now"},
        **{k: v for k, v in _ERRORS.items() if k in (401, 410)},
    },
)
def snapshot_file(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    principal: PrincipalDep,
    session: SessionDep,
    request: Request,
) -> Response:
    """The file of the snapshot offered now (byte ranges may be asked for)."""
    settings = request.app.state.settings
    info = snapshots.current(session, settings) if principal.role is Role.WINDOW else None
    if info is None or info.sha256 != sha256:
        raise ApiError(404, ReasonCode.NOT_FOUND, "该快照已不再提供。请重新同步。")
    return FileResponse(snapshots.file_of(settings, info), media_type="application/octet-stream")
