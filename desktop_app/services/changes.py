"""One change-notification path out of the store: "these tables changed", after each commit.

Every write to the store — a pulled page, 离线准备, a registry import, a form saved on a
page — ends in a committed transaction on the store's engine. :class:`StoreChanges` watches
the engine itself (every INSERT, UPDATE and DELETE, whichever module issued it, ORM or raw
SQL) and, once the transaction commits, tells its listeners which tables it changed. A
rolled-back transaction tells nobody.

It is plain Python, without Qt: listeners are called on the thread that committed (the
database worker). The UI's adapter (``ui.store_events``) re-emits that as a queued signal on
the GUI thread and debounces it, so pages refresh once after a burst of commits.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Listener = Callable[[frozenset[str]], None]

_WRITE = re.compile(
    r"""^\s*(?:INSERT|REPLACE|UPDATE|DELETE)\b(?:\s+OR\s+\w+)?\s+(?:INTO\s+|FROM\s+)?
        ["`\[]?(\w+)""",
    re.IGNORECASE | re.VERBOSE,
)
_PENDING = "credit_desk_changed_tables"

ENTITIES = "entities"
REFERENCE_RECORDS = "reference_records"
FORM_RECORDS = "form_records"
CONFLICTS = "conflicts"
SYNC_ERRORS = "sync_errors"
SYNC_RUNS = "sync_runs"
SYNC_STATE = "sync_state"
OUTBOX = "outbox"
ISSUED_REPORTS = "issued_reports"
ATTACHMENTS = "attachments"
AUDIT_LOG = "audit_log"

__all__ = ["Listener", "StoreChanges", "written_table"]


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, or None for anything else."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


class StoreChanges:
    """Tells listeners which tables each committed write transaction changed.

    Attach it to an engine with :meth:`attach` (again after the store re-opened its engine,
    e.g. after a re-key). Listeners must be quick and must not write to the store: they run on
    the committing thread, inside the commit's aftermath.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._engine: Engine | None = None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(tables)`` after every commit that changed ``tables``.

        Returns:
            A function that unsubscribes ``listener``.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def notify(self, tables: frozenset[str]) -> None:
        """Tell every listener that ``tables`` changed (also for changes made outside SQL)."""
        if not tables:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(tables)
            except Exception:
                # A broken listener must not turn a committed save into an error.
                log.exception("store change listener failed")

    def attach(self, engine: Engine) -> None:
        """Watch ``engine``'s writes (detaching from the engine watched before, if any)."""
        with self._lock:
            old, self._engine = self._engine, engine
        if old is engine:
            return
        if old is not None:
            self._remove(old)
        event.listen(engine, "before_cursor_execute", self._on_execute)
        event.listen(engine, "commit", self._on_commit)
        event.listen(engine, "rollback", self._on_rollback)

    def detach(self) -> None:
        """Stop watching the engine."""
        with self._lock:
            old, self._engine = self._engine, None
        if old is not None:
            self._remove(old)

    def _remove(self, engine: Engine) -> None:
        for name, fn in (
            ("before_cursor_execute", self._on_execute),
            ("commit", self._on_commit),
            ("rollback", self._on_rollback),
        ):
            if event.contains(engine, name, fn):
                event.remove(engine, name, fn)

    def _on_execute(
        self,
        conn: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        table = written_table(statement)
        if table is not None:
            conn.info.setdefault(_PENDING, set()).add(table)

    def _on_commit(self, conn: Connection) -> None:
        # This runs as the COMMIT is issued; listeners hear of it once it has completed, so
        # whatever they read then sees the change (the store's writes all go through a Session).
        tables = conn.info.pop(_PENDING, None)
        if tables:
            pending = _committing()
            _, before = pending.get(id(self), (self, frozenset()))
            pending[id(self)] = (self, before | tables)

    def _on_rollback(self, conn: Connection) -> None:
        conn.info.pop(_PENDING, None)
        _committing().pop(id(self), None)  # a COMMIT that failed rolls back


# Commits issued on this thread, told once they completed: one listener for every Session
# (the store's writes all go through one), not one per notifier.
_COMMITTED = threading.local()


def _committing() -> dict[int, tuple[StoreChanges, frozenset[str]]]:
    pending: dict[int, tuple[StoreChanges, frozenset[str]]] | None = getattr(
        _COMMITTED, "pending", None
    )
    if pending is None:
        pending = _COMMITTED.pending = {}
    return pending


@event.listens_for(Session, "after_commit")
def _after_session_commit(_session: Session) -> None:
    pending = _committing()
    if not pending:
        return
    done = list(pending.values())
    pending.clear()
    for changes, tables in done:
        changes.notify(tables)
