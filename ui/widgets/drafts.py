"""Draft autosave for a form, and the prompt that offers a draft back after a crash.

A :class:`DraftKeeper` belongs to one form slot (``commitment.new``, ``inspection.result`` …).
The page calls :meth:`DraftKeeper.touch` on every user edit; a second after the last one the
keeper collects the form's fields (on the GUI thread: reading widgets is cheap) and writes
them through :class:`~desktop_app.services.drafts.DraftService` on the database worker, so
typing never waits for the disk. Saving or deliberately discarding the form calls
:meth:`DraftKeeper.discard`. A draft found when a page opens is what a crash left behind:
:func:`offer_restore` asks whether to put it back (恢复) or drop it (放弃).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.drafts import Draft, DraftService
from ui.taskman import TaskManager

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 1000

Collect = Callable[[], tuple[dict[str, Any], str] | None]


class DraftKeeper(QObject):
    """Writes one form's draft a second after the last edit, off the GUI thread.

    Args:
        drafts: The draft service.
        tasks: The background runner (writes run on its database worker, in order).
        key: The form slot.
        collect: Returns ``(fields, label)`` of the form as it is now, or None when there is
            nothing worth keeping (an empty form).
        parent: The form (the keeper stops with it).
        delay_ms: How long typing must pause before a write.

    Signals:
        written(str): A draft of this key was committed to the store.
        discarded(str): The draft of this key was deleted.
    """

    written = Signal(str)
    discarded = Signal(str)

    def __init__(
        self,
        drafts: DraftService,
        tasks: TaskManager,
        key: str,
        collect: Collect,
        parent: QObject,
        *,
        delay_ms: int = DRAFT_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._drafts = drafts
        self._tasks = tasks
        self.key = key
        self._collect = collect
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    @property
    def waiting(self) -> bool:
        """Whether an edit has not been written yet."""
        return self._timer.isActive()

    def touch(self) -> None:
        """The user changed the form: write a draft once typing pauses."""
        self._timer.start()

    def flush(self) -> None:
        """Write the draft now (when the form has anything worth keeping)."""
        self._timer.stop()
        collected = self._collect()
        if collected is None:
            return
        fields, label = collected
        drafts, key = self._drafts, self.key
        self._tasks.run_db(
            lambda: drafts.save(key, fields, label),
            lambda _r: self.written.emit(key),
            self._failed,
            context=self,
        )

    def discard(self) -> None:
        """Forget the draft: the form was saved or deliberately discarded."""
        self._timer.stop()
        drafts, key = self._drafts, self.key
        self._tasks.run_db(
            lambda: drafts.delete(key),
            lambda _r: self.discarded.emit(key),
            self._failed,
            context=self,
        )

    def find(self, on_found: Callable[[Draft], None]) -> None:
        """Look for a draft of this key left by an earlier run; ``on_found`` when there is one."""
        drafts, key = self._drafts, self.key

        def found(draft: Draft | None) -> None:
            if draft is not None:
                on_found(draft)

        self._tasks.run_db(lambda: drafts.load(key), found, self._failed, context=self)

    def _failed(self, exc: Exception) -> None:
        # A draft is a safety net: failing to write one must never interrupt typing.
        log.warning("draft %s: %s", self.key, exc)


def offer_restore(
    parent: QWidget, draft: Draft, what: str, on_answer: Callable[[bool], None]
) -> QMessageBox:
    """Ask whether to restore ``draft`` (恢复) or drop it (放弃); non-blocking.

    Args:
        parent: The page the draft belongs to.
        draft: The draft found at start.
        what: The form, in words (e.g. 新建信用承诺).
        on_answer: Called with True for 恢复, False for 放弃.

    Returns:
        The open message box.
    """
    when = draft.updated_at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    detail = f"（{draft.label}）" if draft.label else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("DraftRestore", "恢复未保存的草稿？"))
    box.setText(
        QCoreApplication.translate(
            "DraftRestore",
            "发现未保存的草稿：{what}{detail}，最后输入于 {when}。\n"
            "上次可能未正常退出。点“恢复”把草稿填回表单后继续填写；点“放弃”删除该草稿。",
        ).format(what=what, detail=detail, when=when)
    )
    restore = box.addButton(
        QCoreApplication.translate("DraftRestore", "恢复"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(
        QCoreApplication.translate("DraftRestore", "放弃"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.setDefaultButton(restore)

    def finished(_result: int) -> None:
        on_answer(box.clickedButton() is restore)

    box.finished.connect(finished)
    box.open()
    return box


def look_for_draft(
    page: QWidget,
    drafts: DraftService,
    tasks: TaskManager,
    key: str,
    what: str,
    restore: Callable[[Draft], None],
    offered: Callable[[QMessageBox], None] | None = None,
) -> None:
    """At a page's start: offer back the draft of ``key`` a crash left, if there is one.

    The lookup runs on the database worker. 恢复 calls ``restore`` with the draft (the page
    puts its fields back; the draft stays until the form is saved or discarded); 放弃 deletes
    it.

    Args:
        page: The page owning the form.
        drafts: The draft service.
        tasks: The background runner.
        key: The form slot.
        what: The form, in words, for the prompt.
        restore: Fills the form from the draft.
        offered: Told of the open prompt (pages re-emit it for tests and screenshots).
    """

    def answer(draft: Draft, restoring: bool) -> None:
        if restoring:
            restore(draft)
            return
        tasks.run_db(lambda: drafts.delete(key), None, _log_failure, context=page)

    def found(draft: Draft | None) -> None:
        if draft is None:
            return
        box = offer_restore(page, draft, what, lambda ok: answer(draft, ok))
        if offered is not None:
            offered(box)

    tasks.run_db(lambda: drafts.load(key), found, _log_failure, context=page)


def _log_failure(exc: Exception) -> None:
    log.warning("draft lookup failed: %s", exc)
