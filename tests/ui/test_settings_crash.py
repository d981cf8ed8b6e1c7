"""Settings survive a crash: a real client process sets the platform address and is SIGKILLed.

Before, the address lived only in memory until a clean exit, so after a power cut the next
start had no address and silently never synced.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.config import Settings
from tests.sync.conftest import LiveServer
from ui.sync_adapter import PLATFORM_URL_KEY

CLIENT = Path(__file__).with_name("settings_client.py")
ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "window.luzhou.1", "demo-2026"


class Client:
    """One client process, read line by line."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(CLIENT), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )

    def wait_for(self, prefix: str) -> str:
        """The next line starting with ``prefix`` (fails if the process ends first)."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"client ended (code {self.proc.wait()}) before {prefix!r}")

    def kill(self) -> None:
        """SIGKILL: no clean exit, no close handler, nothing flushed."""
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=30) == -signal.SIGKILL
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def finish(self) -> list[str]:
        """Every remaining line, once the process exited 0."""
        out, _ = self.proc.communicate(timeout=120)
        assert self.proc.returncode == 0, out
        return out.splitlines()


@pytest.fixture
def clients() -> Iterator[list[Client]]:
    started: list[Client] = []
    yield started
    for client in started:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait(timeout=30)


def test_address_typed_at_login_survives_sigkill_and_the_next_start_syncs(
    tmp_path: Path, live_server: LiveServer, clients: list[Client]
) -> None:
    data = tmp_path / "profile"
    first = Client("login", str(data), live_server.url, USER, PASSWORD)
    clients.append(first)
    first.wait_for("submitted")
    first.wait_for("logged-in True")
    first.kill()  # power cut: no clean exit

    assert Settings.load(data / "settings.json").get(PLATFORM_URL_KEY) == live_server.url
    second = Client("show", str(data))
    clients.append(second)
    lines = second.finish()
    assert f"url {live_server.url}" in lines
    # The next start knows where to sync and, with the restored login, is online.
    assert "state online" in lines
    assert "logged-in True" in lines


def test_platform_url_flag_is_written_before_any_exit(tmp_path: Path, clients: list[Client]):
    data = tmp_path / "profile"
    url = "http://127.0.0.1:9"  # nothing listens there: the next start says so
    first = Client("flag", str(data), url)
    clients.append(first)
    first.wait_for("ready")
    first.kill()

    second = Client("show", str(data))
    clients.append(second)
    lines = second.finish()
    assert f"url {url}" in lines
    assert "state unreachable" in lines
