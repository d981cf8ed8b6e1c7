"""Administration: devices (list, revoke), and the working-day calendar's status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select, update

from platform_server.deps import PrincipalDep, SessionDep, require_roles
from platform_server.errors import ApiError
from platform_server.holiday_table import calendar_status
from platform_server.models import Device, Token, User
from platform_server.security import now
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


@router.get("/devices", response_model=list[DeviceInfo])
def list_devices(principal: PrincipalDep, session: SessionDep) -> list[DeviceInfo]:
    """Every enrolled device (admins only)."""
    require_roles(principal, Role.ADMIN)
    rows = session.execute(
        select(Device, User.username)
        .join(User, User.id == Device.user_id)
        .order_by(Device.enrolled_at)
    )
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
def revoke_device(device_id: str, principal: PrincipalDep, session: SessionDep) -> DeviceInfo:
    """Revoke a device: every token of it stops working; its next request answers 410."""
    require_roles(principal, Role.ADMIN)
    device = session.get(Device, device_id)
    if device is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "没有该设备。")
    device.revoked_at = device.revoked_at or now()
    session.execute(update(Token).where(Token.device_id == device_id).values(revoked=True))
    owner = session.get(User, device.user_id)
    return DeviceInfo(
        device_id=device.id,
        username=owner.username if owner else "",
        name=device.name,
        enrolled_at=_utc(device.enrolled_at),
        last_seen_at=_utc_or_none(device.last_seen_at),
        revoked_at=_utc_or_none(device.revoked_at),
    )


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
