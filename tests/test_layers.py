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


# Each wrong-way import removed in wave 2, put back into a copy of the tree: the contract that
# keeps it out must break (and only then is it known to guard anything).
WRONG_WAY = [
    (
        "sync/credentials.py",
        "from desktop_app.services.offline import ROLE_KEY",
        "sync sits beside the services",
    ),
    (
        "sync/offline_pack.py",
        "from desktop_app.services.offline import OfflineService",
        "sync sits beside the services",
    ),
    (
        "desktop_app/services/inspections_results.py",
        "from desktop_app.services.commitments import local_calendar",
        "Inspection services do not reach into the commitment services",
    ),
    (
        "ui/pages/inspections.py",
        "from ui.pages.commitments import CommitmentsPage",
        "A UI page never imports another page",
    ),
    (
        "platform_server/commands.py",
        "from platform_server.cli import build_parser",
        "The platform's data commands never import its CLI entry",
    ),
    (
        "platform_server/demo.py",
        "from platform_server.routers.draws import router",
        "Platform logic never lives in a router",
    ),
    (
        "ui/launcher.py",
        "from desktop_app.main import compose",
        "Nothing imports the composition root",
    ),
]


def _lint(tree: Path) -> dict[str, str]:
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(exe), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "500", "PATH": "/usr/bin:/bin"},
    )
    verdicts = {}
    for line in result.stdout.splitlines():
        name, _, verdict = line.rstrip().rpartition(" ")
        if verdict in ("KEPT", "BROKEN"):
            verdicts[name] = verdict
    assert verdicts, result.stdout + result.stderr
    return verdicts


def _verdict(verdicts: dict[str, str], contract: str) -> str:
    found = [v for name, v in verdicts.items() if name.startswith(contract)]
    assert len(found) == 1, (contract, verdicts)
    return found[0]


def test_wrong_way_contracts_break_when_an_import_comes_back(tmp_path: Path) -> None:
    import shutil

    for name in ("desktop_app", "ui", "sync", "platform_server"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clean = _lint(tmp_path)
    for _file, _line, contract in WRONG_WAY:
        assert _verdict(clean, contract) == "KEPT"
    for file, line, contract in WRONG_WAY:
        module = tmp_path / file
        original = module.read_text(encoding="utf-8")
        module.write_text(original + f"\n{line}  # noqa\n", encoding="utf-8")
        try:
            assert _verdict(_lint(tmp_path), contract) == "BROKEN", (file, line)
        finally:
            module.write_text(original, encoding="utf-8")
