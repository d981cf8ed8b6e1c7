"""Login (rate-limited per account and source), signed token refresh and device enrolment."""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Request
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from platform_server.demo import DEMO_MARKER, DEMO_PASSWORD
from platform_server.deps import (
    PrincipalDep,
    SettingsDep,
    WriteSessionDep,
    client_address,
    device_revoked,
)
from platform_server.errors import ApiError
from platform_server.models import Device, Meta, Token, User
from platform_server.security import (
    DUMMY_HASH,
    LoginVerdict,
    begin_login_attempt,
    decode_public_key,
    decode_signature,
    issue_token,
    login_succeeded,
    now,
    token_digest,
    verify_password,
    verify_signature,
)
from platform_server.settings import ServerSettings
from sync.protocol import LoginRequest, ReasonCode, RefreshRequest, Role, TokenPair, UserInfo
from sync.protocol.refresh_signature import refresh_signing_message

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/auth", tags=["auth"])

ACCOUNT_INACTIVE = "账户已停用，请联系管理员。"
UNSIGNED_REFRESH = (
    "此客户端版本过旧：续期登录需要本机设备密钥的签名。请升级信用监管工作台客户端后重新登录。"
)
BAD_SIGNATURE = (
    "续期登录的设备签名无效。为安全起见已注销本设备的登录，请重新登录；如非本人操作，请联系管理员。"
)


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


def _rate_limited(verdict: LoginVerdict) -> ApiError:
    minutes = max(1, math.ceil(verdict.retry_after / 60))
    if verdict.account_wide:
        message = (
            "该账户近期在多处登录失败，已暂停从新的电脑或网络登录。"
            f"请在常用的电脑上登录，或 {minutes} 分钟后再试；也可联系管理员解除锁定。"
        )
    else:
        message = (
            f"登录失败次数过多，已暂时锁定从本机登录该账户。请 {minutes} 分钟后再试，"
            "或联系管理员解除锁定、重置密码。"
        )
    return ApiError(
        429, ReasonCode.RATE_LIMITED, message, headers={"Retry-After": str(verdict.retry_after)}
    )


def _check_device_cap(
    session: Session, settings: ServerSettings, user: User, password: str
) -> None:
    """Refuse to enrol one more device for an account that has its cap of live devices."""
    cap = settings.max_devices_per_user
    if cap <= 0:
        return
    if password == DEMO_PASSWORD and session.get(Meta, DEMO_MARKER) is not None:
        # A seed-demo database: its accounts share a published password, every trainee
        # enrols a machine, and a cap would protect nothing.
        return
    live = session.scalar(
        select(func.count())
        .select_from(Device)
        .where(Device.user_id == user.id, Device.revoked_at.is_(None))
    )
    if int(live or 0) >= cap:
        raise ApiError(
            403,
            ReasonCode.FORBIDDEN,
            f"该账户已登记 {live} 台设备，达到上限（{cap} 台），不能再登记新设备。"
            "请联系管理员注销不再使用的设备后再登录。",
        )


@router.post("/login", response_model=TokenPair)
def login(
    body: LoginRequest, request: Request, session: WriteSessionDep, settings: SettingsDep
) -> TokenPair:
    """Check the password; enrol the device on its first login; issue a token pair.

    The attempt first takes its place under the rate limit of the account and the client's
    address (:func:`platform_server.security.begin_login_attempt`, atomic, committed at once);
    only then is the password checked. The request's own write transaction starts after the
    password check, so SQLite's write lock is never held during Argon2.
    """
    source = client_address(request, settings)
    writers: sessionmaker[Session] = request.app.state.write_sessions
    verdict = begin_login_attempt(
        writers,
        body.username,
        source,
        max_failures=settings.login_max_failures,
        window_s=settings.login_window_s,
        account_max_failures=settings.login_account_max_failures,
    )
    if not verdict.allowed:
        log.warning("login for %r from %s refused: too many failures", body.username, source)
        raise _rate_limited(verdict)
    readers: sessionmaker[Session] = request.app.state.sessions
    with readers() as reader:
        account = reader.execute(
            select(User.id, User.password_hash, User.active).where(User.username == body.username)
        ).first()
    ok = verify_password(account.password_hash if account else DUMMY_HASH, body.password)
    if account is None or not ok:
        # The attempt's place stays taken: that is the counted failure.
        raise ApiError(401, ReasonCode.BAD_CREDENTIALS, "用户名或密码不正确。")
    login_succeeded(writers, body.username, source)
    if not account.active:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, ACCOUNT_INACTIVE)
    public_key = decode_public_key(body.device_public_key)
    if public_key is None:
        raise ApiError(
            422, ReasonCode.INVALID_FIELD, "设备公钥不是有效的 Ed25519 公钥（32 字节，Base64）。"
        )
    # Locked: parallel first logins of new devices cannot both pass the device cap.
    user = session.get(User, account.id, with_for_update=True)
    if user is None or not user.active:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, ACCOUNT_INACTIVE)
    device = session.get(Device, body.device_id)
    if device is None:
        _check_device_cap(session, settings, user, body.password)
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


def _revoke_family(request: Request, session: Session, device_id: str) -> None:
    """Revoke every token of the device; the caller raises next (the request fails).

    The request's own transaction is rolled back first: it holds the spent token's row lock
    (and on SQLite the write lock), which the revocation's own transaction needs — that one
    must commit although the request fails.
    """
    session.rollback()
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


def _check_signature(
    request: Request,
    session: Session,
    settings: ServerSettings,
    body: RefreshRequest,
    device: Device,
    signature: str | None,
    timestamp: str | None,
) -> None:
    """The refresh must be signed with the device's enrolled key, at about the platform's time.

    Raises:
        ApiError: 401 ``unauthenticated`` without a signature (a client from before the
            binding), 401 ``signature_invalid`` for a malformed or wrong signature (the
            device's tokens are revoked: someone holds a copy of its refresh token without
            its key) or a timestamp outside ``refresh_clock_skew_s``.
    """
    if not signature or not timestamp:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, UNSIGNED_REFRESH)
    raw = decode_signature(signature)
    try:
        moment = int(timestamp)
    except ValueError:
        moment = None
    message = (
        refresh_signing_message(body.refresh_token, body.device_id, moment)
        if moment is not None
        else b""
    )
    if raw is None or moment is None or not verify_signature(device.public_key, raw, message):
        log.warning("refresh for device %s without a valid device signature", device.id)
        _revoke_family(request, session, device.id)
        raise ApiError(401, ReasonCode.SIGNATURE_INVALID, BAD_SIGNATURE)
    skew = settings.refresh_clock_skew_s
    if abs(time.time() - moment) > skew:
        raise ApiError(
            401,
            ReasonCode.SIGNATURE_INVALID,
            f"本机时间与平台相差超过 {max(1, skew // 60)} 分钟，无法续期登录。"
            "请把本机时间校准为北京时间后重试。",
        )


@router.post("/refresh", response_model=TokenPair)
def refresh(
    body: RefreshRequest,
    request: Request,
    session: WriteSessionDep,
    settings: SettingsDep,
    x_device_signature: Annotated[
        str | None,
        Header(max_length=256, description="base64 Ed25519 signature by the device key"),
    ] = None,
    x_device_timestamp: Annotated[
        str | None, Header(max_length=32, description="Unix seconds the signature was made")
    ] = None,
) -> TokenPair:
    """Spend a refresh token for a new pair. A reused refresh token revokes the device's tokens.

    The request must carry ``X-Device-Signature``: the device's Ed25519 signature, by the key
    enrolled at its first login, of :func:`platform_server.security.refresh_signing_message`
    (refresh token digest, device id, ``X-Device-Timestamp``). A copied refresh token is
    therefore useless without the device's key.

    Grace: a client whose refresh answer was lost on the network still holds the spent token.
    Presented again by the same device within ``refresh_grace_s`` of its spending, while the
    pair issued then is unused, it is accepted once: that unseen pair is retired and a fresh
    one issued. Any other reuse (later, from another device, a second time, or after the
    successor was used) is taken as theft.
    """
    # Spending is atomic: the token's row is locked (PostgreSQL; SQLite takes its write lock at
    # BEGIN IMMEDIATE) so parallel refreshes of one token run one after the other, and the
    # second sees the first's spending — one token never forks into two live sessions.
    token = session.get(Token, token_digest(body.refresh_token), with_for_update=True)
    if token is None or token.kind != "refresh":
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    if token.device_id != body.device_id:
        if token.spent_at is not None:
            # A spent token replayed under another device's name: theft, like any replay.
            log.warning("spent refresh token of device %s replayed by another", token.device_id)
            _revoke_family(request, session, token.device_id)
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    device = session.get(Device, token.device_id)
    if device is None:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, "刷新令牌无效，请重新登录。")
    if device.revoked_at is not None:
        raise device_revoked()
    _check_signature(
        request, session, settings, body, device, x_device_signature, x_device_timestamp
    )
    regrant = token.spent_at is not None and _within_grace(session, token, settings.refresh_grace_s)
    if (token.spent_at is not None or token.revoked) and not regrant:
        # Someone replayed a spent token: assume theft and end every session of the device.
        log.warning("refresh token reuse on device %s: all its tokens revoked", device.id)
        _revoke_family(request, session, device.id)
        raise ApiError(
            401,
            ReasonCode.TOKEN_REUSED,
            "刷新令牌已被使用过，为安全起见已注销本设备的登录，请重新登录。",
        )
    if token.expires_at <= now():
        raise ApiError(401, ReasonCode.TOKEN_EXPIRED, "登录已过期，请重新登录。")
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise ApiError(401, ReasonCode.UNAUTHENTICATED, ACCOUNT_INACTIVE)
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
