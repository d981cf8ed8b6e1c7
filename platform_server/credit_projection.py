"""The city-wide public credit record: the ``credit_entries`` projection and its upkeep.

A window device holds only its own hall's forms, yet a breach recorded at any hall must count
at every window (一处失信、处处受限). The platform therefore keeps one ``credit_entries`` record
per disclosable commitment, 失信记录, 失信警示 and 约谈, built by the shared rule
:func:`desktop_app.domain.credit_record.project`, and every window pulls the collection for the
whole city (:mod:`platform_server.scopes`). An entry is rewritten in the transaction that
changes its source form, and only when its fields change (no sequence churn); a source that may
no longer be disclosed (repaired, revoked, unpublishable, withdrawn, deleted) turns its entry
into a tombstone, so every device drops it at its next pull.

Standing entries carry the platform's 容缺受理 answer derived from supervisors' data: the
entity's risk class (``credit_grades``) against the ``tolerance`` policy. They say only that
the entity is barred, never the class; they are refreshed when grades are imported and when
the policy changes, touching only the entities whose answer changed.

:func:`expire` tombstones entries past their publication period (a platform job: ``serve``
runs it at start and every 12 hours; ``credit-expire`` runs it once), so pulls stop carrying them;
devices apply the same period rule on their own in the meantime, so nothing past its period is
shown even on a platform where the job has not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_record as cr
from desktop_app.domain.policy import Policy, policy_from_records
from platform_server.db import allocate_seq
from platform_server.models import Meta, Record
from platform_server.records import Scope, delete_record, loads, locked_record, put_record
from sync.protocol import Collection

ENTRIES = Collection.CREDIT_ENTRIES.value
POLICIES = Collection.POLICIES.value
SOURCES = frozenset(cr.SOURCES)


def current_policy(session: Session) -> Policy:
    """The policy in force on the platform (defaults for a policy never set)."""
    rows = session.scalars(
        select(Record.data).where(Record.collection == POLICIES, Record.deleted.is_(False))
    )
    return policy_from_records(loads(text) for text in rows)


def _write(session: Session, record_id: str, fields: dict[str, Any] | None, scope: Scope) -> bool:
    """Put, replace or tombstone one entry; False when nothing changed."""
    existing = locked_record(session, ENTRIES, record_id)  # locked: concurrent pushes queue here
    if fields is None:
        if existing is None or existing.deleted:
            return False
        delete_record(session, existing)
        return True
    if existing is not None and not existing.deleted and loads(existing.data) == fields:
        return False
    put_record(session, ENTRIES, record_id, fields, scope, replace=True)
    return True


def _breaches_of(session: Session, commitment: Record) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Record).where(
            Record.collection == Collection.DISHONESTY_RECORDS.value,
            Record.entity_uscc == commitment.entity_uscc,
            Record.deleted.is_(False),
        )
    )
    found = [loads(r.data) for r in rows]
    return [f for f in found if f.get("source_id") == commitment.record_id]


def reproject(
    session: Session,
    collection: str,
    record_id: str,
    *,
    new: bool = False,
    source: Record | None = None,
) -> int:
    """Bring the entry of one source form (and what depends on it) up to date.

    A 失信记录 also decides its commitment's entry (its repair ends the breach), so a change
    to one re-projects the other.

    Args:
        session: The caller's transaction (the push that changed the form).
        collection: The form's collection (others are ignored).
        record_id: The form's id.
        new: The form was just created under an id that never existed (not even as a
            tombstone): no 失信记录 can name it yet (one is accepted only for an existing
            commitment), so its breaches are not looked up.
        source: The form's row, when the caller has just written it (and so holds its lock).

    Returns:
        Entries written or tombstoned.
    """
    if collection not in SOURCES:
        return 0
    # Lock, then read: a push changing the same form (or, for a 失信记录's commitment, the
    # commitment) commits first, and what is projected here includes its change.
    if source is None:
        source = locked_record(session, collection, record_id)
    if source is None:
        return 0
    fields = None if source.deleted else loads(source.data)
    related: list[dict[str, Any]] = []
    if collection == Collection.COMMITMENTS.value and fields is not None and not new:
        related = _breaches_of(session, source)
    entry = cr.project(collection, record_id, fields, related)
    scope = Scope(region_code=source.region_code, entity_uscc=source.entity_uscc)
    changed = int(_write(session, cr.entry_id(collection, record_id), entry, scope))
    founded_on = None if fields is None else fields.get("source_collection")
    if collection == Collection.DISHONESTY_RECORDS.value and founded_on == "commitments":
        assert fields is not None
        changed += reproject(session, Collection.COMMITMENTS.value, str(fields["source_id"]))
    return changed


def _grades(session: Session, usccs: set[str] | None) -> dict[str, str]:
    """USCC → risk class: the ``credit_grades`` record wins over an entity's own field."""
    found: dict[str, str] = {}
    stmt = select(Record.entity_uscc, Record.data).where(
        Record.collection == Collection.ENTITIES.value, Record.deleted.is_(False)
    )
    grades = select(Record.entity_uscc, Record.data).where(
        Record.collection == Collection.CREDIT_GRADES.value, Record.deleted.is_(False)
    )
    if usccs is not None:
        stmt = stmt.where(Record.entity_uscc.in_(sorted(usccs)))
        grades = grades.where(Record.entity_uscc.in_(sorted(usccs)))
    else:
        # Entity rows carry a class only from registries made before grades moved out of them.
        stmt = stmt.where(Record.data.contains('"credit_grade"'))
    for uscc, text in session.execute(stmt):
        grade = loads(text).get("credit_grade")
        if uscc and isinstance(grade, str) and grade.strip():
            found[uscc] = grade.strip().upper()
    for uscc, text in session.execute(grades):
        grade = loads(text).get("grade")
        if uscc and isinstance(grade, str) and grade.strip():
            found[uscc] = grade.strip().upper()
    return found


def refresh_standing(
    session: Session, usccs: Iterable[str] | None = None, policy: Policy | None = None
) -> int:
    """Bring standing entries in line with the grades and the ``tolerance`` policy.

    Args:
        session: The caller's transaction.
        usccs: The entities to look at; None for all (after a policy change).
        policy: The policy to apply (read from the database when omitted).

    Returns:
        Entries written or tombstoned (only entities whose answer changed).
    """
    wanted = None if usccs is None else {u for u in usccs if u}
    if wanted is not None and not wanted:
        return 0
    policy = policy or current_policy(session)
    grades = _grades(session, wanted)
    barred = {u for u, g in grades.items() if g in policy.barred_grades}
    stmt = select(Record.record_id, Record.entity_uscc).where(
        Record.collection == ENTRIES,
        Record.record_id.like("cs-%"),
        Record.deleted.is_(False),
    )
    if wanted is not None:
        stmt = stmt.where(Record.entity_uscc.in_(sorted(wanted)))
    standing = {uscc for _, uscc in session.execute(stmt) if uscc}
    changed = 0
    for uscc in sorted(standing - barred):
        changed += _write(session, cr.standing_id(uscc), None, Scope())
    regions = _regions(session, barred - standing)
    for uscc in sorted(barred - standing):
        entry = cr.standing_entry(uscc, True)
        scope = Scope(region_code=regions.get(uscc), entity_uscc=uscc)
        changed += _write(session, cr.standing_id(uscc), entry, scope)
    return changed


def _regions(session: Session, usccs: set[str]) -> dict[str, str | None]:
    if not usccs:
        return {}
    found: dict[str, str | None] = {}
    ordered = sorted(usccs)
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        stmt = select(Record.entity_uscc, Record.region_code).where(
            Record.collection == Collection.ENTITIES.value, Record.entity_uscc.in_(chunk)
        )
        found.update({u: r for u, r in session.execute(stmt) if u})
    return found


@dataclass(frozen=True)
class RebuildSummary:
    """What :func:`rebuild` did."""

    sources: int
    entries_changed: int
    standing_changed: int


def rebuild(session: Session) -> RebuildSummary:
    """Re-project every source form and every standing (after an upgrade or a repair job)."""
    keys = list(
        session.execute(
            select(Record.collection, Record.record_id)
            .where(Record.collection.in_(sorted(SOURCES)))
            .order_by(Record.collection, Record.record_id)
        )
    )
    changed = sum(reproject(session, c, r) for c, r in keys)
    return RebuildSummary(len(keys), changed, refresh_standing(session))


def expire(session: Session, today: date) -> int:
    """Tombstone entries past their publication period on ``today``; returns how many.

    The same rule the devices apply (:func:`desktop_app.domain.credit_record.entry_shown`):
    publication stops at the maximum period without anyone acting.
    """
    rows = session.scalars(
        select(Record).where(
            Record.collection == ENTRIES,
            Record.deleted.is_(False),
            Record.record_id.like("ce-%"),
        )
    )
    ended = [r for r in rows if not cr.entry_shown(loads(r.data), today)]
    for record in ended:
        # An entry not yet in its period (a future date typed by mistake) is kept.
        fields = loads(record.data)
        start = fields.get("shown_from")
        if isinstance(start, str) and start > today.isoformat():
            continue
        delete_record(session, record)
    gone = [r for r in ended if r.deleted]
    if gone:
        from platform_server import audit_log  # the log imports nothing of this module

        audit_log.append(
            session,
            actor=audit_log.SYSTEM_ACTOR,
            action="credit.publication_ended",
            subject_type=ENTRIES,
            details={
                "day": today.isoformat(),
                "count": len(gone),
                "entries": sorted(r.record_id for r in gone)[:500],
            },
        )
    return len(gone)


DATA_VERSION = "1"
"""``meta.credit_record``: the version of the data shape this module keeps (see upgrade_data)."""


def _move_grades_out_of_entities(session: Session) -> int:
    """Move risk classes off entity records (which every window pulls) into credit_grades.

    Registries imported before grades were kept apart carried them on the entity record; an
    existing ``credit_grades`` record wins over the entity's copy.
    """
    rows = list(
        session.scalars(
            select(Record).where(
                Record.collection == Collection.ENTITIES.value,
                Record.deleted.is_(False),
                Record.data.contains('"credit_grade"'),
            )
        )
    )
    graded = set(
        session.scalars(
            select(Record.entity_uscc).where(
                Record.collection == Collection.CREDIT_GRADES.value, Record.deleted.is_(False)
            )
        )
    )
    moved = 0
    for record in rows:
        fields = loads(record.data)
        grade = fields.pop("credit_grade", None)
        scope = Scope(region_code=record.region_code, entity_uscc=record.entity_uscc)
        uscc = record.entity_uscc or str(fields.get("uscc") or "")
        if isinstance(grade, str) and grade.strip() and uscc and uscc not in graded:
            put_record(
                session,
                Collection.CREDIT_GRADES.value,
                f"cg-{uscc}",
                {"uscc": uscc, "grade": grade.strip().upper()},
                scope,
                replace=True,
            )
        put_record(session, record.collection, record.record_id, fields, scope, replace=True)
        moved += 1
    return moved


def upgrade_data(session: Session) -> bool:
    """Bring the credit record's data to :data:`DATA_VERSION` once (run after migrations).

    Version 1: risk classes leave entity records (windows pull those), and every source form
    and standing is projected.

    Returns:
        Whether anything had to be done.
    """
    allocate_seq(session, 0)  # the counter's lock: two servers starting at once do this once
    marker = session.get(Meta, "credit_record")
    if marker is not None and marker.value == DATA_VERSION:
        return False
    _move_grades_out_of_entities(session)
    rebuild(session)
    if marker is None:
        session.add(Meta(key="credit_record", value=DATA_VERSION))
    else:
        marker.value = DATA_VERSION
    session.flush()
    return True
