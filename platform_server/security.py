"""Passwords, tokens, device keys, login limits and ending an account's sessions.

Passwords are Argon2id and must pass the password policy; bearer tokens are opaque; a refresh
is signed with the device key; logins are rate-limited per account and source.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from platform_server.models import Device, LoginFailure, Token, User

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


def now() -> datetime:
    """Naive UTC now (the database columns are UTC without zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored``."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the user does not exist, so timing does not reveal names.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session,
    kind: str,
    user_id: int,
    device_id: str,
    ttl_s: int,
    *,
    parent_hash: str | None = None,
) -> tuple[str, Token]:
    """Create a token; only its digest is stored.

    Args:
        session: The request's session.
        kind: ``access`` or ``refresh``.
        user_id: The account.
        device_id: The device it is bound to.
        ttl_s: Lifetime in seconds.
        parent_hash: Digest of the refresh token spent for it (None for a login).

    Returns:
        The raw token (sent once, never stored) and its row.
    """
    raw = secrets.token_urlsafe(32)
    issued = now()
    row = Token(
        token_hash=token_digest(raw),
        kind=kind,
        user_id=user_id,
        device_id=device_id,
        issued_at=issued,
        expires_at=issued + timedelta(seconds=ttl_s),
        revoked=False,
        parent_hash=parent_hash,
    )
    session.add(row)
    return raw, row


def decode_public_key(b64: str) -> bytes | None:
    """The 32 raw bytes of a base64 Ed25519 public key, or None when it is not one."""
    try:
        raw = base64.b64decode(b64, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        return None
    return raw


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s Ed25519 signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- the password policy --------------------------------------------------------------------

MIN_LENGTH = 10
"""A password this long passes the length rule whatever its characters."""
MIN_MIXED_LENGTH = 8
"""A shorter password needs three of: lower case, upper case, digits, other characters."""
MAX_LENGTH = 256
# Compared case-insensitively. Shorter ones fail the length rule anyway.
COMMON_PASSWORDS = frozenset(
    {
        "12345678", "123456789", "1234567890", "12345678910", "87654321", "11111111",
        "1111111111", "00000000", "0000000000", "88888888", "66666666", "123123123",
        "147258369", "123456abc", "abc123456", "abcd1234", "a1234567", "a12345678",
        "a123456789", "aa123456", "aa12345678", "qq123456", "1qaz2wsx", "1qaz@wsx",
        "1q2w3e4r", "1q2w3e4r5t", "qwertyuiop", "qwerty123", "qwer1234", "1234qwer",
        "qwe123456", "123qwe!@#", "asdfghjkl", "zxcvbnm123", "password", "password1",
        "password123", "passw0rd", "p@ssw0rd", "p@ssword", "admin123", "admin@123",
        "admin1234", "administrator", "root1234", "iloveyou", "woaini1314", "5201314520",
        "changeme", "changeme123", "welcome1", "welcome123", "letmein123", "abc@123",
        "demo-2026", "credit-desk",
    }
)  # fmt: skip


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` may not be set for ``username`` (Chinese, says what to do), or None.

    The policy for created and reset accounts: at least :data:`MIN_LENGTH` characters, or at
    least :data:`MIN_MIXED_LENGTH` mixing three kinds of character; not containing the user
    name; not one of the common passwords; more than three different characters.
    """
    if len(password) > MAX_LENGTH:
        return f"密码过长：最多 {MAX_LENGTH} 个字符。"
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
        )
    )
    if len(password) < MIN_MIXED_LENGTH or (len(password) < MIN_LENGTH and kinds < 3):
        return (
            f"密码太弱：请使用至少 {MIN_LENGTH} 个字符，或至少 {MIN_MIXED_LENGTH} 个字符并"
            "混合大写字母、小写字母、数字、符号中的三类。"
        )
    folded, name = password.casefold(), username.casefold()
    if name and (folded == name or (len(name) >= 3 and name in folded)):
        return "密码不能包含用户名，请换一个。"
    if folded in COMMON_PASSWORDS:
        return "该密码是常见密码，很容易被猜中，请换一个。"
    if len(set(folded)) < 4:
        return "密码的字符过于单一（例如 1111111111），请换一个。"
    return None


# --- the refresh signature ------------------------------------------------------------------

# One definition with the client: sync/protocol/refresh_signature.py.


def decode_signature(b64: str | None) -> bytes | None:
    """The 64 raw bytes of a base64 Ed25519 signature, or None when it is not one."""
    if not b64:
        return None
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 64 else None


# --- login rate limiting --------------------------------------------------------------------


@dataclass(frozen=True)
class LoginVerdict:
    """Whether a login attempt may check its password.

    ``account_wide``: refused because the account as a whole has too many failures and this
    source never logged in to it (otherwise the source itself is locked). ``retry_after`` is in
    seconds.
    """

    allowed: bool
    retry_after: int = 0
    account_wide: bool = False


def _key(username: str, source: str) -> ColumnElement[bool]:
    return and_(LoginFailure.username == username, LoginFailure.source == source[:64])


def _rowcount(result: object) -> int:
    """Rows an UPDATE matched (``CursorResult.rowcount``)."""
    return int(getattr(result, "rowcount", 0) or 0)


def _insert_missing(session: Session, username: str, source: str, at: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    row = {"username": username, "source": source[:64], "failures": 0, "window_start": at}
    session.execute(insert(LoginFailure).values(**row).on_conflict_do_nothing())


def _seconds_until(moment: datetime | None, at: datetime, default: int) -> int:
    if moment is None:
        return default
    return max(1, math.ceil((moment - at).total_seconds()))


def begin_login_attempt(
    sessions: sessionmaker[Session],
    username: str,
    source: str,
    *,
    max_failures: int,
    window_s: int,
    account_max_failures: int,
) -> LoginVerdict:
    """Take one attempt's place under the limit, atomically, in a transaction of its own.

    The place is taken by one conditional ``UPDATE … SET failures = failures + 1 WHERE
    failures < max`` on the ``(username, source)`` row, committed before the password is
    checked: of any number of parallel attempts only ``max_failures`` get a place, however
    they interleave (PostgreSQL re-evaluates the condition on the locked row; SQLite
    serialises writers). The place counts as a failure unless :func:`login_succeeded` clears
    it. The attempt that takes the last place sets ``locked_until`` (now + window).

    A source that never logged in to the account is also refused while the account's
    failures over all sources reach ``account_max_failures``: guessing from many addresses
    stops, yet the owner's usual sources stay open.
    """
    at = now()
    window = timedelta(seconds=window_s)
    key = _key(username, source)
    with sessions() as session, session.begin():
        _insert_missing(session, username, source, at)
        # A lock that has ended, or a window that has passed, starts afresh.
        session.execute(
            update(LoginFailure)
            .where(
                key,
                or_(
                    LoginFailure.locked_until <= at,
                    and_(
                        LoginFailure.locked_until.is_(None), LoginFailure.window_start < at - window
                    ),
                ),
            )
            .values(failures=0, window_start=at, locked_until=None)
        )
        known = session.execute(select(LoginFailure.last_success_at).where(key)).scalar()
        if known is None and account_max_failures > 0:
            total = session.scalar(
                select(func.coalesce(func.sum(LoginFailure.failures), 0)).where(
                    LoginFailure.username == username,
                    or_(LoginFailure.locked_until > at, LoginFailure.window_start >= at - window),
                )
            )
            if int(total or 0) >= account_max_failures:
                return LoginVerdict(False, window_s, account_wide=True)
        taken = session.execute(
            update(LoginFailure)
            .where(key, LoginFailure.failures < max_failures)
            .values(
                failures=LoginFailure.failures + 1,
                locked_until=case(
                    (LoginFailure.failures + 1 >= max_failures, at + window), else_=None
                ),
            )
            .execution_options(synchronize_session=False)
        )
        if _rowcount(taken) == 1:
            verdict = LoginVerdict(True)
        else:
            until = session.execute(select(LoginFailure.locked_until).where(key)).scalar()
            verdict = LoginVerdict(False, _seconds_until(until, at, window_s))
    if secrets.randbelow(16) == 0:
        _prune(sessions, at, window)
    return verdict


KNOWN_SOURCE_DAYS = 180
"""How long a source the owner logged in from stays known without a new success."""


def _prune(sessions: sessionmaker[Session], at: datetime, window: timedelta) -> None:
    """Forget rows with nothing to remember (best effort, its own transaction)."""
    idle = and_(
        LoginFailure.window_start < at - window,
        or_(LoginFailure.locked_until.is_(None), LoginFailure.locked_until < at),
    )
    forgotten = or_(
        LoginFailure.last_success_at.is_(None),
        LoginFailure.last_success_at < at - timedelta(days=KNOWN_SOURCE_DAYS),
    )
    try:
        with sessions() as session, session.begin():
            session.execute(
                delete(LoginFailure)
                .where(idle, forgotten)
                .execution_options(synchronize_session=False)
            )
    except DBAPIError as exc:  # a concurrent prune or a busy database: next time
        log.info("pruning login counters skipped: %s", type(exc).__name__)


def login_succeeded(sessions: sessionmaker[Session], username: str, source: str) -> None:
    """The password was right: clear the source's failures and remember it as the owner's."""
    at = now()
    with sessions() as session, session.begin():
        session.execute(
            update(LoginFailure)
            .where(_key(username, source))
            .values(failures=0, window_start=at, locked_until=None, last_success_at=at)
            .execution_options(synchronize_session=False)
        )


def unlock_account(session: Session, username: str) -> int:
    """Lift every lockout of ``username`` (sources stay known). Returns the sources unlocked."""
    at = now()
    result = session.execute(
        update(LoginFailure)
        .where(
            LoginFailure.username == username,
            or_(LoginFailure.failures > 0, LoginFailure.locked_until.is_not(None)),
        )
        .values(failures=0, window_start=at, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


# --- ending sessions ------------------------------------------------------------------------


def revoke_device(session: Session, device: Device) -> None:
    """Revoke ``device``: its tokens stop working, its next request answers 410 (wipe)."""
    device.revoked_at = device.revoked_at or now()
    session.execute(
        update(Token)
        .where(Token.device_id == device.id)
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class SessionsEnded:
    """What :func:`end_sessions` did: live sign-ins ended, devices revoked."""

    sessions: int
    devices: int


def end_sessions(session: Session, user_id: int, *, devices: bool = True) -> SessionsEnded:
    """End every sign-in of an account (password reset, deactivation).

    Every token of the account is revoked. With ``devices``, every enrolled device of it is
    revoked too: each answers 410 at its next request and wipes its store (unsynced work
    included), and its id can never log in again.

    Returns:
        The live sessions (unspent, unexpired refresh tokens) ended and the devices revoked.
    """
    at = now()
    live = session.scalar(
        select(func.count())
        .select_from(Token)
        .where(
            Token.user_id == user_id,
            Token.kind == "refresh",
            Token.revoked.is_(False),
            Token.spent_at.is_(None),
            Token.expires_at > at,
        )
    )
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    revoked = 0
    if devices:
        result = session.execute(
            update(Device)
            .where(Device.user_id == user_id, Device.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        revoked = _rowcount(result)
    return SessionsEnded(int(live or 0), revoked)


# --- account administration (CLI and admin API) -------------------------------------------


@dataclass(frozen=True)
class AccountChange:
    """What an account operation did."""

    username: str
    active: bool
    sessions_ended: int = 0
    devices_revoked: int = 0
    sources_unlocked: int = 0


def _audit(
    session: Session, actor: str, action: str, subject: str, kind: str = "account", **details: int
) -> None:
    # Imported here: the audit log verifies signatures with this module's helpers.
    from platform_server import audit_log

    audit_log.append(
        session,
        actor=actor,
        action=action,
        subject_type=kind,
        subject_id=subject,
        details=dict(details),
    )


def deactivate_account(session: Session, user: User, actor: str) -> AccountChange:
    """Deactivate ``user``: no login, every session ended, every device revoked (it wipes)."""
    user.active = False
    ended = end_sessions(session, user.id, devices=True)
    _audit(
        session,
        actor,
        "account.deactivated",
        user.username,
        sessions_ended=ended.sessions,
        devices_revoked=ended.devices,
    )
    return AccountChange(user.username, False, ended.sessions, ended.devices)


def activate_account(session: Session, user: User, actor: str) -> AccountChange:
    """Let ``user`` log in again (revoked devices stay revoked: a new one enrols)."""
    was = user.active
    user.active = True
    if not was:
        _audit(session, actor, "account.activated", user.username)
    return AccountChange(user.username, True)


def unlock_login(session: Session, user: User, actor: str) -> AccountChange:
    """Lift every login lockout of ``user``."""
    unlocked = unlock_account(session, user.username)
    _audit(session, actor, "account.unlocked", user.username, sources_unlocked=unlocked)
    return AccountChange(user.username, user.active, sources_unlocked=unlocked)


def reset_password(
    session: Session, user: User, password: str, actor: str, *, keep_devices: bool = False
) -> AccountChange:
    """Set a new password (the caller checked the policy) and end every session of ``user``.

    Every device is revoked too unless ``keep_devices`` (then each must log in again with the
    new password, keeping its unsynced work). Login lockouts are lifted.
    """
    user.password_hash = hash_password(password)
    ended = end_sessions(session, user.id, devices=not keep_devices)
    unlocked = unlock_account(session, user.username)
    _audit(
        session,
        actor,
        "account.password_reset",
        user.username,
        sessions_ended=ended.sessions,
        devices_revoked=ended.devices,
    )
    return AccountChange(user.username, user.active, ended.sessions, ended.devices, unlocked)


def revoke_device_by(session: Session, device: Device, actor: str) -> None:
    """Revoke ``device`` (see :func:`revoke_device`) and audit-log it once."""
    if device.revoked_at is None:
        _audit(session, actor, "device.revoked", device.id, "device", user_id=device.user_id)
    revoke_device(session, device)
