"""Transitions and breaches: a commitment's lifecycle after it is taken.

:class:`TransitionUseCases` signs a draft, changes status, records materials received,
records a breach or false commitment (with its 失信记录), verifies, attaches the signed scan
and marks overdue 容缺受理.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from desktop_app.domain import commitments as cm
from desktop_app.domain.commitment_catalog import fill_letter_template
from desktop_app.domain.commitments import (
    BreachSeverity,
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.services.commitments_base import (
    ALL_RECEIVED_NOTE,
    AUTO_OVERDUE_NOTE,
    COMMITMENTS,
    DISHONESTY,
    CommitmentServiceBase,
    _rows,
    local_calendar,
)
from desktop_app.services.commitments_views import (
    CommitmentView,
    _materials,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields

_S = CommitmentStatus


class TransitionUseCases(CommitmentServiceBase):
    """信用承诺 use cases that move a commitment through its lifecycle."""

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
