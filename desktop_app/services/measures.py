"""联合奖惩反馈 at the window: record what was done about a measure the card calls for.

The measures are the city's list policy for the lists the entity is on in force (the same
the credit check shows, :func:`desktop_app.services.entity_records.public_credit` with the
pulled ``list_measures``). The clerk records, offline, ``applied`` or ``not_applicable`` (with
the reason) as a ``measure_feedback`` form; it syncs once, and supervisors see the figures per
measure on the platform.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain import records
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.clock import china_now
from desktop_app.domain.records import MeasureFeedback, MeasureOutcome
from desktop_app.services.calendar import local_policy
from desktop_app.services.entity_records import public_credit
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.repository import FormRepository

__all__ = ["MeasureChoice", "MeasureService"]

COLLECTION = MeasureFeedback.COLLECTION


@dataclass(frozen=True)
class MeasureChoice:
    """A measure the entity's lists call for, and what this hall recorded today."""

    list_code: str
    list_name: str
    category: str
    measure: str
    recorded_today: str = ""
    """``applied`` / ``not_applicable`` when recorded at this PC today, else empty."""


class MeasureService:
    """联合奖惩反馈 on one store, for one actor.

    Args:
        store: The unlocked store.
        actor: The 经办人.
        clock: Local "now" (tests choose the day).
    """

    def __init__(self, store: Store, actor: str, clock: Callable[[], datetime] = china_now) -> None:
        self._store = store
        self.actor = actor
        self._clock = clock

    def choices(self, uscc: str) -> list[MeasureChoice]:
        """The measures of the lists the entity is on in force (rewards and restrictions).

        Raises:
            ServiceError: The entity is not cached.
        """
        code = uscc_rules.normalize(uscc)
        today = self._clock().date()
        with self._store.read() as s:
            entity = EntityRepository(s).get_by_uscc(code)
            if entity is None:
                raise ServiceError.of("entity.not_cached")
            policy = local_policy(s)
            lists = public_credit(s, entity, today).lists
            done = {
                (f.record.list_code, f.record.measure): f.record.outcome
                for f in FormRepository(s).find(MeasureFeedback, uscc=code)
                if f.record.recorded_on == today
            }
        out: list[MeasureChoice] = []
        for membership in lists:
            rule = policy.list_policy(str(membership.get("list") or ""))
            for measure in rule.measures:
                outcome = done.get((rule.code, measure))
                out.append(
                    MeasureChoice(
                        rule.code,
                        rule.name,
                        rule.category,
                        measure,
                        outcome.value if outcome is not None else "",
                    )
                )
        return out

    def record(
        self,
        uscc: str,
        choice: MeasureChoice,
        outcome: MeasureOutcome | str,
        reason: str = "",
        matter: str = "",
    ) -> str:
        """Record what was done about one measure (offline; audited); the form's id.

        Raises:
            ServiceError: As :meth:`record_many`.
        """
        return self.record_many(uscc, [(choice, outcome, reason)], matter)[0]

    def record_many(
        self,
        uscc: str,
        items: list[tuple[MeasureChoice, MeasureOutcome | str, str]],
        matter: str = "",
    ) -> list[str]:
        """Record several measures of one case in one unit of work (all or none); their ids.

        Raises:
            ServiceError: A measure the entity's lists do not call for, an unknown outcome, or
                not applicable without a reason. Nothing is saved then.
        """
        code = uscc_rules.normalize(uscc)
        known = {(c.list_code, c.measure) for c in self.choices(code)}
        now = self._clock()
        ids: list[str] = []
        with self._store.write() as s:
            entity = EntityRepository(s).get_by_uscc(code)
            forms = LocalForms(s)
            for choice, outcome, reason in items:
                if (choice.list_code, choice.measure) not in known:
                    raise ServiceError.of("measure.unknown")
                fields: dict[str, Any] = {
                    "uscc": code,
                    "entity_name": entity.name if entity is not None else "",
                    "list_code": choice.list_code,
                    "list_name": choice.list_name,
                    "category": choice.category,
                    "measure": choice.measure,
                    "outcome": str(outcome),
                    "reason": reason.strip(),
                    "matter": matter.strip(),
                    "recorded_on": now.date().isoformat(),
                    "recorded_by": self.actor,
                }
                try:
                    records.MeasureFeedback.check(fields)  # the platform's rule, first
                except records.RecordInvalid as exc:
                    raise ServiceError(str(exc), exc.code) from None
                record_id = forms.create(COLLECTION, fields)
                audit.append(
                    s,
                    actor=self.actor,
                    action="measure.recorded",
                    subject_type=COLLECTION,
                    subject_id=record_id,
                    details={
                        "uscc": code,
                        "list": choice.list_code,
                        "measure": choice.measure,
                        "outcome": fields["outcome"],
                    },
                )
                ids.append(record_id)
        return ids
