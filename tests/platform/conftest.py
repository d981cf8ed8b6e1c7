"""Platform fixtures: each test runs on SQLite and on a real PostgreSQL database.

PostgreSQL: ``CREDIT_TEST_PG_ADMIN_URL`` (default ``postgresql+psycopg://root@127.0.0.1:5432/postgres``)
is used to create one fresh database per test run, dropped at the end; tables are emptied
between tests. When PostgreSQL is unreachable the PostgreSQL tests FAIL (they never skip)
unless ``CREDIT_TEST_SKIP_PG=1`` is set on a developer machine.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from platform_server.app import create_app
from platform_server.db import make_engine, make_sessionmaker, transaction
from platform_server.migrate import upgrade
from platform_server.models import Base, Hall, User
from platform_server.security import hash_password, now
from platform_server.settings import ServerSettings

PG_ADMIN_URL = os.environ.get(
    "CREDIT_TEST_PG_ADMIN_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"
)
PASSWORD = "测试密码-2026"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated to head."""
    if os.environ.get("CREDIT_TEST_SKIP_PG") == "1":
        pytest.skip("CREDIT_TEST_SKIP_PG=1")
    name = f"credit_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def empty_tables(engine: Engine) -> None:
    """Remove every row a test wrote, keeping the schema and the instance's seed rows."""
    tables = [
        t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in ("counters", "meta")
    ]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE counters SET value = 0"))
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'min_seq'"))
        conn.execute(  # the audit log's chain starts again with its (emptied) table
            text("UPDATE meta SET value = :v WHERE key = 'audit.head'"),
            {"v": '{"count": 0, "hash": "' + "0" * 64 + '"}'},
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> ServerSettings:
    """Server settings on a clean database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'platform.db'}"
    else:
        url = request.getfixturevalue("pg_url")
        engine = make_engine(url)
        empty_tables(engine)
        engine.dispose()
    return ServerSettings(database_url=url, blob_dir=tmp_path / "blobs", data_dir=tmp_path)


@pytest.fixture
def app(settings: ServerSettings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@dataclass
class Device:
    """A client device: id and Ed25519 key pair."""

    device_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_b64(self) -> str:
        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()


def new_device() -> Device:
    return Device(device_id=uuid.uuid4().hex, private_key=Ed25519PrivateKey.generate())


def add_user(
    app: FastAPI,
    username: str,
    role: str,
    *,
    hall: str | None = None,
    region: str | None = "140403",
    active: bool = True,
) -> None:
    """Create an account directly in the database."""
    with transaction(app.state.sessions) as session:
        if hall and session.get(Hall, hall) is None:
            session.add(Hall(id=hall, name=f"{hall}政务服务大厅", region_code=region or ""))
            session.flush()
        session.add(
            User(
                username=username,
                display_name=username,
                password_hash=hash_password(PASSWORD),
                role=role,
                hall_id=hall,
                region_code=region,
                active=active,
                created_at=now(),
            )
        )


def login(
    client: TestClient, username: str, device: Device | None = None, password: str = PASSWORD
) -> dict[str, str]:
    """Log in and return the Authorization header (plus the token pair under private keys)."""
    device = device or new_device()
    resp = client.post(
        "/v1/auth/login",
        json={
            "username": username,
            "password": password,
            "device_id": device.device_id,
            "device_public_key": device.public_b64,
            "device_name": "测试笔记本",
        },
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return {
        "Authorization": f"Bearer {body['access_token']}",
        "_refresh": body["refresh_token"],
        "_device": device.device_id,
    }


def auth(headers: dict[str, str]) -> dict[str, str]:
    """Only the HTTP headers of a ``login`` result."""
    return {k: v for k, v in headers.items() if not k.startswith("_")}


@pytest.fixture
def sessions(app: FastAPI):  # type: ignore[no-untyped-def]
    return app.state.sessions


__all__ = ["PASSWORD", "Device", "add_user", "auth", "login", "make_sessionmaker", "new_device"]
