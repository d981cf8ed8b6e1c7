"""自动锁定: after a while without input the client locks itself until the user is checked again.

Window machines are shared and laptops are left open on site. :class:`IdleMonitor` notes every
keyboard, mouse, wheel and touch event of the application; when none came for the configured
minutes (``settings.json``: ``auto_lock_minutes``, default 10, on the 设置 page) it says so,
and :class:`ScreenLock` locks:

1. the main window's content and every other open window are hidden at once;
2. every form's draft is written now (:class:`~ui.widgets.drafts.DraftKeeper`), so what was
   typed is in the store before it closes, and stays in its widgets for after the unlock;
3. the sync is paused (a running one is cancelled at its next batch or page and ends);
4. then, behind whatever database task is still queued, the store is closed and its key
   dropped (:meth:`StoreUnlocker.lock`);
5. the lock prompt (:class:`~ui.unlock_dialog.UnlockDialog` with ``relock``) asks for the
   passphrase, or the OS account's password on a keyring profile; on success the same store
   takes its key back, the windows come back as they were and the sync resumes. ``退出``
   quits the client (the drafts are offered again at the next start).

``Ctrl+L`` locks at once. Time comes from an injected clock, so tests lock in milliseconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.config import Settings
from desktop_app.services.app import AppServices
from ui.taskman import TaskManager
from ui.unlock_dialog import UnlockDialog
from ui.widgets.drafts import DraftKeeper

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

CHECK_MS = 5_000
SYNC_WAIT_MS = 50

Clock = Callable[[], float]
"""Seconds on a monotonic scale (``time.monotonic`` in the app; a settable one in tests)."""

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleMonitor(QObject):
    """Says when the user has not touched the application for ``timeout()`` seconds.

    Args:
        timeout: Seconds of no input before :attr:`idle` (read at every check, so a changed
            setting applies at once).
        clock: The time source.
        check_ms: How often the idle time is compared with the timeout.
        parent: Qt parent.

    Signals:
        idle(): No input for the timeout; not emitted again until :meth:`reset`.
    """

    idle = Signal()

    def __init__(
        self,
        timeout: Callable[[], float],
        *,
        clock: Clock = time.monotonic,
        check_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._timeout = timeout
        self._clock = clock
        self._last = clock()
        self._armed = True
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @property
    def idle_seconds(self) -> float:
        """Seconds since the last input."""
        return self._clock() - self._last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the time of every input event (nothing is filtered out)."""
        if event.type() in _INPUT_EVENTS:
            self._last = self._clock()
        return False

    def check(self) -> None:
        """Emit :attr:`idle` when the timeout has passed since the last input."""
        if self._armed and self.idle_seconds >= self._timeout():
            self._armed = False
            self.idle.emit()

    def reset(self) -> None:
        """Count from now again and watch for the next idle spell (after an unlock)."""
        self._last = self._clock()
        self._armed = True

    def pause(self) -> None:
        """Emit nothing until :meth:`reset` (while locked)."""
        self._armed = False

    def stop(self) -> None:
        """Stop watching (the window closed)."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class Pausable(Protocol):
    """What :class:`ScreenLock` needs of the sync controller."""

    running: bool

    def pause(self) -> None:
        """Stop syncing; a running sync is cancelled."""
        ...

    def resume(self) -> None:
        """Sync again."""
        ...


class LockState(Enum):
    """Where the lock stands."""

    UNLOCKED = "unlocked"
    LOCKING = "locking"
    """Content hidden; waiting for the sync and queued database tasks before the store closes."""
    LOCKED = "locked"


class ScreenLock(QObject):
    """Locks the client after :class:`IdleMonitor` says so (or on ``Ctrl+L``) and unlocks it.

    Args:
        window: The main window (its content is hidden while locked).
        services: The open profile's services (its store is locked and reopened in place).
        tasks: The background runner (the store closes on its database worker).
        settings: Where the auto-lock minutes are.
        sync: The sync controller, paused while locked.
        clock: The idle monitor's time source.
        check_ms: How often the idle time is checked.

    Signals:
        locked(): The store is closed and the lock prompt shown.
        unlocked(): The user was checked; the store is open and the windows are back.
        quit_requested(): The user chose 退出 at the lock prompt.
    """

    locked = Signal()
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        window: MainWindow,
        services: AppServices,
        tasks: TaskManager,
        settings: Settings,
        *,
        sync: Pausable | None = None,
        clock: Clock = time.monotonic,
        check_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._window = window
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._sync = sync
        self.state = LockState.UNLOCKED
        self.dialog: UnlockDialog | None = None
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self._idle_minutes: int | None = None
        self.monitor = IdleMonitor(
            lambda: settings.auto_lock_minutes * 60.0, clock=clock, check_ms=check_ms, parent=self
        )
        self.monitor.idle.connect(self._on_idle)
        self.lock_action = QAction(self.tr("锁定"), window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(lambda _checked=False: self.lock())
        window.addAction(self.lock_action)

    def stop(self) -> None:
        """Stop watching for idleness (the client is closing or was wiped)."""
        self.monitor.stop()

    # -- locking -------------------------------------------------------------------------

    def _on_idle(self) -> None:
        self.lock(idle_minutes=self._settings.auto_lock_minutes)

    def lock(self, *, idle_minutes: int | None = None) -> None:
        """Lock now: hide, keep the drafts, pause the sync, then close the store."""
        if self.state is not LockState.UNLOCKED:
            return
        log.info("locking the client%s", " (idle)" if idle_minutes else "")
        self.state = LockState.LOCKING
        self._idle_minutes = idle_minutes
        self.monitor.pause()
        self._focus = QApplication.focusWidget()
        self._hide_windows()
        self._flush_drafts()
        if self._sync is not None:
            self._sync.pause()
        self._close_store()

    def _hide_windows(self) -> None:
        window = self._window
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is window or not widget.isVisible() or isinstance(widget, UnlockDialog):
                continue
            if widget.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                self._hidden.append(widget)  # menus and tooltips are simply closed
            widget.hide()
        window.set_locked(True)

    def _flush_drafts(self) -> None:
        # A form typed into less than a second ago has its draft still waiting: write it now
        # (queued on the database worker ahead of the store's closing).
        seen: set[int] = set()
        for top in QApplication.topLevelWidgets():
            for keeper in top.findChildren(DraftKeeper):
                if id(keeper) not in seen and keeper.waiting:
                    seen.add(id(keeper))
                    keeper.flush()

    def _close_store(self) -> None:
        if self.state is not LockState.LOCKING:
            return
        if self._sync is not None and self._sync.running:
            # The cancelled sync stops at its next batch or page; wait for it to end.
            QTimer.singleShot(SYNC_WAIT_MS, self, self._close_store)
            return
        unlocker, store = self._services.unlocker, self._services.store
        self._tasks.run_db(
            lambda: unlocker.lock(store), self._on_store_locked, self._on_lock_failed, context=self
        )

    def _on_store_locked(self, _result: object = None) -> None:
        self.state = LockState.LOCKED
        self.locked.emit()
        self._ask()

    def _on_lock_failed(self, exc: Exception) -> None:
        # The key is dropped even when the last checkpoint failed (Store.lock); ask anyway.
        log.error("locking the store failed", exc_info=exc)
        self._on_store_locked()

    # -- unlocking -----------------------------------------------------------------------

    def _ask(self) -> None:
        dialog = UnlockDialog(
            self._services.unlocker,
            self._tasks,
            relock=self._services.store,
            idle_minutes=self._idle_minutes,
        )
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        # show(), not open(): open() would make it modal to its (absent) parent only.
        dialog.show()
        dialog.activateWindow()

    def _on_dialog_finished(self, result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is not None:
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            log.info("quitting from the lock prompt")
            self.quit_requested.emit()
            return
        self._restore()

    def _restore(self) -> None:
        self.state = LockState.UNLOCKED
        self._window.set_locked(False)
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden = []
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.activateWindow()
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._sync is not None:
            self._sync.resume()
        self.monitor.reset()
        log.info("client unlocked")
        self.unlocked.emit()
