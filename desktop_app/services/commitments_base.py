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
from desktop_app.domain import records
from desktop_app.domain.aggregates.commitment import (
    ALL_RECEIVED_NOTE,
    AUTO_OVERDUE_NOTE,
    CommitmentCase,
)
from desktop_app.domain.clock import china_now
from desktop_app.domain.commitments import (
    CommitmentStatus,
)
from desktop_app.domain.working_days import (
    CalendarUnknown,
    WorkingDayCalendar,
)
from desktop_app.services.calendar import CALENDAR_OVERRIDES as CALENDAR_OVERRIDES
from desktop_app.services.calendar import local_calendar
from desktop_app.services.commitments_views import (
    CatalogMatter,
    CommitmentView,
    MissingMaterial,
    _matter_of,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import load_fields
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord
from desktop_app.store.repository import FormRepository

COMMITMENTS = "commitments"
DISHONESTY = "dishonesty_records"
CATALOG = "commitment_catalog"
APPLICANT_ROLES = ("法定代表人", "委托代理人")
MATERIAL_FORMS = ("原件", "复印件", "原件及复印件", "电子件")
"""Forms a missing material is usually asked in (the UI offers these; any text is kept)."""
LIST_LIMIT = 500
__all__ = ["ALL_RECEIVED_NOTE", "AUTO_OVERDUE_NOTE", "CommitmentServiceBase", "local_calendar"]
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


class CommitmentServiceBase:
    """What the 信用承诺 use cases share: the store, the actor, the clock, loading and views.

    Args:
        store: The open store.
        actor: Who uses the app (history and audit log).
        clock: Local "now" (tests pass a fixed one).
    """

    def __init__(self, store: Store, actor: str, clock: Callable[[], datetime] = china_now) -> None:
        self._store = store
        self.actor = actor
        self._clock = clock

    # --- helpers -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock().replace(microsecond=0, tzinfo=None)

    def _today(self) -> date:
        return self._now().date()

    def _view(
        self,
        case: CommitmentCase,
        dirty: bool,
        calendar: WorkingDayCalendar | None,
    ) -> CommitmentView:
        try:
            kind, status = case.kind, case.status
        except cm.CommitmentError as exc:
            raise ServiceError.of(
                "commitment.incomplete", record=case.record_id[:8], exc=exc
            ) from None
        r = case.record
        return CommitmentView(
            record_id=case.record_id,
            uscc=r.uscc,
            entity_name=r.entity_name,
            matter_id=r.matter_id,
            matter=r.matter,
            domain=r.domain,
            legal_basis=r.legal_basis,
            kind=kind,
            kind_label=cm.KIND_LABELS[kind],
            status=status,
            status_label=cm.STATUS_LABELS[status],
            applicant_name=r.applicant_name,
            applicant_role=r.applicant_role,
            applicant_phone=r.applicant_phone,
            signed_on=r.signed_on,
            deadline=case.deadline(calendar),
            missing_materials=tuple(
                MissingMaterial(m.name, m.form, m.received) for m in case.materials()
            ),
            publish=r.publish or r.publishable,
            history=case.history(),
            allowed_next=case.allowed_next(self._today(), calendar),
            breach=dict(r.breach) if r.breach is not None else None,
            attachments=len(r.attachments),
            synced=not dirty,
        )

    def _load(self, s: Session, record_id: str) -> tuple[CommitmentCase, bool]:
        stored = FormRepository(s).get(records.Commitment, record_id)
        if stored is None:
            raise ServiceError.of("commitment.not_found")
        return CommitmentCase(record_id, stored.record), stored.dirty

    def _read_view(self, s: Session, record_id: str) -> CommitmentView:
        case, dirty = self._load(s, record_id)
        return self._view(case, dirty, local_calendar(s))

    def _all(self, s: Session, uscc: str | None = None) -> list[CommitmentView]:
        calendar = local_calendar(s)
        views = []
        for record_id, data, dirty in _rows(s, COMMITMENTS, uscc):
            case = CommitmentCase(record_id, records.Commitment.read(load_fields(data)))
            try:
                views.append(self._view(case, dirty, calendar))
            except ServiceError:
                continue  # a malformed record from elsewhere: not listable
        return views

    def _matter(self, s: Session, matter_id: str) -> CatalogMatter | None:
        row = FormRepository(s).reference(records.CatalogMatter, matter_id)
        return None if row is None else _matter_of(matter_id, row)

    def _matter_record(self, s: Session, matter_id: str) -> records.CatalogMatter | None:
        return FormRepository(s).reference(records.CatalogMatter, matter_id)

    @staticmethod
    def _refused(exc: cm.CommitmentError) -> ServiceError:
        return ServiceError(str(exc), exc.code)

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
