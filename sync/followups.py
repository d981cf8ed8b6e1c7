"""Follow-through, the supervisor's side: overdue warnings, follow-up tasks, measure figures.

All need the platform (``GET /v1/followups/warnings``, ``POST /v1/followups/warnings/assign``,
``GET /v1/measures/statistics``); an inspector's own follow-up list is computed offline from
the store instead (``InspectionService.overdue_warnings``).
"""

from __future__ import annotations

from typing import Any

from sync.platform_calls import get_objects, post_for_task_ids
from sync.transport import Transport

__all__ = ["assign_followups", "fetch_measure_statistics", "fetch_overdue_warnings"]


def fetch_overdue_warnings(transport: Transport) -> list[dict[str, Any]]:
    """Overdue 失信警示 of the caller's region, oldest deadline first.

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    return get_objects(transport, "/v1/followups/warnings")


def assign_followups(
    transport: Transport, warning_ids: list[str], inspectors: list[str], due_working_days: int = 10
) -> list[str]:
    """Make a follow-up (约谈) task per warning for the inspectors named; the task ids.

    Raises:
        sync.errors.SyncError: Offline, refused (the platform's message), or malformed.
    """
    body = {
        "warning_ids": warning_ids,
        "inspector_usernames": inspectors,
        "due_working_days": due_working_days,
    }
    return post_for_task_ids(transport, "/v1/followups/warnings/assign", body)


def fetch_measure_statistics(transport: Transport) -> list[dict[str, Any]]:
    """联合奖惩反馈 figures per list and measure for the caller's region.

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    return get_objects(transport, "/v1/measures/statistics")
