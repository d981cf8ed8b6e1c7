"""Sync endpoints: push a batch of mutations, pull a page of changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from platform_server import sync_service
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
) -> Response:
    """A page of changes visible to the caller after ``cursor`` (PullResponse).

    ``reset: true`` means the cursor could not be served: the page starts from the beginning.
    Deleted records come as tombstones (``deleted: true``, ``fields: null``).
    """
    # Built from stored JSON text for speed; the schema above documents the same shape.
    body = sync_service.pull(session, principal, cursor, limit)
    return Response(content=body, media_type="application/json")
