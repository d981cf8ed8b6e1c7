"""Decisions on 信用修复 applications and 异议, sent to the platform (they need it).

A supervisor of the unit that made a record decides from the client's 修复与异议 queue; the
platform checks who may decide, writes the decision and its effect, and every device learns of
it at its next pull (the application's derived fields, the record's entry). Nothing is queued
offline: a decision is an act of the platform, so without a network it is refused with the
transport's message and nothing changes.
"""

from __future__ import annotations

from typing import Any

from sync.errors import ProtocolError
from sync.platform_calls import get_objects
from sync.transport import Transport

PATHS = {"repair": "/v1/repairs/{id}/decision", "objection": "/v1/objections/{id}/decision"}


def send_decision(
    transport: Transport, kind: str, record_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST a decision; the application's fields as the platform stored them.

    Args:
        transport: A logged-in transport.
        kind: ``repair`` or ``objection``.
        record_id: The application.
        body: ``{"outcome", "reasons"}`` (objections also ``corrections``, ``remedy``).

    Raises:
        sync.errors.SyncError: Offline, refused (the platform's message in ``user_message``),
            or not what the protocol says.
    """
    path = PATHS[kind].format(id=record_id)
    resp = transport.request("POST", path, json=body, retry=False)
    answer = resp.json()
    if not isinstance(answer, dict) or not isinstance(answer.get("fields"), dict):
        raise ProtocolError("decision answer without fields")
    fields: dict[str, Any] = answer["fields"]
    return fields


def fetch_statistics(transport: Transport) -> list[dict[str, Any]]:
    """The follow-up figures per hall and deciding unit (``GET /v1/repairs/statistics``).

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    return get_objects(transport, "/v1/repairs/statistics")
