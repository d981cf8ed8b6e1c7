"""承诺核查, the supervisor's side: what is due, who may verify it, and its assignment.

All need the platform (``GET /v1/verifications``, ``GET /v1/verifications/inspectors``,
``POST /v1/verifications/assign``); the tasks made reach the inspectors at their next pull,
the result comes back by push.
"""

from __future__ import annotations

from typing import Any

from sync.platform_calls import get_objects, post_for_task_ids
from sync.transport import Transport

__all__ = ["assign_verifications", "fetch_due_verifications", "fetch_inspectors"]


def fetch_due_verifications(transport: Transport, within_days: int = 0) -> list[dict[str, Any]]:
    """Commitments due for 核查 by today + ``within_days`` in the caller's region.

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    return get_objects(transport, "/v1/verifications", {"within_days": within_days})


def fetch_inspectors(transport: Transport) -> list[dict[str, Any]]:
    """The inspectors the caller may assign (``username``, ``display_name``, ``region_code``).

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    return get_objects(transport, "/v1/verifications/inspectors")


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
    return post_for_task_ids(transport, "/v1/verifications/assign", body)
