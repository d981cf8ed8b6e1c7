"""Where the store's 256-bit key comes from: the OS keyring, or a passphrase.

The key is 32 random bytes made on first run and kept in the OS keyring. On a machine whose
keyring is not secure (keyring's ``fail``/``null`` backends, or a plaintext one such as
``keyrings.alt``) the user gives a passphrase and the key is derived with scrypt. Either way a
small, non-secret header file beside the database says which, and holds the KDF's salt and
parameters; the key itself is never written to disk.

Rotation is crash-safe: the new key (or the new KDF parameters) is recorded as *pending*
before ``PRAGMA rekey`` and promoted afterwards, so whichever key the file holds after a crash,
one of the two recorded ones opens it.

When the client locks itself after a while idle, a keyring profile is unlocked again with the
password of the OS account (:func:`os_account_check`: PAM, or ``LogonUserW`` on Windows), and a
passphrase profile with its passphrase.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import ctypes.util
import getpass
import hashlib
import json
import logging
import os
import secrets
import sys
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from desktop_app.config import write_atomic
from desktop_app.store.errors import KeyUnavailableError, StoreError

if TYPE_CHECKING:
    import keyring.backend

# keyring is imported where it is used: importing it (and finding its backends) costs about a
# tenth of a second, which a passphrase profile's start-up need not pay before its first window.

log = logging.getLogger(__name__)
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
    import keyring

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
        import keyring.errors

        try:
            value = keyring.get_password(KEYRING_SERVICE, user)
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailableError(f"无法读取系统密钥环：{exc}。请检查系统设置后重试。") from exc
        return bytes.fromhex(value) if value else None

    @staticmethod
    def _set(user: str, key: bytes) -> None:
        import keyring.errors

        try:
            keyring.set_password(KEYRING_SERVICE, user, key.hex())
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailableError(f"无法写入系统密钥环：{exc}。请检查系统设置后重试。") from exc

    @staticmethod
    def _delete(user: str) -> None:
        import keyring.errors

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


# -- the OS account check (unlocking a keyring profile after the client locked itself) -----


class AccountCheck(Protocol):
    """Checks the password of the OS account the client runs under."""

    @property
    def user(self) -> str:
        """The account's name, as the lock prompt shows it."""
        ...

    def available(self) -> bool:
        """Whether this machine can check the password at all."""
        ...

    def verify(self, password: str) -> bool:
        """Whether ``password`` is the account's password (slow on purpose when it is not)."""
        ...


def _os_user() -> str:
    for name in ("USERNAME", "USER", "LOGNAME"):
        value = os.environ.get(name)
        if value:
            return value
    try:
        return getpass.getuser()
    except Exception:  # no name at all (a container without passwd entry)
        return ""


class NoAccountCheck:
    """A machine where the OS account's password cannot be checked: unlocking needs a restart."""

    @property
    def user(self) -> str:
        """The account's name."""
        return _os_user()

    def available(self) -> bool:
        """Never."""
        return False

    def verify(self, password: str) -> bool:
        """Never: nothing can check it."""
        return False


PAM_SERVICE = "login"
_PAM_SUCCESS = 0
_PAM_BUF_ERR = 5
_PAM_CONV_ERR = 19
_PAM_PROMPT_ECHO_OFF = 1
_PAM_PROMPT_ECHO_ON = 2


class _PamMessage(ctypes.Structure):
    _fields_ = [("msg_style", ctypes.c_int), ("msg", ctypes.c_char_p)]


class _PamResponse(ctypes.Structure):
    _fields_ = [("resp", ctypes.c_void_p), ("resp_retcode", ctypes.c_int)]


_PamConvFunc = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.c_int,
    ctypes.POINTER(ctypes.POINTER(_PamMessage)),
    ctypes.POINTER(ctypes.POINTER(_PamResponse)),
    ctypes.c_void_p,
)


class _PamConv(ctypes.Structure):
    _fields_ = [("conv", _PamConvFunc), ("appdata_ptr", ctypes.c_void_p)]


class PamAccountCheck:
    """The OS account's password checked through PAM (Linux, macOS), as a screen locker does.

    Args:
        service: The PAM service whose ``auth`` and ``account`` stacks decide (``login``).
        user: The account; default: the one the client runs under.
    """

    def __init__(self, service: str = PAM_SERVICE, user: str | None = None) -> None:
        self.service = service
        self._user = user if user is not None else _os_user()
        self._pam: Any = None
        self._libc: Any = None
        pam_name = ctypes.util.find_library("pam")
        libc_name = ctypes.util.find_library("c")
        if pam_name and libc_name and self._user:
            try:
                self._pam = ctypes.CDLL(pam_name)
                self._libc = ctypes.CDLL(libc_name)
            except OSError:
                self._pam = self._libc = None
        if self._pam is not None:
            self._pam.pam_start.argtypes = [
                ctypes.c_char_p,
                ctypes.c_char_p,
                ctypes.POINTER(_PamConv),
                ctypes.POINTER(ctypes.c_void_p),
            ]
            self._pam.pam_start.restype = ctypes.c_int
            for name in ("pam_authenticate", "pam_acct_mgmt", "pam_end"):
                getattr(self._pam, name).argtypes = [ctypes.c_void_p, ctypes.c_int]
                getattr(self._pam, name).restype = ctypes.c_int
            self._libc.calloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
            self._libc.calloc.restype = ctypes.c_void_p
            self._libc.strdup.argtypes = [ctypes.c_char_p]
            self._libc.strdup.restype = ctypes.c_void_p

    @property
    def user(self) -> str:
        """The account's name."""
        return self._user

    def available(self) -> bool:
        """Whether libpam could be loaded."""
        return self._pam is not None

    def verify(self, password: str) -> bool:
        """Run the service's ``auth`` and ``account`` stacks with ``password``."""
        if self._pam is None or not password:
            return False
        secret = password.encode("utf-8")
        libc = self._libc

        def converse(count: int, messages: Any, responses: Any, _data: Any) -> int:
            block = libc.calloc(count, ctypes.sizeof(_PamResponse))
            if not block:
                return _PAM_BUF_ERR
            responses[0] = ctypes.cast(block, ctypes.POINTER(_PamResponse))
            for i in range(count):
                style = messages[i].contents.msg_style
                if style in (_PAM_PROMPT_ECHO_OFF, _PAM_PROMPT_ECHO_ON):
                    # PAM frees each answer with free(): it must come from the C heap.
                    responses[0][i].resp = libc.strdup(secret)
                    responses[0][i].resp_retcode = 0
            return _PAM_SUCCESS

        conv = _PamConv(_PamConvFunc(converse), None)
        handle = ctypes.c_void_p()
        result = self._pam.pam_start(
            self.service.encode(), self._user.encode(), ctypes.byref(conv), ctypes.byref(handle)
        )
        if result != _PAM_SUCCESS:
            log.warning("PAM could not start (%d)", result)
            return False
        try:
            result = self._pam.pam_authenticate(handle, 0)
            if result == _PAM_SUCCESS:
                result = self._pam.pam_acct_mgmt(handle, 0)
        finally:
            self._pam.pam_end(handle, result)
        return bool(result == _PAM_SUCCESS)


class WindowsAccountCheck:
    """The Windows account's password checked with ``LogonUserW`` (an interactive logon test)."""

    def __init__(self) -> None:
        self._user = os.environ.get("USERNAME", "")
        self._domain = os.environ.get("USERDOMAIN", ".")

    @property
    def user(self) -> str:
        """The account as ``DOMAIN`` backslash ``name``."""
        return f"{self._domain}\\{self._user}" if self._domain else self._user

    def available(self) -> bool:
        """Whether this is Windows and the account's name is known."""
        return sys.platform == "win32" and bool(self._user)

    def verify(self, password: str) -> bool:
        """Try an interactive logon of the account with ``password`` (the token is closed)."""
        if not password or not self.available():
            return False
        if sys.platform == "win32":  # for the type checker: WinDLL exists only there
            from ctypes import wintypes

            advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            token = wintypes.HANDLE()
            logon_interactive, provider_default = 2, 0
            ok = advapi32.LogonUserW(
                self._user,
                self._domain,
                password,
                logon_interactive,
                provider_default,
                ctypes.byref(token),
            )
            if ok:
                kernel32.CloseHandle(token)
            return bool(ok)
        return False


def os_account_check() -> AccountCheck:
    """The OS account check of this machine (:class:`NoAccountCheck` where there is none)."""
    if sys.platform == "win32":
        return WindowsAccountCheck()
    pam = PamAccountCheck()
    return pam if pam.available() else NoAccountCheck()
