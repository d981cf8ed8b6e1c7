"""Token refresh is bound to the device key: the real client against a REAL platform process.

The client (``sync.credentials.login`` + ``sync.transport.Transport``) signs every refresh
with the Ed25519 key it enrolled at login. A refresh token copied off the machine — into a
client without a key (an old client) or signed with another key — is refused, and the latter
ends the device's sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.database import Store
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity, TokenVault, login, restore_session
from sync.errors import AuthError
from sync.transport import Transport
from tests.sync.conftest import LiveServer

ACCOUNT = "inspector.lucheng.1"


class Laptop:
    """A logged-in profile."""

    def __init__(self, server: LiveServer, folder: Path) -> None:
        self.store: Store = StoreUnlocker(ProfilePaths(folder)).unlock()
        self.vault = TokenVault(folder.name)
        self.transport = Transport(server.url, backoff_base=0.01, max_attempts=2)
        login(self.store, self.transport, self.vault, ACCOUNT, DEMO_PASSWORD)
        self.identity = DeviceIdentity.load_or_create(self.store)

    def tokens(self) -> tuple[str, str]:
        stored = self.vault.load()
        assert stored is not None
        return stored

    def close(self) -> None:
        self.transport.close()
        self.store.close()


@pytest.fixture
def laptop(live_server: LiveServer, tmp_path: Path) -> Iterator[Laptop]:
    device = Laptop(live_server, tmp_path / "laptop")
    yield device
    device.close()


def copied(server: LiveServer, laptop: Laptop) -> Transport:
    """A transport holding the laptop's tokens, as someone who copied them would."""
    thief = Transport(server.url, backoff_base=0.01, max_attempts=2)
    thief.set_tokens(laptop.identity.device_id, *laptop.tokens())
    return thief


def test_the_client_signs_its_refreshes(laptop: Laptop, tmp_path: Path) -> None:
    first = laptop.transport.refresh()
    assert laptop.tokens() == (first.access_token, first.refresh_token)
    second = laptop.transport.refresh()
    assert second.refresh_token != first.refresh_token
    # After a restart the restored session signs too.
    again = Transport(laptop.transport.base_url, backoff_base=0.01, max_attempts=2)
    try:
        assert restore_session(laptop.store, again, laptop.vault)
        assert again.refresh().user.username == ACCOUNT
    finally:
        again.close()


def test_a_copied_refresh_token_without_the_key_is_refused(
    live_server: LiveServer, laptop: Laptop
) -> None:
    thief = copied(live_server, laptop)
    try:
        with pytest.raises(AuthError) as refused:
            thief.refresh()
        assert "升级" in refused.value.user_message
    finally:
        thief.close()
    # Nothing was spent: the laptop itself refreshes as usual.
    assert laptop.transport.refresh().user.username == ACCOUNT


def test_a_copied_refresh_token_signed_with_another_key_ends_the_sessions(
    live_server: LiveServer, laptop: Laptop
) -> None:
    thief = copied(live_server, laptop)
    thief.signer = Ed25519PrivateKey.generate().sign
    try:
        with pytest.raises(AuthError) as refused:
            thief.refresh()
        assert "已注销本设备的登录" in refused.value.user_message
    finally:
        thief.close()
    # The laptop's copy is dead too: the owner logs in again with the password, and is fine.
    with pytest.raises(AuthError):
        laptop.transport.refresh()
    login(laptop.store, laptop.transport, laptop.vault, ACCOUNT, DEMO_PASSWORD)
    assert laptop.transport.refresh().user.username == ACCOUNT
