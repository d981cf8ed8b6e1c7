"""Holding the database worker busy, so a test can type while a save waits for it.

A real save on a small test store finishes in milliseconds; a real one on a clerk's machine
may wait behind another transaction. :func:`held_db_worker` queues a task that blocks the
one database worker until the ``with`` block ends: a save submitted inside the block runs,
and its callback arrives, only after the typing the test does meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ui.taskman import TaskManager


@contextmanager
def held_db_worker(tasks: TaskManager, timeout: float = 20.0) -> Iterator[None]:
    """Block the database worker for the duration of the block."""
    started, release = threading.Event(), threading.Event()

    def block() -> None:
        started.set()
        release.wait(timeout)

    tasks.run_db(block)
    assert started.wait(10), "the database worker did not pick up the blocking task"
    try:
        yield
    finally:
        release.set()
