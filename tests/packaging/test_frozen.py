"""Acceptance: the PyInstaller one-folder build starts and passes its own self-test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_translations.py")], check=True, cwd=ROOT
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        check=True,
        cwd=ROOT,
        timeout=1500,
    )
    exe = work / "dist" / "credit-desk" / "credit-desk"
    assert exe.is_file()
    return exe


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
