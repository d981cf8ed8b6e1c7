"""Every settings change goes through ``Settings.set`` (written at once), never ``extra[...] =``.

A value put straight into ``settings.extra`` lives in memory until someone remembers to save;
that is how the platform address used to be lost to a crash. This walks the client's source
and fails on any direct mutation of a ``.extra`` mapping outside ``desktop_app/config.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from desktop_app.config import Settings

ROOT = Path(__file__).resolve().parents[1]
MUTATORS = {"pop", "update", "setdefault", "clear", "popitem", "__setitem__", "__delitem__"}


def _is_extra(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "extra"


def _mutations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Delete):
            targets = list(node.targets)
        for target in targets:
            if isinstance(target, ast.Subscript) and _is_extra(target.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and _is_extra(node.func.value)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_settings_change_bypasses_settings_set() -> None:
    offenders = [
        hit
        for package in ("desktop_app", "ui", "sync")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "desktop_app" / "config.py"
        for hit in _mutations(path)
    ]
    assert offenders == [], "use Settings.set(key, value): " + ", ".join(offenders)


def test_set_writes_at_once_and_none_removes(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings.load(path)
    settings.set("platform_url", "https://platform.example")
    assert Settings.load(path).get("platform_url") == "https://platform.example"
    settings.set_language("en")
    settings.set_stale_after_days(3)
    again = Settings.load(path)
    assert (again.language, again.stale_after_days) == ("en", 3)
    settings.set("platform_url", None)
    assert "platform_url" not in Settings.load(path).extra
    with pytest.raises(ValueError, match="unknown language"):
        settings.set_language("fr")
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_in_memory_settings_are_never_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    settings.set("platform_url", "https://platform.example")
    assert settings.get("platform_url") == "https://platform.example"
    assert list(tmp_path.iterdir()) == []
