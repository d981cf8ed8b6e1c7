"""The one thin Qt adapter of the store's change notifications.

:class:`~desktop_app.services.changes.StoreChanges` calls its listeners on the thread that
committed (the database worker). :class:`StoreEvents` turns each call into a queued signal,
gathers the changed tables on the GUI thread, and after a short quiet spell emits
:attr:`StoreEvents.changed` once — so a pull of a thousand pages, or a burst of saves,
refreshes each page once rather than a thousand times. While a sync runs it holds the news
back entirely (:meth:`hold`), so the pages' reloads do not queue up behind the sync on the
database worker; :meth:`release` lets the gathered news out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from desktop_app.services import changes as tables
from desktop_app.services.changes import StoreChanges

DEBOUNCE_MS = 200

# What each kind of view shows, by the tables it reads. The audit log is no page's data:
# looking an entity up writes to it, and a page that refreshed on it would loop.
FORMS = frozenset({tables.FORM_RECORDS, tables.ATTACHMENTS, tables.CONFLICTS})
REFERENCE = frozenset({tables.REFERENCE_RECORDS, tables.ENTITIES})
ISSUED = frozenset({tables.ISSUED_REPORTS})
STATUS = frozenset(
    {
        tables.ENTITIES,
        tables.OUTBOX,
        tables.SYNC_STATE,
        tables.SYNC_RUNS,
        tables.FORM_RECORDS,
        tables.CONFLICTS,
    }
)


class StoreEvents(QObject):
    """Re-emits "tables changed" from any thread as one debounced signal on the GUI thread.

    Args:
        source: The store's notifier (``AppServices.changes``).
        parent: Qt parent.

    Signals:
        changed(object): A frozenset of the tables changed since the last emission.
        arrived(object): The tables of one commit, as soon as it reached the GUI thread (not
            debounced: for views that only note that what they show has become stale).
    """

    changed = Signal(object)
    arrived = Signal(object)
    _arrived = Signal(object)

    def __init__(self, source: StoreChanges, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._holds = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._gather, Qt.ConnectionType.QueuedConnection)
        # Emitting a signal is safe from any thread; the queued connection brings it here.
        self._unsubscribe = source.subscribe(self._arrived.emit)

    def close(self) -> None:
        """Stop listening (the window is closing or the store is gone)."""
        self._unsubscribe()
        self._timer.stop()

    def hold(self) -> None:
        """Gather news without emitting it until :meth:`release` (a sync is running)."""
        self._holds += 1
        self._timer.stop()

    def release(self) -> None:
        """Emit what was gathered while held (after the usual short delay)."""
        self._holds = max(0, self._holds - 1)
        if self._holds == 0 and self._pending:
            self._timer.start()

    def connect_view(self, refresh: Callable[[], object], watched: Iterable[str]) -> None:
        """Call ``refresh()`` whenever one of the ``watched`` tables changed."""
        wanted = frozenset(watched)

        def on_changed(changed: object) -> None:
            if isinstance(changed, frozenset) and changed & wanted:
                refresh()

        self.changed.connect(on_changed)

    def _gather(self, changed: object) -> None:
        if isinstance(changed, frozenset):
            self._pending |= changed
            self.arrived.emit(changed)
        if self._holds == 0:
            self._timer.start()  # restarts: emitted once the commits pause

    def _flush(self) -> None:
        if self._holds or not self._pending:
            return
        changed, self._pending = frozenset(self._pending), set()
        self.changed.emit(changed)
