"""Device identity and login: the device key lives in the encrypted store, tokens in the keyring.

* The device id (a UUID) and its Ed25519 private key are made on the device at first use and
  kept in ``sync_state`` — inside the SQLCipher database, never as a plain file. The public
  key is enrolled by the first login; the platform later verifies report signatures with it.
* Access and refresh tokens go to the OS keyring (service ``credit-desk``, user
  ``tokens:<profile_id>``): never into the database, never into a log line.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import uuid
from dataclasses import dataclass

import keyring
import keyring.errors
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from desktop_app.services.actor import DISPLAY_NAME_KEY
from desktop_app.services.offline import ROLE_KEY
from desktop_app.store.database import Store
from desktop_app.store.outbox import SyncStateRepo
from sync.errors import AuthError
from sync.events import EventSink, SyncEvent
from sync.protocol import LoginRequest, TokenPair, UserInfo
from sync.transport import Transport

log = logging.getLogger(__name__)

KEYRING_SERVICE = "credit-desk"
DEVICE_ID_KEY = "device_id"
DEVICE_KEY_KEY = "device_private_key"

__all__ = ["DeviceIdentity", "TokenVault", "login", "restore_session"]


@dataclass(frozen=True)
class DeviceIdentity:
    """This device's id and Ed25519 key pair."""

    device_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key_b64(self) -> str:
        """The raw 32-byte public key, base64 (the form the platform enrols)."""
        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    @classmethod
    def load_or_create(cls, store: Store) -> DeviceIdentity:
        """The device identity kept in ``store``, made (and saved) on first use."""
        with store.write() as session:
            state = SyncStateRepo(session)
            device_id = state.get(DEVICE_ID_KEY)
            encoded = state.get(DEVICE_KEY_KEY)
            if device_id and encoded:
                key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded))
                return cls(device_id, key)
            device_id = uuid.uuid4().hex
            key = Ed25519PrivateKey.generate()
            raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            state.set(DEVICE_ID_KEY, device_id)
            state.set(DEVICE_KEY_KEY, base64.b64encode(raw).decode())
            log.info("new device identity %s", device_id)
            return cls(device_id, key)


class TokenVault:
    """The token pair of one profile in the OS keyring.

    Args:
        profile_id: Distinguishes profiles (and test stores) on one machine.
    """

    def __init__(self, profile_id: str) -> None:
        self._user = f"tokens:{profile_id}"

    def save(self, pair: TokenPair) -> None:
        """Remember ``pair``.

        Raises:
            AuthError: The keyring refused (the tokens are then kept for this session only).
        """
        value = json.dumps({"access": pair.access_token, "refresh": pair.refresh_token})
        try:
            keyring.set_password(KEYRING_SERVICE, self._user, value)
        except keyring.errors.KeyringError as exc:
            raise AuthError(
                f"keyring write failed: {type(exc).__name__}",
                user_message="无法把登录凭据保存到系统密钥环，下次启动需要重新登录。",
            ) from exc

    def load(self) -> tuple[str, str] | None:
        """``(access, refresh)``, or None when nothing is stored or the keyring is unusable."""
        try:
            value = keyring.get_password(KEYRING_SERVICE, self._user)
        except keyring.errors.KeyringError:
            return None
        if not value:
            return None
        try:
            data = json.loads(value)
            return str(data["access"]), str(data["refresh"])
        except (ValueError, KeyError, TypeError):
            return None

    def clear(self) -> None:
        """Forget the tokens (logout, revoked device)."""
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(KEYRING_SERVICE, self._user)


def _wire(transport: Transport, vault: TokenVault) -> None:
    # Every refreshed pair replaces the stored one: the old refresh token is spent.
    transport.on_tokens = vault.save


def login(
    store: Store,
    transport: Transport,
    vault: TokenVault,
    username: str,
    password: str,
    *,
    device_name: str = "",
    on_event: EventSink | None = None,
) -> UserInfo:
    """Log in from this device, enrolling it on first login, and keep the tokens.

    Args:
        store: The open store (holds the device identity).
        transport: The platform connection; it keeps using the new tokens.
        vault: Where the tokens go.
        username: Platform account.
        password: Its password (never stored).
        device_name: Shown to administrators in the device list.
        on_event: Receives a ``login`` event when done.

    Raises:
        AuthError: Wrong credentials, or the device is enrolled elsewhere.
        DeviceRevoked: This device was revoked.
        Offline: The platform is unreachable.
    """
    identity = DeviceIdentity.load_or_create(store)
    _wire(transport, vault)
    pair = transport.login(
        LoginRequest(
            username=username,
            password=password,
            device_id=identity.device_id,
            device_public_key=identity.public_key_b64,
            device_name=device_name[:128],
        )
    )
    with store.write() as session:
        # The role decides what the UI offers (离线准备 for inspectors) without the network.
        SyncStateRepo(session).set(ROLE_KEY, pair.user.role.value)
        # The 经办人 on forms and letters, known offline after a restart (services.actor).
        SyncStateRepo(session).set(DISPLAY_NAME_KEY, pair.user.display_name)
    if on_event is not None:
        on_event(SyncEvent("login", 1, 1, 0))
    return pair.user


def restore_session(store: Store, transport: Transport, vault: TokenVault) -> bool:
    """Give ``transport`` the stored tokens of this profile.

    Returns:
        Whether tokens were found (False: the user must log in).
    """
    tokens = vault.load()
    if tokens is None:
        return False
    identity = DeviceIdentity.load_or_create(store)
    transport.set_tokens(identity.device_id, *tokens)
    _wire(transport, vault)
    return True
