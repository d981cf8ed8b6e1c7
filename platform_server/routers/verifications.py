"""承诺核查 over HTTP: the commitments due for verification, and their assignment as tasks.

Supervisors (of the commitment's region) and admins only; the logic is
:mod:`platform_server.verification_service`. Results come back as inspection results by push.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.routers.common import ERRORS, RecordIdItem, TaskIds, Username
from platform_server.verification_service import (
    DEFAULT_TASK_WORKING_DAYS,
    assign,
    due_commitments,
    inspectors_for,
)
from sync.protocol import Role

router = APIRouter(prefix="/v1/verifications", tags=["verifications"])

_SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)


class DueItem(BaseModel):
    """A commitment due (or coming due) for verification."""

    commitment_id: str
    uscc: str
    entity_name: str
    matter: str
    kind: str
    signed_on: str
    verify_due_on: str
    overdue: bool
    hall: str
    region_code: str
    task_id: str


class AssignRequest(BaseModel):
    """Commitments to verify, who verifies them, and how long they have."""

    commitment_ids: Annotated[list[RecordIdItem], Field(min_length=1, max_length=500)]
    inspector_usernames: Annotated[list[Username], Field(min_length=1, max_length=20)]
    due_working_days: Annotated[int, Field(ge=1, le=60)] = DEFAULT_TASK_WORKING_DAYS


@router.get("", response_model=list[DueItem], responses=ERRORS)
def list_due(
    principal: PrincipalDep,
    session: SessionDep,
    within_days: Annotated[int, Query(ge=0, le=366)] = 0,
) -> list[DueItem]:
    """Commitments due for verification by today + ``within_days``, oldest due first.

    Example: ``GET /v1/verifications?within_days=7``.
    """
    require_roles(principal, *_SUPERVISORS)
    return [
        DueItem(**asdict(d))
        for d in due_commitments(session, principal.user, within_days=within_days)
    ]


class InspectorItem(BaseModel):
    """An inspector a supervisor may give a 核查 task to."""

    username: str
    display_name: str
    region_code: str


@router.get("/inspectors", response_model=list[InspectorItem], responses=ERRORS)
def list_inspectors(principal: PrincipalDep, session: SessionDep) -> list[InspectorItem]:
    """The active inspectors of the caller's region (admins: all)."""
    require_roles(principal, *_SUPERVISORS)
    return [
        InspectorItem(username=u, display_name=d, region_code=r)
        for u, d, r in inspectors_for(session, principal.user)
    ]


@router.post("/assign", response_model=TaskIds, responses=ERRORS)
def assign_route(body: AssignRequest, principal: PrincipalDep, session: WriteSessionDep) -> TaskIds:
    """Make a 核查 task per commitment for the inspectors named (all or nothing)."""
    require_roles(principal, *_SUPERVISORS)
    tasks = assign(
        session,
        principal.user,
        body.commitment_ids,
        body.inspector_usernames,
        body.due_working_days,
    )
    return TaskIds(task_ids=tasks)
