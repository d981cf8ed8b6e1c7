"""The layer rules of DESIGN.md fail the suite when broken."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def _imports(folder: Path, pattern: str) -> list[str]:
    rx = re.compile(pattern, re.MULTILINE)
    return [str(p.relative_to(ROOT)) for p in folder.rglob("*.py") if rx.search(p.read_text())]


def test_core_never_imports_qt_ui_or_sync_even_lazily() -> None:
    # import-linter sees module-level and function-level imports alike; this also catches a
    # lazily imported module hidden behind importlib strings in the core packages.
    offenders = []
    for pkg in ("domain", "store", "services", "reports"):
        offenders += _imports(
            ROOT / "desktop_app" / pkg,
            r"^\s*(from|import)\s+(PySide6|shiboken6|ui|sync)\b|import_module\(\s*['\"](PySide6|ui|sync)",
        )
    assert offenders == []


def test_domain_imports_no_io_library() -> None:
    assert (
        _imports(
            ROOT / "desktop_app" / "domain",
            r"^\s*(from|import)\s+(sqlalchemy|requests|sqlcipher3|keyring|alembic|platformdirs)\b",
        )
        == []
    )
