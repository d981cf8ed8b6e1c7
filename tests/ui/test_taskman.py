from __future__ import annotations

import gc
import sys
import threading
import time

import pytest

from PySide6.QtCore import QObject

from ui.taskman import TaskManager


def test_result_arrives_on_gui_thread(qtbot, tasks: TaskManager) -> None:
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    tasks.run_db(work, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["callback"] == gui
    assert seen["worker"] != gui


def test_exception_arrives_on_failure_callback(qtbot, tasks: TaskManager) -> None:
    gui = threading.get_ident()
    results: list[object] = []
    errors: list[tuple[Exception, int]] = []

    def work() -> None:
        raise ValueError("坏了")

    tasks.run_db(work, results.append, lambda exc: errors.append((exc, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    exc, thread = errors[0]
    assert isinstance(exc, ValueError)
    assert str(exc) == "坏了"
    assert thread == gui
    assert results == []


def test_db_tasks_run_one_at_a_time_in_order(qtbot, tasks: TaskManager) -> None:
    lock = threading.Lock()
    running = 0
    overlap = False
    order: list[int] = []
    threads: set[int] = set()
    delivered: list[int] = []

    def make(i: int):
        def work() -> int:
            nonlocal running, overlap
            with lock:
                running += 1
                overlap = overlap or running > 1
            threads.add(threading.get_ident())
            time.sleep(0.002)  # worker thread only: widens the window for an overlap
            order.append(i)
            with lock:
                running -= 1
            return i

        return work

    for i in range(30):
        tasks.run_db(make(i), delivered.append)
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        pass
    assert not overlap
    assert order == list(range(30))
    assert delivered == list(range(30))
    assert len(threads) == 1


def test_network_tasks_run_in_parallel(qtbot, tasks: TaskManager) -> None:
    barrier = threading.Barrier(2, timeout=5)
    done: list[str] = []

    def work() -> str:
        barrier.wait()  # only passes if both tasks run at the same time
        return "ok"

    tasks.run_net(work, done.append)
    tasks.run_net(work, done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    assert done == ["ok", "ok"]


def test_render_work_runs_beside_a_busy_database_worker(qtbot, tasks: TaskManager) -> None:
    release = threading.Event()
    done: list[str] = []
    tasks.run_db(lambda: release.wait(5))  # the database worker is busy (a long sync)
    tasks.run_cpu(lambda: threading.current_thread().name, done.append)
    qtbot.waitUntil(lambda: len(done) == 1, timeout=5000)
    release.set()
    with qtbot.waitSignal(tasks.idle, timeout=5000):
        pass
    assert done[0] != threading.main_thread().name


def test_callbacks_of_a_deleted_context_are_skipped(qtbot, tasks: TaskManager) -> None:
    context = QObject()
    release = threading.Event()
    called: list[object] = []
    tasks.run_db(lambda: release.wait(5), called.append, context=context)
    with qtbot.waitSignal(context.destroyed, timeout=5000):
        context.deleteLater()
    release.set()
    with qtbot.waitSignal(tasks.idle, timeout=5000):
        pass
    assert called == []


def test_unhandled_error_is_raised_on_gui_thread(qtbot, tasks: TaskManager) -> None:
    def work() -> None:
        raise RuntimeError("没有处理的错误")

    with qtbot.captureExceptions() as exceptions:
        tasks.run_db(work)
        qtbot.waitUntil(lambda: bool(exceptions), timeout=5000)
    assert isinstance(exceptions[0][1], RuntimeError)


def test_shutdown_waits_and_refuses_new_work(qtbot) -> None:
    manager = TaskManager()
    finished = threading.Event()
    manager.run_db(lambda: finished.set())
    assert manager.shutdown(5000)
    assert finished.is_set()
    with pytest.raises(RuntimeError):
        manager.run_db(lambda: None)
    manager.deleteLater()


def test_thousands_of_results_do_not_exhaust_bool_refcounts(qtbot, tasks: TaskManager) -> None:
    # PySide6 6.12.0 drops a reference to True on every emit() and the interpreter aborts
    # after a few hundred results (pyproject excludes that release); this catches a relapse.
    # Collect first: garbage left by earlier tests (pulled records holding True) would
    # otherwise be freed by a collection during the loop and look like a lost reference.
    gc.collect()
    before = sys.getrefcount(True)
    delivered: list[int] = []
    for i in range(3000):
        tasks.run_db(lambda i=i: i, delivered.append)
    qtbot.waitUntil(lambda: len(delivered) == 3000, timeout=20_000)
    assert delivered == list(range(3000))
    assert sys.getrefcount(True) > before - 500


def test_a_db_task_runs_while_a_sync_runs(qtbot, tasks: TaskManager) -> None:
    # A user's save must not wait for a whole sync: the sync has its own worker.
    release = threading.Event()
    order: list[str] = []
    threads: dict[str, int] = {}

    def sync() -> None:
        threads["sync"] = threading.get_ident()
        release.wait(10)
        order.append("sync")

    def save() -> None:
        threads["db"] = threading.get_ident()
        order.append("save")

    tasks.run_sync(sync)
    tasks.run_db(save)
    qtbot.waitUntil(lambda: order == ["save"], timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    assert order == ["save", "sync"]
    assert threads["sync"] != threads["db"]


def test_the_db_worker_is_one_python_thread_whose_locals_persist(qtbot, tasks: TaskManager) -> None:
    # SQLAlchemy keeps each thread's SQLCipher connection in a threading.local: if the
    # worker lost its thread state between tasks, every task would open a new connection.
    local = threading.local()
    seen: list[object] = []

    def work(i: int) -> None:
        seen.append(getattr(local, "value", None))
        local.value = i

    for i in range(3):
        tasks.run_db(lambda i=i: work(i))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [None, 0, 1]
