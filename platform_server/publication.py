"""The publication feed (一公开 / 双公示) with the 7-working-day deadline of seed section (十三).

What goes into the feed (decided from the seed, (十三) and (一)):

- ``commitments`` with ``publish`` true → kind ``信用承诺`` (seed (一): commitments are
  published in the 信用承诺 column; whether one is published is part of the form), once
  signed (a draft or withdrawn letter is no decision).
- ``inspection_results`` with ``publishable`` true → kind ``行政检查结果`` (行政监督检查, the
  "一公开" of 双随机、一公开).
- ``warnings`` (失信警示) and ``interviews`` (约谈) unless the officer sets ``publishable``
  false: both are 行政监督检查 acts that (十三) wants online within 7 working days like
  inspection results (DOMAIN.md "Warnings, rectification, interviews"); an officer may still
  keep one out (a local rule may keep a 提示约谈 internal) by saying so on the form.
- Every 双随机 draw → kind ``双随机抽查结果`` (the draw is published so anyone can check it).

Either flag name (``publish`` or ``publishable``) is accepted on every form. The decision date
is the first present of the form's date fields (``decided_on``, ``signed_on``,
``inspected_on`` …); the deadline is 7 working days later on the official calendar extended by
the platform's ``calendar_overrides`` records. When the calendar does not know the year, the
deadline stays null with :data:`DEADLINE_UNKNOWN_NOTE` — never a Monday–Friday guess — and is
filled in as soon as an override table for that year is imported (:func:`refresh_unknown_deadlines`)
or, for display, whenever the feed is read.

Deleting a form (push tombstone) withdraws its item while unpublished; a published item stays
as history with a note that the form was deleted (:func:`withdraw_for_deleted_form`).

An ``inspection_results`` form in the feed is mirrored into the ``public_inspections`` registry
record ``pi-<form id>`` (:mod:`platform_server.registry`) when its item is marked published —
nothing of it goes public before — named by the registry (entity) and the platform (the unit
that inspected), stamped with ``published_on``, and, like the item, never changes after.

Items never carry credit grades: the feed is what goes public.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain.clock import CHINA_TZ, china_today
from desktop_app.domain.commitments import CommitmentStatus
from desktop_app.domain.regions import lookup_region
from desktop_app.domain.uscc import USCC_PATTERN
from desktop_app.domain.working_days import (
    CalendarUnknown,
    WorkingDayCalendar,
    calendar_from_records,
)
from platform_server import registry
from platform_server.models import Hall, Publication, Record
from platform_server.records import loads
from platform_server.scopes import region_clause
from platform_server.security import now
from sync.protocol import Collection, PublicationItem, PublicationList

PUBLICATION_WORKING_DAYS = 7
DEADLINE_UNKNOWN_NOTE = (
    "该日期所在年份的节假日安排尚未发布，暂无法计算截止日期。"
    "请管理员导入该年度节假日表（calendar_overrides）后，平台将自动补算。"
)
KIND_DRAW = "双随机抽查结果"
CITY_UNIT = "长治市"
"""The unit of an item whose region is unknown (the city's platform made or received it)."""
DRAWS_COLLECTION = "draws"
FLAGS = ("publish", "publishable")
DATE_FIELDS = (
    "decided_on",
    "signed_on",
    "inspected_on",
    "issued_on",
    "interviewed_on",
    "held_on",
)


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    subject_field: str | None = None
    subject_labels: dict[str, str] | None = None
    not_yet: frozenset[str] = frozenset()  # statuses that are no decision (yet)
    public_unless_refused: bool = False  # in the feed unless the form says publishable false


_UNDECIDED = frozenset({CommitmentStatus.DRAFT.value, CommitmentStatus.WITHDRAWN.value})
RULES: dict[str, _Rule] = {
    Collection.COMMITMENTS.value: _Rule("信用承诺", "matter", not_yet=_UNDECIDED),
    Collection.INSPECTION_RESULTS.value: _Rule("行政检查结果"),
    Collection.WARNINGS.value: _Rule("行政监督检查（失信警示）", public_unless_refused=True),
    Collection.INTERVIEWS.value: _Rule(
        "行政监督检查（约谈）",
        "kind",
        {"reminder": "提示约谈", "warning": "警示约谈"},
        public_unless_refused=True,
    ),
}
"""Publishable client forms: collection → kind of publication and what names the item.

A commitment still in draft, or withdrawn, is no decision: it leaves the feed until signed.
Long texts (conclusions, warning contents) stay out of titles: the feed lists, it does not
publish the documents themselves."""


def publication_id(collection: str, record_id: str) -> str:
    """The feed id of a record: stable, so noting a record twice updates one item."""
    return "P" + hashlib.sha256(f"{collection}\n{record_id}".encode()).hexdigest()[:31]


def platform_calendar(session: Session) -> WorkingDayCalendar:
    """The official calendar extended by the platform's ``calendar_overrides`` records.

    Read by :func:`desktop_app.domain.working_days.calendar_from_records`, the rule clients
    apply to the same records after they pull them.
    """
    rows = session.scalars(
        select(Record.data).where(
            Record.collection == Collection.CALENDAR_OVERRIDES.value, Record.deleted.is_(False)
        )
    )
    return calendar_from_records(loads(text) for text in rows)


def parse_date(value: Any) -> date | None:
    """A date from ``YYYY-MM-DD`` or the date part of an ISO datetime; ``None`` otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def deadline_for(calendar: WorkingDayCalendar, decided_on: date) -> tuple[str | None, str | None]:
    """The publication deadline of a decision and, when it cannot be computed, why.

    Args:
        calendar: The platform calendar (:func:`platform_calendar`).
        decided_on: The decision date (not counted).

    Returns:
        ``(deadline ISO date, None)`` or ``(None, DEADLINE_UNKNOWN_NOTE)``.
    """
    try:
        return calendar.deadline(decided_on, PUBLICATION_WORKING_DAYS).isoformat(), None
    except CalendarUnknown:
        return None, DEADLINE_UNKNOWN_NOTE


def _flagged(fields: dict[str, Any], rule: _Rule) -> bool:
    if rule.public_unless_refused:
        return all(fields.get(flag) is not False for flag in FLAGS)
    return any(fields.get(flag) is True for flag in FLAGS)


def _decided_on(fields: dict[str, Any]) -> date | None:
    for name in DATE_FIELDS:
        day = parse_date(fields.get(name))
        if day is not None:
            return day
    return None


def _uscc(fields: dict[str, Any]) -> str | None:
    uscc = fields.get("uscc") or fields.get("entity_uscc")
    return uscc if isinstance(uscc, str) and USCC_PATTERN.fullmatch(uscc) else None


def printable(text: str, limit: int = 500) -> str:
    """``text`` without control characters (PostgreSQL refuses NUL), at most ``limit`` long."""
    return "".join(ch for ch in text if ch.isprintable())[:limit]


def entity_name(session: Session, fields: dict[str, Any]) -> str | None:
    """The entity's name: the registry's for its USCC, else what the form says.

    What goes public is named by the registry, never by a client (a form's ``entity_name``
    is only a fallback for an entity the registry does not hold yet).
    """
    uscc = _uscc(fields)
    name = None
    if uscc is not None:
        entity = session.get(Record, (Collection.ENTITIES.value, uscc))
        if entity is not None and not entity.deleted:
            name = loads(entity.data).get("name")
    name = name or fields.get("entity_name") or fields.get("name")
    return (printable(str(name)) or None) if name else None


def _subject(rule: _Rule, fields: dict[str, Any]) -> str:
    raw = fields.get(rule.subject_field) if rule.subject_field else None
    return printable(str((rule.subject_labels or {}).get(str(raw), raw))) if raw else ""


def item_title(kind: str, name: str, subject: str) -> str:
    """A feed item's one-line title: ``kind：name（subject）``."""
    title = f"{kind}：{name}"
    return printable(f"{title}（{subject}）" if subject else title)


def unit_of_region(region_code: str | None) -> str:
    """A unit named by its division (``潞州区``; an abolished code by its successor)."""
    info = lookup_region(region_code) if region_code else None
    if info is None or not info.known:
        return CITY_UNIT
    return info.successor_name or info.name if info.abolished else info.name


def form_unit(session: Session, record: Record | None, region_code: str | None) -> str:
    """The unit that made a client form: its hall, else the division it belongs to."""
    if record is not None and record.hall_id:
        hall = session.get(Hall, record.hall_id)
        if hall is not None:
            return hall.name
    return unit_of_region(region_code)


def note_for_publication(
    session: Session,
    collection: str,
    record_id: str,
    fields: dict[str, Any],
    region_code: str | None,
    *,
    new: bool = False,
    record: Record | None = None,
) -> None:
    """Put a client form into the feed, update it, or take it out, after a create/update.

    Called by the push handler in the same transaction. ``fields`` may be the whole record or
    only the changed fields: they are laid over the record's stored fields when it exists.
    An item already published is left as it was (it is history); an unpublished item whose
    form is no longer flagged is removed. The ``public_inspections`` mirror of a stored
    inspection result follows its item (written with it, tombstoned when it is removed).

    Args:
        session: The push transaction.
        collection: The form's collection.
        record_id: The form's id.
        fields: Fields written by the create/update.
        region_code: The region the record belongs to (for feed filtering).
        new: The form was just created under an id that never existed (not even as a
            tombstone), so it has no feed item yet (saves a query per pushed create).
        record: The form's row when the caller holds it (saves a look-up).
    """
    rule = RULES.get(collection)
    if rule is None:
        return
    stored = record if record is not None else session.get(Record, (collection, record_id))
    merged = {**(loads(stored.data) if stored is not None and not stored.deleted else {}), **fields}
    # Locked: pushes run side by side on PostgreSQL, and the desk may publish it meanwhile.
    pub = (
        None
        if new
        else session.scalar(
            select(Publication)
            .where(Publication.collection == collection, Publication.record_id == record_id)
            .with_for_update()
        )
    )
    if pub is not None and pub.published_at is not None:
        return
    if not _flagged(merged, rule) or str(merged.get("status")) in rule.not_yet:
        if pub is not None:
            session.execute(delete(Publication).where(Publication.id == pub.id))
            if collection == registry.MIRRORED:
                registry.withdraw_mirror(session, record_id)
        return
    decided = _decided_on(merged)
    missing_date_note = None
    if decided is None:
        decided = china_today()
        missing_date_note = f"表单未填写决定日期，按平台收到之日（{decided.isoformat()}）起算。"
    deadline, note = deadline_for(platform_calendar(session), decided)
    name = entity_name(session, merged)
    subject = _subject(rule, merged)
    values = {
        "kind": rule.kind,
        "title": item_title(rule.kind, name or _uscc(merged) or record_id, subject),
        "uscc": _uscc(merged),
        "region_code": region_code,
        "decided_on": decided.isoformat(),
        "deadline": deadline,
        "deadline_note": " ".join(n for n in (missing_date_note, note) if n) or None,
        "unit": form_unit(session, stored, region_code),
        "entity_name": name,
        "matter": subject or None,
    }
    if pub is None:
        pub = Publication(
            id=publication_id(collection, record_id), collection=collection, record_id=record_id
        )
        session.add(pub)
    for name, value in values.items():
        setattr(pub, name, value)
    session.flush()
    # The public_inspections mirror is written when the item is published (mark_published):
    # nothing of a result goes public before.


def withdraw_for_deleted_form(
    session: Session, collection: str, record_id: str, deleted_at: datetime
) -> None:
    """Take a deleted client form out of the feed, or mark its published item.

    Called by the push handler in the same transaction as the tombstone. An item not yet
    published is removed: nothing must go online for a form that no longer exists. A
    published item is history (it was online, and the feed is the record of that), so it
    stays, with :func:`deleted_form_note` added to its ``deadline_note`` so whoever reads the
    feed knows the page online may need taking down. Forms without a feed rule and forms
    without an item are left alone. The ``public_inspections`` mirror of an inspection result
    goes with an unpublished item and stays with a published one.

    Args:
        session: The push transaction.
        collection: The deleted form's collection.
        record_id: The deleted form's id.
        deleted_at: When the platform stored the tombstone (UTC, naive like ``now()``).
    """
    if collection not in RULES:
        return
    pub = session.scalar(
        select(Publication).where(
            Publication.collection == collection, Publication.record_id == record_id
        )
    )
    if pub is None:
        return
    if pub.published_at is None:
        session.execute(delete(Publication).where(Publication.id == pub.id))
        if collection == registry.MIRRORED:
            registry.withdraw_mirror(session, record_id)
        return
    mark = deleted_form_note(deleted_at)
    if mark not in (pub.deadline_note or ""):
        pub.deadline_note = " ".join(n for n in (pub.deadline_note, mark) if n)
    session.flush()


def deleted_form_note(deleted_at: datetime) -> str:
    """The note a published item gets when its form is deleted (China date of the delete).

    Args:
        deleted_at: When the tombstone was stored (UTC, naive).
    """
    day = deleted_at.replace(tzinfo=UTC).astimezone(CHINA_TZ).date().isoformat()
    return f"原表单已于 {day} 删除；本条目已公开，请核实后按规定处理网上公示内容。"


def note_draw(
    session: Session,
    draw_id: str,
    title: str,
    region_code: str | None,
    decided_on: date,
    calendar: WorkingDayCalendar,
) -> Publication:
    """Add a 双随机 draw's result to the feed (one item per draw)."""
    deadline, note = deadline_for(calendar, decided_on)
    pub = Publication(
        id=publication_id(DRAWS_COLLECTION, draw_id),
        kind=KIND_DRAW,
        collection=DRAWS_COLLECTION,
        record_id=draw_id,
        title=title,
        uscc=None,
        region_code=region_code,
        decided_on=decided_on.isoformat(),
        deadline=deadline,
        deadline_note=note,
        published_at=None,
        unit=unit_of_region(region_code),
        matter=printable(title),
    )
    session.add(pub)
    session.flush()
    return pub


def refresh_unknown_deadlines(session: Session) -> int:
    """Compute the deadlines that were unknown, now that the calendar may know the year.

    Returns:
        Items whose deadline was filled in.
    """
    calendar = platform_calendar(session)
    filled = 0
    pending = session.scalars(select(Publication).where(Publication.deadline.is_(None)))
    for pub in pending:
        decided = parse_date(pub.decided_on)
        if decided is None:
            continue
        deadline, _ = deadline_for(calendar, decided)
        if deadline is not None:
            pub.deadline = deadline
            pub.deadline_note = None
            filled += 1
    session.flush()
    return filled


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def published_day(pub: Publication) -> str | None:
    """The China date an item went online: as recorded, else the day it was marked published."""
    if pub.published_on:
        return pub.published_on
    if pub.published_at is None:
        return None
    return pub.published_at.replace(tzinfo=UTC).astimezone(CHINA_TZ).date().isoformat()


def effective_deadline(
    pub: Publication, calendar: WorkingDayCalendar
) -> tuple[str | None, str | None]:
    """The item's deadline and note; an unknown one is retried on today's calendar."""
    deadline, note = pub.deadline, pub.deadline_note
    decided = parse_date(pub.decided_on)
    if deadline is None and decided is not None:
        retry, _ = deadline_for(calendar, decided)
        if retry is not None:
            deadline, note = retry, None
    return deadline, note


def unit_of(pub: Publication) -> str:
    """The unit that made the item's decision (items older than the desk: their division)."""
    return pub.unit or unit_of_region(pub.region_code)


def to_item(pub: Publication, today: date, calendar: WorkingDayCalendar) -> PublicationItem:
    """The wire form of a feed item; an unknown deadline is retried with today's calendar."""
    deadline, note = effective_deadline(pub, calendar)
    overdue = pub.published_at is None and deadline is not None and today.isoformat() > deadline
    day = published_day(pub)
    return PublicationItem(
        id=pub.id,
        kind=pub.kind,
        collection=pub.collection,
        record_id=pub.record_id,
        title=pub.title,
        uscc=pub.uscc,
        decided_on=pub.decided_on,
        deadline=deadline,
        deadline_note=note,
        published_at=_stamp(pub.published_at),
        overdue=overdue,
        unit=unit_of(pub),
        region_code=pub.region_code,
        entity_name=pub.entity_name,
        matter=pub.matter,
        published_on=day,
        published_where=pub.published_where,
        published_by=pub.published_by,
        late=day is not None and deadline is not None and day > deadline,
    )


STATUSES = ("due", "overdue", "published", "all")


def list_publications(
    session: Session,
    status: str = "due",
    region_code: str | None = None,
    *,
    limit: int = 500,
    offset: int = 0,
    today: date | None = None,
    kind: str | None = None,
    unit: str | None = None,
) -> PublicationList:
    """A page of the feed, soonest deadline first (unknown deadlines last).

    Args:
        session: A read transaction.
        status: ``due`` (not yet published, overdue ones included and flagged), ``overdue``
            (not published and past the deadline), ``published`` or ``all``.
        region_code: Only this division (and the abolished ones merged into it).
        limit: Page size.
        offset: Items to skip.
        today: The China date overdue is judged on (default: :func:`china_today`).
        kind: Only items of this kind (``行政许可``, ``行政处罚`` …).
        unit: Only items of this unit (as :func:`unit_of` names it).
    """
    today = today or china_today()
    stmt = select(Publication)
    if status in ("due", "overdue"):
        stmt = stmt.where(Publication.published_at.is_(None))
    elif status == "published":
        stmt = stmt.where(Publication.published_at.is_not(None))
    if region_code:
        stmt = stmt.where(region_clause(Publication.region_code, region_code))
    if kind:
        stmt = stmt.where(Publication.kind == kind)
    stmt = stmt.order_by(
        Publication.deadline.is_(None), Publication.deadline, Publication.decided_on, Publication.id
    )
    calendar = platform_calendar(session)
    if status == "overdue" or unit:
        # Overdue is judged after retrying unknown deadlines, and items older than the desk
        # are named by their division, so these page in Python.
        rows = session.scalars(stmt)
        chosen = (to_item(p, today, calendar) for p in rows if not unit or unit_of(p) == unit)
        items = [i for i in chosen if status != "overdue" or i.overdue][offset : offset + limit]
    else:
        page = session.scalars(stmt.offset(offset).limit(limit))
        items = [to_item(p, today, calendar) for p in page]
    return PublicationList(items=items, as_of=_stamp(now()) or "")


def mark_published(
    session: Session,
    pub: Publication,
    *,
    published_on: date | None = None,
    where: str | None = None,
    by: str | None = None,
) -> bool:
    """Record that an item went online (idempotent: the first record stays).

    An inspection result's ``public_inspections`` mirror gets ``published_on``.

    Args:
        session: The write transaction.
        pub: The item.
        published_on: The China date it went online (default: today in China).
        where: Where it went online (the website and its column).
        by: Who recorded it (the platform's account, never the client's say).

    Returns:
        Whether this call recorded it (False: it was already recorded, nothing changed).
    """
    if pub.published_at is not None:
        return False
    pub.published_at = now()
    day = published_on or china_today()
    pub.published_on = day.isoformat()
    pub.published_where = (printable(where.strip()) or None) if where else None
    pub.published_by = by
    session.flush()
    if pub.collection == registry.MIRRORED:
        form = session.get(Record, (pub.collection, pub.record_id))
        if form is not None and not form.deleted:
            unit = form_unit(session, form, form.region_code)
            registry.put_mirror(session, pub.record_id, loads(form.data), unit)
        registry.stamp_published(session, pub.record_id, day)
    return True
