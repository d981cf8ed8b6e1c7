"""Device identity and login: the device key lives in the encrypted store, tokens beside the key.

* The device id (a UUID) and its Ed25519 private key are made on the device at first use and
  kept in ``sync_state`` — inside the SQLCipher database, never as a plain file. The public
  key is enrolled by the first login; the platform later verifies report signatures with it.
* Access and refresh tokens are kept where the store's own key is kept
  (:meth:`TokenVault.for_profile`): in the OS keyring (service ``credit-desk``, user
  ``tokens:<profile_id>``) when the keyring holds the store key; inside the encrypted store
  (``sync_state``, like the device key) when the key comes from a passphrase, so the same
  passphrase protects them and a restart needs only that passphrase. When a keyring refuses a
  write, the pair goes to the store rather than failing the login. Tokens never reach a log
  line or a plain file.
* The platform binds refresh to the device key: :func:`login` and :func:`restore_session` give
  the transport the device's signer, and every refresh is signed with it, so a refresh token
  copied off this machine does not work from anywhere else.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
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

from desktop_app.config import ProfilePaths
from desktop_app.store.database import Store
from desktop_app.store.keys import KeyHeader
from desktop_app.store.models import SyncState
from desktop_app.store.outbox import SyncStateRepo
from desktop_app.store.state_keys import DISPLAY_NAME_KEY, ROLE_KEY
from sync.errors import AuthError
from sync.events import EventSink, SyncEvent
from sync.protocol import LoginRequest, TokenPair, UserInfo
from sync.transport import Transport

log = logging.getLogger(__name__)

KEYRING_SERVICE = "credit-desk"
DEVICE_ID_KEY = "device_id"
DEVICE_KEY_KEY = "device_private_key"
TOKENS_KEY = "auth_tokens"

__all__ = ["DeviceIdentity", "TokenVault", "login", "profile_token_id", "restore_session"]


def profile_token_id(paths: ProfilePaths) -> str:
    """A stable id of one profile folder, naming its tokens in the keyring."""
    return hashlib.sha256(str(paths.data_dir).encode()).hexdigest()[:16]


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

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message`` by this device's key (token refresh, reports)."""
        return self.private_key.sign(message)

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
    """The token pair of one profile: in the OS keyring, or inside the encrypted store.

    Use :meth:`for_profile`, which keeps the tokens where the store key is kept. Every method
    that touches the store runs one short unit of work on the calling thread's own connection
    (SQLCipher connections are per thread): in the app, the database worker for login, restore
    and logout, and the sync worker for the transport's ``on_tokens`` after a refresh. Neither
    calls the transport inside a unit of work, so these never nest; WAL and the busy timeout
    let the two threads' short writes take turns.

    Args:
        profile_id: Names the keyring entry (distinguishes profiles and test stores).
        store: The profile's open store; holds the pair when the keyring is not used, or
            refused a write. None: keyring only (a keyring failure is then an error).
        use_keyring: Whether the pair goes to the keyring first.
    """

    def __init__(self, profile_id: str, store: Store | None = None, *, use_keyring: bool = True):
        self._user = f"tokens:{profile_id}"
        self._store = store
        self._use_keyring = use_keyring or store is None

    @classmethod
    def for_profile(cls, paths: ProfilePaths, store: Store) -> TokenVault:
        """The vault the app uses for the open profile ``paths``.

        The key header says where the store key lives: with a keyring-kept key the tokens go
        to the keyring too; with a passphrase-derived key (no secure keyring) they stay in
        the encrypted store, protected by that passphrase.
        """
        header = KeyHeader.load(paths.key_header)
        use_keyring = header is not None and header.source == "keyring"
        return cls(profile_token_id(paths), store, use_keyring=use_keyring)

    @property
    def in_store(self) -> bool:
        """Whether the store holds the current pair (passphrase profile, or keyring fallback)."""
        return self._store_get() is not None

    def save(self, pair: TokenPair) -> None:
        """Remember ``pair`` (it replaces the previous one, whose refresh token is spent).

        Raises:
            AuthError: Keyring only, and the keyring refused (the tokens are then kept for
                this session only).
        """
        value = json.dumps({"access": pair.access_token, "refresh": pair.refresh_token})
        if self._use_keyring:
            try:
                keyring.set_password(KEYRING_SERVICE, self._user, value)
            except keyring.errors.KeyringError as exc:
                if self._store is None:
                    raise AuthError(
                        f"keyring write failed: {type(exc).__name__}",
                        user_message="无法把登录凭据保存到系统密钥环，下次启动需要重新登录。",
                    ) from exc
                # The store is encrypted with the keyring-kept key: as safe a place, and a
                # login that works beats one that fails on a flaky keyring.
                log.warning(
                    "keyring write failed (%s); login tokens kept in the encrypted store",
                    type(exc).__name__,
                )
            else:
                if self.in_store:
                    # A copy from an earlier fallback holds a spent refresh token now.
                    self._store_set(None)
                return
        self._store_set(value)

    def load(self) -> tuple[str, str] | None:
        """``(access, refresh)``, or None when nothing is stored or the keyring is unusable."""
        # A store copy exists only when it is the newest pair (see save), so it wins.
        value = self._store_get()
        if value is None and self._use_keyring:
            try:
                value = keyring.get_password(KEYRING_SERVICE, self._user)
            except keyring.errors.KeyringError:
                value = None
        if not value:
            return None
        try:
            data = json.loads(value)
            return str(data["access"]), str(data["refresh"])
        except (ValueError, KeyError, TypeError):
            return None

    def clear(self) -> None:
        """Forget the tokens in both places (logout, revoked device)."""
        # Whatever the profile's mode: a keyring entry left by an earlier mode goes too.
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(KEYRING_SERVICE, self._user)
        self._store_set(None)

    def _store_get(self) -> str | None:
        if self._store is None:
            return None
        with self._store.read() as session:
            return SyncStateRepo(session).get(TOKENS_KEY)

    def _store_set(self, value: str | None) -> None:
        if self._store is None:
            return
        with self._store.write() as session:
            if value is not None:
                SyncStateRepo(session).set(TOKENS_KEY, value)
            else:
                row = session.get(SyncState, TOKENS_KEY)
                if row is not None:
                    session.delete(row)


def _wire(transport: Transport, vault: TokenVault, identity: DeviceIdentity) -> None:
    # Every refreshed pair replaces the stored one: the old refresh token is spent.
    transport.on_tokens = vault.save
    # The platform takes a refresh only when signed by the key this device enrolled.
    transport.signer = identity.sign


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
    _wire(transport, vault, identity)
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
    _wire(transport, vault, identity)
    return True
