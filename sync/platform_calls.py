"""The shapes of a supervisor's platform-only calls: a list of objects, or task ids made.

The answers are read strictly: anything but the expected JSON shape is a
:class:`sync.errors.ProtocolError` (the client and platform disagree), never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.errors import ProtocolError
from sync.transport import Transport

__all__ = ["get_objects", "post_for_task_ids"]


def get_objects(
    transport: Transport, path: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """``GET path``: a JSON list of objects.

    Raises:
        sync.errors.SyncError: Offline, refused, or not a list of objects.
    """
    answer = transport.request("GET", path, params=params).json()
    if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
        raise ProtocolError(f"{path}: the answer is not a list of objects")
    return answer


def post_for_task_ids(transport: Transport, path: str, body: Mapping[str, Any]) -> list[str]:
    """``POST path`` (not retried: an assignment is not idempotent); the task ids it made.

    Raises:
        sync.errors.SyncError: Offline, refused (the platform's words), or malformed.
    """
    answer = transport.request("POST", path, json=dict(body), retry=False).json()
    tasks = answer.get("task_ids") if isinstance(answer, dict) else None
    if not isinstance(tasks, list) or not all(isinstance(t, str) for t in tasks):
        raise ProtocolError(f"{path}: the answer has no task ids")
    return tasks
