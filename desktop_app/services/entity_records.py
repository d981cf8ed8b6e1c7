"""Reading everything the local store knows about one entity (report, card, window checks).

Platform-owned records (licences, penalties, lists, public inspections, the city-wide public
credit record) come from ``reference_records`` by their indexed ``entity_uscc``; client forms
(commitments, attendance, warnings, dishonesty records) from ``form_records``.

:func:`public_credit` is what the card, the 容缺受理 check and the report all read: the
city-wide ``credit_entries`` pulled from the platform, with this device's own forms projected by
the same rule and winning over their pulled copy (a breach recorded here counts here at once,
before any sync), then filtered by the one disclosure rule set of
:mod:`desktop_app.domain.credit_record`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_record
from desktop_app.domain.credit_record import PublicCreditRecord
from desktop_app.services.forms import load_fields
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord

HELD_HERE = "held_here"
"""Marks an entry projected from a form this device holds (its hall's own), never sent anywhere."""

__all__ = [
    "attendance",
    "form_records",
    "local_entries",
    "memberships",
    "public_credit",
    "public_inspections",
    "reference_records",
]


def reference_records(s: Session, uscc: str, collection: str) -> list[dict[str, Any]]:
    """Live platform records of ``collection`` about ``uscc`` (by the indexed column)."""
    rows = s.scalars(
        select(ReferenceRecord.data).where(
            ReferenceRecord.entity_uscc == uscc,
            ReferenceRecord.collection == collection,
            ReferenceRecord.deleted.is_(False),
        )
    )
    return [d for d in (load_fields(r) for r in rows) if d.get("uscc") == uscc]


def form_records(s: Session, uscc: str, collection: str) -> list[dict[str, Any]]:
    """Live client forms of ``collection`` about ``uscc``, each with its ``record_id``."""
    rows = s.execute(
        select(FormRecord.record_id, FormRecord.data).where(
            FormRecord.collection == collection,
            FormRecord.deleted.is_(False),
            func.json_extract(FormRecord.data, "$.uscc") == uscc,
        )
    )
    return [{**load_fields(data), "record_id": record_id} for record_id, data in rows]


def attendance(s: Session, uscc: str) -> list[dict[str, Any]]:
    """Integrity-education attendance of the entity, with the session's title and date."""
    sessions = {
        record_id: load_fields(data)
        for record_id, data in s.execute(
            select(FormRecord.record_id, FormRecord.data).where(
                FormRecord.collection == "education_sessions", FormRecord.deleted.is_(False)
            )
        )
    }
    merged = []
    for item in form_records(s, uscc, "attendance"):
        held = sessions.get(str(item.get("session_id", "")), {})
        merged.append({**item, "title": held.get("title", ""), "held_on": held.get("held_on", "")})
    return merged


def public_inspections(s: Session, uscc: str) -> list[dict[str, Any]]:
    """Published inspection results: the platform's mirror, plus this device's own results.

    An inspector's publishable result reaches the platform's ``public_inspections`` mirror
    only after a sync; until then the local form stands in for it (never both).
    """
    published = reference_records(s, uscc, "public_inspections")
    mirrored = {str(r.get("source")) for r in published if r.get("source")}
    for form in form_records(s, uscc, "inspection_results"):
        if form["record_id"] in mirrored:
            continue
        if form.get("publishable") or form.get("publish"):
            published.append(
                {
                    "uscc": uscc,
                    "inspected_on": form.get("inspected_on", ""),
                    "inspection_kind": form.get("inspection_kind", "双随机抽查"),
                    "authority": form.get("authority", ""),
                    "result": form.get("result") or form.get("conclusion", ""),
                }
            )
    return published


def person_memberships(s: Session, name: str, id_masked: str) -> list[dict[str, Any]]:
    """List memberships naming a person in person (市场禁入 …): same name and masked ID."""
    rows = s.scalars(
        select(ReferenceRecord.data).where(
            ReferenceRecord.collection == "list_memberships",  # the primary key's range
            ReferenceRecord.deleted.is_(False),
            func.json_extract(ReferenceRecord.data, "$.person_name") == name,
        )
    )
    found = [load_fields(r) for r in rows]
    return [m for m in found if str(m.get("person_id") or "") == id_masked]


def memberships(s: Session, entity: Entity) -> list[dict[str, Any]]:
    """List memberships of the entity: pulled records, plus lists inline on the registry row."""
    found = reference_records(s, entity.uscc, "list_memberships")
    listed = {str(m.get("list")) for m in found}
    # Registry rows may also carry their lists inline (imports, the local demo).
    for inline in entity.lists or []:
        if isinstance(inline, dict) and str(inline.get("list")) not in listed:
            found.append({"status": "active", **inline, "uscc": entity.uscc})
    return found


def local_entries(s: Session, uscc: str) -> dict[tuple[str, str], dict[str, Any] | None]:
    """The credit entries of this device's own forms about ``uscc`` (same rule as the platform).

    Returns:
        ``(collection, form id)`` → the entry (marked :data:`HELD_HERE`), or None for a form
        that projects to nothing (withdrawn, repaired, unpublishable …): its pulled copy is
        hidden too.
    """
    forms = {c: form_records(s, uscc, c) for c in credit_record.SOURCES}
    breaches: dict[str, list[dict[str, Any]]] = {}
    for record in forms["dishonesty_records"]:
        breaches.setdefault(str(record.get("source_id")), []).append(record)
    out: dict[tuple[str, str], dict[str, Any] | None] = {}
    for collection, records in forms.items():
        for record in records:
            record_id = str(record.pop("record_id"))
            related = breaches.get(record_id, []) if collection == "commitments" else []
            entry = credit_record.project(collection, record_id, record, related)
            out[(collection, record_id)] = None if entry is None else {**entry, HELD_HERE: True}
    return out


def public_credit(s: Session, entity: Entity, today: date) -> PublicCreditRecord:
    """What may be shown of ``entity`` on ``today``, city-wide (card, 容缺受理 check, report)."""
    uscc = entity.uscc
    entries = credit_record.merge_entries(
        reference_records(s, uscc, credit_record.ENTRY_COLLECTION), local_entries(s, uscc)
    )
    return credit_record.public_record(
        memberships=memberships(s, entity),
        penalties=reference_records(s, uscc, "penalties"),
        licences=reference_records(s, uscc, "licences"),
        inspections=public_inspections(s, uscc),
        entries=entries,
        today=today,
    )
