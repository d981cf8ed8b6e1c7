"""What each synced collection is: owner, fields, who creates it, how its scope is derived.

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

Fields not listed in a definition are kept as they come (forms grow); listed fields are
type-checked, and ``derived`` fields (deadlines) are computed by the platform, whatever
the client sent.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select

from desktop_app.domain import commitments as cm
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.working_days import CalendarUnknown
from platform_server.form_rules import FieldSpec, FormContext, Rejection, check_value, parse_date
from platform_server.models import Record
from platform_server.records import Scope, dumps, loads
from platform_server.scopes import Viewer
from sync.protocol import PLATFORM_OWNED, Collection, ReasonCode, Role

Rules = Callable[[FormContext, dict[str, Any], dict[str, Any] | None], None]
MAX_WORKING_DAYS = 250
_RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")  # sync.protocol's RecordId


class Owner(enum.StrEnum):
    """Who writes a collection."""

    PLATFORM = "platform"
    CLIENT = "client"


@dataclass(frozen=True)
class CollectionDef:
    """One collection's rules.

    Attributes:
        name: The collection.
        label: Chinese name for messages.
        owner: Platform (read-only to clients) or client (pushed forms).
        scope_by: How a new record's scope is derived: ``hall`` (window forms), ``task``
            (inspection forms) or ``platform`` (set by imports and draws).
        create_roles: Roles that may create records by push.
        fields: Checked fields; others are stored as they come.
        immutable: Fields fixed at creation (they decide the scope).
        derived: Fields the platform computes; client values are dropped.
        rules: Cross-field rules; may set derived fields.
        deletable: Whether a record in its current state may be deleted (raises
            :class:`Rejection` if not), given the push context, the record and its fields.
    """

    name: str
    label: str
    owner: Owner
    scope_by: Literal["platform", "hall", "task"] = "platform"
    create_roles: frozenset[Role] = frozenset()
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    immutable: frozenset[str] = frozenset()
    derived: frozenset[str] = frozenset()
    rules: Rules | None = None
    deletable: Callable[[FormContext, Record, dict[str, Any]], None] | None = None


def _calendar_unknown(err: CalendarUnknown) -> Rejection:
    return Rejection(ReasonCode.CALENDAR_UNKNOWN, str(err))


def _commitment_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    kind = cm.parse_kind(f["kind"])
    try:
        # The client service applies the same rule (one state machine, one signing rule).
        cm.check_status_change(
            None if current is None else current.get("status"), f["status"], f.get("signed_on")
        )
    except cm.CommitmentError as err:
        raise Rejection(ReasonCode(err.code), str(err)) from None
    f.pop("deadline", None)
    if kind is not cm.CommitmentKind.TOLERANCE:
        return
    for name, label in (("missing_materials", "所缺材料"), ("deadline_working_days", "补齐期限")):
        if f.get(name) is None:
            raise Rejection(
                ReasonCode.MISSING_FIELD, f"容缺受理须填写“{label}”（{name}），请补充后再提交。"
            )
    try:
        cm.check_tolerance_terms(kind, f["missing_materials"], f["deadline_working_days"])
        if f.get("signed_on") is not None:
            signed_on = parse_date(f["signed_on"], "签署日期")
            due = cm.tolerance_deadline(signed_on, f["deadline_working_days"], ctx.calendar())
            f["deadline"] = due.isoformat()
    except CalendarUnknown as err:
        raise _calendar_unknown(err) from None
    except cm.CommitmentError as err:
        raise Rejection(ReasonCode.INVALID_FIELD, str(err)) from None


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
    if not f["evidence"].strip():
        raise Rejection(
            ReasonCode.MISSING_FIELD, "失信记录须写明认定依据和证据（evidence），请补充后再提交。"
        )
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


def _override_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    if len(f["reason"].strip()) < uscc_rules.MIN_OVERRIDE_REASON:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            f"请填写例外使用的理由（至少{uscc_rules.MIN_OVERRIDE_REASON}个字），"
            "例如“已与营业执照原件核对一致”。",
        )
    try:
        f["uscc"] = uscc_rules.accept_with_override(f["uscc"], f["reason"])
    except uscc_rules.UsccError as err:
        raise Rejection(ReasonCode.INVALID_USCC, str(err)) from None


def _warning_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    issued_on = parse_date(f["issued_on"], "警示日期")
    try:
        due = ctx.calendar().deadline(issued_on, f["rectify_working_days"])
    except CalendarUnknown as err:
        raise _calendar_unknown(err) from None
    f["rectify_deadline"] = due.isoformat()


def _spec(kind: Any, label: str, required: bool = False, **kw: Any) -> FieldSpec:
    return FieldSpec(kind, label, required, **kw)


_ATTACHMENTS = {"attachments": _spec("blobs", "附件")}
_TASK_FIELDS = {
    "task_id": _spec("text", "检查任务", True),
    "uscc": _spec("uscc", "被检查主体统一社会信用代码", True),
    **_ATTACHMENTS,
}
_WINDOW = frozenset({Role.WINDOW})
_INSPECTOR = frozenset({Role.INSPECTOR})
_TASK_IMMUTABLE = frozenset({"task_id", "uscc"})


def _window_form(name: Collection, label: str, **kw: Any) -> CollectionDef:
    immutable = frozenset({"hall_id"}) | kw.pop("immutable", frozenset())
    return CollectionDef(
        name.value, label, Owner.CLIENT, "hall", _WINDOW, immutable=immutable, **kw
    )


def _inspection_form(name: Collection, label: str, **kw: Any) -> CollectionDef:
    fields = {**_TASK_FIELDS, **kw.pop("fields")}
    return CollectionDef(
        name.value, label, Owner.CLIENT, "task", _INSPECTOR, fields, _TASK_IMMUTABLE, **kw
    )


_FORMS = [
    _window_form(
        Collection.COMMITMENTS,
        "信用承诺",
        fields={
            "uscc": _spec("uscc", "统一社会信用代码", True),
            "kind": _spec("choice", "承诺类型", True, choices=frozenset(cm.CommitmentKind)),
            "status": _spec("choice", "承诺状态", True, choices=frozenset(cm.CommitmentStatus)),
            "matter": _spec("text", "办理事项", True),
            "signed_on": _spec("date", "签署日期"),
            "missing_materials": _spec("texts", "所缺材料"),
            "deadline_working_days": _spec(
                "int", "补齐期限（工作日）", min_value=1, max_value=MAX_WORKING_DAYS
            ),
            "text": _spec("long_text", "承诺内容"),
            **_ATTACHMENTS,
        },
        immutable=frozenset({"uscc"}),
        derived=frozenset({"deadline"}),
        rules=_commitment_rules,
        deletable=_commitment_deletable,
    ),
    _window_form(
        Collection.EDUCATION_SESSIONS,
        "诚信教育场次",
        fields={
            "title": _spec("text", "培训主题", True),
            "held_on": _spec("date", "培训日期", True),
            **_ATTACHMENTS,
        },
        deletable=_session_deletable,
    ),
    _window_form(
        Collection.ATTENDANCE,
        "诚信教育签到",
        fields={
            "session_id": _spec("text", "培训场次", True),
            "attendee_name": _spec("text", "参训人姓名", True),
            "uscc": _spec("uscc", "所属主体统一社会信用代码"),
        },
        immutable=frozenset({"session_id"}),
        rules=_attendance_rules,
    ),
    _window_form(
        Collection.USCC_OVERRIDES,
        "统一社会信用代码例外使用",
        fields={
            "uscc": _spec("text", "统一社会信用代码", True),
            "reason": _spec("text", "理由", True),
        },
        immutable=frozenset({"uscc"}),
        rules=_override_rules,
    ),
    _window_form(
        Collection.DISHONESTY_RECORDS,
        "失信记录",
        fields={
            "uscc": _spec("uscc", "统一社会信用代码", True),
            "source_collection": _spec(
                "choice", "来源", True, choices=frozenset({Collection.COMMITMENTS.value})
            ),
            "source_id": _spec("text", "来源记录", True),
            "kind": _spec("choice", "失信类型", True, choices=frozenset(cm.DishonestyKind)),
            "severity": _spec("choice", "严重程度", True, choices=frozenset(cm.BreachSeverity)),
            "evidence": _spec("long_text", "认定依据和证据", True),
            "decided_on": _spec("date", "认定日期", True),
            "repaired": _spec("bool", "是否已修复"),
            **_ATTACHMENTS,
        },
        immutable=frozenset({"uscc", "source_collection", "source_id"}),
        rules=_dishonesty_rules,
    ),
    _inspection_form(
        Collection.INSPECTION_RESULTS,
        "检查结果",
        fields={
            "inspected_on": _spec("date", "检查日期", True),
            "conclusion": _spec("long_text", "检查结论", True),
        },
    ),
    _inspection_form(
        Collection.FINDINGS,
        "检查发现的问题",
        fields={
            "description": _spec("long_text", "问题描述", True),
            "severity": _spec(
                "choice", "严重程度", choices=frozenset({"minor", "general", "serious"})
            ),
        },
    ),
    _inspection_form(
        Collection.WARNINGS,
        "失信警示",
        fields={
            "issued_on": _spec("date", "警示日期", True),
            "content": _spec("long_text", "警示内容", True),
            "rectify_working_days": _spec(
                "int", "整改期限（工作日）", True, min_value=1, max_value=MAX_WORKING_DAYS
            ),
        },
        derived=frozenset({"rectify_deadline"}),
        rules=_warning_rules,
    ),
    _inspection_form(
        Collection.INTERVIEWS,
        "约谈记录",
        fields={
            # 提示约谈 (reminder) or 警示约谈 (warning), seed 三(八).
            "kind": _spec("choice", "约谈类型", True, choices=frozenset({"reminder", "warning"})),
            "held_on": _spec("date", "约谈日期", True),
            "record": _spec("long_text", "约谈记录"),
        },
    ),
]

DEFINITIONS: Mapping[str, CollectionDef] = {
    **{c.value: CollectionDef(c.value, c.value, Owner.PLATFORM) for c in PLATFORM_OWNED},
    **{d.name: d for d in _FORMS},
}
"""Every collection by name."""


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
    out = dict(fields)
    for name, spec in defn.fields.items():
        value = out.get(name)
        if value is None:
            if spec.required:
                raise Rejection(
                    ReasonCode.MISSING_FIELD,
                    f"缺少必填项“{spec.label}”（{name}），请填写后再提交。",
                )
            continue
        out[name] = check_value(ctx, spec, value, out)
    if defn.rules is not None:
        defn.rules(ctx, out, current)
    return out


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
            label = defn.fields[name].label if name in defn.fields else name
            raise Rejection(
                ReasonCode.INVALID_FIELD,
                f"“{label}”（{name}）在创建后不能修改。如填写有误，请作废此表单后重新填写。",
            )
