"""The newest client release: its signed manifest, served to anyone (no account needed).

The platform serves only what ``credit-platform release publish`` stored, byte for byte; it
holds no release key and cannot sign. The clients check the signature against the release
keys pinned in their build (:mod:`sync.updates`), so a manifest changed here is ignored there.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from platform_server.deps import SessionDep
from platform_server.releases import latest_manifest

router = APIRouter(prefix="/v1")


@router.get(
    "/client/latest",
    status_code=200,
    responses={
        200: {
            "description": "The published manifest (docs/PROTOCOL.md, 客户端更新).",
            "content": {"application/json": {}},
        },
        204: {"description": "No client release has been published."},
    },
    tags=["client"],
)
def latest_client(session: SessionDep) -> Response:
    """The signed manifest of the newest client release, exactly as published; 204 if none.

    Public: a manifest is no secret, and its signature, not this answer, is what a client
    trusts. ``Cache-Control: no-cache`` so a proxy never keeps an old one.
    """
    text = latest_manifest(session)
    if text is None:
        return Response(status_code=204, headers={"Cache-Control": "no-cache"})
    return Response(
        content=text, media_type="application/json", headers={"Cache-Control": "no-cache"}
    )
