"""Reading everything the local store knows about one entity (report, card, window checks).

Platform-owned records (licences, penalties, lists, public inspections) come from
``reference_records`` by their indexed ``entity_uscc``; client forms (commitments, attendance,
warnings, dishonesty records) from ``form_records``. Records are returned as plain mappings,
unfiltered: the domain rules (:mod:`desktop_app.domain.disclosure`,
:mod:`desktop_app.domain.window_rules`) decide what counts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.services.forms import load_fields
from desktop_app.store.models import Entity, FormRecord, ReferenceRecord

__all__ = [
    "attendance",
    "form_records",
    "memberships",
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


def memberships(s: Session, entity: Entity) -> list[dict[str, Any]]:
    """List memberships of the entity: pulled records, plus lists inline on the registry row."""
    found = reference_records(s, entity.uscc, "list_memberships")
    listed = {str(m.get("list")) for m in found}
    # Registry rows may also carry their lists inline (imports, the local demo).
    for inline in entity.lists or []:
        if isinstance(inline, dict) and str(inline.get("list")) not in listed:
            found.append({"status": "active", **inline, "uscc": entity.uscc})
    return found
