"""One PyInstaller build of the client for the whole packaging session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def frozen_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder build (``dist/credit-desk/``) made from ``build.spec``."""
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
    dist = work / "dist" / "credit-desk"
    assert (dist / "credit-desk").is_file()
    return dist


@pytest.fixture(scope="session")
def frozen(frozen_dist: Path) -> Path:
    """The frozen client's executable."""
    return frozen_dist / "credit-desk"
