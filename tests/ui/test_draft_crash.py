"""Nothing typed is lost on a crash: a real client process is SIGKILLed with two forms half typed.

The client (``draft_client.py``) runs the real GUI offscreen on a real SQLCipher profile,
types into a 检查记录 and a 新建承诺 form with QTest, waits until both drafts are committed,
and is killed with SIGKILL. The next start (here in-process, on the same profile) offers both
drafts back; accepting refills each form with what was typed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest

from PySide6.QtWidgets import QMessageBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitment_catalog import CATALOG
from desktop_app.domain.inspections import ItemResult
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.database import Store
from sync.events import SyncReport
from sync.pull import apply_page
from sync.report_signing import DeviceReportSigner
from sync.transport import PulledChange
from tests.memory_keyring import FileKeyring
from tests.ui.conftest import run_on_db
from tests.ui.draft_client import TYPED, keyring_file
from ui.main_window import MainWindow
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import NewCommitmentDialog

CLIENT = Path(__file__).with_name("draft_client.py")
ROOT = Path(__file__).resolve().parents[2]
TASK = "T-CRASH-1"
CHECKLIST = "CL-CRASH"


def _reference(uscc: str, name: str) -> list[PulledChange]:
    """The catalog, complete calendars, a checklist and one inspection task, as a pull brings."""
    changes = [PulledChange("commitment_catalog", mid, 1, False, dict(f)) for mid, f in CATALOG]
    for year in (date.today().year, date.today().year + 1):
        changes.append(
            PulledChange(
                "calendar_overrides", f"year-{year}", 1, False, {"year": year, "complete": True}
            )
        )
    items = [
        {"no": 1, "item": "是否按时公示年度报告", "legal_basis": "《企业信息公示暂行条例》"},
        {"no": 2, "item": "住所能否联系", "legal_basis": "《市场主体登记管理条例》"},
    ]
    changes.append(
        PulledChange(
            "checklists",
            CHECKLIST,
            1,
            False,
            {
                "domain": "企业信息公示",
                "title": "公示信息检查表",
                "legal_basis": "",
                "items": items,
            },
        )
    )
    changes.append(
        PulledChange(
            "inspection_tasks",
            TASK,
            1,
            False,
            {
                "draw_id": "D-1",
                "draw_title": "双随机抽查",
                "uscc": uscc,
                "entity_name": name,
                "inspectors": ["窗口测试"],
                "checklist_id": CHECKLIST,
                "assigned_on": date.today().isoformat(),
                "due_on": date.today().isoformat(),
                "due_note": None,
                "status": "assigned",
            },
        )
    )
    return changes


@pytest.fixture
def profile_on_disk(tmp_path: Path, qtbot, tasks: TaskManager) -> tuple[ProfilePaths, str]:
    """A real profile (key in a file keyring both processes read), seeded; (paths, uscc)."""
    paths = ProfilePaths(tmp_path / "profile")
    paths.ensure()
    keyring.set_keyring(FileKeyring(keyring_file(paths.data_dir)))
    store: Store = run_on_db(qtbot, tasks, StoreUnlocker(paths).unlock)
    try:
        entity = next(iter(generate_entities(5, seed=3)))
        uscc, name = str(entity["uscc"]), str(entity["name"])

        def seed() -> None:
            import_entities(store, generate_entities(5, seed=3))
            with store.write() as s:
                apply_page(s, _reference(uscc, name), SyncReport())

        run_on_db(qtbot, tasks, seed)
    finally:
        run_on_db(qtbot, tasks, store.close)
    return paths, uscc


@pytest.fixture
def client_procs() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        if proc.stdout is not None and not proc.stdout.closed:
            proc.stdout.close()


def _wait_line(proc: subprocess.Popen[str], wanted: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == wanted:
            return
    raise AssertionError(f"client ended (code {proc.wait()}) before printing {wanted!r}")


def _restore(box: QMessageBox) -> None:
    assert box.windowTitle() == "恢复未保存的草稿？" and "发现未保存的草稿" in box.text()
    next(b for b in box.buttons() if b.text() == "恢复").click()


def test_forms_half_typed_when_the_client_is_killed_are_offered_back(
    qtbot,
    tasks: TaskManager,
    profile_on_disk: tuple[ProfilePaths, str],
    client_procs: list[subprocess.Popen[str]],
    app,
) -> None:
    paths, uscc = profile_on_disk
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, str(CLIENT), str(paths.data_dir), uscc, TASK],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    client_procs.append(proc)
    _wait_line(proc, "ready")
    _wait_line(proc, "draft inspection")
    _wait_line(proc, "draft commitment")
    proc.send_signal(signal.SIGKILL)  # no clean exit: nothing saved, nothing flushed
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert proc.stdout is not None
    proc.stdout.close()

    # The next start, on the same profile.
    unlocker = StoreUnlocker(paths)
    store: Store = run_on_db(qtbot, tasks, unlocker.unlock)
    try:
        services = AppServices.build(store, unlocker, "窗口测试", signer=DeviceReportSigner(store))
        window = MainWindow(services, Settings(), paths, tasks)
        qtbot.addWidget(window)
        # Closing asks before dropping unsaved inspection edits: answer "discard" here.
        window.inspections_page.confirm_discard = lambda: True
        offered: dict[str, QMessageBox] = {}
        window.commitments_page.restore_offered.connect(lambda b: offered.setdefault("c", b))
        window.inspections_page.restore_offered.connect(lambda b: offered.setdefault("i", b))
        window.show()
        qtbot.waitUntil(lambda: len(offered) == 2, timeout=10_000)

        inspections = window.inspections_page
        with qtbot.waitSignal(inspections.task_shown, timeout=10_000):
            _restore(offered["i"])
        form = inspections.form
        assert inspections.task is not None and inspections.task.task_id == TASK
        assert form.location_edit.text() == TYPED["location"]
        assert form.conclusion_edit.toPlainText() == TYPED["conclusion"]
        assert form.answers.answers()[0].result is ItemResult.PASS
        assert inspections.unsaved

        commitments = window.commitments_page
        with qtbot.waitSignal(commitments.form_opened, timeout=10_000) as opened:
            _restore(offered["c"])
        dialog: NewCommitmentDialog = opened.args[0]
        qtbot.waitUntil(lambda: dialog.applicant_edit.text() == TYPED["applicant"], timeout=10_000)
        assert dialog.entity_edit.text() == uscc
        assert dialog.phone_edit.text() == TYPED["phone"]
        assert dialog.note_edit.text() == TYPED["note"]
        assert dialog.unsaved
        dialog.close()
        window.close()
        qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    finally:
        run_on_db(qtbot, tasks, store.close)
