"""Acceptance: the PyInstaller one-folder build starts and passes its own self-test."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging


def run_frozen(exe: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: no venv on PATH, no PYTHONPATH, offscreen Qt, a throw-away HOME.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_frozen_version(frozen: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen, "--version", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("credit-desk ")


def test_frozen_self_test_passes(frozen: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen, "--self-test", "--data-dir", str(tmp_path / "p"), home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "[FAIL]" not in result.stdout
    # The frozen build prints: segno, the QR drawing and the embedded CJK font all made it in.
    assert "[ok  ] print-pdf" in result.stdout
    assert (tmp_path / "p" / "logs" / "credit-desk.log").is_file()
