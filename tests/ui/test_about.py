"""关于: version, data folder, and the generated third-party licences (dev and frozen)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop_app import __version__
from desktop_app.config import ProfilePaths, Settings
from desktop_app.licences import (
    LICENCES_FILE,
    collect,
    from_json,
    normalise,
    project_requirements,
    qt_notice,
    shipped_licences,
    to_json,
    write_licences_file,
)
from desktop_app.services.app import AppServices
from ui.main_window import MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY
from ui.taskman import TaskManager

DEV_TOOLS = {
    "pytest",
    "pytest-qt",
    "pytest-timeout",
    "hypothesis",
    "ruff",
    "mypy",
    "import-linter",
    "pypdf",
    "zxing-cpp",
    "schemathesis",
    "pyinstaller",
    "fastapi",
    "uvicorn",
    "psycopg",
    "argon2-cffi",
}


@pytest.fixture
def window(services: AppServices, profile: ProfilePaths, tasks: TaskManager, qtbot, app):
    settings = Settings.load(profile.settings_file)
    settings.set(PLATFORM_URL_KEY, "https://credit.changzhi.example")
    win = MainWindow(services, settings, profile, tasks)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.status_refreshed, timeout=5000):
        win.show()
    return win


def test_about_shows_version_platform_data_folder_and_licences(
    qtbot, window: MainWindow, profile: ProfilePaths
) -> None:
    window.about_action.trigger()
    dialog = window.about_dialog
    assert dialog is not None
    if not dialog.packages:
        with qtbot.waitSignal(dialog.licences_loaded, timeout=10_000):
            pass
    assert dialog.isVisible()
    assert dialog.version_label.text() == __version__
    assert dialog.platform_label.text() == "https://credit.changzhi.example"
    assert dialog.data_dir_label.text() == str(profile.data_dir)
    assert dialog.package_list.count() == len(dialog.packages) > 10
    names = {normalise(p.name) for p in dialog.packages}
    assert {"pyside6-essentials", "sqlalchemy", "sqlcipher3"} <= names
    assert "LGPL" in dialog.qt_notice_label.text()
    assert "Qt" in dialog.qt_notice_label.text()
    pyside = dialog.licence_of("PySide6-Essentials")
    assert "LGPL" in pyside
    sqlalchemy = dialog.licence_of("SQLAlchemy")
    assert "MIT" in sqlalchemy and "Permission is hereby granted" in sqlalchemy
    sqlcipher = dialog.licence_of("sqlcipher3")
    assert "── LICENSE ──" in sqlcipher and len(sqlcipher) > 500
    dialog.reject()
    qtbot.waitUntil(lambda: window.about_dialog is None)


def test_the_generator_lists_the_runtime_closure_without_dev_tools() -> None:
    packages = collect()
    names = {normalise(p.name) for p in packages}
    declared = {
        normalise(r.split(">")[0].split("<")[0].split("=")[0].split("!")[0].split("[")[0].strip())
        for r in project_requirements()
    }
    assert declared <= names  # every direct requirement
    # … and what they need in turn
    assert {"shiboken6", "pydantic-core", "mako", "markupsafe", "certifi", "cffi"} <= names
    assert not names & DEV_TOOLS
    for package in packages:
        assert package.version
        assert package.licence
    with_text = [p for p in packages if p.texts]
    assert len(with_text) >= len(packages) - 3
    assert "LGPL" in qt_notice(packages)


def test_a_frozen_build_reads_the_file_made_at_build_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    written = write_licences_file(bundle / "resources" / "licences" / LICENCES_FILE)
    assert from_json(written.read_text(encoding="utf-8")) == collect()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    frozen = shipped_licences.__wrapped__()  # type: ignore[attr-defined]
    assert [p.name for p in frozen] == [p.name for p in collect()]
    assert to_json(frozen) == written.read_text(encoding="utf-8")
