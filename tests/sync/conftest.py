"""Sync fixtures: a REAL ``credit-platform serve`` process on loopback, seeded with demo data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

SCRIPT = Path(sys.executable).with_name("credit-platform")


@dataclass(frozen=True)
class LiveServer:
    """A running platform: its URL, its environment (for more CLI calls) and database file."""

    url: str
    env: dict[str, str]
    db_path: Path
    database_url: str = ""

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run another ``credit-platform`` command on the same database."""
        return subprocess.run(
            [str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PG_ADMIN_URL = "postgresql://root@127.0.0.1:5432/postgres"


@contextmanager
def running_platform(data: Path, database_url: str | None = None) -> Iterator[LiveServer]:
    """Seed (``seed-demo --entities 300``) and ``serve`` a platform on a free loopback port.

    Args:
        data: Folder for the platform's files (SQLite database, blobs, log).
        database_url: ``DATABASE_URL``; None: a SQLite file in ``data``.
    """
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}"
    db_path = data / "platform.db"
    url_db = database_url or f"sqlite:///{db_path}"
    env = dict(
        os.environ,
        DATABASE_URL=url_db,
        CREDIT_PLATFORM_DATA=str(data),
        PYTHONUNBUFFERED="1",
    )
    server = LiveServer("", env, db_path, url_db)
    seeded = server.cli("seed-demo", "--entities", "300")
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    log = (data / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (data / "serve.log").read_text("utf-8", "replace")
            try:
                if requests.get(f"{url}/healthz", timeout=1).json().get("status") == "ok":
                    break
            except (requests.RequestException, ValueError):
                pass
            assert time.monotonic() < deadline, "platform did not become healthy in 30 s"
            time.sleep(0.1)  # polling interval while waiting for the port, not synchronisation
        yield LiveServer(url, env, db_path, url_db)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on loopback; dropped (forcibly) at the end.

    Yields:
        Its SQLAlchemy URL (``postgresql+psycopg://root@127.0.0.1:5432/<name>``).
    """
    import psycopg

    name = f"credit_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://root@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``seed-demo --entities 300`` then ``serve`` on a free loopback port; stopped at the end."""
    with running_platform(tmp_path_factory.mktemp("platform")) as server:
        yield server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A live platform on SQLite, then on a fresh PostgreSQL database (never skipped)."""
    data = tmp_path_factory.mktemp(f"platform-{request.param}")
    if request.param == "sqlite":
        with running_platform(data) as server:
            yield server
        return
    with fresh_postgres_database() as url, running_platform(data, url) as server:
        yield server
