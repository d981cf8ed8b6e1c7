"""Credit policies over HTTP: read them (every role), their history, set one (admins).

The policy in force also reaches every device as ``policies`` records through the pull; these
endpoints are for administration tools. A change is checked by the shared parser
(:func:`desktop_app.domain.policy.check_policy`), versioned and audit-logged with the
administrator's account name taken from the login (:mod:`platform_server.policies`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from desktop_app.domain.policy import POLICY_NAMES, PolicyInvalid
from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.errors import ApiError
from platform_server.policies import policy_state, revisions, set_policy
from platform_server.scopes import SUPERVISOR_POLICIES
from sync.protocol import ErrorBody, ReasonCode, Role

router = APIRouter(prefix="/v1/policies", tags=["policies"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
Name = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$")]


class PolicyUpdate(BaseModel):
    """A new revision of a policy."""

    content: dict[str, Any]
    note: Annotated[str, Field(max_length=2000)] = ""


class PolicyAnswer(BaseModel):
    """A policy as in force, or one of its revisions."""

    name: str
    revision: int
    content: dict[str, Any]
    changed_by: str = ""
    changed_at: str = ""
    note: str = ""
    standing_changed: int | None = None


def _known(name: str) -> None:
    if name not in POLICY_NAMES:
        raise ApiError(
            404, ReasonCode.NOT_FOUND, f"没有名为“{name}”的政策，可选：{'、'.join(POLICY_NAMES)}。"
        )


@router.get("", response_model=list[PolicyAnswer], responses=_ERRORS)
def list_policies(principal: PrincipalDep, session: SessionDep) -> list[PolicyAnswer]:
    """Every policy in force (defaults for those never set).

    The early-warning rules only to supervisors and admins (as in the pull,
    ``scopes.SUPERVISOR_POLICIES``).
    """
    supervisor = principal.role in (Role.SUPERVISOR, Role.ADMIN)
    return [
        PolicyAnswer.model_validate(p)
        for p in policy_state(session)
        if supervisor or p["name"] not in SUPERVISOR_POLICIES
    ]


@router.get("/{name}/revisions", response_model=list[PolicyAnswer], responses=_ERRORS)
def list_revisions(name: Name, principal: PrincipalDep, session: SessionDep) -> list[PolicyAnswer]:
    """The revisions of one policy, newest first (supervisors and admins)."""
    require_roles(principal, Role.SUPERVISOR, Role.ADMIN)
    _known(name)
    return [PolicyAnswer.model_validate(p) for p in revisions(session, name)]


@router.put("/{name}", response_model=PolicyAnswer, responses=_ERRORS)
def put_policy(
    name: Name, body: PolicyUpdate, principal: PrincipalDep, session: WriteSessionDep
) -> PolicyAnswer:
    """Set a new revision of a policy (admins).

    Example: ``PUT /v1/policies/tolerance`` with ``{"content": {"barred_grades": ["C", "D"],
    "serious_penalty_blocks": true, "breach_blocks": true}, "note": "市信用办通知"}``.
    """
    require_roles(principal, Role.ADMIN)
    _known(name)
    try:
        change = set_policy(session, name, body.content, principal.user.username, body.note)
    except PolicyInvalid as exc:
        raise ApiError(422, ReasonCode.INVALID_FIELD, str(exc)) from None
    stored = next(p for p in policy_state(session) if p["name"] == name)
    return PolicyAnswer.model_validate({**stored, "standing_changed": change.standing_changed})
