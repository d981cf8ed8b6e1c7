"""Catalog and letters: the matters one may commit to, taking a commitment, printing it.

:class:`CatalogUseCases` reads the commitment catalog (可开展信用承诺的事项), takes a new
commitment at the window (checked in full before anything is written) and builds the
信用承诺书 and the 容缺受理一次性告知书 to print.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import records
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.commitment_catalog import fill_letter_template
from desktop_app.domain.commitments import (
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.reports.commitment_letter import (
    LetterData,
    LetterMaterial,
    build_commitment_letter,
    build_tolerance_notice,
)
from desktop_app.reports.document import Document
from desktop_app.services.calendar import local_policy
from desktop_app.services.commitments_base import (
    _PHONE,
    APPLICANT_ROLES,
    COMMITMENTS,
    MATERIAL_FORMS,
    CommitmentServiceBase,
    _rows,
    local_calendar,
)
from desktop_app.services.commitments_views import (
    CatalogMatter,
    CommitmentInput,
    CommitmentView,
    _handled_by,
    _matter_of,
)
from desktop_app.services.entities import credit_check
from desktop_app.services.entity_records import public_credit
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import Entity
from desktop_app.store.repository import FormRepository

_S = CommitmentStatus


class CatalogUseCases(CommitmentServiceBase):
    """信用承诺 use cases: the catalog, taking a commitment, and its printed documents."""

    # --- catalog -------------------------------------------------------------------------

    def domains(self) -> list[str]:
        """The catalog's domains (领域), in the order first met (matter id order)."""
        return list(dict.fromkeys(m.domain for m in self.catalog() if m.domain))

    def catalog(self, domain: str | None = None) -> list[CatalogMatter]:
        """The catalog matters, by id; only those of ``domain`` when given."""
        with self._store.read() as s:
            rows = sorted(
                FormRepository(s).references(records.CatalogMatter), key=lambda r: r.record_id
            )
            matters = [_matter_of(r.record_id, r.record) for r in rows]
        return [m for m in matters if domain is None or m.domain == domain]

    def window_measures(self, uscc: str, matter_id: str) -> list[str]:
        """The measures the entity's lists call for at this matter (the city's policy).

        Each line names the list and the measure, e.g. ``严重失信主体名单：依法依规限制参与招标
        投标、政府采购``; only measures whose domains include the matter's (or that apply to
        every matter). Empty when the entity is on no list, or is not cached.
        """
        code = uscc_rules.normalize(uscc)
        with self._store.read() as s:
            entity = EntityRepository(s).get_by_uscc(code)
            matter = self._matter(s, matter_id)
            if entity is None or matter is None:
                return []
            policy = local_policy(s)
            lists = public_credit(s, entity, self._now().date()).lists
        lines: list[str] = []
        for membership in lists:
            rule = policy.list_policy(str(membership.get("list") or ""))
            lines += [f"{rule.name}：{m}" for m in rule.measures_at(matter.domain)]
        return lines

    # --- create --------------------------------------------------------------------------

    @staticmethod
    def _check_input(data: CommitmentInput) -> CommitmentKind:
        kind = cm.parse_kind(data.kind)
        if not data.applicant_name.strip():
            raise ServiceError.of("commitment.applicant_missing")
        if data.applicant_role not in APPLICANT_ROLES:
            raise ServiceError.of(
                "commitment.applicant_role_invalid",
                applicant_role=data.applicant_role,
                roles="、".join(APPLICANT_ROLES),
            )
        phone = data.applicant_phone.strip()
        if phone and not _PHONE.fullmatch(phone):
            raise ServiceError.of("commitment.phone_invalid", phone=phone)
        if kind is not CommitmentKind.TOLERANCE:
            if data.missing_materials or data.deadline_working_days is not None:
                raise ServiceError.of("commitment.materials_only_tolerance")
            return kind
        if not data.missing_materials:
            raise ServiceError.of("commitment.materials_missing")
        seen: set[str] = set()
        for material in data.missing_materials:
            name = material.name.strip()
            if not name:
                raise ServiceError.of("commitment.material_name_empty")
            if name in seen:
                raise ServiceError.of("commitment.material_repeated", name=name)
            seen.add(name)
            if not material.form.strip():
                raise ServiceError.of(
                    "commitment.material_form_missing", name=name, forms="、".join(MATERIAL_FORMS)
                )
        days = data.deadline_working_days
        if days is None or not 1 <= days <= cm.MAX_TOLERANCE_WORKING_DAYS:
            raise ServiceError.of(
                "commitment.tolerance_days_missing", most=cm.MAX_TOLERANCE_WORKING_DAYS
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
            raise ServiceError.of("commitment.tolerance_refused", reasons="".join(verdict.reasons))

    def create(self, data: CommitmentInput) -> CommitmentView:
        """Take a new commitment (signed at once, or a draft).

        Raises:
            ServiceError: Nothing was saved; the message says what to fix.
        """
        kind = self._check_input(data)
        check = uscc_rules.check_uscc(data.uscc)
        if not check.ok:
            raise ServiceError.of("commitment.uscc_invalid", message=check.message)
        code = check.normalized
        now = self._now()
        with self._store.write() as s:
            entity = EntityRepository(s).get_by_uscc(code)
            if entity is None:
                raise ServiceError.of("commitment.entity_unknown", uscc=code)
            matter = self._matter(s, data.matter_id)
            if matter is None:
                raise ServiceError.of("commitment.matter_unknown")
            if kind not in matter.allowed_kinds:
                allowed = "、".join(cm.KIND_LABELS[k] for k in matter.allowed_kinds) or "无"
                raise ServiceError.of(
                    "commitment.kind_not_allowed",
                    matter=matter.matter,
                    kind=cm.KIND_LABELS[kind],
                    allowed=allowed,
                )
            for rid, raw, _dirty in _rows(s, COMMITMENTS, code):
                other = records.Commitment.read(load_fields(raw))
                if other.matter_id == matter.id and other.status in cm.OPEN_STATUSES:
                    label = cm.STATUS_LABELS[other.status]
                    raise ServiceError.of(
                        "commitment.duplicate_open",
                        matter=matter.matter,
                        label=label,
                        number=rid[:8].upper(),
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
            try:
                records.Commitment.check(fields)  # the platform's rule, before anything is saved
            except records.RecordInvalid as exc:
                raise ServiceError(str(exc), exc.code) from None
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

    # --- printing ------------------------------------------------------------------------

    def _letter_data(self, record_id: str) -> LetterData:
        with self._store.read() as s:
            case, dirty = self._load(s, record_id)
            view = self._view(case, dirty, local_calendar(s))
            matter = self._matter(s, view.matter_id)
        record = case.record
        template = record.text or (matter.letter_template if matter else "")
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
            authority=record.authority or (matter.authority if matter else ""),
            kind=view.kind,
            template=template,
            signed_on=view.signed_on,
            materials=tuple(
                LetterMaterial(m.name, m.form, m.received) for m in view.missing_materials
            ),
            deadline=view.deadline,
            deadline_working_days=record.deadline_working_days,
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
            raise ServiceError.of("commitment.notice_only_tolerance")
        return build_tolerance_notice(data)
