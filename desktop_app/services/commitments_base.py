"""What the 信用承诺 use cases share: collection names, the local working-day calendar, and a base.

:class:`CommitmentServiceBase` holds the store, the actor and the clock, loads a commitment
form, builds its :class:`~desktop_app.services.commitments_views.CommitmentView`, records a
status change and writes the audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain.commitments import (
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.domain.working_days import (
    CalendarUnknown,
    WorkingDayCalendar,
    calendar_from_records,
)
from desktop_app.services.commitments_views import (
    CatalogMatter,
    CommitmentView,
    _date,
    _materials,
    _matter_of,
    _texts,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import load_fields
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, ReferenceRecord

COMMITMENTS = "commitments"
DISHONESTY = "dishonesty_records"
CATALOG = "commitment_catalog"
CALENDAR_OVERRIDES = "calendar_overrides"
APPLICANT_ROLES = ("法定代表人", "委托代理人")
MATERIAL_FORMS = ("原件", "复印件", "原件及复印件", "电子件")
"""Forms a missing material is usually asked in (the UI offers these; any text is kept)."""
LIST_LIMIT = 500
AUTO_OVERDUE_NOTE = "自动标记逾期"
ALL_RECEIVED_NOTE = "所缺材料已全部补齐"
_PHONE = re.compile(r"[0-9+\-() ]{5,30}")
_S = CommitmentStatus


def _calendar_message(err: CalendarUnknown) -> str:
    return (
        f"{err.year}年的法定节假日安排（节假日表）在本机尚不可用，无法按工作日计算补齐期限。"
        "请先与平台同步以获取节假日表，再办理容缺受理；请勿按周一至周五自行推算期限。"
    )


def _rows(s: Session, collection: str, uscc: str | None = None) -> Iterator[tuple[str, str, bool]]:
    stmt = select(FormRecord.record_id, FormRecord.data, FormRecord.dirty).where(
        FormRecord.collection == collection, FormRecord.deleted.is_(False)
    )
    if uscc is not None:
        stmt = stmt.where(func.json_extract(FormRecord.data, "$.uscc") == uscc)
    for record_id, data, dirty in s.execute(stmt):
        yield record_id, data, bool(dirty)


def local_calendar(s: Session) -> WorkingDayCalendar:
    """The official calendar extended by the cached ``calendar_overrides`` records.

    The platform's rule, shared: :func:`~desktop_app.domain.working_days.calendar_from_records`.
    """
    rows = s.scalars(
        select(ReferenceRecord.data).where(
            ReferenceRecord.collection == CALENDAR_OVERRIDES, ReferenceRecord.deleted.is_(False)
        )
    )
    return calendar_from_records(load_fields(raw) for raw in rows)


class CommitmentServiceBase:
    """What the 信用承诺 use cases share: the store, the actor, the clock, loading and views.

    Args:
        store: The open store.
        actor: Who uses the app (history and audit log).
        clock: Local "now" (tests pass a fixed one).
    """

    def __init__(
        self, store: Store, actor: str, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        self._store = store
        self.actor = actor
        self._clock = clock

    # --- helpers -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock().replace(microsecond=0, tzinfo=None)

    def _today(self) -> date:
        return self._now().date()

    def _deadline(self, fields: dict[str, Any], calendar: WorkingDayCalendar | None) -> date | None:
        if fields.get("kind") != CommitmentKind.TOLERANCE.value:
            return None
        derived = _date(fields.get("deadline"))  # the platform's, once synced
        if derived is not None:
            return derived
        signed_on = _date(fields.get("signed_on"))
        days = fields.get("deadline_working_days")
        if signed_on is None or not isinstance(days, int) or isinstance(days, bool):
            return None
        if calendar is None:
            return None
        try:
            return cm.tolerance_deadline(signed_on, days, calendar)
        except (CalendarUnknown, cm.CommitmentError):
            return None

    def _view(
        self,
        record_id: str,
        fields: dict[str, Any],
        dirty: bool,
        calendar: WorkingDayCalendar | None,
    ) -> CommitmentView:
        try:
            kind = cm.parse_kind(fields.get("kind"))
            status = cm.parse_status(fields.get("status"))
        except cm.CommitmentError as exc:
            raise ServiceError(f"承诺记录 {record_id[:8]} 的数据不完整：{exc}") from None
        deadline = self._deadline(fields, calendar)
        nxt = [s for s in CommitmentStatus if s in cm.TRANSITIONS[status]]
        if _S.OVERDUE in nxt and not (
            kind is CommitmentKind.TOLERANCE
            and deadline is not None
            and cm.is_overdue(deadline, self._today())
        ):
            nxt.remove(_S.OVERDUE)
        history = fields.get("history")
        breach = fields.get("breach")
        return CommitmentView(
            record_id=record_id,
            uscc=str(fields.get("uscc") or ""),
            entity_name=str(fields.get("entity_name") or ""),
            matter_id=str(fields.get("matter_id") or ""),
            matter=str(fields.get("matter") or ""),
            domain=str(fields.get("domain") or ""),
            legal_basis=str(fields.get("legal_basis") or ""),
            kind=kind,
            kind_label=cm.KIND_LABELS[kind],
            status=status,
            status_label=cm.STATUS_LABELS[status],
            applicant_name=str(fields.get("applicant_name") or ""),
            applicant_role=str(fields.get("applicant_role") or ""),
            applicant_phone=str(fields.get("applicant_phone") or ""),
            signed_on=_date(fields.get("signed_on")),
            deadline=deadline,
            missing_materials=_materials(fields),
            publish=fields.get("publish") is True or fields.get("publishable") is True,
            history=tuple(
                {str(k): str(v) for k, v in e.items()}
                for e in (history if isinstance(history, list) else [])
                if isinstance(e, dict)
            ),
            allowed_next=tuple(nxt),
            breach=dict(breach) if isinstance(breach, dict) else None,
            attachments=len(_texts(fields.get("attachments"))),
            synced=not dirty,
        )

    def _load(self, s: Session, record_id: str) -> tuple[dict[str, Any], bool]:
        form = s.get(FormRecord, (COMMITMENTS, record_id))
        if form is None or form.deleted:
            raise ServiceError("找不到该信用承诺（可能已被删除）。请刷新列表后重试。")
        return load_fields(form.data), bool(form.dirty)

    def _read_view(self, s: Session, record_id: str) -> CommitmentView:
        fields, dirty = self._load(s, record_id)
        return self._view(record_id, fields, dirty, local_calendar(s))

    def _all(self, s: Session, uscc: str | None = None) -> list[CommitmentView]:
        calendar = local_calendar(s)
        views = []
        for record_id, data, dirty in _rows(s, COMMITMENTS, uscc):
            try:
                views.append(self._view(record_id, load_fields(data), dirty, calendar))
            except ServiceError:
                continue  # a malformed record from elsewhere: not listable
        return views

    def _matter(self, s: Session, matter_id: str) -> CatalogMatter | None:
        row = s.get(ReferenceRecord, (CATALOG, matter_id))
        if row is None or row.deleted:
            return None
        return _matter_of(matter_id, load_fields(row.data))

    def _transition_changes(
        self, fields: dict[str, Any], to: CommitmentStatus, note: str
    ) -> dict[str, Any]:
        try:
            history = cm.record_transition(
                fields.get("history"), fields.get("status"), to, self._now(), self.actor, note
            )
        except cm.CommitmentError as exc:
            raise ServiceError(str(exc), exc.code) from None
        return {"status": to.value, "history": history}

    def _audit(self, s: Session, action: str, record_id: str, **details: Any) -> None:
        audit.append(
            s,
            actor=self.actor,
            action=action,
            subject_type="commitment",
            subject_id=record_id,
            details=details,
        )

    def _check_deadline(self, s: Session, signed_on: date, days: int) -> date:
        try:
            return cm.tolerance_deadline(signed_on, days, local_calendar(s))
        except CalendarUnknown as err:
            raise ServiceError(_calendar_message(err)) from None
        except cm.CommitmentError as exc:
            raise ServiceError(str(exc)) from None
