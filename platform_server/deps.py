"""Request dependencies: the database session, the client's address, the authenticated principal."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from platform_server.db import defer_numbering
from platform_server.errors import ApiError
from platform_server.models import Device, Token, User
from platform_server.security import now, token_digest
from platform_server.settings import ServerSettings
from sync.protocol import ReasonCode, Role

_bearer = HTTPBearer(auto_error=False, description="Access token from /v1/auth/login")


def get_settings(request: Request) -> ServerSettings:
    """The instance settings."""
    settings: ServerSettings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, in one transaction committed when the handler returns."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session, session.begin():
        yield session


def get_write_session(request: Request) -> Iterator[Session]:
    """Like :func:`get_session`, for handlers that write change records.

    On SQLite the session takes the write lock up front. On PostgreSQL its changes are
    numbered at commit (:func:`~platform_server.db.defer_numbering`), as a push's are: every
    request that writes takes the change counter's lock last, after all its row locks, so a
    draw, a decision or a publication never waits for a row a push holds while holding the
    counter the push needs (the lock-order inversion that made PostgreSQL roll one back).
    """
    factory: sessionmaker[Session] = request.app.state.write_sessions
    with factory() as session, session.begin():
        defer_numbering(session)
        yield session


# scope="function": commit before the response is sent. With the default ("request") the
# commit would run after the client has been told "applied", and a failed commit would lose
# a change the client already dropped from its outbox.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request: Request, settings: ServerSettings) -> str:
    """Where a request comes from: the TCP peer, or what trusted proxies say it is.

    ``X-Forwarded-For`` is believed only when the peer is one of ``trusted_proxies``
    (``CREDIT_PLATFORM_TRUSTED_PROXIES``; none by default). Its entries are then read from the
    right: each trusted proxy appended the address it received the request from, and the
    first address that is not a trusted proxy is the client. Everything to the left of it was
    written by the client and is ignored, so rotating the header changes nothing.
    """
    peer = request.client.host if request.client else ""
    networks = settings.proxy_networks
    peer_ip = _ip(peer)
    if not networks or peer_ip is None or not any(peer_ip in net for net in networks):
        return (peer or "?")[:64]
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return hop[:64]  # what the nearest trusted proxy wrote, however odd
        if not any(ip in net for net in networks):
            return str(ip)
    return str(_ip(hops[0])) if hops else peer[:64]


DEVICE_REVOKED_MESSAGE = (
    "此设备已被平台注销。为保护数据安全，客户端将清除本机数据；如有疑问请联系管理员。"
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account and the device its token is bound to."""

    user: User
    device: Device

    @property
    def role(self) -> Role:
        """The account's role."""
        return Role(self.user.role)


def device_revoked() -> ApiError:
    """The distinct answer a revoked device gets: 410 Gone, code ``device_revoked``."""
    return ApiError(410, ReasonCode.DEVICE_REVOKED, DEVICE_REVOKED_MESSAGE)


def get_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Resolve the bearer access token.

    Raises:
        ApiError: 401 for a missing, unknown, expired or revoked token; 410 for a revoked
            device.
    """
    if credentials is None or not credentials.credentials:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "缺少访问令牌，请先登录。")
    token = session.get(Token, token_digest(credentials.credentials))
    device = session.get(Device, token.device_id) if token is not None else None
    if token is None or device is None or token.kind != "access":
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "访问令牌无效，请重新登录。")
    # Revocation first: a revoked device must hear "wipe", even though its tokens are dead too.
    if device.revoked_at is not None:
        raise device_revoked()
    if token.revoked:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "访问令牌已失效，请重新登录。")
    if token.expires_at <= now():
        raise ApiError(401, ReasonCode.TOKEN_EXPIRED, "访问令牌已过期，请刷新令牌或重新登录。")
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "账户已停用，请联系管理员。")
    return Principal(user=user, device=device)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(principal: Principal, *roles: Role) -> None:
    """Raise 403 unless the caller has one of ``roles``."""
    if principal.role not in roles:
        raise ApiError(403, ReasonCode.FORBIDDEN, "当前账户的角色无权执行此操作。")
