"""承诺核查, the supervisor's side: what is due, and its assignment as inspection tasks.

Both need the platform (``GET /v1/verifications``, ``POST /v1/verifications/assign``); the
tasks made reach the inspectors at their next pull, the result comes back by push.
"""

from __future__ import annotations

from typing import Any

from sync.errors import ProtocolError
from sync.transport import Transport

__all__ = ["assign_verifications", "fetch_due_verifications", "fetch_inspectors"]


def fetch_due_verifications(transport: Transport, within_days: int = 0) -> list[dict[str, Any]]:
    """Commitments due for 核查 by today + ``within_days`` in the caller's region.

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    answer = transport.request(
        "GET", "/v1/verifications", params={"within_days": within_days}
    ).json()
    if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
        raise ProtocolError("verification list is not a list of objects")
    return answer


def fetch_inspectors(transport: Transport) -> list[dict[str, Any]]:
    """The inspectors the caller may assign (``username``, ``display_name``, ``region_code``).

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    answer = transport.request("GET", "/v1/verifications/inspectors").json()
    if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
        raise ProtocolError("inspector list is not a list of objects")
    return answer


def assign_verifications(
    transport: Transport,
    commitment_ids: list[str],
    inspectors: list[str],
    due_working_days: int = 10,
) -> list[str]:
    """Make a 核查 task per commitment for the inspectors named; the task ids.

    Raises:
        sync.errors.SyncError: Offline, refused (the platform's message), or malformed.
    """
    body = {
        "commitment_ids": commitment_ids,
        "inspector_usernames": inspectors,
        "due_working_days": due_working_days,
    }
    answer = transport.request("POST", "/v1/verifications/assign", json=body, retry=False).json()
    tasks = answer.get("task_ids") if isinstance(answer, dict) else None
    if not isinstance(tasks, list) or not all(isinstance(t, str) for t in tasks):
        raise ProtocolError("assignment answer without task ids")
    return tasks
