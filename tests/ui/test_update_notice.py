"""新版本 in the status bar, against a REAL ``credit-platform serve`` process.

A test release key is made here and trusted with :func:`sync.updates.trusting` (the pinned
list of the build is replaced for the test only). Manifests are published with ``credit-platform
release publish``; the window checks after the login, in the background, and shows the notice
only for a genuine, newer release. Forged or changed manifests are ignored and logged.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from sync import updates
from sync.protocol import release_manifest as rm
from tests.sync.conftest import LiveServer
from ui.main_window import MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager
from ui.update_notice import LAST_CHECK_KEY, MANIFEST_KEY, UpdateNotice, format_size

TIMEOUT = 60_000
RELEASE_KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
NOTES = "新增：更新提示。\n修复：若干问题。"
DEB = rm.ReleaseFile(
    "credit-desk_99.0.0_amd64.deb",
    12_345_678,
    "0f" * 32,
    "https://dl.example.cn/credit-desk/99.0.0/credit-desk_99.0.0_amd64.deb",
)


def manifest(version: str = "99.0.0", key: Ed25519PrivateKey = RELEASE_KEY) -> rm.ReleaseManifest:
    return rm.sign(key, version=version, date="2026-12-04", notes=NOTES, files=[DEB])


def publish(server: LiveServer, tmp_path: Path, body: bytes | dict[str, object]) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(body if isinstance(body, bytes) else json.dumps(body).encode())
    done = server.cli("release", "publish", str(path))
    assert done.returncode == 0, done.stderr


def overwrite_in_database(server: LiveServer, text: str) -> None:
    """What someone with write access to the platform's database could serve (no CLI check)."""
    with sqlite3.connect(server.db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'release.latest'", (text,))


@pytest.fixture(autouse=True)
def trusted() -> Iterator[None]:
    with updates.trusting([rm.public_key_bytes(RELEASE_KEY)]):
        yield


def login_and_check(qtbot, window: MainWindow, controller: SyncController) -> updates.UpdateCheck:
    notice = window.update_notice
    assert notice is not None
    results: list[object] = []
    notice.checked.connect(results.append)
    # The login's first sync must end too: the store closes after the test.
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.login(controller.url, "window.luzhou.1", "demo-2026")
    qtbot.waitUntil(lambda: bool(results), timeout=TIMEOUT)
    (result,) = results
    assert isinstance(result, updates.UpdateCheck)
    return result


class UrlCatcher(QObject):
    """Takes the place of the browser for https links (Qt's own URL handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_a_genuine_newer_release_is_shown_with_its_notes_and_link(
    qtbot, window: MainWindow, controller: SyncController, live_server: LiveServer, tmp_path: Path
) -> None:
    notice = window.update_notice
    assert notice is not None and notice.isHidden()
    publish(live_server, tmp_path, rm.encode(manifest()))
    result = login_and_check(qtbot, window, controller)
    assert result.outcome is updates.CheckOutcome.NEWER
    assert notice.isVisible() and notice.text() == "新版本 99.0.0"
    assert notice in window.statusBar().findChildren(UpdateNotice)
    settings = controller._settings
    assert not notice.due()  # the next check waits a day
    assert isinstance(settings.get(LAST_CHECK_KEY), str)

    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    dialog = notice.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "新版本 99.0.0"
    assert dialog.notes.toPlainText() == NOTES
    assert dialog.date_label.text() == "2026-12-04"
    cells = [dialog.files.item(0, column) for column in range(3)]
    texts = [cell.text() if cell is not None else "" for cell in cells]
    assert texts == [DEB.name, format_size(DEB.size), DEB.sha256]
    assert texts[1] == "11.8 MB (12,345,678 B)"
    assert DEB.url in dialog.links.text()
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")  # type: ignore[arg-type]
    try:
        dialog.download_button.click()
        dialog.open_link("https://elsewhere.example/not-in-the-manifest.deb")  # refused
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert catcher.urls == [DEB.url]
    dialog.close()

    # A restart: the kept manifest is verified again and shown before any check.
    again = UpdateNotice(settings, window._tasks, controller)
    qtbot.addWidget(again)
    assert again.manifest == result.manifest and again.text() == "新版本 99.0.0"
    # A settings file changed by hand is not believed.
    body = json.loads(settings.get(MANIFEST_KEY))
    body["files"][0]["url"] = "https://evil.example/x.deb"
    settings.set(MANIFEST_KEY, json.dumps(body))
    with_forged = UpdateNotice(settings, window._tasks, controller)
    qtbot.addWidget(with_forged)
    assert with_forged.manifest is None and with_forged.isHidden()
    assert settings.get(MANIFEST_KEY) is None


@pytest.mark.parametrize("forgery", ["other key", "changed after signing", "malformed"])
def test_a_forged_manifest_is_ignored_and_logged(
    qtbot,
    window: MainWindow,
    controller: SyncController,
    live_server: LiveServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    forgery: str,
) -> None:
    if forgery == "other key":
        body: bytes | dict[str, object] = rm.encode(manifest(key=OTHER_KEY))
    elif forgery == "changed after signing":
        changed = json.loads(rm.encode(manifest()))
        changed["files"][0]["url"] = "https://evil.example/credit-desk_99.0.0_amd64.deb"
        body = changed
    else:
        body = rm.encode(manifest("1.0.0"))
    publish(live_server, tmp_path, body)
    if forgery == "malformed":
        overwrite_in_database(live_server, rm.encode(manifest()).decode().replace("99.0.0", "99"))
    with caplog.at_level(logging.WARNING, logger="sync.updates"):
        result = login_and_check(qtbot, window, controller)
    assert result.outcome is updates.CheckOutcome.IGNORED
    notice = window.update_notice
    assert notice is not None and notice.isHidden() and notice.manifest is None
    assert controller._settings.get(MANIFEST_KEY) is None
    warnings = [r for r in caplog.records if r.name == "sync.updates"]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)
    assert "ignored" in warnings[0].getMessage()
    assert "window.luzhou.1" not in caplog.text  # no personal data


def test_an_older_release_shows_nothing_and_withdraws_a_kept_notice(
    qtbot, window: MainWindow, controller: SyncController, live_server: LiveServer, tmp_path: Path
) -> None:
    settings = controller._settings
    notice = window.update_notice
    assert notice is not None
    # Known from before, and a day has passed since the last check.
    settings.set(MANIFEST_KEY, rm.encode(manifest("98.0.0")).decode())
    settings.set(LAST_CHECK_KEY, (datetime.now(UTC) - timedelta(days=2)).isoformat())
    publish(live_server, tmp_path, rm.encode(manifest("0.0.9")))
    result = login_and_check(qtbot, window, controller)
    assert result.outcome is updates.CheckOutcome.CURRENT
    assert notice.isHidden() and notice.manifest is None
    assert settings.get(MANIFEST_KEY) is None


def test_no_check_while_offline_or_logged_out(
    qtbot, services: AppServices, tasks: TaskManager, profile: ProfilePaths, app
) -> None:
    settings = Settings(extra={PLATFORM_URL_KEY: "http://127.0.0.1:9"})
    ctl = SyncController(services, tasks, settings, profile)
    try:
        notice = UpdateNotice(settings, tasks, ctl)
        qtbot.addWidget(notice)
        notice.check_if_due()  # logged out: nothing asked
        assert settings.get(LAST_CHECK_KEY) is None and notice.isHidden()
        ctl.logged_in, ctl.online = True, False  # a stored login, but the platform is away
        notice.check_if_due()
        assert not notice._checking and settings.get(LAST_CHECK_KEY) is None
        ctl.online = None  # not probed yet: not known to be online either
        notice.check_if_due()
        assert not notice._checking
    finally:
        ctl.shutdown()
