"""The 信用承诺 aggregate: a commitment with its signing, materials, fulfilment and breach.

Every rule about what may happen to a commitment lives here, pure (no store, no clock of its
own): signing, status changes, materials received, the breach and the 失信记录 it creates,
the automatic 逾期 mark. Each operation returns the changes to save (the form's fields after
the change) and never saves anything itself; the service writes them in one transaction.
The status table is :data:`desktop_app.domain.commitments.TRANSITIONS`, the same one the
platform applies to a push through :meth:`Commitment.check_state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_app.domain import commitments as cm
from desktop_app.domain.commitment_catalog import fill_letter_template
from desktop_app.domain.commitments import (
    BreachSeverity,
    CommitmentError,
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.domain.records import CatalogMatter, Commitment, DishonestyRecord
from desktop_app.domain.working_days import CalendarUnknown, WorkingDayCalendar

__all__ = [
    "ALL_RECEIVED_NOTE",
    "AUTO_OVERDUE_NOTE",
    "CommitmentCase",
    "Material",
    "Outcome",
]

_S = CommitmentStatus
AUTO_OVERDUE_NOTE = "自动标记逾期"
ALL_RECEIVED_NOTE = "所缺材料已全部补齐"


@dataclass(frozen=True)
class Material:
    """A material a 容缺受理 applicant still has to supply.

    Attributes:
        name: e.g. 食品安全管理制度文本.
        form: 原件 / 复印件 / 电子件 …
        received: Whether it has arrived.
        received_on: When it arrived (ISO date), if recorded.
    """

    name: str
    form: str = ""
    received: bool = False
    received_on: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The form's shape of this entry."""
        out: dict[str, Any] = {"name": self.name, "form": self.form, "received": self.received}
        if self.received_on:
            out["received_on"] = self.received_on
        return out


@dataclass(frozen=True)
class Outcome:
    """What an operation changes.

    Attributes:
        changes: Fields to update on the commitment.
        audit: Details for the audit log.
        dishonesty: A 失信记录 to create with it (a breach), else None.
    """

    changes: dict[str, Any]
    audit: dict[str, Any] = field(default_factory=dict)
    dishonesty: DishonestyRecord | None = None


@dataclass(frozen=True)
class CommitmentCase:
    """One commitment and the rules over it.

    Args:
        record_id: The commitment's id.
        record: The stored commitment.
    """

    record_id: str
    record: Commitment

    # -- reading ------------------------------------------------------------------------

    @property
    def kind(self) -> CommitmentKind:
        """The kind (raises when the stored record has none)."""
        if self.record.kind is None:
            raise CommitmentError("缺少承诺类型")
        return self.record.kind

    @property
    def status(self) -> CommitmentStatus:
        """The status (raises when the stored record has none)."""
        if self.record.status is None:
            raise CommitmentError("缺少承诺状态")
        return self.record.status

    def deadline(self, calendar: WorkingDayCalendar | None) -> date | None:
        """The 容缺受理 deadline: the platform's once synced, else computed locally."""
        r = self.record
        if not r.is_tolerance:
            return None
        if r.deadline is not None:
            return r.deadline
        days = r.deadline_working_days
        if r.signed_on is None or days is None or calendar is None:
            return None
        try:
            return cm.tolerance_deadline(r.signed_on, days, calendar)
        except (CalendarUnknown, CommitmentError):
            return None

    def allowed_next(
        self, today: date, calendar: WorkingDayCalendar | None
    ) -> tuple[CommitmentStatus, ...]:
        """Statuses the clerk may move it to now (逾期 only once the deadline has passed)."""
        nxt = [s for s in CommitmentStatus if s in cm.TRANSITIONS[self.status]]
        deadline = self.deadline(calendar)
        if _S.OVERDUE in nxt and not (
            self.record.is_tolerance and deadline is not None and cm.is_overdue(deadline, today)
        ):
            nxt.remove(_S.OVERDUE)
        return tuple(nxt)

    def materials(self) -> tuple[Material, ...]:
        """The missing materials and whether each arrived."""
        r = self.record
        rich = [m for m in r.materials if isinstance(m, dict)]
        if rich:
            return tuple(
                Material(
                    str(m.get("name", "")),
                    str(m.get("form", "")),
                    m.get("received") is True,
                    str(m.get("received_on") or ""),
                )
                for m in rich
            )
        # A form made elsewhere may carry the names only.
        done = r.status in {_S.FULFILLED, _S.VERIFIED_TRUE}
        return tuple(Material(n, "", done) for n in r.missing_materials or [])

    def history(self) -> tuple[dict[str, str], ...]:
        """The status history, oldest first."""
        return tuple({str(k): str(v) for k, v in e.items()} for e in self.record.history)

    # -- changing -----------------------------------------------------------------------

    def change_status(
        self, to: CommitmentStatus, now: datetime, actor: str, note: str = ""
    ) -> dict[str, Any]:
        """The bare status change every operation makes: status and a history entry.

        Raises:
            CommitmentError: ``illegal_transition`` when :data:`Commitment.STATES` refuses.
        """
        history = cm.record_transition(self.record.history, self.status, to, now, actor, note)
        return {"status": to.value, "history": history}

    def sign(
        self,
        day: date,
        today: date,
        now: datetime,
        actor: str,
        matter: CatalogMatter | None,
        calendar: WorkingDayCalendar,
    ) -> Outcome:
        """签署: a draft becomes signed on ``day``; the letter text is filled in.

        Raises:
            CommitmentError: A future date, or not a draft.
            CalendarUnknown: A 容缺受理 deadline the calendar cannot compute.
        """
        if day > today:
            raise CommitmentError("签署日期不能晚于今天，请核对后重新填写。")
        r = self.record
        changes = self.change_status(_S.SIGNED, now, actor, "签署承诺书")
        changes["signed_on"] = day.isoformat()
        if matter is not None and matter.letter_template:
            changes["text"] = fill_letter_template(
                matter.letter_template,
                {
                    "entity_name": r.entity_name,
                    "uscc": r.uscc,
                    "signer": r.entity_name,
                    "representative": f"{r.applicant_name}（{r.applicant_role}）",
                    "signed_on": f"{day.year}年{day.month}月{day.day}日",
                },
            )
        if r.is_tolerance and r.deadline_working_days is not None:
            cm.tolerance_deadline(day, r.deadline_working_days, calendar)
        return Outcome(changes, {"to": _S.SIGNED.value})

    def move(
        self,
        to: CommitmentStatus,
        note: str,
        now: datetime,
        actor: str,
        calendar: WorkingDayCalendar | None,
    ) -> Outcome:
        """A status change other than signing and a breach.

        Raises:
            CommitmentError: The change is not allowed, or something it needs is missing.
        """
        if to in cm.BREACH_STATUSES:
            raise CommitmentError(
                f"认定“{cm.STATUS_LABELS[to]}”须填写严重程度和证据，请使用“记录违约/虚假承诺”办理。"
            )
        note = note.strip()
        if to is _S.WITHDRAWN and not note:
            raise CommitmentError("请填写撤回承诺的原因。")
        today = now.date()
        changes = self.change_status(to, now, actor, note)
        tolerance = self.record.is_tolerance
        if to is _S.OVERDUE:
            if not tolerance:
                raise CommitmentError("只有容缺受理的承诺有补齐期限，不能标记为逾期。")
            deadline = self.deadline(calendar)
            if deadline is not None and not cm.is_overdue(deadline, today):
                raise CommitmentError(
                    f"补齐期限（{deadline.isoformat()}）尚未届满，不能标记为逾期。"
                )
        if to is _S.FULFILLED and tolerance:
            changes["materials"] = [
                Material(
                    m.name, m.form, True, m.received_on if m.received else today.isoformat()
                ).as_dict()
                for m in self.materials()
            ]
        if to is _S.VERIFIED_TRUE:
            changes["verified_on"] = today.isoformat()
            changes["verification_note"] = note
        audit = {"from": self.status.value, "to": to.value, "note": note}
        return Outcome(changes, audit)

    def receive(self, names: Sequence[str] | None, now: datetime, actor: str) -> Outcome:
        """Materials of a 容缺受理 arrived (default: all); all arrived → 已履约.

        Raises:
            CommitmentError: Not a 容缺受理, not waiting for materials, or an unknown name.
        """
        if not self.record.is_tolerance:
            raise CommitmentError("只有容缺受理的承诺需要登记补齐材料。")
        if self.status not in {_S.SIGNED, _S.OVERDUE}:
            raise CommitmentError(
                f"该承诺当前为“{cm.STATUS_LABELS[self.status]}”，不能再登记补齐材料。"
            )
        current = self.materials()
        known = [m.name for m in current]
        wanted = list(known) if names is None else [str(n).strip() for n in names]
        if not wanted:
            raise CommitmentError("请选择已补齐的材料。")
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise CommitmentError(
                f"“{'、'.join(unknown)}”不在该承诺的所缺材料中；所缺材料为：{'、'.join(known)}。"
            )
        today = now.date().isoformat()
        updated = [
            Material(m.name, m.form, True, today) if m.name in wanted and not m.received else m
            for m in current
        ]
        changes: dict[str, Any] = {"materials": [m.as_dict() for m in updated]}
        complete = all(m.received for m in updated)
        if complete:
            changes |= self.change_status(_S.FULFILLED, now, actor, ALL_RECEIVED_NOTE)
        return Outcome(changes, {"materials": list(wanted), "fulfilled": complete})

    def breach(
        self,
        to: CommitmentStatus,
        severity: BreachSeverity | str,
        evidence: str,
        now: datetime,
        actor: str,
        dishonesty_id: str,
    ) -> Outcome:
        """违约 or 虚假承诺, and the 失信记录 it creates.

        Raises:
            CommitmentError: A wrong target, no evidence, a bad severity, an illegal change.
        """
        if to not in cm.BREACH_STATUSES:
            raise CommitmentError("只能记录为“违约”或“虚假承诺”。其他状态请使用状态变更。")
        grade = cm.parse_severity(severity)
        text = evidence.strip()
        if not text:
            raise CommitmentError("请填写认定违约或虚假承诺的依据和证据。")
        kind = cm.dishonesty_kind(to)
        note = f"{cm.DISHONESTY_LABELS[kind]}（{grade.label}）：{text}"
        changes = self.change_status(to, now, actor, note)
        r = self.record
        dishonesty = DishonestyRecord.read(
            {
                "uscc": r.uscc,
                "entity_name": r.entity_name,
                "matter": r.matter,
                "source_collection": Commitment.COLLECTION,
                "source_id": self.record_id,
                "kind": kind.value,
                "severity": grade.value,
                "evidence": text,
                "decided_on": now.date().isoformat(),
                "repaired": False,
            }
        )
        changes["breach"] = {
            "severity": grade.value,
            "evidence": text,
            "recorded_at": now.isoformat(),
            "recorded_by": actor,
            "dishonesty_id": dishonesty_id,
        }
        if to is _S.VERIFIED_FALSE:
            changes["verified_on"] = now.date().isoformat()
            changes["verification_note"] = text
        audit = {"to": to.value, "severity": grade.value, "dishonesty_id": dishonesty_id}
        return Outcome(changes, audit, dishonesty)

    def overdue_now(
        self, today: date, now: datetime, actor: str, calendar: WorkingDayCalendar
    ) -> Outcome | None:
        """The automatic 逾期 mark of a signed 容缺受理 past its deadline, or None."""
        if self.record.status is not _S.SIGNED:
            return None
        deadline = self.deadline(calendar)
        if deadline is None or not cm.is_overdue(deadline, today):
            return None
        changes = self.change_status(_S.OVERDUE, now, actor, AUTO_OVERDUE_NOTE)
        audit = {"from": _S.SIGNED.value, "to": _S.OVERDUE.value, "note": AUTO_OVERDUE_NOTE}
        return Outcome(changes, audit)
