"""信用承诺: take a commitment at the window, follow it through its lifecycle, print it.

A commitment is a ``commitments`` client form (:class:`~desktop_app.services.forms.LocalForms`):
each write below is ONE store transaction holding the form change(s), their outbox entries and
the audit row, so a crash leaves all of it or none, and nothing is half-saved when a check
fails.

Fields kept on the form (compatible with the platform's ``commitments`` definition; the
platform stores the extra ones as they come):

* ``uscc``, ``entity_name``; ``matter_id``, ``matter``, ``domain``, ``legal_basis``,
  ``authority`` (from the catalog); ``kind``, ``status``;
* ``applicant_name``, ``applicant_role`` (法定代表人 / 委托代理人), ``applicant_phone``;
* ``signed_on`` (ISO date, absent while a draft); ``text`` (the letter as committed: the
  catalog's template filled in); ``publish`` (the platform's publication feed reads it);
  ``note``; ``created_at`` (ISO local date and time);
* 容缺受理 only: ``missing_materials`` (the names of the materials missing at acceptance: the
  list the platform checks, it does not shrink as materials arrive), ``materials`` (one dict
  per material: ``name``, ``form``, ``received``, ``received_on``) and
  ``deadline_working_days``; the platform derives ``deadline`` (never sent by this client;
  until the platform's value arrives, the same rule computes it locally);
* ``history``: every status change as a :class:`~desktop_app.domain.commitments.Transition`
  dict (``from``, ``to``, ``at``, ``by``, ``note``), oldest first, sent with every ``status``;
* ``breach`` (``severity``, ``evidence``, ``recorded_at``, ``recorded_by``,
  ``dishonesty_id``) once a breach or false commitment is recorded; ``verified_on`` and
  ``verification_note`` after 核查; ``attachments`` (scans of the signed letter).

A breach also creates a ``dishonesty_records`` form (失信记录) in the same transaction.

The working-day calendar is the official one extended by the platform's
``calendar_overrides`` records, the same rule the platform uses; a year it does not know stops
the window with a message (never a Monday–Friday guess).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.commitment_catalog import fill_letter_template
from desktop_app.domain.commitments import (
    BreachSeverity,
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.domain.working_days import (
    CalendarUnknown,
    WorkingDayCalendar,
    calendar_from_records,
)
from desktop_app.reports.commitment_letter import (
    LetterData,
    LetterMaterial,
    build_commitment_letter,
    build_tolerance_notice,
)
from desktop_app.reports.document import Document
from desktop_app.services.entities import credit_check
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord

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

__all__ = [
    "APPLICANT_ROLES",
    "MATERIAL_FORMS",
    "CatalogMatter",
    "CommitmentInput",
    "CommitmentService",
    "CommitmentView",
    "MissingMaterial",
]


@dataclass(frozen=True)
class CatalogMatter:
    """One matter of the commitment catalog (可开展信用承诺的事项)."""

    id: str
    domain: str
    matter: str
    legal_basis: str
    required_materials: tuple[str, ...]
    allowed_kinds: tuple[CommitmentKind, ...]
    authority: str
    commitment_items: tuple[str, ...]
    letter_template: str
    note: str


@dataclass(frozen=True)
class MissingMaterial:
    """A material a 容缺受理 applicant still has to supply.

    Attributes:
        name: e.g. 食品安全管理制度文本.
        form: 原件 / 复印件 / 电子件 …
        received: Whether it has arrived.
    """

    name: str
    form: str
    received: bool = False


@dataclass(frozen=True)
class CommitmentInput:
    """What the window clerk entered for a new commitment.

    Attributes:
        uscc: The entity's code (it must be in the local registry cache).
        matter_id: The catalog matter.
        kind: The commitment kind (one the matter allows).
        applicant_name: 法定代表人或委托代理人 (required).
        applicant_role: ``法定代表人`` or ``委托代理人``.
        applicant_phone: Optional phone number.
        missing_materials: 容缺受理 only (required then).
        deadline_working_days: 容缺受理 only (required then).
        publish: Whether the applicant agrees to publication.
        sign_now: False saves a draft.
        note: Free remark.
    """

    uscc: str
    matter_id: str
    kind: CommitmentKind
    applicant_name: str
    applicant_role: str = "法定代表人"
    applicant_phone: str = ""
    missing_materials: tuple[MissingMaterial, ...] = ()
    deadline_working_days: int | None = None
    publish: bool = True
    sign_now: bool = True
    note: str = ""


@dataclass(frozen=True)
class CommitmentView:
    """A commitment as the UI shows it."""

    record_id: str
    uscc: str
    entity_name: str
    matter_id: str
    matter: str
    domain: str
    legal_basis: str
    kind: CommitmentKind
    kind_label: str
    status: CommitmentStatus
    status_label: str
    applicant_name: str
    applicant_role: str
    applicant_phone: str
    signed_on: date | None
    deadline: date | None
    missing_materials: tuple[MissingMaterial, ...]
    publish: bool
    history: tuple[dict[str, str], ...]
    allowed_next: tuple[CommitmentStatus, ...]
    breach: dict[str, Any] | None
    attachments: int
    synced: bool


def _date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


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


def _matter_of(record_id: str, fields: dict[str, Any]) -> CatalogMatter:
    kinds = []
    for value in _texts(fields.get("allowed_kinds")):
        try:
            kinds.append(cm.parse_kind(value))
        except cm.CommitmentError:
            continue  # a kind this build does not know: not offered
    return CatalogMatter(
        id=record_id,
        domain=str(fields.get("domain") or ""),
        matter=str(fields.get("matter") or ""),
        legal_basis=str(fields.get("legal_basis") or ""),
        required_materials=_texts(fields.get("required_materials")),
        allowed_kinds=tuple(kinds),
        authority=str(fields.get("authority") or ""),
        commitment_items=_texts(fields.get("commitment_items")),
        letter_template=str(fields.get("letter_template") or ""),
        note=str(fields.get("note") or ""),
    )


def _materials(fields: dict[str, Any]) -> tuple[MissingMaterial, ...]:
    rich = fields.get("materials")
    if isinstance(rich, list) and rich:
        return tuple(
            MissingMaterial(
                str(m.get("name", "")), str(m.get("form", "")), m.get("received") is True
            )
            for m in rich
            if isinstance(m, dict)
        )
    # A form made elsewhere may carry the names only.
    done = fields.get("status") in {_S.FULFILLED.value, _S.VERIFIED_TRUE.value}
    return tuple(MissingMaterial(n, "", done) for n in _texts(fields.get("missing_materials")))


def _handled_by(history: Sequence[dict[str, str]]) -> str:
    # 受理窗口经办人: who signed the commitment in, else who first recorded it.
    signed = [e.get("by", "") for e in history if e.get("to") == _S.SIGNED.value]
    return (signed or [e.get("by", "") for e in history] or [""])[0]


class CommitmentService:
    """信用承诺 use cases on one store, for one actor.

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

    # --- catalog -------------------------------------------------------------------------

    def domains(self) -> list[str]:
        """The catalog's domains (领域), in the order first met (matter id order)."""
        return list(dict.fromkeys(m.domain for m in self.catalog() if m.domain))

    def catalog(self, domain: str | None = None) -> list[CatalogMatter]:
        """The catalog matters, by id; only those of ``domain`` when given."""
        with self._store.read() as s:
            rows = s.execute(
                select(ReferenceRecord.record_id, ReferenceRecord.data)
                .where(ReferenceRecord.collection == CATALOG, ReferenceRecord.deleted.is_(False))
                .order_by(ReferenceRecord.record_id)
            )
            matters = [_matter_of(rid, load_fields(data)) for rid, data in rows]
        return [m for m in matters if domain is None or m.domain == domain]

    # --- create --------------------------------------------------------------------------

    @staticmethod
    def _check_input(data: CommitmentInput) -> CommitmentKind:
        kind = cm.parse_kind(data.kind)
        if not data.applicant_name.strip():
            raise ServiceError("请填写法定代表人或委托代理人的姓名。")
        if data.applicant_role not in APPLICANT_ROLES:
            raise ServiceError(
                f"签署人身份“{data.applicant_role}”无效，应为：{'、'.join(APPLICANT_ROLES)}。"
            )
        phone = data.applicant_phone.strip()
        if phone and not _PHONE.fullmatch(phone):
            raise ServiceError(f"联系电话“{phone}”格式不正确，请只填写数字（可含“-”）。")
        if kind is not CommitmentKind.TOLERANCE:
            if data.missing_materials or data.deadline_working_days is not None:
                raise ServiceError(
                    "只有容缺受理需要填写所缺材料和补齐期限。"
                    "请清空这两项，或将承诺类型改为“容缺受理”。"
                )
            return kind
        if not data.missing_materials:
            raise ServiceError("容缺受理须逐项列明所缺材料（名称和提交形式），请补充后再提交。")
        seen: set[str] = set()
        for material in data.missing_materials:
            name = material.name.strip()
            if not name:
                raise ServiceError("所缺材料的名称不能为空，请补充或删除该行。")
            if name in seen:
                raise ServiceError(f"所缺材料“{name}”重复填写，请删除重复的一行。")
            seen.add(name)
            if not material.form.strip():
                raise ServiceError(
                    f"请写明所缺材料“{name}”的提交形式（如{'、'.join(MATERIAL_FORMS)}）。"
                )
        days = data.deadline_working_days
        if days is None or not 1 <= days <= cm.MAX_TOLERANCE_WORKING_DAYS:
            raise ServiceError(
                f"容缺受理须写明补齐材料的期限（1至{cm.MAX_TOLERANCE_WORKING_DAYS}个工作日），"
                "请填写后再提交。"
            )
        return kind

    def _check_tolerance_allowed(self, session: Session, uscc: str) -> None:
        """Refuse 容缺受理 to an entity that may not use it (the window's credit check).

        The rule is :func:`desktop_app.domain.window_rules.tolerance_eligibility`, applied to
        what the local store knows (the same verdict the entity card shows): bad credit, the
        serious-dishonesty list, or an earlier breach or false commitment not yet repaired.

        Raises:
            ServiceError: The entity may not use 容缺受理 now; the message gives the reasons.
        """
        entity = session.scalars(select(Entity).where(Entity.uscc == uscc)).first()
        if entity is None:
            return  # create() has refused an uncached entity already
        verdict = credit_check(session, entity, self._now().date()).tolerance
        if verdict is not None and not verdict.allowed:
            raise ServiceError(
                "该主体目前不能适用容缺受理："
                + "".join(verdict.reasons)
                + "请改为告知承诺等其他方式，或在材料齐全后正常受理。"
            )

    def create(self, data: CommitmentInput) -> CommitmentView:
        """Take a new commitment (signed at once, or a draft).

        Raises:
            ServiceError: Nothing was saved; the message says what to fix.
        """
        kind = self._check_input(data)
        check = uscc_rules.check_uscc(data.uscc)
        if not check.ok:
            raise ServiceError(f"统一社会信用代码有误：\n{check.message}")
        code = check.normalized
        now = self._now()
        with self._store.write() as s:
            entity = EntityRepository(s).get_by_uscc(code)
            if entity is None:
                raise ServiceError(
                    f"本机的主体名录中没有统一社会信用代码为 {code} 的主体。"
                    "请核对代码，或同步后重新查询。"
                )
            matter = self._matter(s, data.matter_id)
            if matter is None:
                raise ServiceError(
                    "承诺事项清单中没有所选事项（可能已被平台调整）。请同步后重新选择办理事项。"
                )
            if kind not in matter.allowed_kinds:
                allowed = "、".join(cm.KIND_LABELS[k] for k in matter.allowed_kinds) or "无"
                raise ServiceError(
                    f"“{matter.matter}”不能采用“{cm.KIND_LABELS[kind]}”方式办理；"
                    f"该事项可用的承诺类型为：{allowed}。"
                )
            for rid, raw, _dirty in _rows(s, COMMITMENTS, code):
                other = load_fields(raw)
                if other.get("matter_id") == matter.id and other.get("status") in {
                    st.value for st in cm.OPEN_STATUSES
                }:
                    label = cm.STATUS_LABELS[cm.parse_status(other["status"])]
                    raise ServiceError(
                        f"该主体已有一份尚未办结的“{matter.matter}”承诺（{label}，"
                        f"编号 CN-{rid[:8].upper()}）。请继续办理该承诺，或先将其撤回后再新建。"
                    )
            if kind is CommitmentKind.TOLERANCE:
                self._check_tolerance_allowed(s, code)
            status = _S.SIGNED if data.sign_now else _S.DRAFT
            signed_on = now.date() if data.sign_now else None
            fields: dict[str, Any] = {
                "uscc": code,
                "entity_name": entity.name,
                "matter_id": matter.id,
                "matter": matter.matter,
                "domain": matter.domain,
                "legal_basis": matter.legal_basis,
                "authority": matter.authority,
                "kind": kind.value,
                "status": status.value,
                "applicant_name": data.applicant_name.strip(),
                "applicant_role": data.applicant_role,
                "applicant_phone": data.applicant_phone.strip(),
                "publish": data.publish,
                "note": data.note.strip(),
                "created_at": now.isoformat(),
                "text": self._letter_text(
                    matter.letter_template, entity.name, code, data, signed_on
                ),
                "history": cm.record_transition(
                    [], None, status, now, self.actor, "签署承诺书" if data.sign_now else "保存草稿"
                ),
            }
            if signed_on is not None:
                fields["signed_on"] = signed_on.isoformat()
            if kind is CommitmentKind.TOLERANCE:
                assert data.deadline_working_days is not None  # checked by _check_input
                fields["missing_materials"] = [m.name.strip() for m in data.missing_materials]
                fields["materials"] = [
                    {"name": m.name.strip(), "form": m.form.strip(), "received": False}
                    for m in data.missing_materials
                ]
                fields["deadline_working_days"] = data.deadline_working_days
                if signed_on is not None:
                    self._check_deadline(s, signed_on, data.deadline_working_days)
            record_id = LocalForms(s).create(COMMITMENTS, fields)
            self._audit(
                s,
                "commitment.created",
                record_id,
                uscc=code,
                matter_id=matter.id,
                kind=kind.value,
                status=status.value,
            )
            return self._read_view(s, record_id)

    @staticmethod
    def _letter_text(
        template: str, name: str, code: str, data: CommitmentInput, signed_on: date | None
    ) -> str:
        return fill_letter_template(
            template,
            {
                "entity_name": name,
                "uscc": code,
                "signer": name,
                "representative": f"{data.applicant_name.strip()}（{data.applicant_role}）",
                "signed_on": f"{signed_on.year}年{signed_on.month}月{signed_on.day}日"
                if signed_on
                else "",
            },
        )

    def _check_deadline(self, s: Session, signed_on: date, days: int) -> date:
        try:
            return cm.tolerance_deadline(signed_on, days, local_calendar(s))
        except CalendarUnknown as err:
            raise ServiceError(_calendar_message(err)) from None
        except cm.CommitmentError as exc:
            raise ServiceError(str(exc)) from None

    # --- read ----------------------------------------------------------------------------

    def get(self, record_id: str) -> CommitmentView:
        """One commitment.

        Raises:
            ServiceError: No such commitment.
        """
        with self._store.read() as s:
            return self._read_view(s, record_id)

    def search(
        self, query: str = "", status: CommitmentStatus | None = None, limit: int = LIST_LIMIT
    ) -> list[CommitmentView]:
        """Commitments, newest first; ``query`` matches the USCC, entity name or matter."""
        needle = query.strip()
        upper = uscc_rules.normalize(needle) if needle else ""
        with self._store.read() as s:
            created = {
                rid: str(load_fields(data).get("created_at") or "")
                for rid, data, _dirty in _rows(s, COMMITMENTS)
            }
            views = self._all(s)
        found = [
            v
            for v in views
            if (status is None or v.status is status)
            and (
                not needle
                or (upper and upper in v.uscc)
                or needle in v.entity_name
                or needle in v.matter
            )
        ]
        found.sort(key=lambda v: (created.get(v.record_id, ""), v.record_id), reverse=True)
        return found[:limit]

    def for_entity(self, uscc: str) -> list[CommitmentView]:
        """Every commitment of one entity, newest signing first (drafts first of all)."""
        code = uscc_rules.normalize(uscc)
        with self._store.read() as s:
            views = self._all(s, code)
        return sorted(views, key=lambda v: (v.signed_on or date.max, v.record_id), reverse=True)

    def due_soon(self, working_days: int = 3, today: date | None = None) -> list[CommitmentView]:
        """Signed 容缺受理 whose deadline is today or within ``working_days`` working days."""
        day = today or self._today()
        with self._store.read() as s:
            calendar = local_calendar(s)
            views = self._all(s)
        found = []
        for v in views:
            if v.status is not _S.SIGNED or v.deadline is None:
                continue
            try:
                if cm.is_due_within(v.deadline, day, working_days, calendar):
                    found.append(v)
            except CalendarUnknown:
                continue
        return sorted(found, key=lambda v: (v.deadline or date.max, v.record_id))

    def overdue(self) -> list[CommitmentView]:
        """Commitments marked 逾期未履约, oldest deadline first (see :meth:`refresh_overdue`)."""
        with self._store.read() as s:
            views = self._all(s)
        found = [v for v in views if v.status is _S.OVERDUE]
        return sorted(found, key=lambda v: (v.deadline or date.max, v.record_id))

    def to_verify(self) -> list[CommitmentView]:
        """Commitments waiting for 核查: signed ones other than 容缺受理, and fulfilled ones."""
        with self._store.read() as s:
            views = self._all(s)
        found = [
            v
            for v in views
            if v.status is _S.FULFILLED
            or (v.status is _S.SIGNED and v.kind is not CommitmentKind.TOLERANCE)
        ]
        return sorted(found, key=lambda v: (v.signed_on or date.max, v.record_id))

    # --- lifecycle -----------------------------------------------------------------------

    def sign(self, record_id: str, signed_on: date | None = None) -> CommitmentView:
        """Sign a draft (草稿 → 已签署).

        Args:
            record_id: The commitment.
            signed_on: The signing date (default today; never in the future).

        Raises:
            ServiceError: Not a draft, a future date, or a deadline the calendar cannot compute.
        """
        day = signed_on or self._today()
        if day > self._today():
            raise ServiceError("签署日期不能晚于今天，请核对后重新填写。")
        with self._store.write() as s:
            fields, _dirty = self._load(s, record_id)
            changes = self._transition_changes(fields, _S.SIGNED, "签署承诺书")
            changes["signed_on"] = day.isoformat()
            matter = self._matter(s, str(fields.get("matter_id") or ""))
            if matter is not None and matter.letter_template:
                changes["text"] = fill_letter_template(
                    matter.letter_template,
                    {
                        "entity_name": str(fields.get("entity_name") or ""),
                        "uscc": str(fields.get("uscc") or ""),
                        "signer": str(fields.get("entity_name") or ""),
                        "representative": (
                            f"{fields.get('applicant_name', '')}"
                            f"（{fields.get('applicant_role', '')}）"
                        ),
                        "signed_on": f"{day.year}年{day.month}月{day.day}日",
                    },
                )
            days = fields.get("deadline_working_days")
            if fields.get("kind") == CommitmentKind.TOLERANCE.value and isinstance(days, int):
                self._check_deadline(s, day, days)
            LocalForms(s).update(COMMITMENTS, record_id, changes)
            self._audit(s, "commitment.transition", record_id, to=_S.SIGNED.value)
            return self._read_view(s, record_id)

    def transition(self, record_id: str, to: CommitmentStatus, note: str = "") -> CommitmentView:
        """Change a commitment's status (with a history entry).

        Signing goes through :meth:`sign`; a breach or false commitment needs a severity and
        evidence and goes through :meth:`record_breach`.

        Raises:
            ServiceError: The lifecycle does not allow the change, or something is missing.
        """
        target = cm.parse_status(to)
        if target is _S.SIGNED:
            return self.sign(record_id)
        if target in cm.BREACH_STATUSES:
            raise ServiceError(
                f"认定“{cm.STATUS_LABELS[target]}”须填写严重程度和证据，"
                "请使用“记录违约/虚假承诺”办理。"
            )
        if target is _S.WITHDRAWN and not note.strip():
            raise ServiceError("请填写撤回承诺的原因。")
        today = self._today()
        with self._store.write() as s:
            fields, _dirty = self._load(s, record_id)
            changes = self._transition_changes(fields, target, note.strip())
            is_tolerance = fields.get("kind") == CommitmentKind.TOLERANCE.value
            if target is _S.OVERDUE:
                if not is_tolerance:
                    raise ServiceError("只有容缺受理的承诺有补齐期限，不能标记为逾期。")
                deadline = self._deadline(fields, local_calendar(s))
                if deadline is not None and not cm.is_overdue(deadline, today):
                    raise ServiceError(
                        f"补齐期限（{deadline.isoformat()}）尚未届满，不能标记为逾期。"
                    )
            if target is _S.FULFILLED and is_tolerance:
                changes["materials"] = [
                    {
                        "name": m.name,
                        "form": m.form,
                        "received": True,
                        **({} if m.received else {"received_on": today.isoformat()}),
                    }
                    for m in _materials(fields)
                ]
            if target is _S.VERIFIED_TRUE:
                changes["verified_on"] = today.isoformat()
                changes["verification_note"] = note.strip()
            LocalForms(s).update(COMMITMENTS, record_id, changes)
            self._audit(
                s,
                "commitment.transition",
                record_id,
                **{"from": fields.get("status"), "to": target.value, "note": note.strip()},
            )
            return self._read_view(s, record_id)

    def mark_received(
        self, record_id: str, materials: Sequence[str] | None = None
    ) -> CommitmentView:
        """Record that missing materials of a 容缺受理 arrived; all arrived → 已履约.

        Args:
            record_id: The commitment.
            materials: Names of the materials that arrived (default: all).

        Raises:
            ServiceError: Not a 容缺受理, not waiting for materials, or an unknown name.
        """
        today = self._today()
        with self._store.write() as s:
            fields, _dirty = self._load(s, record_id)
            if fields.get("kind") != CommitmentKind.TOLERANCE.value:
                raise ServiceError("只有容缺受理的承诺需要登记补齐材料。")
            status = cm.parse_status(fields.get("status"))
            if status not in {_S.SIGNED, _S.OVERDUE}:
                raise ServiceError(
                    f"该承诺当前为“{cm.STATUS_LABELS[status]}”，不能再登记补齐材料。"
                )
            current = _materials(fields)
            names = [m.name for m in current]
            wanted = list(names) if materials is None else [str(n).strip() for n in materials]
            if not wanted:
                raise ServiceError("请选择已补齐的材料。")
            unknown = [n for n in wanted if n not in names]
            if unknown:
                raise ServiceError(
                    f"“{'、'.join(unknown)}”不在该承诺的所缺材料中；所缺材料为：{'、'.join(names)}。"
                )
            updated = []
            for m in current:
                entry: dict[str, Any] = {"name": m.name, "form": m.form, "received": m.received}
                old = next(
                    (x for x in fields.get("materials") or [] if isinstance(x, dict)
                     and x.get("name") == m.name),
                    {},
                )  # fmt: skip
                if old.get("received_on"):
                    entry["received_on"] = old["received_on"]
                if m.name in wanted and not m.received:
                    entry["received"] = True
                    entry["received_on"] = today.isoformat()
                updated.append(entry)
            changes: dict[str, Any] = {"materials": updated}
            complete = all(e["received"] for e in updated)
            if complete:
                changes |= self._transition_changes(fields, _S.FULFILLED, ALL_RECEIVED_NOTE)
            LocalForms(s).update(COMMITMENTS, record_id, changes)
            self._audit(
                s,
                "commitment.materials_received",
                record_id,
                materials=list(wanted),
                fulfilled=complete,
            )
            return self._read_view(s, record_id)

    def record_breach(
        self, record_id: str, to: CommitmentStatus, severity: BreachSeverity, evidence: str
    ) -> CommitmentView:
        """Judge a breach (违约) or a false commitment (虚假承诺) and record the 失信记录.

        One transaction: the commitment's status, history and ``breach``, and a new
        ``dishonesty_records`` form.

        Args:
            record_id: The commitment.
            to: ``breached`` or ``verified_false``.
            severity: 情节严重程度.
            evidence: What the finding rests on.

        Raises:
            ServiceError: A wrong target status, no evidence, or an illegal transition.
        """
        target = cm.parse_status(to)
        if target not in cm.BREACH_STATUSES:
            raise ServiceError("只能记录为“违约”或“虚假承诺”。其他状态请使用状态变更。")
        try:
            grade = cm.parse_severity(severity)
        except cm.CommitmentError as exc:
            raise ServiceError(str(exc)) from None
        text = evidence.strip()
        if not text:
            raise ServiceError("请填写认定违约或虚假承诺的依据和证据。")
        kind = cm.dishonesty_kind(target)
        now = self._now()
        with self._store.write() as s:
            fields, _dirty = self._load(s, record_id)
            note = f"{cm.DISHONESTY_LABELS[kind]}（{grade.label}）：{text}"
            changes = self._transition_changes(fields, target, note)
            forms = LocalForms(s)
            dishonesty_id = forms.create(
                DISHONESTY,
                {
                    "uscc": fields.get("uscc"),
                    "entity_name": fields.get("entity_name", ""),
                    "matter": fields.get("matter", ""),
                    "source_collection": COMMITMENTS,
                    "source_id": record_id,
                    "kind": kind.value,
                    "severity": grade.value,
                    "evidence": text,
                    "decided_on": now.date().isoformat(),
                    "repaired": False,
                },
            )
            changes["breach"] = {
                "severity": grade.value,
                "evidence": text,
                "recorded_at": now.isoformat(),
                "recorded_by": self.actor,
                "dishonesty_id": dishonesty_id,
            }
            if target is _S.VERIFIED_FALSE:
                changes["verified_on"] = now.date().isoformat()
                changes["verification_note"] = text
            forms.update(COMMITMENTS, record_id, changes)
            self._audit(
                s,
                "commitment.breach",
                record_id,
                to=target.value,
                severity=grade.value,
                dishonesty_id=dishonesty_id,
            )
            return self._read_view(s, record_id)

    def verify(
        self,
        record_id: str,
        truthful: bool,
        note: str = "",
        severity: BreachSeverity = BreachSeverity.GENERAL,
    ) -> CommitmentView:
        """Record the result of checking a commitment (核查).

        Args:
            record_id: The commitment.
            truthful: True → 核查属实; False → 虚假承诺 (via :meth:`record_breach`).
            note: What was checked; the evidence when not truthful (required then).
            severity: The severity of a false commitment.

        Raises:
            ServiceError: As :meth:`transition` / :meth:`record_breach`.
        """
        if truthful:
            return self.transition(record_id, _S.VERIFIED_TRUE, note or "核查属实")
        return self.record_breach(record_id, _S.VERIFIED_FALSE, severity, note)

    def attach_scan(self, record_id: str, content: bytes, filename: str, mime_type: str) -> str:
        """Keep a scan (e.g. of the signed letter) with the commitment.

        Returns:
            The file's SHA-256.

        Raises:
            ServiceError: No such commitment, or the file is too large.
        """
        with self._store.write() as s:
            self._load(s, record_id)
            sha = LocalForms(s).attach(COMMITMENTS, record_id, content, filename, mime_type)
            self._audit(s, "commitment.attachment", record_id, sha256=sha, filename=filename)
        return sha

    def refresh_overdue(self, today: date | None = None) -> int:
        """Mark signed 容缺受理 past their deadline as 逾期未履约.

        Returns:
            How many were marked.
        """
        day = today or self._today()
        marked = 0
        with self._store.write() as s:
            calendar = local_calendar(s)
            forms = LocalForms(s)
            for record_id, raw, _dirty in list(_rows(s, COMMITMENTS)):
                fields = load_fields(raw)
                if fields.get("status") != _S.SIGNED.value:
                    continue
                deadline = self._deadline(fields, calendar)
                if deadline is None or not cm.is_overdue(deadline, day):
                    continue
                changes = self._transition_changes(fields, _S.OVERDUE, AUTO_OVERDUE_NOTE)
                forms.update(COMMITMENTS, record_id, changes)
                self._audit(
                    s,
                    "commitment.transition",
                    record_id,
                    **{"from": _S.SIGNED.value, "to": _S.OVERDUE.value, "note": AUTO_OVERDUE_NOTE},
                )
                marked += 1
        return marked

    # --- printing ------------------------------------------------------------------------

    def _letter_data(self, record_id: str) -> LetterData:
        with self._store.read() as s:
            fields, dirty = self._load(s, record_id)
            view = self._view(record_id, fields, dirty, local_calendar(s))
            matter = self._matter(s, view.matter_id)
        template = str(fields.get("text") or "") or (matter.letter_template if matter else "")
        days = fields.get("deadline_working_days")
        return LetterData(
            record_id=record_id,
            entity_name=view.entity_name,
            uscc=view.uscc,
            applicant_name=view.applicant_name,
            applicant_role=view.applicant_role,
            applicant_phone=view.applicant_phone,
            matter=view.matter,
            domain=view.domain,
            legal_basis=view.legal_basis,
            authority=str(fields.get("authority") or (matter.authority if matter else "")),
            kind=view.kind,
            template=template,
            signed_on=view.signed_on,
            materials=tuple(
                LetterMaterial(m.name, m.form, m.received) for m in view.missing_materials
            ),
            deadline=view.deadline,
            deadline_working_days=days if isinstance(days, int) else None,
            publish=view.publish,
            issued_at=self._now(),
            watermark="已撤回 作废" if view.status is _S.WITHDRAWN else "",
            handled_by=_handled_by(view.history) or self.actor,
        )

    def letter(self, record_id: str) -> Document:
        """The 信用承诺书 to print.

        Raises:
            ServiceError: No such commitment.
        """
        return build_commitment_letter(self._letter_data(record_id))

    def notice(self, record_id: str) -> Document:
        """The 容缺受理一次性告知书 to print.

        Raises:
            ServiceError: No such commitment, or it is not a 容缺受理.
        """
        data = self._letter_data(record_id)
        if data.kind is not CommitmentKind.TOLERANCE:
            raise ServiceError("只有容缺受理的承诺需要出具一次性告知书。")
        return build_tolerance_notice(data)
