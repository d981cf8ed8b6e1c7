"""Draft autosave of the 诚信教育 page: the session form and the check-in row.

Both forms keep an encrypted draft (:class:`~ui.widgets.drafts.DraftKeeper`) a second after
the clerk's last edit, and offer it back at the next start after a crash. This module only
reads and fills the page's widgets; the page decides when a form was saved or discarded.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from desktop_app.services.drafts import Draft, DraftService
from desktop_app.services.education import SessionDraft
from ui.taskman import TaskManager
from ui.widgets.drafts import DraftKeeper, look_for_draft

if TYPE_CHECKING:
    from ui.pages.education import EducationPage

SESSION_KEY = "education.session"
CHECK_IN_KEY = "education.checkin"
_SESSION_FIELDS = {f.name for f in dataclasses.fields(SessionDraft)}


class EducationDrafts(QObject):
    """The drafts of one :class:`EducationPage`.

    Attributes:
        session: The session form's draft keeper.
        check_in: The check-in row's draft keeper.
    """

    def __init__(self, page: EducationPage, drafts: DraftService, tasks: TaskManager) -> None:
        super().__init__(page)
        self._page = page
        self._drafts = drafts
        self._tasks = tasks
        self.session = DraftKeeper(drafts, tasks, SESSION_KEY, self._session_fields, self)
        self.check_in = DraftKeeper(drafts, tasks, CHECK_IN_KEY, self._check_in_fields, self)
        for edit in (page.title_edit, page.place_edit, page.facilitator_edit):
            edit.textEdited.connect(lambda _t: self.session.touch())
        page.materials_edit.textChanged.connect(self.session.touch)
        page.date_edit.dateChanged.connect(lambda _d: self.session.touch())
        for time_edit in (page.start_edit, page.end_edit):
            time_edit.timeChanged.connect(lambda _t: self.session.touch())
        page.capacity_spin.valueChanged.connect(lambda _v: self.session.touch())
        for edit in (page.code_edit, page.entity_edit, page.name_edit, page.phone_edit):
            edit.textEdited.connect(lambda _t: self.check_in.touch())
        page.id_edit.textEdited.connect(lambda _t: self.check_in.touch())
        page.role_combo.activated.connect(lambda _i: self.check_in.touch())

    # -- collecting --------------------------------------------------------------------

    def _session_fields(self) -> tuple[dict[str, Any], str] | None:
        page = self._page
        if not page.has_unsaved():
            return None  # programmatic fills and unchanged forms leave no draft
        draft = page.draft()
        return {"editing": page.editing_session_id, **dataclasses.asdict(draft)}, draft.title

    def check_in_values(self) -> dict[str, str]:
        """The check-in row's fields (the ID number only where full numbers may be kept)."""
        page = self._page
        values = {
            "code": page.code_edit.text(),
            "entity": page.entity_edit.text(),
            "name": page.name_edit.text(),
            "role": page.role_combo.currentText(),
            "phone": page.phone_edit.text(),
        }
        # 个人信息保护: a full ID number is not kept anywhere the profile says to mask it.
        if page.keeps_full_id():
            values["id_number"] = page.id_edit.text()
        return values

    def _check_in_fields(self) -> tuple[dict[str, Any], str] | None:
        values = self.check_in_values()
        typed = [v for k, v in values.items() if k != "role" and v.strip()]
        if not typed:
            return None
        session = self._page.selected_session()
        label = values["name"] or values["entity"] or values["code"]
        return {"session_id": session.id if session else None, **values}, label

    # -- restoring ---------------------------------------------------------------------

    def offer(self) -> None:
        """At the page's start: offer back what a crash left in either form."""
        page = self._page
        for key, what, restore in (
            (
                SESSION_KEY,
                QCoreApplication.translate("EducationPage", "培训场次"),
                self._restore_session,
            ),
            (
                CHECK_IN_KEY,
                QCoreApplication.translate("EducationPage", "签到"),
                self._restore_check_in,
            ),
        ):
            look_for_draft(
                page, self._drafts, self._tasks, key, what, restore, page.restore_offered.emit
            )

    def _restore_session(self, draft: Draft) -> None:
        fields = {k: v for k, v in draft.fields.items() if k in _SESSION_FIELDS}
        try:
            session = SessionDraft(**fields)
        except TypeError:
            return  # a draft this version cannot read
        self._page.restore_session(draft.text("editing"), session)

    def _restore_check_in(self, draft: Draft) -> None:
        values = {k: str(v) for k, v in draft.fields.items() if isinstance(v, str)}
        self._page.restore_check_in(draft.text("session_id"), values)
