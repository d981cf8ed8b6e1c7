"""The publication desk: decisions made outside the client forms, recording, counts per unit.

:mod:`platform_server.publication` puts the client's forms and the draws into the feed. This
module adds what the issue's desk also lists (seed (十三): 行政许可 and 行政处罚 decisions
and the other administrative acts go online within 7 working days):

- ``licences`` (kind ``行政许可``) and ``penalties`` (kind ``行政处罚``) as they are imported
  (:func:`note_reference_rows`, called by the importer in the batch's transaction). The unit
  is the record's ``decided_by``. A penalty the row keeps out of publication (``published``
  false: only a 轻微 one may be) or revoked leaves the feed while unpublished. A row that says
  when it already went online (``published_on``, optionally ``published_where``) enters the
  feed as published, so importing a city's history does not flood the desk.
- A granted 信用修复 decision (kind ``信用修复决定``): :func:`note_repair_decision`, called by
  the repair service in the decision's transaction; the deciding unit is the application's
  region.

Every item carries its unit and kind (the desk filters by both), the decision date and the
7-working-day deadline of :func:`~platform_server.publication.deadline_for`. Like the forms'
items, a published item is history and never changes after.

:func:`record_published` is the checked ``POST …/publish``; :func:`unit_statistics` counts,
per unit, items online in time, online late, not yet online and overdue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain.clock import china_today
from platform_server.errors import ApiError
from platform_server.models import Publication, Record
from platform_server.publication import (
    deadline_for,
    effective_deadline,
    entity_name,
    item_title,
    mark_published,
    parse_date,
    platform_calendar,
    printable,
    publication_id,
    published_day,
    unit_of,
    unit_of_region,
)
from platform_server.records import loads
from platform_server.scopes import region_clause
from platform_server.security import now
from sync.protocol import (
    Collection,
    PublicationMark,
    PublicationStatistics,
    PublicationUnitCount,
    ReasonCode,
)

KIND_LICENCE = "行政许可"
KIND_PENALTY = "行政处罚"
KIND_REPAIR = "信用修复决定"
IMPORTED_WHERE = "导入时已公示"
"""Where an item imported as already online was published, when the row does not say."""
IMPORTED_BY = "数据导入"
REFERENCE_KINDS = {
    Collection.LICENCES.value: KIND_LICENCE,
    Collection.PENALTIES.value: KIND_PENALTY,
}
_MATTER_LIMIT = 80


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    """An imported row as the feed needs it: id, fields and the region of its entity."""

    record_id: str
    fields: dict[str, Any]
    region_code: str | None


def _short(text: Any) -> str:
    value = printable(str(text or "").strip())
    return value if len(value) <= _MATTER_LIMIT else value[: _MATTER_LIMIT - 1] + "…"


def _matter(collection: str, fields: dict[str, Any]) -> str:
    if collection == Collection.LICENCES.value:
        what = _short(fields.get("licence_name") or fields.get("matter"))
        number = _short(fields.get("licence_no"))
    else:
        what = _short(fields.get("violation") or fields.get("penalty"))
        number = _short(fields.get("decision_no"))
    return f"{what}（{number}）" if what and number else what or number


def _in_feed(collection: str, fields: dict[str, Any]) -> bool:
    if collection == Collection.PENALTIES.value:
        return fields.get("published") is not False and fields.get("status") != "revoked"
    return True


def note_reference_rows(session: Session, collection: str, rows: Iterable[ReferenceRow]) -> int:
    """Put imported licences or penalties into the feed, update them, or take them out.

    Called by the importer in each batch's transaction, after the rows are stored. An item
    already published is left as it was; an unpublished one follows the row (a corrected
    decision date moves its deadline). Other collections are ignored.

    Args:
        session: The import transaction.
        collection: ``licences`` or ``penalties``.
        rows: The stored rows.

    Returns:
        Items written (created or updated).
    """
    kind = REFERENCE_KINDS.get(collection)
    batch = list(rows)
    if kind is None or not batch:
        return 0
    existing = {
        p.record_id: p
        for p in session.scalars(
            select(Publication).where(
                Publication.collection == collection,
                Publication.record_id.in_([r.record_id for r in batch]),
            )
        )
    }
    names = _entity_names(session, batch)
    calendar = platform_calendar(session)
    written = 0
    for row in batch:
        pub = existing.get(row.record_id)
        if pub is not None and pub.published_at is not None:
            continue
        decided = parse_date(row.fields.get("decided_on"))
        if decided is None or not _in_feed(collection, row.fields):
            if pub is not None:
                session.execute(delete(Publication).where(Publication.id == pub.id))
            continue
        uscc = str(row.fields.get("uscc") or "") or None
        name = names.get(row.record_id) or uscc or row.record_id
        matter = _matter(collection, row.fields)
        deadline, note = deadline_for(calendar, decided)
        if pub is None:
            pub = Publication(
                id=publication_id(collection, row.record_id),
                collection=collection,
                record_id=row.record_id,
            )
            session.add(pub)
        pub.kind = kind
        pub.title = item_title(kind, name, matter)
        pub.uscc = uscc
        pub.region_code = row.region_code
        pub.decided_on = decided.isoformat()
        pub.deadline = deadline
        pub.deadline_note = note
        pub.unit = _short(row.fields.get("decided_by")) or unit_of_region(row.region_code)
        pub.entity_name = names.get(row.record_id)
        pub.matter = matter or None
        online = parse_date(row.fields.get("published_on"))
        if online is not None and online >= decided:
            pub.published_at = now()
            pub.published_on = online.isoformat()
            where = _short(row.fields.get("published_where"))
            pub.published_where = where or IMPORTED_WHERE
            pub.published_by = IMPORTED_BY
        written += 1
    session.flush()
    return written


def _entity_names(session: Session, rows: list[ReferenceRow]) -> dict[str, str]:
    """Each row's entity name: its own column, else the registry's (one query per batch)."""
    names = {r.record_id: _short(r.fields.get("entity_name")) for r in rows}
    wanted = {str(r.fields.get("uscc")) for r in rows if not names[r.record_id]}
    if wanted:
        found = {
            uscc: _short(loads(data).get("name"))
            for uscc, data in session.execute(
                select(Record.record_id, Record.data).where(
                    Record.collection == Collection.ENTITIES.value,
                    Record.record_id.in_(sorted(wanted)),
                    Record.deleted.is_(False),
                )
            )
        }
        for r in rows:
            if not names[r.record_id]:
                names[r.record_id] = found.get(str(r.fields.get("uscc")), "")
    return {k: v for k, v in names.items() if v}


def note_repair_decision(session: Session, application: Record, fields: dict[str, Any]) -> None:
    """Put a granted 信用修复 decision into the feed (other outcomes are not published here).

    Called by the repair service in the decision's transaction, with the application record
    and its fields after the decision. Calling it again changes nothing.

    Args:
        session: The decision's transaction.
        application: The ``repair_applications`` record (its region is the deciding unit's).
        fields: The application's fields with the decision (``status``, ``decided_on`` …).
    """
    if application.collection != Collection.REPAIR_APPLICATIONS.value:
        return
    if fields.get("status") != "granted":
        return
    item_id = publication_id(application.collection, application.record_id)
    if session.get(Publication, item_id) is not None:
        return
    decided = parse_date(fields.get("decided_on")) or china_today()
    deadline, note = deadline_for(platform_calendar(session), decided)
    name = entity_name(session, fields)
    uscc = str(fields.get("uscc") or "") or None
    matter = _short(f"{fields.get('decision') or '准予修复'}：{fields.get('record_title') or ''}")
    session.add(
        Publication(
            id=item_id,
            kind=KIND_REPAIR,
            collection=application.collection,
            record_id=application.record_id,
            title=item_title(KIND_REPAIR, name or uscc or application.record_id, matter),
            uscc=uscc,
            region_code=application.region_code,
            decided_on=decided.isoformat(),
            deadline=deadline,
            deadline_note=note,
            published_at=None,
            unit=unit_of_region(application.region_code),
            entity_name=name,
            matter=matter.rstrip("：") or None,
        )
    )
    session.flush()


def record_published(
    session: Session, pub: Publication, mark: PublicationMark | None, by: str
) -> bool:
    """Check and record that an item went online (``POST /v1/publications/{id}/publish``).

    Repeating it changes nothing, whatever the body: the first record stays.

    Args:
        session: The write transaction.
        pub: The item.
        mark: The day and place it went online (both optional).
        by: The recording account's name (set by the platform, never by the client).

    Returns:
        Whether this call recorded it.

    Raises:
        ApiError: 422 when the day is in the future or before the decision.
    """
    if pub.published_at is not None:
        return False
    day = parse_date(mark.published_on) if mark and mark.published_on else None
    if mark is not None and mark.published_on and day is None:
        raise ApiError(422, ReasonCode.INVALID_FIELD, "公示日期不是有效日期，请按 年-月-日 填写。")
    if day is not None:
        today = china_today()
        if day > today:
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                f"公示日期（{day.isoformat()}）晚于今天（{today.isoformat()}）。"
                "请填写网站上实际发布的日期，发布后再登记。",
            )
        decided = parse_date(pub.decided_on)
        if decided is not None and day < decided:
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                f"公示日期（{day.isoformat()}）早于决定日期（{decided.isoformat()}），"
                "请核对网站上的发布日期。",
            )
    where = mark.where if mark is not None else None
    return mark_published(session, pub, published_on=day, where=where, by=by)


@dataclass
class _Count:
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0


def unit_statistics(
    session: Session,
    region_code: str | None = None,
    *,
    decided_from: date | None = None,
    decided_to: date | None = None,
    today: date | None = None,
) -> PublicationStatistics:
    """Per unit: items online in time, online late, not yet online (``overdue`` of those).

    ``on_time + late + pending == total``. An item online on its deadline is in time; one
    whose deadline is still unknown (the year's holidays not yet published) cannot be late.

    Args:
        session: A read transaction.
        region_code: Only this division (and the abolished ones merged into it).
        decided_from: Only decisions on or after this day.
        decided_to: Only decisions on or before this day.
        today: The China date overdue is judged on (default: :func:`china_today`).
    """
    today = today or china_today()
    stmt = select(Publication)
    if region_code:
        stmt = stmt.where(region_clause(Publication.region_code, region_code))
    if decided_from is not None:
        stmt = stmt.where(Publication.decided_on >= decided_from.isoformat())
    if decided_to is not None:
        stmt = stmt.where(Publication.decided_on <= decided_to.isoformat())
    calendar = platform_calendar(session)
    counts: dict[str, _Count] = defaultdict(_Count)
    kinds: set[str] = set()
    for pub in session.scalars(stmt):
        count = counts[unit_of(pub)]
        kinds.add(pub.kind)
        deadline, _ = effective_deadline(pub, calendar)
        day = published_day(pub)
        if day is not None:
            if deadline is not None and day > deadline:
                count.late += 1
            else:
                count.on_time += 1
        else:
            count.pending += 1
            count.overdue += deadline is not None and today.isoformat() > deadline
    units = [
        PublicationUnitCount(
            unit=unit,
            on_time=c.on_time,
            late=c.late,
            pending=c.pending,
            overdue=c.overdue,
            total=c.on_time + c.late + c.pending,
        )
        for unit, c in sorted(counts.items())
    ]
    return PublicationStatistics(
        units=units, kinds=sorted(kinds), as_of=today.isoformat(), region=region_code
    )
