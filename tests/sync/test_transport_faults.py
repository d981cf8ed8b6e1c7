"""Answers cut mid-body and refresh answers lost on the way, between a client and a REAL platform.

The client talks to the platform process (``live_server``) through the fault-injecting proxy
(:mod:`tests.sync.faultproxy`), which is told exactly which requests to break.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.entities import EntityRepository
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity, TokenVault, login
from sync.engine import SyncEngine
from sync.errors import Offline
from sync.transport import Transport
from tests.sync.conftest import LiveServer
from tests.sync.faultproxy import FaultProxy
from tests.sync.helpers import create_form, server_count
from tests.sync.test_engine import WINDOW_A, commitment


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    parts = urlsplit(live_server.url)
    assert parts.hostname is not None and parts.port is not None
    with FaultProxy((parts.hostname, parts.port), faults=False) as p:
        yield p


class Client:
    """A logged-in profile whose every request goes through the proxy."""

    def __init__(self, proxy: FaultProxy, folder: Path) -> None:
        self.store = StoreUnlocker(ProfilePaths(folder)).unlock()
        self.transport = Transport(proxy.url, backoff_base=0.01, backoff_cap=0.05, max_attempts=3)
        login(self.store, self.transport, TokenVault(folder.name), WINDOW_A, DEMO_PASSWORD)
        self.engine = SyncEngine(self.store, self.transport, pull_limit=100)
        self.device_id = DeviceIdentity.load_or_create(self.store).device_id

    def entities(self) -> int:
        with self.store.read() as s:
            return EntityRepository(s).count()

    def close(self) -> None:
        self.transport.close()
        self.store.close()


@pytest.fixture
def client(proxy: FaultProxy, tmp_path: Path) -> Iterator[Client]:
    c = Client(proxy, tmp_path / "profile")
    yield c
    c.close()


def test_pull_pages_cut_mid_body_are_fetched_again_and_the_sync_succeeds(
    proxy: FaultProxy, client: Client
) -> None:
    proxy.force("cut", 2, "/v1/sync/pull")
    report = client.engine.sync()
    assert proxy.injected["cut"] == 2
    assert report.pulled >= 300 and client.entities() == 300


def test_a_push_answer_cut_mid_body_is_resent_and_applied_once(
    proxy: FaultProxy, client: Client, live_server: LiveServer
) -> None:
    client.engine.sync()
    rid = "c-cut-push-0001"
    create_form(client.store, "commitments", rid, commitment())
    proxy.force("cut", 1, "/v1/sync/push")
    report = client.engine.sync()
    assert proxy.injected["cut"] == 1 and report.pushed == 1
    count = "SELECT count(*) FROM mutation_log WHERE device_id = ?"
    assert server_count(live_server.db_path, count, client.device_id) == 1
    records = "SELECT count(*) FROM records WHERE collection = 'commitments' AND record_id = ?"
    assert server_count(live_server.db_path, records, rid) == 1


def test_answers_always_cut_end_as_offline_not_as_upgrade_the_client(
    proxy: FaultProxy, client: Client
) -> None:
    proxy.force("cut", 1000, "/v1/sync/pull")
    with pytest.raises(Offline) as info:
        client.engine.sync()
    assert proxy.injected["cut"] == client.transport.max_attempts
    assert info.value.user_message == Offline.default_message
    assert "升级" not in info.value.user_message
    # Nothing half-applied: the next sync on a sound network starts from the beginning.
    assert client.entities() == 0
    proxy.clear_forced()
    client.engine.sync()
    assert client.entities() == 300


def _expire_access_tokens(server: LiveServer, device_id: str) -> None:
    conn = sqlite3.connect(server.db_path, timeout=30)
    try:
        with conn:
            conn.execute(
                "UPDATE tokens SET expires_at = '2000-01-01 00:00:00.000000' "
                "WHERE device_id = ? AND kind = 'access'",
                (device_id,),
            )
    finally:
        conn.close()


def test_a_lost_refresh_answer_does_not_end_the_login(
    proxy: FaultProxy, client: Client, live_server: LiveServer
) -> None:
    client.engine.sync()
    _expire_access_tokens(live_server, client.device_id)
    # The platform spends the refresh token and answers; the answer never arrives.
    proxy.force("drop_after", 1, "/v1/auth/refresh")
    client.engine.sync()
    assert proxy.injected["drop_after"] == 1
    # Still logged in with a working pair: the next refresh rotates normally.
    _expire_access_tokens(live_server, client.device_id)
    client.engine.sync()
    client.transport.refresh()
