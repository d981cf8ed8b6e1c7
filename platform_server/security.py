"""Passwords (Argon2id), opaque bearer tokens, device keys and login rate limiting."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from platform_server.models import LoginFailure, Token

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


def recent_failures(
    session: Session, username: str, window_s: int, address: str | None = None
) -> int:
    """Failed logins for ``username`` within the window (from ``address`` only, when given)."""
    since = now() - timedelta(seconds=window_s)
    stmt = select(func.count()).select_from(LoginFailure)
    stmt = stmt.where(LoginFailure.username == username, LoginFailure.at >= since)
    if address is not None:
        stmt = stmt.where(LoginFailure.address == address[:64])
    return int(session.scalar(stmt) or 0)


def record_failure(session: Session, username: str, address: str, window_s: int) -> None:
    """Remember a failed login; forget those older than the window."""
    session.execute(
        delete(LoginFailure).where(LoginFailure.at < now() - timedelta(seconds=window_s))
    )
    session.add(LoginFailure(username=username, address=address[:64], at=now()))
