"""How the platform applies each collection's shared definition to pushed forms.

The definitions themselves (fields, types, required, ranges, lifecycle, who creates a
collection, fixed and derived fields) live once in :mod:`desktop_app.domain.records`, where
the client uses them too; this module adds what needs the platform's database (a check-in's
session exists, a 失信记录's source commitment is this hall's, a session with check-ins is
not deleted) and computes derived deadlines with the platform calendar.

Platform-owned collections (registry, lists, grades, catalog, checklists, calendar
overrides, inspection tasks) are read-only to clients. Client forms are validated here on
every push; the scope columns of a new form are derived from the account, never taken from
the client:

* window forms (commitments, education sessions, attendance, USCC overrides, 失信记录) — created by
  window users only; ``hall_id`` and ``region_code`` from the account (a different
  ``hall_id`` in the fields is refused), ``entity_uscc`` from the ``uscc`` field;
* inspection forms (results, findings, warnings, interviews) — created by inspectors only,
  for a ``task_id`` assigned to them whose entity is the form's ``uscc``; ``region_code``
  from the account, ``entity_uscc`` from ``uscc``.

Fields not declared in a definition are kept as they come (forms grow); declared fields are
checked, and ``derived`` fields (deadlines) are computed by the platform, whatever the client
sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain import commitments as cm
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain import verification
from desktop_app.domain.clock import CHINA_TZ
from desktop_app.domain.records import (
    RECORDS,
    Attendance,
    Commitment,
    DishonestyRecord,
    EducationSession,
    Finding,
    InspectionResult,
    Interview,
    MeasureFeedback,
    Objection,
    Owner,
    RecordInvalid,
    RecordModel,
    RepairApplication,
    UsccOverride,
    Warning,
)
from desktop_app.domain.working_days import CalendarUnknown
from platform_server import followup_service, repair_service, verification_service
from platform_server.blobstore import may_cite
from platform_server.form_rules import FormContext, Rejection, check_blobs, parse_date
from platform_server.models import Record, User
from platform_server.records import Scope, dumps, loads
from platform_server.scopes import Viewer
from sync.protocol import PLATFORM_OWNED, Collection, ReasonCode, Role

Rules = Callable[[FormContext, dict[str, Any], dict[str, Any] | None], None]
_RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")  # sync.protocol's RecordId


@dataclass(frozen=True)
class CollectionDef:
    """One collection as the platform handles it.

    The shared definition plus the rules only the platform can apply (they need its
    database).

    Attributes:
        name: The collection.
        record: The shared typed definition (fields, required, ranges, lifecycle, who
            creates, immutable and derived fields) from :mod:`desktop_app.domain.records`.
        rules: Cross-record rules needing the database; may set derived fields.
        deletable: Whether a record in its current state may be deleted (raises
            :class:`Rejection` if not), given the push context, the record and its fields.
        after_create: What a new record sets in motion in the same transaction (routing an
            application, marking its target).
        after_update: What a changed record sets in motion, given its stored fields after and
            before the change (a verification result given on a later edit).
    """

    name: str
    record: type[RecordModel]
    rules: Rules | None = None
    deletable: Callable[[FormContext, Record, dict[str, Any]], None] | None = None
    after_create: Callable[[FormContext, Record, dict[str, Any]], None] | None = None
    after_update: Callable[[FormContext, Record, dict[str, Any], dict[str, Any]], None] | None = (
        None
    )

    @property
    def label(self) -> str:
        """Chinese name for messages."""
        return self.record.LABEL or self.name

    @property
    def owner(self) -> Owner:
        """Platform (read-only to clients) or client (pushed forms)."""
        return self.record.OWNER

    @property
    def scope_by(self) -> str:
        """``hall``, ``task`` or ``platform``."""
        return str(self.record.SCOPE_BY)

    @property
    def create_roles(self) -> frozenset[Role]:
        """Roles that may create records by push."""
        return frozenset(Role(r) for r in self.record.CREATE_ROLES)

    @property
    def immutable(self) -> frozenset[str]:
        """Fields fixed at creation."""
        return self.record.IMMUTABLE

    @property
    def derived(self) -> frozenset[str]:
        """Fields the platform computes; client values are dropped."""
        return self.record.DERIVED


def _calendar_unknown(err: CalendarUnknown) -> Rejection:
    return Rejection(ReasonCode.CALENDAR_UNKNOWN, str(err))


def _commitment_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    f.pop("deadline", None)
    record = Commitment.read(f)
    _verification_due(ctx, f, record)
    if current is None:
        _catalog_names(ctx, f, record)
    if not record.is_tolerance or record.signed_on is None:
        return
    days = record.deadline_working_days
    assert days is not None  # checked by the shared definition
    try:
        due = cm.tolerance_deadline(record.signed_on, days, ctx.calendar())
    except CalendarUnknown as err:
        raise _calendar_unknown(err) from None
    except cm.CommitmentError as err:
        raise Rejection(ReasonCode.INVALID_FIELD, str(err)) from None
    f["deadline"] = due.isoformat()


def _catalog_names(ctx: FormContext, f: dict[str, Any], record: Commitment) -> None:
    """A new commitment's 实施机关 and 办理事项 are the catalog's (not the client's) when known."""
    if not record.matter_id or len(record.matter_id) > 64:
        return
    row = ctx.session.get(Record, (Collection.COMMITMENT_CATALOG.value, record.matter_id))
    if row is None or row.deleted:
        return
    matter = loads(row.data)
    for name in ("authority", "matter", "legal_basis", "domain"):
        value = matter.get(name)
        if isinstance(value, str) and value:
            f[name] = value


def _verification_due(ctx: FormContext, f: dict[str, Any], record: Commitment) -> None:
    """``verify_due_on``: the matter's 核查 period after signing (承诺核查), on the calendar.

    When the calendar does not know a year on the way (a December signing before next year's
    holiday notice), the date stays unset — never a guess — and the supervisors' list computes
    it once the override table is imported (:mod:`platform_server.verification_service`).
    """
    f.pop("verify_due_on", None)
    if record.signed_on is None or record.kind not in verification.VERIFIABLE_KINDS:
        return
    days = verification_service.verify_working_days(ctx.session, record.matter_id)
    try:
        due = verification.verification_due(record.signed_on, ctx.calendar(), days)
    except CalendarUnknown:
        return
    f["verify_due_on"] = due.isoformat()


def _commitment_deletable(ctx: FormContext, record: Record, current: dict[str, Any]) -> None:
    if current.get("status") not in cm.DELETABLE_STATUSES:
        raise Rejection(
            ReasonCode.ILLEGAL_TRANSITION,
            "只有草稿状态的承诺可以删除；已签署的承诺书请将状态改为“已撤回”。",
        )


def _session_deletable(ctx: FormContext, record: Record, current: dict[str, Any]) -> None:
    # Check-ins from any device point at the session: deleting it would orphan them.
    attended = select(func.count()).where(
        Record.collection == Collection.ATTENDANCE.value,
        Record.hall_id == record.hall_id,
        Record.deleted.is_(False),
        Record.data.contains(f'"session_id":{dumps(record.record_id)}', autoescape=True),
    )
    count = int(ctx.session.scalar(attended) or 0)
    if count:
        raise Rejection(
            ReasonCode.RECORD_IN_USE,
            f"这场诚信教育已有{count}人签到（可能由其他电脑登记），平台未删除该场次，"
            "本机已恢复显示。如确需删除，请先在签到名单中移除全部签到记录，同步后再删除。",
        )


def _attendance_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    if current is not None:
        return  # session_id is immutable: checked once, at creation
    session_id = f["session_id"]
    held = (
        ctx.session.get(Record, (Collection.EDUCATION_SESSIONS.value, session_id))
        if _RECORD_ID.fullmatch(session_id)  # only well-formed ids reach the database
        else None
    )
    if held is None or held.deleted or held.hall_id != ctx.viewer.hall_id:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "找不到本服务大厅的这场诚信教育（session_id）。请先提交培训场次，再登记签到。",
        )


def _dishonesty_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    if current is not None:
        return  # the source is immutable: checked once, at creation
    source_id = f["source_id"]
    source = (
        ctx.session.get(Record, (f["source_collection"], source_id))
        if _RECORD_ID.fullmatch(source_id)  # only well-formed ids reach the database
        else None
    )
    if source is None or source.deleted or source.hall_id != ctx.viewer.hall_id:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "找不到本服务大厅的这份信用承诺（source_id）。请先提交信用承诺，再登记失信记录。",
        )
    facts = loads(source.data)
    if not isinstance(facts, dict) or facts.get("uscc") != f["uscc"]:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "失信记录的统一社会信用代码与所依据的信用承诺不一致，请核对后再提交。",
        )


def _warning_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    issued_on = parse_date(f["issued_on"], "警示日期")
    try:
        due = ctx.calendar().deadline(issued_on, f["rectify_working_days"])
    except CalendarUnknown as err:
        raise _calendar_unknown(err) from None
    f["rectify_deadline"] = due.isoformat()


def _decided_not_deletable(ctx: FormContext, record: Record, current: dict[str, Any]) -> None:
    # An application is a procedure with a deadline and a mark on its target: it is decided,
    # never deleted.
    raise Rejection(
        ReasonCode.RECORD_IN_USE,
        "信用修复申请和异议申请受理后不能删除，只能由作出记录的单位作出决定。",
    )


_FORMS = [
    CollectionDef(
        Collection.COMMITMENTS.value,
        Commitment,
        rules=_commitment_rules,
        deletable=_commitment_deletable,
    ),
    CollectionDef(
        Collection.EDUCATION_SESSIONS.value, EducationSession, deletable=_session_deletable
    ),
    CollectionDef(Collection.ATTENDANCE.value, Attendance, rules=_attendance_rules),
    CollectionDef(Collection.USCC_OVERRIDES.value, UsccOverride),
    CollectionDef(Collection.MEASURE_FEEDBACK.value, MeasureFeedback),
    CollectionDef(Collection.DISHONESTY_RECORDS.value, DishonestyRecord, rules=_dishonesty_rules),
    CollectionDef(
        Collection.INSPECTION_RESULTS.value,
        InspectionResult,
        rules=verification_service.result_rules,
        after_create=verification_service.after_result,
        after_update=verification_service.after_result_update,
    ),
    CollectionDef(Collection.FINDINGS.value, Finding),
    CollectionDef(Collection.WARNINGS.value, Warning, rules=_warning_rules),
    CollectionDef(Collection.INTERVIEWS.value, Interview, rules=followup_service.interview_rules),
    CollectionDef(
        Collection.REPAIR_APPLICATIONS.value,
        RepairApplication,
        rules=repair_service.repair_rules,
        deletable=_decided_not_deletable,
        after_create=repair_service.after_create,
    ),
    CollectionDef(
        Collection.OBJECTIONS.value,
        Objection,
        rules=repair_service.objection_rules,
        deletable=_decided_not_deletable,
        after_create=repair_service.after_create,
    ),
]

DEFINITIONS: Mapping[str, CollectionDef] = {
    **{c.value: CollectionDef(c.value, RECORDS[c.value]) for c in PLATFORM_OWNED},
    **{d.name: d for d in _FORMS},
}
"""Every collection by name."""


@cache
def _blob_fields(record: type[RecordModel]) -> tuple[str, ...]:
    """The attachment fields of a form (asked once per form type, not per pushed field)."""
    return tuple(name for name in record.model_fields if record.kind_of(name) == "blobs")


def prepare(
    ctx: FormContext, defn: CollectionDef, fields: dict[str, Any], current: dict[str, Any] | None
) -> dict[str, Any]:
    """Check a form's fields and compute its derived fields.

    Args:
        ctx: The push context.
        defn: The collection.
        fields: All fields the record will have (for an update: the merge).
        current: The stored fields before this change; None for a create.

    Returns:
        The fields to store.

    Raises:
        Rejection: A field is missing or wrong, or a rule refuses the change.
    """
    try:
        record = defn.record.check(fields, current)
    except RecordInvalid as err:
        raise Rejection(ReasonCode(err.code), str(err)) from None
    out = dict(fields)
    out.update(record.normalized())
    for name in _blob_fields(defn.record):
        if out.get(name) is not None:
            out[name] = check_blobs(ctx.session, out[name], defn.record.label_of(name))
            _check_citations(ctx, out[name], (current or {}).get(name))
    if defn.rules is not None:
        defn.rules(ctx, out, current)
    return out


def _check_citations(ctx: FormContext, digests: list[str], before: Any) -> None:
    """A form may cite only attachments its device uploaded or already sees cited.

    Citing a digest is never a way to gain access to someone else's attachment (it would then
    be downloadable through the form). Digests the form already cited stay as they are.
    """
    kept = set(before) if isinstance(before, list) else set()
    foreign = [d for d in digests if d not in kept and not may_cite(ctx.session, ctx.viewer, d)]
    if foreign:
        raise Rejection(
            ReasonCode.FORBIDDEN,
            f"有{len(foreign)}个附件不是本设备上传的，也不在您可见的表单中"
            f"（如 {foreign[0][:12]}…）。请由本设备上传附件后再引用。",
        )


def authorize_create(ctx: FormContext, defn: CollectionDef, fields: dict[str, Any]) -> None:
    """Refuse a new form outside the caller's scope; stamp a window form with the hall.

    Raises:
        Rejection: ``forbidden``.
    """
    viewer = ctx.viewer
    if viewer.role not in defn.create_roles:
        raise Rejection(ReasonCode.FORBIDDEN, f"当前账户的角色不能新建“{defn.label}”。")
    if defn.scope_by == "hall":
        forged = fields.get("hall_id")
        if not viewer.hall_id or (forged is not None and forged != viewer.hall_id):
            raise Rejection(
                ReasonCode.FORBIDDEN,
                "只能为本账户所属的服务大厅填写表单（hall_id 由平台按账户填写，请勿修改）。",
            )
        fields["hall_id"] = viewer.hall_id
    elif defn.scope_by == "task":
        task_id, code = fields.get("task_id"), fields.get("uscc")
        tasks = viewer.tasks(ctx.session).by_id
        normalized = uscc_rules.normalize(code) if isinstance(code, str) else None
        if not isinstance(task_id, str) or tasks.get(task_id) != normalized:
            raise Rejection(
                ReasonCode.FORBIDDEN,
                "只能为分配给您的检查任务及其被检查主体填写检查记录，请核对任务和统一社会信用代码。",
            )


def derive_scope(defn: CollectionDef, viewer: Viewer, fields: dict[str, Any]) -> Scope:
    """The scope columns of a new form, from the account and the form's ``uscc``.

    Args:
        defn: The collection.
        viewer: The creating account.
        fields: The prepared fields.
    """
    code = fields.get("uscc")
    entity = code if isinstance(code, str) else None
    if defn.scope_by == "hall":
        return Scope(hall_id=viewer.hall_id, region_code=viewer.region_code, entity_uscc=entity)
    return Scope(region_code=viewer.region_code, entity_uscc=entity)


def check_update_fields(defn: CollectionDef, record: Record, fields: dict[str, Any]) -> None:
    """Refuse an update that moves a form to another hall or changes a fixed field.

    Args:
        defn: The collection.
        record: The stored record.
        fields: The fields the client sent.

    Raises:
        Rejection: ``forbidden`` for a forged hall, ``invalid_field`` for a fixed field.
    """
    if defn.scope_by == "hall" and "hall_id" in fields and fields["hall_id"] != record.hall_id:
        raise Rejection(ReasonCode.FORBIDDEN, "不能把表单改到其他服务大厅。")
    current = loads(record.data)
    for name in defn.immutable & fields.keys():
        value = fields[name]
        if name == "uscc" and isinstance(value, str):
            value = uscc_rules.normalize(value)
        if value != current.get(name):
            label = defn.record.label_of(name)
            raise Rejection(
                ReasonCode.INVALID_FIELD,
                f"“{label}”（{name}）在创建后不能修改。如填写有误，请作废此表单后重新填写。",
            )
    for name in defn.record.platform_set() & fields.keys():
        if fields[name] != current.get(name):
            raise Rejection(
                ReasonCode.INVALID_FIELD,
                f"“{defn.record.label_of(name) or name}”（{name}）由平台按登录账户、平台时间或"
                "主体名录填写，不能修改。",
            )


def stamp_platform_fields(ctx: FormContext, defn: CollectionDef, fields: dict[str, Any]) -> None:
    """Write what the platform vouches for on a new form: author, time, registry names.

    The account's name into :attr:`RecordModel.AUTHOR_FIELDS`, the platform's clock (China
    time) into ``STAMP_FIELDS`` with the client's value kept as ``client_<field>``, and the
    registry's name for the form's ``uscc`` into ``NAMED_FIELDS`` (kept from the form only
    for an entity the registry does not hold).
    """
    record = defn.record
    if record.AUTHOR_FIELDS:
        user = ctx.session.get(User, ctx.viewer.user_id)
        author = (user.display_name or user.username) if user is not None else ""
        for name in record.AUTHOR_FIELDS:
            fields[name] = author
    if record.STAMP_FIELDS:
        moment = datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0).isoformat()
        for name in record.STAMP_FIELDS:
            if fields.get(name) is not None:
                fields[f"client_{name}"] = fields[name]
            else:
                fields.pop(f"client_{name}", None)
            fields[name] = moment
    if record.NAMED_FIELDS:
        code = fields.get("uscc")
        if isinstance(code, str) and code in ctx.entity_names:
            known: Any = ctx.entity_names[code]
        else:
            entity = (
                ctx.session.get(Record, (Collection.ENTITIES.value, code))
                if isinstance(code, str) and len(code) <= 64
                else None
            )
            known = (
                loads(entity.data).get("name")
                if entity is not None and not entity.deleted
                else None
            )
        if isinstance(known, str) and known:
            for field_name in record.NAMED_FIELDS:
                fields[field_name] = known
