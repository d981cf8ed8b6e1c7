"""The one background runner of the UI, after Anki's ``aqt/taskman.py``.

Database work runs on a single, never-recycled worker thread, one task at a time in the order
it was submitted: each thread holds its own SQLCipher connection, and one writer at a time is
what SQLite wants anyway. A sync runs on a second never-recycled thread with its own
connection (:meth:`TaskManager.run_sync`): it works in short transactions, one push batch or
pull page at a time, so a user's save queued on the database worker runs between two of them
instead of waiting for the whole sync (WAL lets it read meanwhile; ``busy_timeout`` makes a
writer wait for the other's short transaction). Network work runs on a separate pool in
parallel.
Results and exceptions come back on the GUI thread through a queued signal, so callbacks may
touch widgets freely.

Usage::

    tasks.run_db(lambda: services.lookup.lookup(text), on_done=self.show_result,
                 on_error=self.show_error, context=self)
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[Exception], None]


class _SerialWorker:
    """One long-lived Python thread running jobs one at a time, in order.

    The database and sync workers are plain Python threads, not a ``QThreadPool``'s: a pool
    thread is not a Python thread, so Python drops its thread state (and every
    ``threading.local``) after each job, and SQLAlchemy's one-connection-per-thread pool then
    opened a fresh SQLCipher connection (and a cold page cache) for nearly every task, and
    closed other threads' connections when it trimmed itself.
    """

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def start(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def finish(self, timeout_ms: int) -> bool:
        """Run what is queued, then end the thread; whether it ended in time."""
        self._jobs.put(None)
        self._thread.join(timeout_ms / 1000)
        return not self._thread.is_alive()


@dataclass(frozen=True)
class _Outcome:
    """What a finished task hands back to the GUI thread."""

    result: Any
    error: Exception | None
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    context: QObject | None


class TaskManager(QObject):
    """Runs blocking work off the GUI thread and delivers outcomes back on it.

    Signals:
        idle: No submitted task is still waiting for its callback.
    """

    idle = Signal()
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None, *, network_threads: int = 4) -> None:
        super().__init__(parent)
        # Each keeps its thread, and so its store connection, for the manager's life.
        self._db_pool = _SerialWorker("db-worker")
        self._sync_pool = _SerialWorker("sync-worker")
        self._net_pool = QThreadPool()
        self._net_pool.setObjectName("network")
        self._net_pool.setMaxThreadCount(network_threads)
        self._cpu_pool = QThreadPool()
        self._cpu_pool.setObjectName("render")
        self._cpu_pool.setMaxThreadCount(1)
        self._pending = 0
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet."""
        return self._pending

    def run_db(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Queue ``fn`` on the database worker (strictly one task at a time, in order).

        Args:
            fn: The work; it must not touch widgets.
            on_done: Called on the GUI thread with ``fn``'s return value.
            on_error: Called on the GUI thread with the exception ``fn`` raised. Without
                one, the exception is logged and raised again on the GUI thread.
            context: When given, the callbacks are skipped if this object has been deleted
                by then (a closed dialog, a replaced page).
        """
        self._submit(self._db_pool, fn, on_done, on_error, context)

    def run_sync(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Run a sync (or other long store work in short transactions) on its own worker.

        The worker is one never-recycled thread, so it keeps one store connection of its own;
        database tasks go on running on the database worker meanwhile. ``fn`` must keep each
        write transaction short (a batch or a page), or it holds up the database worker's
        writers. The arguments are as for :meth:`run_db`.
        """
        self._submit(self._sync_pool, fn, on_done, on_error, context)

    def run_net(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Run ``fn`` on the network pool, in parallel with other network tasks.

        Network tasks must not use the store; they hand results to a database task instead.
        The arguments are as for :meth:`run_db`.
        """
        self._submit(self._net_pool, fn, on_done, on_error, context)

    def run_cpu(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Run slow computation (rendering a PDF) on its own worker, one task at a time.

        Like network tasks, it must not use the store or any widget. The arguments are as for
        :meth:`run_db`.
        """
        self._submit(self._cpu_pool, fn, on_done, on_error, context)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Wait for running and queued tasks, then stop the worker threads.

        Callbacks of tasks that finish after this point are dropped. Call it once, after the
        event loop has ended (or at the end of a test).

        Args:
            timeout_ms: How long to wait for each pool.

        Returns:
            Whether all work finished in time.
        """
        self._closed = True
        finished = True
        for worker in (self._db_pool, self._sync_pool):
            finished = worker.finish(timeout_ms) and finished
        for pool in (self._net_pool, self._cpu_pool):
            if not shiboken6.isValid(pool):
                continue
            finished = pool.waitForDone(timeout_ms) and finished
            if finished:
                # The destructor joins the (otherwise immortal) worker thread.
                shiboken6.delete(pool)
        return finished

    def _submit(
        self,
        pool: QThreadPool | _SerialWorker,
        fn: Callable[[], Any],
        on_done: DoneCallback | None,
        on_error: ErrorCallback | None,
        context: QObject | None,
    ) -> None:
        if self._closed:
            raise RuntimeError("the task manager has been shut down")
        self._pending += 1
        emit = self._finished.emit

        def job() -> None:
            try:
                outcome = _Outcome(fn(), None, on_done, on_error, context)
            except Exception as exc:  # handed to the GUI thread as a value, like a result
                outcome = _Outcome(None, exc, on_done, on_error, context)
            emit(outcome)

        pool.start(job)

    def _deliver(self, outcome: _Outcome) -> None:
        self._pending -= 1
        try:
            if self._closed:
                return
            if outcome.context is not None and not shiboken6.isValid(outcome.context):
                return
            if outcome.error is None:
                if outcome.on_done is not None:
                    outcome.on_done(outcome.result)
                return
            if outcome.on_error is not None:
                outcome.on_error(outcome.error)
                return
            log.error("background task failed", exc_info=outcome.error)
            raise outcome.error
        finally:
            if self._pending == 0:
                self.idle.emit()
