"""Starting the GUI: unlock the store, have the client wired, show the main window.

The order of start-up, with its dialogs and busy window, is here; what gets built (services,
report signer, sync controller, main window) is the composition root's
(:func:`desktop_app.main.compose`), passed in as ``compose``. Every step that touches the
store runs on the task manager's database worker, so the connection that opens the store is
the one every later database task uses.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from desktop_app import heap
from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.actor import CurrentUser, os_user_name, stored_display_name
from desktop_app.services.errors import StoreError
from desktop_app.services.unlock import StoreUnlocker
from ui.app import create_application
from ui.taskman import TaskManager
from ui.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from desktop_app.services.app import AppServices
    from desktop_app.services.unlock import Store
    from ui.idle_lock import ScreenLock
    from ui.main_window import MainWindow
    from ui.sync_adapter import SyncController

log = logging.getLogger(__name__)

# What the client needs once the store is open, and not before: SQLAlchemy, Alembic, SQLCipher,
# the services, the printing stack, then the main window and its pages. Start-up shows its first
# window (the passphrase prompt, or the busy window) without them and loads them while the user
# types: the store's part on the database worker (queued ahead of the unlock, so the two never
# import at the same time), the windows' part on the GUI thread one module per event-loop turn.
# The loading begins once the first window has painted: begun earlier, the worker's imports
# held the GIL while the GUI thread was still mapping and painting that window, and the first
# window came 60-80 ms later on one start in two (docs/PERFORMANCE.md, "Cold start").
PRELOAD_STORE_MODULES = (
    "desktop_app.store.database",
    "desktop_app.store.outbox",
    "desktop_app.services.registry",
    "desktop_app.services.app",
    "sync.report_signing",
)
# After the main window is shown, settle the heap this much later (see _show_main).
SETTLE_HEAP_AFTER_MS = 300
# The loading above waits for the first window's first paint, or this long if none comes
# (a window that is never exposed: the start must not wait for ever).
PRELOAD_LATEST_AFTER_MS = 500

PRELOAD_UI_MODULES = (
    "ui.widgets.drafts",
    "ui.sync_adapter",
    "ui.idle_lock",
    "ui.pages.workbench",
    "ui.pages.lookup",
    "ui.pages.commitments",
    "ui.pages.education",
    "ui.pages.inspections",
    "ui.pages.reports",
    "ui.pages.repairs",
    "ui.pages.followup",
    "ui.pages.sync",
    "ui.pages.publications",
    "ui.pages.settings",
    "ui.main_window",
)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_STORE_ERROR = 2
EXIT_DEVICE_REVOKED = 3


__all__ = ["BusyWindow", "Compose", "Composed", "StartupFlow", "os_user_name", "run_gui"]


class Composed(NamedTuple):
    """The wired client: its services, the sync controller and the main window (not shown)."""

    services: AppServices
    sync: SyncController
    window: MainWindow


class Compose(Protocol):
    """Wires the client once the store is open (:func:`desktop_app.main.compose`)."""

    def __call__(
        self,
        store: Store,
        unlocker: StoreUnlocker,
        user: CurrentUser,
        tasks: TaskManager,
        settings: Settings,
        paths: ProfilePaths,
        *,
        demo: bool,
    ) -> Composed:
        """The wired client; the window is not shown and the sync controller not started."""
        ...


class BusyWindow(QWidget):
    """A small window with a message and an endless progress bar, shown while starting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog)
        self.setWindowTitle(self.tr("信用监管工作台"))
        self.label = QLabel()
        self.label.setMinimumWidth(320)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)

    def show_message(self, text: str) -> None:
        """Show the window with ``text``."""
        self.label.setText(text)
        self.show()


class StartupFlow(QObject):
    """Unlock → (seed demo data) → build services → show the main window.

    Signals:
        ready(object): The :class:`MainWindow` is shown.
        exit_requested(int): Start-up ended without a window; the app should exit with this
            code (0 when the user cancelled, 2 after a store error the user has read).
    """

    ready = Signal(object)
    exit_requested = Signal(int)

    def __init__(
        self,
        paths: ProfilePaths,
        settings: Settings,
        tasks: TaskManager,
        *,
        compose: Compose,
        demo: bool,
        actor: str | None = None,
        platform_url: str | None = None,
    ) -> None:
        super().__init__()
        if platform_url:
            from ui.sync_adapter import PLATFORM_URL_KEY

            try:
                # Written now: a crash before a clean exit must not forget the address.
                settings.set(PLATFORM_URL_KEY, platform_url.strip().rstrip("/"))
            except OSError as exc:
                log.warning("could not save the platform URL: %s", exc)
        self._paths = paths
        self._settings = settings
        self._tasks = tasks
        self._compose = compose
        self._demo = demo
        # The 经办人 is the last user who logged in on this profile (read from the store once
        # it is open); the OS account stands in only before anyone ever logged in.
        self.user = CurrentUser(actor or os_user_name())
        self.unlocker = StoreUnlocker(paths)
        self.store: Store | None = None
        self.services: AppServices | None = None
        self.window: MainWindow | None = None
        self.sync: SyncController | None = None
        self.lock: ScreenLock | None = None
        self.dialog: UnlockDialog | None = None
        self.error_box: QMessageBox | None = None
        self.busy = BusyWindow()

    def start(self) -> None:
        """Begin; the outcome is one of the signals, emitted from the event loop."""
        try:
            mode = self.unlocker.mode()
        except StoreError as exc:
            self._fatal(str(exc), EXIT_STORE_ERROR)
            return
        if mode.needs_passphrase:
            self.dialog = UnlockDialog(self.unlocker, self._tasks, mode=mode)
            self.dialog.finished.connect(self._on_dialog_finished)
            self.dialog.open()
            _once_painted(self.dialog, self._preload)
            return
        self.busy.show_message(self.tr("正在打开本地数据库…"))

        def unlock() -> None:
            self._preload()
            self._tasks.run_db(self.unlocker.unlock, self._on_store, self._on_error)

        _once_painted(self.busy, unlock)

    def _preload(self) -> None:
        """Load the modules the open store needs while the first window is up (see above)."""
        self._tasks.run_db(
            lambda: _import_all(PRELOAD_STORE_MODULES),
            lambda _none: self._preload_ui(iter(PRELOAD_UI_MODULES)),
            lambda exc: log.warning("preloading failed (loaded when needed): %r", exc),
            context=self,
        )

    def _preload_ui(self, names: Iterator[str]) -> None:
        name = next(names, None)
        if name is None or self.window is not None:
            return
        _import_all((name,))
        QTimer.singleShot(0, self, lambda: self._preload_ui(names))

    def _on_dialog_finished(self, result: int) -> None:
        dialog = self.dialog
        assert dialog is not None
        store = dialog.store
        dialog.deleteLater()
        self.dialog = None
        if result == QDialog.DialogCode.Accepted and store is not None:
            self._on_store(store)
        else:
            self.exit_requested.emit(EXIT_OK)

    def _on_store(self, store: Store) -> None:
        self.store = store
        self._tasks.run_db(lambda: stored_display_name(store), self._on_user_known, self._on_error)

    def _on_user_known(self, display_name: str | None) -> None:
        if display_name:
            self.user.logged_in(display_name)
        self._seed_demo()

    def _seed_demo(self) -> None:
        store = self.store
        assert store is not None
        if not self._demo:
            self._show_main()
            return
        from desktop_app.services.registry import seed_demo_if_empty

        self.busy.show_message(self.tr("正在准备演示数据…"))
        self._tasks.run_db(
            lambda: seed_demo_if_empty(store),
            lambda _added: self._show_main(),
            self._on_error,
        )

    def _show_main(self) -> None:
        from ui.idle_lock import ScreenLock

        self.busy.close()
        assert self.store is not None
        self.services, self.sync, self.window = self._compose(
            self.store,
            self.unlocker,
            self.user,
            self._tasks,
            self._settings,
            self._paths,
            demo=self._demo,
        )
        self.sync.revoked.connect(self._on_revoked)
        # After a while idle (设置 → 自动锁定) the client locks until the user is checked again.
        self.lock = ScreenLock(
            self.window, self.services, self._tasks, self._settings, sync=self.sync
        )
        self.lock.quit_requested.connect(lambda: self.exit_requested.emit(EXIT_OK))
        self.window.show()
        # A new profile is greeted once (non-modal: nothing waits on it).
        self.window.show_first_run_guide_once()
        # What start-up made lives as long as the process: out of the collector's way, so a
        # full collection during a long pull does not freeze the window (desktop_app.heap).
        # Once the window has painted: settling is itself one full collection (~40 ms).
        QTimer.singleShot(SETTLE_HEAP_AFTER_MS, self, heap.settle)
        self.sync.start()
        self.ready.emit(self.window)

    def _on_revoked(self, message: str) -> None:
        # The store is gone: nothing may touch it again, so the client exits after the
        # user has read why (the next start creates a fresh store and asks for a login).
        self.services = None
        self.store = None
        if self.lock is not None:
            self.lock.stop()
        if self.window is not None:
            self.window.hide()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("设备已被注销"),
            message + "\n\n" + self.tr("本机数据已清除，客户端将退出。"),
        )
        box.finished.connect(lambda _result: self.exit_requested.emit(EXIT_DEVICE_REVOKED))
        self.error_box = box
        box.open()

    def _on_error(self, exc: Exception) -> None:
        self.busy.close()
        if isinstance(exc, StoreError):
            self._fatal(str(exc), EXIT_STORE_ERROR)
            return
        log.error("start-up failed", exc_info=exc)
        self._fatal(
            self.tr("启动失败（{error}）。详细信息已写入日志，请联系管理员。").format(
                error=type(exc).__name__
            ),
            EXIT_UNEXPECTED,
        )

    def _fatal(self, message: str, code: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("无法打开本地数据库"), message)
        box.finished.connect(lambda _result: self.exit_requested.emit(code))
        self.error_box = box
        box.open()

    def close(self) -> None:
        """Close the store on the database worker (after the event loop has ended)."""
        self.busy.close()
        if self.lock is not None:
            self.lock.stop()
        if self.sync is not None:
            self.sync.shutdown()
        store = self.services.store if self.services is not None else self.store
        if store is None:
            return

        def close_store() -> None:
            try:
                store.close()
            except Exception:
                log.exception("closing the store failed")

        self._tasks.run_db(close_store)


class _FirstPaint(QObject):
    """Runs ``then`` once, on the event-loop turn after ``widget`` first paints.

    Or after :data:`PRELOAD_LATEST_AFTER_MS` if the widget has not painted by then. A child
    of the widget, holding no Python reference to it (a reference cycle through the child
    would leave the window's deletion to the garbage collector, at any moment).
    """

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(PRELOAD_LATEST_AFTER_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            widget = self.parent()
            if widget is not None:
                widget.removeEventFilter(self)
            then()


def _once_painted(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once ``widget`` (just shown) has painted (see :class:`_FirstPaint`)."""
    _FirstPaint(widget, then)


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


def _log_unhandled(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an exception nobody caught (a bug); the user is not shown a traceback."""
    log.critical("unhandled exception", exc_info=(kind, exc, tb))


def run_gui(
    paths: ProfilePaths,
    settings: Settings,
    *,
    compose: Compose,
    demo: bool,
    argv: list[str],
    platform_url: str | None = None,
) -> int:
    """Run the desktop client until its main window closes.

    Args:
        paths: The profile's files.
        settings: The profile's preferences.
        compose: Wires the client once the store is open (the composition root's).
        demo: Fill an empty entity cache with demo data first.
        argv: Command-line arguments for Qt.
        platform_url: The municipal platform to sync with (remembered in the settings).

    Returns:
        The process exit code: 0 normally or when the user cancels the unlock, 2 when the
        store cannot be opened (after the user has read why), 3 when the platform revoked
        the device and the store was wiped.
    """
    app = create_application(argv, settings)
    sys.excepthook = _log_unhandled
    # The unlock dialog and the busy window come and go before the main window exists.
    app.setQuitOnLastWindowClosed(False)
    tasks = TaskManager()
    flow = StartupFlow(
        paths, settings, tasks, compose=compose, demo=demo, platform_url=platform_url
    )
    flow.exit_requested.connect(app.exit)
    flow.ready.connect(lambda _window: app.setQuitOnLastWindowClosed(True))
    flow.start()
    code = app.exec()
    flow.close()
    tasks.shutdown()
    return code
