"""Running a real ``credit-platform serve`` process for the benchmarks (loopback, SQLite file)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

SCRIPT = Path(sys.executable).with_name("credit-platform")

__all__ = ["SCRIPT", "free_port", "platform_env", "serve"]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def platform_env(db: Path) -> dict[str, str]:
    """The environment of a platform on the SQLite file ``db`` (blobs beside it)."""
    return dict(os.environ, DATABASE_URL=f"sqlite:///{db}", CREDIT_PLATFORM_DATA=str(db.parent))


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """A ``credit-platform serve`` process on a free loopback port; yields its URL.

    Raises:
        RuntimeError: The process exited, or was not healthy within 60 s.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--log-level", "warning"],
        env=platform_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"platform on {db} exited with {proc.returncode}")
            try:
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("platform did not become healthy in 60 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
