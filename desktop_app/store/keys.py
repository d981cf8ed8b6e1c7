"""Where the store's 256-bit key comes from: the OS keyring, or a passphrase.

The key is 32 random bytes made on first run and kept in the OS keyring. On a machine whose
keyring is not secure (keyring's ``fail``/``null`` backends, or a plaintext one such as
``keyrings.alt``) the user gives a passphrase and the key is derived with scrypt. Either way a
small, non-secret header file beside the database says which, and holds the KDF's salt and
parameters; the key itself is never written to disk.

Rotation is crash-safe: the new key (or the new KDF parameters) is recorded as *pending*
before ``PRAGMA rekey`` and promoted afterwards, so whichever key the file holds after a crash,
one of the two recorded ones opens it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.backend
import keyring.errors

from desktop_app.config import write_atomic
from desktop_app.store.errors import KeyUnavailableError, StoreError

KEY_BYTES = 32
KEYRING_SERVICE = "credit-desk"
HEADER_FORMAT = 1
MIN_PASSPHRASE_LENGTH = 8

KeySource = Literal["keyring", "passphrase"]

_INSECURE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters of a passphrase-derived key (stored; not secret)."""

    salt: bytes
    n: int = 2**15
    r: int = 8
    p: int = 1
    algorithm: str = "scrypt"

    @classmethod
    def fresh(cls) -> KdfParams:
        """New parameters with a random 16-byte salt."""
        return cls(salt=secrets.token_bytes(16))

    def derive(self, passphrase: str) -> bytes:
        """Derive the 32-byte store key from ``passphrase``.

        Args:
            passphrase: What the user typed.

        Returns:
            The raw key.
        """
        if self.algorithm != "scrypt":
            raise StoreError(f"不支持的密钥派生算法：{self.algorithm}。请升级本软件。")
        return hashlib.scrypt(
            passphrase.encode("utf-8"),
            salt=self.salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=256 * 1024 * 1024,
            dklen=KEY_BYTES,
        )

    def to_json(self) -> dict[str, Any]:
        """Serialisable form for the header file."""
        return {
            "algorithm": self.algorithm,
            "salt": base64.b64encode(self.salt).decode(),
            "n": self.n,
            "r": self.r,
            "p": self.p,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KdfParams:
        """Parse the header form."""
        return cls(
            salt=base64.b64decode(raw["salt"]),
            n=int(raw["n"]),
            r=int(raw["r"]),
            p=int(raw["p"]),
            algorithm=str(raw["algorithm"]),
        )


@dataclass(frozen=True)
class KeyHeader:
    """The non-secret file beside the database saying how its key is obtained."""

    profile_id: str
    source: KeySource
    kdf: KdfParams | None = None
    pending_kdf: KdfParams | None = None
    created_at: str = ""

    @classmethod
    def new(cls, source: KeySource) -> KeyHeader:
        """A header for a new profile."""
        return cls(
            profile_id=uuid.uuid4().hex,
            source=source,
            kdf=KdfParams.fresh() if source == "passphrase" else None,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    @classmethod
    def load(cls, path: Path) -> KeyHeader | None:
        """Read the header, or None when the profile has none yet."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"密钥头文件 {path} 已损坏，无法读取（{exc}）。请联系管理员，不要删除数据库文件。"
            ) from exc
        if raw.get("format") != HEADER_FORMAT:
            raise StoreError(f"密钥头文件 {path} 的格式版本不受支持。请升级本软件。")
        return cls(
            profile_id=str(raw["profile_id"]),
            source=raw["source"],
            kdf=KdfParams.from_json(raw["kdf"]) if raw.get("kdf") else None,
            pending_kdf=KdfParams.from_json(raw["pending_kdf"]) if raw.get("pending_kdf") else None,
            created_at=str(raw.get("created_at", "")),
        )

    def save(self, path: Path) -> None:
        """Write the header atomically."""
        raw: dict[str, Any] = {
            "format": HEADER_FORMAT,
            "profile_id": self.profile_id,
            "source": self.source,
            "created_at": self.created_at,
            "kdf": self.kdf.to_json() if self.kdf else None,
            "pending_kdf": self.pending_kdf.to_json() if self.pending_kdf else None,
        }
        write_atomic(path, json.dumps(raw, indent=2).encode())

    def with_pending(self, kdf: KdfParams | None) -> KeyHeader:
        """Copy with a pending KDF (a passphrase change in progress)."""
        return replace(self, pending_kdf=kdf)

    def promoted(self) -> KeyHeader:
        """Copy with the pending KDF made current."""
        return replace(self, kdf=self.pending_kdf, pending_kdf=None)


def keyring_is_secure(backend: keyring.backend.KeyringBackend | None = None) -> bool:
    """Whether the active keyring backend keeps secrets safely.

    keyring's ``fail`` and ``null`` backends keep nothing, and ``keyrings.alt`` backends keep
    secrets in files that are plaintext or protected only by a password we would have to ask
    for anyway. A chainer is secure when any of its backends is.

    Args:
        backend: The backend to judge; the active one when omitted.
    """
    backend = backend or keyring.get_keyring()
    children = getattr(backend, "backends", None)
    if isinstance(children, list | tuple):
        return any(keyring_is_secure(child) for child in children)
    module = type(backend).__module__
    if module.startswith(_INSECURE_BACKEND_MODULES):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority raises is unusable
        return False


class KeyringSlots:
    """The current and pending store keys of one profile in the OS keyring."""

    def __init__(self, profile_id: str) -> None:
        self._user = f"store-key:{profile_id}"
        self._pending_user = f"store-key-pending:{profile_id}"

    def current(self) -> bytes | None:
        """The current key, or None when the keyring has none for this profile."""
        return self._get(self._user)

    def pending(self) -> bytes | None:
        """A key recorded before a rotation that may not have finished."""
        return self._get(self._pending_user)

    def set_current(self, key: bytes) -> None:
        """Record the current key."""
        self._set(self._user, key)

    def set_pending(self, key: bytes) -> None:
        """Record the key a rotation is about to switch to."""
        self._set(self._pending_user, key)

    def clear_pending(self) -> None:
        """Forget the pending key (after the rotation is promoted)."""
        self._delete(self._pending_user)

    def delete_all(self) -> None:
        """Forget both keys (used when a profile is wiped)."""
        self._delete(self._user)
        self._delete(self._pending_user)

    @staticmethod
    def _get(user: str) -> bytes | None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, user)
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailableError(f"无法读取系统密钥环：{exc}。请检查系统设置后重试。") from exc
        return bytes.fromhex(value) if value else None

    @staticmethod
    def _set(user: str, key: bytes) -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, user, key.hex())
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailableError(f"无法写入系统密钥环：{exc}。请检查系统设置后重试。") from exc

    @staticmethod
    def _delete(user: str) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, user)


def new_random_key() -> bytes:
    """32 bytes from the OS CSPRNG."""
    return secrets.token_bytes(KEY_BYTES)


def check_passphrase_strength(passphrase: str) -> str | None:
    """Return a Chinese reason why ``passphrase`` is too weak, or None when it will do."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return f"密码至少需要 {MIN_PASSPHRASE_LENGTH} 个字符。"
    if passphrase.strip() != passphrase:
        return "密码首尾不能是空格。"
    if len(set(passphrase)) < 4:
        return "密码过于简单，请混合使用不同的字符。"
    return None
