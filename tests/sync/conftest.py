"""Sync fixtures: a REAL ``credit-platform serve`` process on loopback, seeded with demo data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``seed-demo --entities 300`` then ``serve`` on a free loopback port; stopped at the end."""
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}"
    data = tmp_path_factory.mktemp("platform")
    db_path = data / "platform.db"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db_path}",
        CREDIT_PLATFORM_DATA=str(data),
        PYTHONUNBUFFERED="1",
    )
    server = LiveServer("", env, db_path)
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
        yield LiveServer(url, env, db_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
