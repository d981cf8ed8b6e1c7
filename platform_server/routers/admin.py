"""Administration: devices, accounts and the working-day calendar's status.

Devices are listed and revoked; accounts deactivated, activated and unlocked (login lockouts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import select

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.errors import ApiError
from platform_server.holiday_table import calendar_status
from platform_server.models import Device, User
from platform_server.security import (
    AccountChange,
    activate_account,
    deactivate_account,
    revoke_device_by,
    unlock_login,
)
from sync.protocol import ReasonCode, Role

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def _utc(value: datetime) -> datetime:
    """Stored times are naive UTC; the wire form carries the zone (RFC 3339)."""
    return value.replace(tzinfo=UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return _utc(value) if value is not None else None


class DeviceInfo(BaseModel):
    """An enrolled device as administrators see it."""

    device_id: str
    username: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


Username = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/devices", response_model=list[DeviceInfo])
def list_devices(
    principal: PrincipalDep,
    session: SessionDep,
    username: Annotated[str | None, Query(max_length=64)] = None,
    active: Annotated[bool | None, Query()] = None,
) -> list[DeviceInfo]:
    """Enrolled devices, oldest enrolment first (admins only).

    ``username``: only that account's; ``active``: true for unrevoked, false for revoked.
    """
    require_roles(principal, Role.ADMIN)
    stmt = select(Device, User.username).join(User, User.id == Device.user_id)
    if username is not None:
        stmt = stmt.where(User.username == username)
    if active is not None:
        stmt = stmt.where(Device.revoked_at.is_(None) if active else Device.revoked_at.is_not(None))
    rows = session.execute(stmt.order_by(Device.enrolled_at, Device.id))
    return [
        DeviceInfo(
            device_id=d.id,
            username=username,
            name=d.name,
            enrolled_at=_utc(d.enrolled_at),
            last_seen_at=_utc_or_none(d.last_seen_at),
            revoked_at=_utc_or_none(d.revoked_at),
        )
        for d, username in rows
    ]


@router.post("/devices/{device_id}/revoke", response_model=DeviceInfo)
def revoke_device(device_id: str, principal: PrincipalDep, session: WriteSessionDep) -> DeviceInfo:
    """Revoke a device: every token of it stops working; its next request answers 410."""
    require_roles(principal, Role.ADMIN)
    device = session.get(Device, device_id)
    if device is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "没有该设备。")
    revoke_device_by(session, device, principal.user.username)
    owner = session.get(User, device.user_id)
    return DeviceInfo(
        device_id=device.id,
        username=owner.username if owner else "",
        name=device.name,
        enrolled_at=_utc(device.enrolled_at),
        last_seen_at=_utc_or_none(device.last_seen_at),
        revoked_at=_utc_or_none(device.revoked_at),
    )


class AccountStatus(BaseModel):
    """An account after an administrator's action, and what the action ended."""

    username: str
    active: bool
    sessions_ended: int
    devices_revoked: int
    sources_unlocked: int


def _status(change: AccountChange) -> AccountStatus:
    return AccountStatus(
        username=change.username,
        active=change.active,
        sessions_ended=change.sessions_ended,
        devices_revoked=change.devices_revoked,
        sources_unlocked=change.sources_unlocked,
    )


def _account(session: WriteSessionDep, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, f"没有账户 {username}，请核对用户名。")
    return user


@router.post("/users/{username}/deactivate", response_model=AccountStatus)
def deactivate_user(
    username: Username, principal: PrincipalDep, session: WriteSessionDep
) -> AccountStatus:
    """Deactivate an account: it cannot log in, every session ends, every device is revoked.

    The revoked devices answer 410 at their next request and wipe their stores. An
    administrator cannot deactivate their own account.
    """
    require_roles(principal, Role.ADMIN)
    user = _account(session, username)
    if user.id == principal.user.id:
        raise ApiError(
            403, ReasonCode.FORBIDDEN, "不能停用自己正在使用的账户，请由另一位管理员操作。"
        )
    return _status(deactivate_account(session, user, principal.user.username))


@router.post("/users/{username}/activate", response_model=AccountStatus)
def activate_user(
    username: Username, principal: PrincipalDep, session: WriteSessionDep
) -> AccountStatus:
    """Let a deactivated account log in again (from a newly enrolled device)."""
    require_roles(principal, Role.ADMIN)
    return _status(activate_account(session, _account(session, username), principal.user.username))


@router.post("/users/{username}/unlock", response_model=AccountStatus)
def unlock_user(
    username: Username, principal: PrincipalDep, session: WriteSessionDep
) -> AccountStatus:
    """Lift every login lockout of an account (failed-login counts of all its sources)."""
    require_roles(principal, Role.ADMIN)
    return _status(unlock_login(session, _account(session, username), principal.user.username))


class CalendarInfo(BaseModel):
    """Whether the platform's working-day calendar covers the years deadlines may reach.

    ``missing_year`` is set from 30 days before a year ends until next year's holiday table
    is imported (or when the current year itself is unknown); ``message`` says what to do.
    """

    today: date
    warning: bool
    missing_year: int | None
    days_left: int
    message: str


@router.get("/calendar", response_model=CalendarInfo)
def calendar(principal: PrincipalDep, session: SessionDep) -> CalendarInfo:
    """The calendar's status (supervisors and administrators)."""
    require_roles(principal, Role.SUPERVISOR, Role.ADMIN)
    status = calendar_status(session)
    return CalendarInfo(
        today=status.today,
        warning=status.warning,
        missing_year=status.missing_year,
        days_left=status.days_left,
        message=status.message(),
    )
