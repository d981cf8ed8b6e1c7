"""The client's command line: --version, --data-dir, --self-test (run as real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_app import __version__

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home))
    env.pop("XDG_DATA_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_version(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"credit-desk {__version__}"


def test_self_test_in_a_second_profile(tmp_path: Path) -> None:
    profile = tmp_path / "second-profile"
    result = run("--self-test", "--data-dir", str(profile), home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    for name in ("no-plaintext-while-open", "no-plaintext-after-close", "wrong-key-refused"):
        assert f"[ok  ] {name}" in result.stdout
    log = (profile / "logs" / "credit-desk.log").read_text(encoding="utf-8")
    assert "self-test passed" in log
    # The default profile under HOME was not touched.
    assert not (tmp_path / ".local" / "share" / "credit-desk").exists()
