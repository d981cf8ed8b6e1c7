"""限期整改 → 约谈 over HTTP: overdue warnings for supervisors, and their follow-up tasks.

Supervisors (of the warning's region) and admins only; the logic is
:mod:`platform_server.followup_service`. Interviews come back as ``interviews`` forms by push.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.followup_service import assign_followups, overdue_for
from platform_server.holiday_table import calendar_today
from platform_server.routers.common import ERRORS, RecordIdItem, TaskIds, Username
from platform_server.verification_service import DEFAULT_TASK_WORKING_DAYS
from sync.protocol import Role

router = APIRouter(prefix="/v1/followups", tags=["followups"])

_SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)


class OverdueItem(BaseModel):
    """A 失信警示 past its rectification deadline with no rectification on record."""

    warning_id: str
    uscc: str
    entity_name: str
    issued_on: str
    deadline: str
    days_late: int
    content: str
    task_id: str
    followup_task_id: str
    interviews: int
    region_code: str


class FollowupRequest(BaseModel):
    """Warnings to follow up, who follows them up, and how long they have."""

    warning_ids: Annotated[list[RecordIdItem], Field(min_length=1, max_length=500)]
    inspector_usernames: Annotated[list[Username], Field(min_length=1, max_length=20)]
    due_working_days: Annotated[int, Field(ge=1, le=60)] = DEFAULT_TASK_WORKING_DAYS


@router.get("/warnings", response_model=list[OverdueItem], responses=ERRORS)
def list_overdue(principal: PrincipalDep, session: SessionDep) -> list[OverdueItem]:
    """Overdue warnings of the caller's region, oldest deadline first.

    Example: ``GET /v1/followups/warnings``.
    """
    require_roles(principal, *_SUPERVISORS)
    today = calendar_today()
    return [
        OverdueItem(
            warning_id=r.warning.warning_id,
            uscc=r.warning.uscc,
            entity_name=r.warning.entity_name,
            issued_on=r.warning.issued_on.isoformat(),
            deadline=r.warning.deadline.isoformat(),
            days_late=r.warning.days_late(today),
            content=r.warning.content,
            task_id=r.warning.task_id,
            followup_task_id=r.warning.followup_task_id,
            interviews=r.warning.interviews,
            region_code=r.region_code,
        )
        for r in overdue_for(session, principal.user, today)
    ]


@router.post("/warnings/assign", response_model=TaskIds, responses=ERRORS)
def assign_route(
    body: FollowupRequest, principal: PrincipalDep, session: WriteSessionDep
) -> TaskIds:
    """Make a follow-up (约谈) task per warning for the inspectors named (all or nothing)."""
    require_roles(principal, *_SUPERVISORS)
    tasks = assign_followups(
        session,
        principal.user,
        body.warning_ids,
        body.inspector_usernames,
        body.due_working_days,
    )
    return TaskIds(task_ids=tasks)
