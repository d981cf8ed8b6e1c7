"""One typed definition per synced record, shared by the client and the platform.

See :mod:`desktop_app.domain.records.base` for how a definition is read and checked. The
registry :data:`RECORDS` maps every collection of the sync protocol to its definition.
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop_app.domain.records.base import (
    MAX_ATTACHMENTS,
    MAX_WORKING_DAYS,
    OVERRIDE_REASON_FIELD,
    Owner,
    RecordInvalid,
    RecordModel,
)
from desktop_app.domain.records.commitments import (
    CatalogMatter,
    Commitment,
    DishonestyRecord,
    SourceCollection,
    UsccOverride,
)
from desktop_app.domain.records.education import Attendance, EducationSession
from desktop_app.domain.records.inspections import (
    Checklist,
    CreditGrade,
    Finding,
    FindingSeverity,
    InspectionForm,
    InspectionResult,
    InspectionTask,
    Interview,
    InterviewKind,
    Warning,
)
from desktop_app.domain.records.measures import MeasureFeedback, MeasureOutcome
from desktop_app.domain.records.reference import (
    CalendarOverride,
    CreditEntry,
    Entity,
    Licence,
    ListMembership,
    Penalty,
    PolicyRecord,
    PublicInspection,
)
from desktop_app.domain.records.repair import Objection, RepairApplication

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_WORKING_DAYS",
    "OVERRIDE_REASON_FIELD",
    "RECORDS",
    "Attendance",
    "CalendarOverride",
    "CatalogMatter",
    "Checklist",
    "Commitment",
    "CreditEntry",
    "CreditGrade",
    "DishonestyRecord",
    "EducationSession",
    "Entity",
    "Finding",
    "FindingSeverity",
    "InspectionForm",
    "InspectionResult",
    "InspectionTask",
    "Interview",
    "InterviewKind",
    "Licence",
    "ListMembership",
    "MeasureFeedback",
    "MeasureOutcome",
    "Objection",
    "Owner",
    "Penalty",
    "PolicyRecord",
    "PublicInspection",
    "RecordInvalid",
    "RecordModel",
    "RepairApplication",
    "SourceCollection",
    "UsccOverride",
    "Warning",
    "record_type",
]

_ALL: tuple[type[RecordModel], ...] = (
    Entity,
    ListMembership,
    CreditGrade,
    CatalogMatter,
    Checklist,
    CalendarOverride,
    InspectionTask,
    Licence,
    Penalty,
    PublicInspection,
    CreditEntry,
    PolicyRecord,
    Commitment,
    EducationSession,
    Attendance,
    InspectionResult,
    Finding,
    Warning,
    Interview,
    UsccOverride,
    DishonestyRecord,
    RepairApplication,
    Objection,
    MeasureFeedback,
)

RECORDS: Mapping[str, type[RecordModel]] = {r.COLLECTION: r for r in _ALL}
"""Every synced collection's definition, by collection name."""


def record_type(collection: str) -> type[RecordModel]:
    """The definition of ``collection``; an open record for one this build does not know."""
    return RECORDS.get(collection, RecordModel)
