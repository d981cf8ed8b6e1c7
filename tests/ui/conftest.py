"""Fixtures of the UI tests.

As in the app, every database call runs on the task manager's database worker: the store is
opened, seeded and closed there, and tests read it back through :func:`on_db`. SQLCipher
connections belong to the thread that made them, so this keeps a test from leaving a
connection that only a dead thread could close.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.services.unlock import StoreUnlocker
from ui.app import create_application
from ui.main_window import MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

T = TypeVar("T")

# pytest-qt's waitSignal disconnects, and PySide6 6.12.0 leaks a reference to True on each.

# The offscreen platform plugin cannot resize windows to their layouts' size hints and says
# so whenever a top-level window's minimum size changes; nor can it raise a window (the help
# window comes forward when F1 is pressed while it is open). Limits of the test platform,
# not of our widgets (qutebrowser ignores the same message).
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.path.as_posix():
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def run_on_db(qtbot, tasks: TaskManager, fn: Callable[[], T], timeout: int = 15_000) -> T:
    """Run ``fn`` on the database worker and wait for its result (or raise its error)."""
    box: dict[str, Any] = {}
    tasks.run_db(fn, lambda r: box.setdefault("result", r), lambda e: box.setdefault("error", e))
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    if "error" in box:
        raise box["error"]
    return box["result"]


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    """A task manager; its worker threads are joined when the test ends."""
    manager = TaskManager()
    yield manager
    assert manager.shutdown(10_000), "background tasks still running at teardown"
    manager.deleteLater()


@pytest.fixture
def on_db(qtbot, tasks: TaskManager) -> Callable[[Callable[[], Any]], Any]:
    """``on_db(fn)`` runs ``fn`` on the database worker and returns its result."""
    return lambda fn: run_on_db(qtbot, tasks, fn)


@pytest.fixture
def store(profile: ProfilePaths, qtbot, tasks: TaskManager) -> Iterator[object]:
    """The root ``store`` fixture, opened and closed on the database worker."""
    opened = run_on_db(qtbot, tasks, StoreUnlocker(profile).unlock)
    yield opened
    run_on_db(qtbot, tasks, opened.close)


@pytest.fixture
def seeded_services(services: AppServices, on_db) -> AppServices:
    """Services on a store holding 500 demo entities (seeded on the database worker)."""
    on_db(lambda: import_entities(services.store, generate_entities(500, seed=7)))
    return services


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    """The session's QApplication, configured as Credit Desk (bundled font, Chinese UI)."""
    return create_application([], Settings())


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` as a user would, Chinese included.

    QTest can only synthesise key presses of Latin-1 characters (it asserts on others), so
    CJK text arrives the way an input method delivers it: as a committed string.
    """
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


# The real platform process of the sync tests, for the 同步 page's tests.
from tests.sync.conftest import LiveServer, live_server  # noqa: E402, F401


@pytest.fixture
def controller(
    services: AppServices,
    tasks: TaskManager,
    profile: ProfilePaths,
    live_server: LiveServer,  # noqa: F811 - the fixture imported above, by name
) -> Iterator[SyncController]:
    """A sync controller on the live platform process (a module may override it)."""
    settings = Settings(extra={PLATFORM_URL_KEY: live_server.url})
    ctl = SyncController(services, tasks, settings, profile)
    yield ctl
    ctl.shutdown()


@pytest.fixture
def window(services, profile, tasks, controller, qtbot, app) -> MainWindow:  # type: ignore[no-untyped-def]
    """The main window on ``controller``, shown, its status bar filled once."""
    win = MainWindow(services, controller._settings, profile, tasks, sync=controller)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.status_refreshed, timeout=5000):
        win.show()
    return win
