"""Login, token refresh and device enrolment."""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from platform_server.deps import PrincipalDep, SessionDep, SettingsDep, device_revoked
from platform_server.errors import ApiError
from platform_server.models import Device, Meta, Token, User
from platform_server.security import (
    DUMMY_HASH,
    decode_public_key,
    issue_token,
    now,
    recent_failures,
    record_failure,
    token_digest,
    verify_password,
)
from platform_server.settings import ServerSettings
from sync.protocol import LoginRequest, ReasonCode, RefreshRequest, Role, TokenPair, UserInfo

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/auth", tags=["auth"])


def user_info(user: User) -> UserInfo:
    """The wire form of an account."""
    return UserInfo(
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        hall_id=user.hall_id,
        region_code=user.region_code,
    )


def _pair(
    session: Session,
    settings: ServerSettings,
    user: User,
    device: Device,
    parent: Token | None = None,
) -> TokenPair:
    parent_hash = parent.token_hash if parent is not None else None
    access, _ = issue_token(
        session, "access", user.id, device.id, settings.access_ttl_s, parent_hash=parent_hash
    )
    refresh, _ = issue_token(
        session, "refresh", user.id, device.id, settings.refresh_ttl_s, parent_hash=parent_hash
    )
    epoch = session.get(Meta, "epoch")
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_ttl_s,
        user=user_info(user),
        server_epoch=epoch.value if epoch else "",
    )


@router.post("/login", response_model=TokenPair)
def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenPair:
    """Check the password; enrol the device on its first login; issue a token pair."""
    address = request.client.host if request.client else "?"
    # Per user and address, so a guesser elsewhere cannot lock the real user out; and a much
    # higher ceiling per user across all addresses, against guessing from many machines.
    window = settings.login_window_s
    from_here = recent_failures(session, body.username, window, address)
    everywhere = recent_failures(session, body.username, window)
    if from_here >= settings.login_max_failures or everywhere >= 10 * settings.login_max_failures:
        raise ApiError(
            429,
            ReasonCode.RATE_LIMITED,
            f"登录失败次数过多，请 {max(1, window // 60)} 分钟后再试，或联系管理员重置密码。",
            headers={"Retry-After": str(window)},
        )
    user = session.scalar(select(User).where(User.username == body.username))
    ok = verify_password(user.password_hash if user else DUMMY_HASH, body.password)
    if user is None or not ok or not user.active:
        # The failure must be recorded even though this request answers with an error.
        factory = request.app.state.sessions
        with factory() as other, other.begin():
            record_failure(other, body.username, address, settings.login_window_s)
        raise ApiError(401, ReasonCode.BAD_CREDENTIALS, "用户名或密码不正确。")
    public_key = decode_public_key(body.device_public_key)
    if public_key is None:
        raise ApiError(
            422, ReasonCode.INVALID_FIELD, "设备公钥不是有效的 Ed25519 公钥（32 字节，Base64）。"
        )
    device = session.get(Device, body.device_id)
    if device is None:
        device = Device(
            id=body.device_id,
            user_id=user.id,
            public_key=public_key,
            name=body.device_name,
            enrolled_at=now(),
        )
        session.add(device)
        session.flush()
        log.info("device %s enrolled for %s", device.id, user.username)
    elif device.revoked_at is not None:
        raise device_revoked()
    elif device.user_id != user.id or device.public_key != public_key:
        raise ApiError(
            403,
            ReasonCode.DEVICE_MISMATCH,
            "该设备已登记在其他账户或使用了不同的密钥。请联系管理员注销后重新登记。",
        )
    device.last_seen_at = now()
    return _pair(session, settings, user, device)


def _revoke_family(request: Request, device_id: str) -> None:
    # In its own transaction: the revocation must stick although the request fails.
    factory = request.app.state.sessions
    with factory() as other, other.begin():
        other.execute(update(Token).where(Token.device_id == device_id).values(revoked=True))


def _within_grace(session: Session, token: Token, grace_s: int) -> bool:
    """Whether a spent ``token`` may be spent once more: its answer was probably lost.

    True only while the pair its spending issued is unseen (that refresh token neither spent
    nor revoked) and the spending happened at most ``grace_s`` seconds ago; the token itself
    must not be revoked (which is also how a grace already used is remembered).
    """
    if token.revoked or token.spent_at is None or grace_s <= 0:
        return False
    if now() - token.spent_at > timedelta(seconds=grace_s):
        return False
    successor = session.scalar(
        select(Token).where(Token.parent_hash == token.token_hash, Token.kind == "refresh")
    )
    return successor is not None and successor.spent_at is None and not successor.revoked


@router.post("/refresh", response_model=TokenPair)
def refresh(
    body: RefreshRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenPair:
    """Spend a refresh token for a new pair. A reused refresh token revokes the device's tokens.

    Grace: a client whose refresh answer was lost on the network still holds the spent token.
    Presented again by the same device within ``refresh_grace_s`` of its spending, while the
    pair issued then is unused, it is accepted once: that unseen pair is retired and a fresh
    one issued. Any other reuse (later, from another device, a second time, or after the
    successor was used) is taken as theft.
    """
    token = session.get(Token, token_digest(body.refresh_token))
    if token is None or token.kind != "refresh":
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    if token.device_id != body.device_id:
        if token.spent_at is not None:
            # A spent token replayed under another device's name: theft, like any replay.
            _revoke_family(request, token.device_id)
            log.warning("spent refresh token of device %s replayed by another", token.device_id)
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    device = session.get(Device, token.device_id)
    if device is None:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    if device.revoked_at is not None:
        raise device_revoked()
    regrant = token.spent_at is not None and _within_grace(session, token, settings.refresh_grace_s)
    if (token.spent_at is not None or token.revoked) and not regrant:
        # Someone replayed a spent token: assume theft and end every session of the device.
        _revoke_family(request, device.id)
        log.warning("refresh token reuse on device %s: all its tokens revoked", device.id)
        raise ApiError(
            401,
            ReasonCode.TOKEN_REUSED,
            "刷新令牌已被使用过，为安全起见已注销本设备的登录，请重新登录。",
        )
    if token.expires_at <= now():
        raise ApiError(401, ReasonCode.TOKEN_EXPIRED, "登录已过期，请重新登录。")
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "账户已停用，请联系管理员。")
    if regrant:
        # The pair the lost answer carried was never seen by the client: nobody may use it.
        # The token is revoked too, which makes a further replay a theft.
        session.execute(
            update(Token).where(Token.parent_hash == token.token_hash).values(revoked=True)
        )
        token.revoked = True
        log.info("refresh token of device %s re-spent within the grace period", device.id)
    else:
        token.spent_at = now()
    device.last_seen_at = now()
    return _pair(session, settings, user, device, parent=token)


@router.get("/me", response_model=UserInfo)
def me(principal: PrincipalDep) -> UserInfo:
    """The calling account."""
    return user_info(principal.user)
