"""The public credit record of an entity: one disclosure rule set for card, check and report.

一处失信、处处受限 (DOMAIN.md "Credit grades"): a breach or listing recorded by any department
counts at every window of the city. The platform therefore keeps, per entity, a **projection**
of the forms the halls and inspectors made (collection ``credit_entries``): one entry per
commitment, 失信记录, 失信警示 and 约谈 that may be disclosed, built by :func:`project` from
the source form, and every window device pulls it for the whole city. A device also projects
the forms it holds itself with the same function (its own, perhaps not yet synced), so the
answer does not wait for a sync.

The rule set (:func:`entry_shown`, applied by whoever shows or prints anything):

* an entry is shown only while it is inside its publication period (from its decision date to
  ``shown_until``; :mod:`desktop_app.domain.disclosure` gives the periods by severity), is
  flagged publishable, is not repaired (信用修复 completed), and has not been revoked after an
  objection (异议 → 撤销);
* a 轻微 (minor) 失信 is not published unless its record says so (publication in principle
  not, DOMAIN.md "Credit repair");
* a commitment is shown with its public status — 在履行 / 已履行 / 已违诺; a breached one for its
  breach's own period and only until the breach is repaired; a draft or withdrawn letter is no
  commitment at all;
* an entry under objection or repair stays shown, marked 异议处理中 / 信用修复办理中;
* entries never carry internal risk classes or internal notes: :func:`project` builds them field
  by field from the public facts of the form.

A ``standing`` entry is the platform's eligibility answer derived from supervisors' data (the
risk class against the 容缺受理 threshold of :mod:`desktop_app.domain.policy`): it says *that*
the entity may not use 容缺受理, with a reason a window may read, never the class itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_app.domain import commitments as cm
from desktop_app.domain import disclosure

__all__ = [
    "COMMITMENT_PUBLICATION_MONTHS",
    "ENTRY_COLLECTION",
    "SOURCES",
    "STANDING_REASON",
    "PublicCreditRecord",
    "entry_id",
    "entry_shown",
    "merge_entries",
    "project",
    "public_record",
    "standing_entry",
    "standing_id",
]

ENTRY_COLLECTION = "credit_entries"
"""The platform-owned collection of the projection."""

SOURCES = ("commitments", "dishonesty_records", "warnings", "interviews")
"""The client forms projected into the public credit record."""

COMMITMENT = "commitment"
DISHONESTY = "dishonesty"
WARNING = "warning"
INTERVIEW = "interview"
STANDING = "standing"

KIND_OF_SOURCE: Mapping[str, str] = {
    "commitments": COMMITMENT,
    "dishonesty_records": DISHONESTY,
    "warnings": WARNING,
    "interviews": INTERVIEW,
}

COMMITMENT_PUBLICATION_MONTHS = 36
"""How long a commitment (not breached) stays in the public record after signing: a letter
states lawful operation over the last three years, so three years of letters is what a window
needs; a breach runs on its own period."""

SUPERVISION_SEVERITY = disclosure.Severity.GENERAL
"""Warnings and interviews are published like a 一般 record (one year from the act)."""

PUBLIC_STATUS: Mapping[str, str] = {
    cm.CommitmentStatus.SIGNED.value: "在履行",
    cm.CommitmentStatus.OVERDUE.value: "在履行",
    cm.CommitmentStatus.FULFILLED.value: "已履行",
    cm.CommitmentStatus.VERIFIED_TRUE.value: "已履行",
    cm.CommitmentStatus.BREACHED.value: "已违诺",
    cm.CommitmentStatus.VERIFIED_FALSE.value: "已违诺",
}
"""A commitment's status as the public record says it; others (draft, withdrawn) are none."""

STANDING_REASON = (
    "该主体的信用分级分类监管结果未达到容缺受理条件（具体分类仅供监管人员掌握），不适用容缺受理。"
)

OBJECTION_PENDING = "pending"
OBJECTION_REVOKED = "revoked"
REPAIR_APPLYING = "applying"
REPAIR_DONE = "repaired"

_INTERVIEW_LABELS = {"reminder": "提示约谈", "warning": "警示约谈"}


def entry_id(source_collection: str, source_id: str) -> str:
    """The projection id of a source form: stable, id-safe, one entry per form."""
    digest = hashlib.sha256(f"{source_collection}\n{source_id}".encode()).hexdigest()[:32]
    return f"ce-{digest}"


def standing_id(uscc: str) -> str:
    """The id of an entity's standing entry."""
    return f"cs-{uscc}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)[:10]
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _severity(value: Any) -> disclosure.Severity:
    try:
        return disclosure.parse_severity(value if value not in (None, "") else "general")
    except disclosure.DisclosureError:
        return disclosure.Severity.GENERAL


def _flagged(fields: Mapping[str, Any], *, default: bool) -> bool:
    """The form's publication flag: ``publishable`` or ``publish``; ``default`` when neither."""
    values = [
        fields[k] for k in ("publishable", "publish") if k in fields and fields[k] is not None
    ]
    if not values:
        return default
    return any(v is True for v in values)


def _period(severity: disclosure.Severity, decided: date | None, fields: Mapping[str, Any]) -> str:
    if decided is None:
        return ""
    declared = _day(fields.get("publish_until"))
    return disclosure.publication_end(severity, decided, declared).isoformat()


def _marks(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "objection": _text(fields.get("objection_status")),
        "repair": _text(fields.get("repair_status")),
    }


def _withheld(fields: Mapping[str, Any]) -> bool:
    """Repaired, revoked after an objection, or deleted: never projected."""
    return (
        fields.get("repaired") is True
        or _text(fields.get("repair_status")) == REPAIR_DONE
        or _text(fields.get("objection_status")) == OBJECTION_REVOKED
        or _text(fields.get("status")) == "revoked"
    )


def _base(kind: str, collection: str, record_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "uscc": _text(fields.get("uscc")),
        "entity_name": _text(fields.get("entity_name")),
        "kind": kind,
        "source_collection": collection,
        "source_id": record_id,
        "publishable": True,
        "repaired": False,
        "revoked": False,
        **_marks(fields),
    }


def _commitment(
    record_id: str, fields: Mapping[str, Any], breaches: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    status = _text(fields.get("status"))
    public = PUBLIC_STATUS.get(status)
    if public is None:
        return None
    signed = _day(fields.get("signed_on"))
    if signed is None:
        return None
    breached = status in {s.value for s in cm.BREACH_STATUSES}
    entry = _base(COMMITMENT, "commitments", record_id, fields)
    entry.update(
        title=_text(fields.get("matter")),
        commitment_kind=_text(fields.get("kind")),
        authority=_text(fields.get("authority")),
        decided_on=signed.isoformat(),
        deadline=_text(fields.get("deadline")),
        status=status,
        status_label=public,
    )
    if breached:
        # The breach is a 失信 record: it is public for its own period, whatever the applicant
        # chose about publishing the letter, and it ends with the repair of its 失信记录.
        if any(b.get("repaired") is True or _withheld(b) for b in breaches):
            return None
        if any(b.get("publishable") is False for b in breaches):
            return None
        breach = fields.get("breach") if isinstance(fields.get("breach"), Mapping) else {}
        assert isinstance(breach, Mapping)
        severity = _severity(breach.get("severity"))
        decided = _day(breach.get("recorded_at")) or _day(fields.get("verified_on")) or signed
        for b in breaches:
            decided = _day(b.get("decided_on")) or decided
            severity = _severity(b.get("severity") or severity.value)
        if severity is disclosure.Severity.MINOR and not any(
            b.get("publishable") is True for b in breaches
        ):
            return None
        entry.update(
            severity=severity.value,
            breach_decided_on=decided.isoformat(),
            shown_from=decided.isoformat(),
            shown_until=_period(severity, decided, {}),
        )
        for b in breaches:
            entry.update({k: v for k, v in _marks(b).items() if v})
        return entry
    if not _flagged(fields, default=False):
        return None
    end = disclosure.add_months(signed, COMMITMENT_PUBLICATION_MONTHS)
    entry.update(shown_from=signed.isoformat(), shown_until=end.isoformat())
    return entry


def _dishonesty(record_id: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
    decided = _day(fields.get("decided_on"))
    severity = _severity(fields.get("severity"))
    if decided is None or not _flagged(fields, default=severity is not disclosure.Severity.MINOR):
        return None
    kind = _text(fields.get("kind"))
    try:
        label = cm.DISHONESTY_LABELS[cm.DishonestyKind(kind)]
    except (ValueError, KeyError):
        label = "失信行为"
    entry = _base(DISHONESTY, "dishonesty_records", record_id, fields)
    entry.update(
        title=f"{label}：{_text(fields.get('matter'))}" if fields.get("matter") else label,
        dishonesty_kind=kind,
        severity=severity.value,
        commitment_id=_text(fields.get("source_id")),
        decided_on=decided.isoformat(),
        shown_from=decided.isoformat(),
        shown_until=_period(severity, decided, fields),
    )
    return entry


def _supervision(
    kind: str, collection: str, record_id: str, fields: Mapping[str, Any], day_field: str
) -> dict[str, Any] | None:
    decided = _day(fields.get(day_field))
    if decided is None or not _flagged(fields, default=True):
        return None
    entry = _base(kind, collection, record_id, fields)
    if kind == WARNING:
        title = "失信警示"
        entry.update(
            content=_text(fields.get("content")),
            deadline=_text(fields.get("rectify_deadline")),
            rectified=fields.get("rectified") is True,
        )
    else:
        title = _INTERVIEW_LABELS.get(_text(fields.get("kind")), "约谈")
        entry.update(interview_kind=_text(fields.get("kind")))
    entry.update(
        title=title,
        authority=_text(fields.get("authority")),
        decided_on=decided.isoformat(),
        shown_from=decided.isoformat(),
        shown_until=_period(SUPERVISION_SEVERITY, decided, fields),
    )
    return entry


def project(
    collection: str,
    record_id: str,
    fields: Mapping[str, Any] | None,
    related: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any] | None:
    """The public credit entry of one source form, or None when it may not be disclosed.

    Args:
        collection: One of :data:`SOURCES`.
        record_id: The form's id.
        fields: The form's fields; None for a deleted form.
        related: For a commitment, the 失信记录 founded on it (their repair ends its breach).

    Returns:
        The entry's fields (id :func:`entry_id`), or None: a draft or withdrawn letter, an
        unpublishable, repaired or revoked record, a minor 失信 not marked for publication, or
        a form without the date its period runs from.
    """
    if not fields or collection not in KIND_OF_SOURCE or _withheld(fields):
        return None
    if not _text(fields.get("uscc")):
        return None
    if collection == "commitments":
        return _commitment(record_id, fields, related)
    if collection == "dishonesty_records":
        return _dishonesty(record_id, fields)
    if collection == "warnings":
        return _supervision(WARNING, collection, record_id, fields, "issued_on")
    return _supervision(INTERVIEW, collection, record_id, fields, "held_on")


def standing_entry(uscc: str, barred: bool) -> dict[str, Any] | None:
    """The platform's 容缺受理 standing of an entity derived from its risk class (no class)."""
    if not barred:
        return None
    return {
        "uscc": uscc,
        "kind": STANDING,
        "tolerance_barred": True,
        "reason": STANDING_REASON,
        "publishable": True,
    }


def entry_shown(entry: Mapping[str, Any], today: date) -> bool:
    """Whether ``entry`` may be shown or printed on ``today`` (the rule set of this module)."""
    if entry.get("publishable") is not True or entry.get("repaired") is True:
        return False
    if entry.get("revoked") is True or _withheld(entry):
        return False
    if entry.get("kind") == STANDING:
        return entry.get("tolerance_barred") is True
    start, end = _day(entry.get("shown_from")), _day(entry.get("shown_until"))
    if start is None or end is None:
        return False
    return start <= today <= end


def merge_entries(
    pulled: Iterable[Mapping[str, Any]], local: Mapping[tuple[str, str], dict[str, Any] | None]
) -> list[Mapping[str, Any]]:
    """The entries of an entity: the pulled projection, with this device's own forms winning.

    Args:
        pulled: ``credit_entries`` records from the platform.
        local: ``(source_collection, source_id)`` → the entry this device projects from the
            form it holds (None when it projects to nothing: a local repair or withdrawal
            hides the pulled entry at once).
    """
    merged: dict[tuple[str, str], Mapping[str, Any]] = {}
    for entry in pulled:
        key = (_text(entry.get("source_collection")), _text(entry.get("source_id")))
        if entry.get("kind") == STANDING:
            key = (STANDING, _text(entry.get("uscc")))
        merged[key] = entry
    for key, own in local.items():
        if own is None:
            merged.pop(key, None)
        else:
            merged[key] = own
    return list(merged.values())


@dataclass(frozen=True)
class PublicCreditRecord:
    """What the card, the 容缺受理 check and the report may show of an entity today.

    Every list holds only records the rules allow (each caller gets the same answer).

    Attributes:
        lists: List memberships in force.
        penalties: Penalties inside their publication period.
        licences: Licences not revoked.
        inspections: Public inspection results.
        commitments: Commitment entries, newest first.
        dishonesty: 失信 entries (breaches, false commitments), newest first.
        warnings: 失信警示 entries, newest first.
        interviews: 约谈 entries, newest first.
        standing: The platform's eligibility facts (no risk class).
    """

    lists: tuple[Mapping[str, Any], ...] = ()
    penalties: tuple[Mapping[str, Any], ...] = ()
    licences: tuple[Mapping[str, Any], ...] = ()
    inspections: tuple[Mapping[str, Any], ...] = ()
    commitments: tuple[Mapping[str, Any], ...] = ()
    dishonesty: tuple[Mapping[str, Any], ...] = ()
    warnings: tuple[Mapping[str, Any], ...] = ()
    interviews: tuple[Mapping[str, Any], ...] = ()
    standing: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    @property
    def breaches(self) -> tuple[Mapping[str, Any], ...]:
        """Unrepaired breaches and false commitments (one per breach, however recorded)."""
        seen = {str(d.get("commitment_id")) for d in self.dishonesty if d.get("commitment_id")}
        extra = tuple(
            c
            for c in self.commitments
            if c.get("status_label") == PUBLIC_STATUS[cm.CommitmentStatus.BREACHED.value]
            and str(c.get("source_id")) not in seen
        )
        return self.dishonesty + extra


def _newest(records: Iterable[Mapping[str, Any]], key: str) -> tuple[Mapping[str, Any], ...]:
    return tuple(sorted(records, key=lambda r: _text(r.get(key)), reverse=True))


def _safe(rule: Any, record: Mapping[str, Any], *args: Any) -> bool:
    try:
        return bool(rule(record, *args))
    except disclosure.DisclosureError:
        return False


def public_record(
    *,
    memberships: Iterable[Mapping[str, Any]] = (),
    penalties: Iterable[Mapping[str, Any]] = (),
    licences: Iterable[Mapping[str, Any]] = (),
    inspections: Iterable[Mapping[str, Any]] = (),
    entries: Iterable[Mapping[str, Any]] = (),
    today: date,
) -> PublicCreditRecord:
    """Apply the disclosure rules to everything known about an entity.

    Args:
        memberships: ``list_memberships`` records.
        penalties: ``penalties`` records.
        licences: ``licences`` records.
        inspections: Public inspection results.
        entries: Credit entries (pulled projection merged with local forms).
        today: The day of the check or report.
    """
    shown = [e for e in entries if entry_shown(e, today)]

    def of(kind: str) -> tuple[Mapping[str, Any], ...]:
        return _newest((e for e in shown if e.get("kind") == kind), "decided_on")

    return PublicCreditRecord(
        lists=_newest(
            (m for m in memberships if _safe(disclosure.membership_disclosed, m, today)), "since"
        ),
        penalties=_newest(
            (p for p in penalties if _safe(disclosure.penalty_disclosed, p, today)), "decided_on"
        ),
        licences=_newest((r for r in licences if disclosure.licence_disclosed(r)), "decided_on"),
        inspections=_newest(
            (r for r in inspections if r.get("revoked") is not True), "inspected_on"
        ),
        commitments=of(COMMITMENT),
        dishonesty=of(DISHONESTY),
        warnings=of(WARNING),
        interviews=of(INTERVIEW),
        standing=tuple(e for e in shown if e.get("kind") == STANDING),
    )
