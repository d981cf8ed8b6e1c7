"""A real client process for the draft-after-SIGKILL test: types half a form, then is killed.

Started as ``python draft_client.py <data_dir> <uscc> <task_id>``. It starts the client the
way ``desktop_app.main`` does (:class:`ui.launcher.StartupFlow`, the main window), then, on
the offscreen display, types with QTest as a clerk would:

1. 检查任务: opens the task, answers the first checklist item, types the place and a
   conclusion into the 检查记录 form; prints ``draft inspection`` once the page's draft of
   that text is committed to the store;
2. 信用承诺: opens 新建承诺, types the entity's code, the applicant, a phone number and a
   note; prints ``draft commitment`` once that draft is committed.

Then it keeps running, forms half typed and never saved, until the test kills it.

The store key lives in a small file keyring inside the data folder (the OS keyring's
stand-in, shared with the test process).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.inspections import ItemResult
from desktop_app.main import compose
from tests.memory_keyring import FileKeyring
from ui.app import create_application
from ui.launcher import StartupFlow
from ui.main_window import MainWindow
from ui.models.inspection_models import ANS_RESULT
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import NewCommitmentDialog

TYPED = {
    "location": "经营场所二楼",
    "conclusion": "现场检查未发现问题",
    "applicant": "张三",
    "phone": "0355-2021234",
    "note": "申请人下午补交原件",
}


def keyring_file(data_dir: Path) -> Path:
    """Where the test and the client keep the store key."""
    return data_dir / "test-keyring.json"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def type_into(widget: QWidget, text: str) -> None:
    """Type as a user would: Latin keys with QTest, Chinese as an input method commits it."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


def main(argv: list[str]) -> int:
    """Start, type, report, and wait to be killed."""
    data_dir, uscc, task_id = Path(argv[0]), argv[1], argv[2]
    paths = ProfilePaths(data_dir)
    keyring.set_keyring(FileKeyring(keyring_file(data_dir)))
    settings = Settings.load(paths.settings_file)
    app = create_application([sys.argv[0]], settings)
    app.setQuitOnLastWindowClosed(False)
    tasks = TaskManager()
    flow = StartupFlow(paths, settings, tasks, compose=compose, demo=False, actor="窗口测试")

    def type_commitment(window: MainWindow) -> None:
        page = window.commitments_page
        dialog: NewCommitmentDialog = page.open_new()

        def fill() -> None:
            type_into(dialog.entity_edit, uscc)
            type_into(dialog.applicant_edit, TYPED["applicant"])
            type_into(dialog.phone_edit, TYPED["phone"])
            type_into(dialog.note_edit, TYPED["note"])

        def written(_key: str) -> None:
            if dialog.form_state()["note"] == TYPED["note"]:
                _say("draft commitment")

        dialog.drafts.written.connect(written)
        dialog.catalog_loaded.connect(fill)

    def type_inspection(window: MainWindow) -> None:
        page = window.inspections_page
        form = page.form

        def fill(shown: str) -> None:
            if shown != task_id or form.location_edit.text() == TYPED["location"]:
                return
            page.tabs.setCurrentIndex(1)
            form.location_edit.clear()
            type_into(form.location_edit, TYPED["location"])
            type_into(form.conclusion_edit, TYPED["conclusion"])
            form.answers.setData(form.answers.index(0, ANS_RESULT), ItemResult.PASS.value)

        def written(_key: str) -> None:
            if form.conclusion_edit.toPlainText() == TYPED["conclusion"]:
                page.drafts.written.disconnect(written)
                _say("draft inspection")
                type_commitment(window)

        page.task_shown.connect(fill)
        page.drafts.written.connect(written)
        page.show_task(task_id)

    def on_ready(window: MainWindow) -> None:
        _say("ready")
        type_inspection(window)

    flow.ready.connect(on_ready)
    flow.exit_requested.connect(app.exit)
    flow.start()
    return app.exec()  # until SIGKILL


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
