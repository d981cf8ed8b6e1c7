"""What the client writes is its user's only: profile folders 0700, files 0600.

Window machines are shared between staff. The profile is set up as ``credit-desk`` does it
(folder, log file, settings file, the encrypted store with its WAL and key header) under the
usual umask 022, and every path in it is checked with ``os.stat``; files an older version left
world-readable are tightened when they are opened again. The real executable's self-test run
makes a profile the same way.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.config import ProfilePaths, Settings
from desktop_app.logs import setup_logging, stop_file_logging
from desktop_app.main import restrict_new_files
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.services.unlock import StoreUnlocker

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """Run under the umask most desktops start programs with (files 0644, folders 0755)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _modes(folder: Path) -> dict[str, int]:
    paths = [folder, *folder.rglob("*")]
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in paths}


def _loose(modes: dict[str, int], folder: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in modes.items():
        want = 0o700 if (folder / name).is_dir() else 0o600
        if mode != want:
            wrong[name] = oct(mode)
    return wrong


def test_a_real_profile_is_readable_by_its_owner_only(
    usual_umask: None, profile: ProfilePaths
) -> None:
    profile.ensure()
    setup_logging(profile.log_dir)
    try:
        logging.getLogger("desktop_app").info("started")
        settings = Settings.load(profile.settings_file)
        settings.set("platform_url", "https://platform.example")
        store = StoreUnlocker(profile).unlock()
        try:
            import_entities(store, generate_entities(20, seed=1))  # the WAL has pages now
            handler = next(h for h in logging.getLogger().handlers if hasattr(h, "doRollover"))
            handler.doRollover()  # type: ignore[attr-defined]
            logging.getLogger("desktop_app").info("after rotation")
            modes = _modes(profile.data_dir)
            assert {"store.db", "store.db-wal", "store.header.json", "settings.json"} <= set(modes)
            assert {"logs", "logs/credit-desk.log", "logs/credit-desk.log.1"} <= set(modes)
            assert _loose(modes, profile.data_dir) == {}
        finally:
            store.close()
    finally:
        stop_file_logging()


def test_files_an_older_version_left_open_are_tightened(
    usual_umask: None, profile: ProfilePaths
) -> None:
    profile.ensure()
    StoreUnlocker(profile).unlock().close()
    profile.log_dir.mkdir()
    (profile.log_dir / "credit-desk.log").write_text("old\n", encoding="utf-8")
    for path in (profile.database, profile.log_dir / "credit-desk.log"):
        path.chmod(0o644)
    profile.log_dir.chmod(0o755)

    setup_logging(profile.log_dir)
    try:
        logging.getLogger("desktop_app").info("again")
        StoreUnlocker(profile).unlock().close()
    finally:
        stop_file_logging()
    assert _loose(_modes(profile.data_dir), profile.data_dir) == {}


def test_the_client_process_creates_files_for_its_user_only(usual_umask: None) -> None:
    restrict_new_files()  # what desktop_app.main does first (exports, Qt's own files)
    try:
        folder = Path(os.environ.get("TMPDIR", "/tmp"))
        probe = folder / f"credit-desk-umask-{os.getpid()}"
        probe.write_text("x", encoding="utf-8")
        try:
            assert stat.S_IMODE(probe.stat().st_mode) == 0o600
        finally:
            probe.unlink()
    finally:
        os.umask(0o022)


def test_the_executables_profile_is_private(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app.main", "--self-test", "--data-dir", str(profile)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    modes = _modes(profile)
    assert "logs/credit-desk.log" in modes
    assert _loose(modes, profile) == {}


def test_an_exported_pdf_is_the_users_alone(qapp: object, tmp_path: Path) -> None:
    import os
    import stat

    from desktop_app.reports.document import Document, Paragraph, Section
    from ui.printing import render_pdf

    document = Document(
        doc_type="test",
        title="信用报告",
        number="T-0001",
        issued_at="2026-12-04 08:00:00",
        sections=(Section("一", (Paragraph("内容"),)),),
    )
    old = os.umask(0o022)  # an office PC's usual umask: the export must not follow it
    try:
        target = tmp_path / "报告.pdf"
        render_pdf(document, target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
