"""Decisions on 信用修复 applications and 异议 over HTTP, and the follow-up figures.

Applications are taken at windows and arrive by push (collections ``repair_applications`` and
``objections``); supervisors of the unit that made the record find them in their pull (they
carry that unit's region) and decide here. The logic is :mod:`platform_server.repair_service`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from desktop_app.domain.repair import ObjectionOutcome, RepairOutcome
from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.repair_service import decide_objection, decide_repair, statistics_by_unit
from sync.protocol import ErrorBody, Role

router = APIRouter(prefix="/v1", tags=["repairs"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
_DECIDERS = (Role.SUPERVISOR, Role.ADMIN)
RecordId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class RepairDecision(BaseModel):
    """准予修复 (``granted``) or 不予修复 (``refused``), with reasons."""

    outcome: RepairOutcome
    reasons: Annotated[str, Field(min_length=1, max_length=5000)]


class ObjectionDecision(BaseModel):
    """维持 / 更正 / 撤销, with reasons; corrections for 更正; what was done to undo harm."""

    outcome: ObjectionOutcome
    reasons: Annotated[str, Field(min_length=1, max_length=5000)]
    corrections: dict[str, Any] | None = None
    remedy: Annotated[str, Field(max_length=5000)] = ""


class DecisionAnswer(BaseModel):
    """The application after the decision (its fields as every device will pull them)."""

    record_id: str
    version: int
    fields: dict[str, Any]


@router.post("/repairs/{record_id}/decision", response_model=DecisionAnswer, responses=_ERRORS)
def decide_repair_route(
    record_id: RecordId, body: RepairDecision, principal: PrincipalDep, session: WriteSessionDep
) -> DecisionAnswer:
    """Decide a repair application (supervisors of the unit that made the record, admins)."""
    require_roles(principal, *_DECIDERS)
    done = decide_repair(session, principal.user, record_id, body.outcome, body.reasons)
    return DecisionAnswer(record_id=done.record_id, version=done.version, fields=done.fields)


@router.post("/objections/{record_id}/decision", response_model=DecisionAnswer, responses=_ERRORS)
def decide_objection_route(
    record_id: RecordId,
    body: ObjectionDecision,
    principal: PrincipalDep,
    session: WriteSessionDep,
) -> DecisionAnswer:
    """Decide an objection (supervisors of the unit that made the record, admins)."""
    require_roles(principal, *_DECIDERS)
    done = decide_objection(
        session,
        principal.user,
        record_id,
        body.outcome,
        body.reasons,
        body.corrections,
        body.remedy,
    )
    return DecisionAnswer(record_id=done.record_id, version=done.version, fields=done.fields)


@router.get("/repairs/statistics", responses=_ERRORS)
def repair_statistics(principal: PrincipalDep, session: SessionDep) -> list[dict[str, Any]]:
    """Per hall and unit: received, pending, overdue, decided, median working days to decide."""
    require_roles(principal, *_DECIDERS)
    return statistics_by_unit(session, principal.user)
