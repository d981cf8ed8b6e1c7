"""Who sees and who writes which records (sync invariant 6).

One rule, two forms: :func:`visibility_filter` is the SQL ``WHERE`` clause a pull pages
through, and :func:`can_see` is the same rule evaluated on one record in Python (push
checks, blob downloads). ``tests/platform/test_scopes.py`` checks that the two agree.

Visibility by role:

* window (窗口人员): the city registry (entities, list memberships, and the public record of
  licences, penalties and public inspection results), the city-wide public credit record
  (``credit_entries``: every hall's disclosable commitments, 失信记录, warnings and interviews —
  一处失信、处处受限), the reference data (commitment catalog, checklists, calendar overrides,
  policies) and the forms of their own hall (commitments, education sessions, attendance, USCC
  overrides, 失信记录). Never ``credit_grades``: risk classes are for supervisors; the window
  gets the platform's eligibility answer (standing entries) instead.
* inspector (执法人员): the reference data, their own inspection tasks (the
  ``inspection_tasks`` record whose id is a ``task_assignments.task_id`` of theirs), and for
  the entities of those tasks the registry records and every earlier inspection result,
  finding, warning and interview.
* supervisor (科室负责人): the reference data and every record of their region. A region
  code ending in ``00`` covers the codes under it (``140400`` is all of 长治市), and a region
  also covers the abolished codes merged into it (潞州区 140403 covers 城区 140402 and 郊区
  140411), the rule of :mod:`platform_server.region_codes` that draws and the publication
  feed use too.
* admin: everything.

Writes (push of an update or delete) are allowed on client forms only: a window user writes
their hall's forms, an inspector the inspection forms it created itself (it reads the earlier
results of other inspectors on its task entities, but a result is its author's record), a
supervisor the forms of their region, an admin any form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, literal_column, or_, select
from sqlalchemy.orm import Session

from platform_server.deps import Principal
from platform_server.models import Record, TaskAssignment
from platform_server.records import loads
from platform_server.region_codes import merged_codes, region_covers, region_prefix
from sync.protocol import Collection, Role


def _names(*collections: Collection) -> frozenset[str]:
    # Plain strings: drivers may adapt an Enum by its member name rather than its value.
    return frozenset(c.value for c in collections)


REGISTRY = _names(
    Collection.ENTITIES,
    Collection.LIST_MEMBERSHIPS,
    Collection.CREDIT_GRADES,
    Collection.LICENCES,
    Collection.PENALTIES,
    Collection.PUBLIC_INSPECTIONS,
    Collection.CREDIT_ENTRIES,
)
"""The entity registry: scoped to inspectors by ``entity_uscc``, to supervisors by region."""

WINDOW_REGISTRY = REGISTRY - _names(Collection.CREDIT_GRADES)
"""What a window sees of the registry, city-wide: everything but the risk classes."""

REFERENCE = _names(
    Collection.COMMITMENT_CATALOG,
    Collection.CHECKLISTS,
    Collection.CALENDAR_OVERRIDES,
    Collection.POLICIES,
)
"""Reference data everyone may read (but :data:`SUPERVISOR_POLICIES`)."""

SUPERVISOR_POLICIES = frozenset({"risk_rules"})
"""Policies only supervisors and admins receive: the early-warning rules are supervision data
(DOMAIN.md; issue: none of the 风险预警 reaches the window). Windows and inspectors pull every
other policy (list measures, 容缺受理 threshold, repair periods)."""

TASKS = Collection.INSPECTION_TASKS.value

WINDOW_FORMS = _names(
    Collection.COMMITMENTS,
    Collection.EDUCATION_SESSIONS,
    Collection.ATTENDANCE,
    Collection.USCC_OVERRIDES,
    Collection.DISHONESTY_RECORDS,
    Collection.REPAIR_APPLICATIONS,
    Collection.OBJECTIONS,
    Collection.MEASURE_FEEDBACK,
)
"""Forms made at a service window: scoped by ``hall_id`` (and, for supervisors, by region:
a repair application or an objection carries the region of the unit that decides it)."""

INSPECTION_FORMS = _names(
    Collection.INSPECTION_RESULTS, Collection.FINDINGS, Collection.WARNINGS, Collection.INTERVIEWS
)
"""Forms made on site: scoped by ``entity_uscc`` (the inspected entity)."""

CLIENT_FORMS = WINDOW_FORMS | INSPECTION_FORMS


@dataclass
class Tasks:
    """An inspector's task assignments: task id → the entity inspected."""

    by_id: dict[str, str] = field(default_factory=dict)

    @property
    def usccs(self) -> set[str]:
        """The entities of the tasks."""
        return set(self.by_id.values())


@dataclass
class Viewer:
    """The caller as scopes see it (built once per request).

    Attributes:
        role: The account's role.
        user_id: The account id.
        hall_id: The window user's hall.
        region_code: The account's region (none for admins).
        device_id: The device the token is bound to.
    """

    role: Role
    user_id: int
    hall_id: str | None
    region_code: str | None
    device_id: str
    _tasks: Tasks | None = None

    @classmethod
    def of(cls, principal: Principal) -> Viewer:
        """The viewer of an authenticated principal."""
        user = principal.user
        return cls(principal.role, user.id, user.hall_id, user.region_code, principal.device.id)

    @property
    def sees_everything(self) -> bool:
        """Whether nothing is hidden from the caller (so "missing" reveals nothing)."""
        return self.role is Role.ADMIN

    def tasks(self, session: Session) -> Tasks:
        """The caller's task assignments (loaded once; empty for other roles)."""
        if self._tasks is None:
            rows: list[tuple[str, str]] = []
            if self.role is Role.INSPECTOR:
                stmt = select(TaskAssignment.task_id, TaskAssignment.entity_uscc).where(
                    TaskAssignment.user_id == self.user_id
                )
                rows = [(t, u) for t, u in session.execute(stmt)]
            self._tasks = Tasks(dict(rows))
        return self._tasks


def _same(column: Any) -> Any:
    return column


def _unindexed(column: Any) -> Any:
    # SQLite: an expression on a column cannot use that column's index (column || '' is the
    # column itself for every non-null text, and null stays null).
    return column.concat(literal_column("''"))


def visibility_filter(viewer: Viewer, *, seq_scan: bool = False) -> ColumnElement[bool] | None:
    """The SQL condition on ``records`` for what ``viewer`` may see; None for no limit.

    Args:
        viewer: The caller.
        seq_scan: Keep the scope columns from using their indexes. A pull pages by ``seq``
            with ``LIMIT``; SQLite would otherwise answer a scope ``OR`` with its other
            indexes and sort every visible row on each page. PostgreSQL plans it right
            either way.
    """
    col = _unindexed if seq_scan else _same
    collection: ColumnElement[Any] = col(Record.collection)
    hall_id: ColumnElement[Any] = col(Record.hall_id)
    region_code: ColumnElement[Any] = col(Record.region_code)
    record_id: ColumnElement[Any] = col(Record.record_id)
    entity_uscc: ColumnElement[Any] = col(Record.entity_uscc)
    if viewer.role is Role.ADMIN:
        return None
    if viewer.role is Role.SUPERVISOR:
        return or_(collection.in_(REFERENCE), region_clause(region_code, viewer.region_code))
    reference = and_(
        collection.in_(REFERENCE),
        or_(
            collection != Collection.POLICIES.value,
            record_id.not_in(sorted(SUPERVISOR_POLICIES)),
        ),
    )
    if viewer.role is Role.WINDOW:
        if not viewer.hall_id:
            return or_(collection.in_(WINDOW_REGISTRY), reference)
        own_forms = and_(collection.in_(WINDOW_FORMS), hall_id == viewer.hall_id)
        return or_(collection.in_(WINDOW_REGISTRY), reference, own_forms)
    if viewer.role is Role.INSPECTOR:
        mine = TaskAssignment.user_id == viewer.user_id
        task_ids = select(TaskAssignment.task_id).where(mine)
        usccs = select(TaskAssignment.entity_uscc).where(mine)
        return or_(
            reference,
            and_(collection == TASKS, record_id.in_(task_ids)),
            and_(collection.in_(REGISTRY | INSPECTION_FORMS), entity_uscc.in_(usccs)),
        )
    return false()


def region_clause(column: Any, region_code: str | None) -> ColumnElement[bool]:
    """SQL: ``column`` holds a division code that ``region_code`` covers (see region_codes)."""
    # The SQL form of region_codes.region_covers: keep the two in step.
    if not region_code:
        return false()
    prefix = region_prefix(region_code)
    under: ColumnElement[bool]
    if len(prefix) == len(region_code):
        under = cast(ColumnElement[bool], column == region_code)
    else:
        under = cast(ColumnElement[bool], column.like(prefix + "%"))
    merged = merged_codes(region_code)
    if not merged:
        return under
    return or_(under, cast(ColumnElement[bool], column.in_(sorted(merged))))


def can_see(session: Session, viewer: Viewer, record: Record) -> bool:
    """Whether ``viewer`` may see ``record``: :func:`visibility_filter` on one row.

    Args:
        session: For an inspector's task assignments.
        viewer: The caller.
        record: A stored record (tombstones keep their scope columns).
    """
    collection = record.collection
    if viewer.role in (Role.ADMIN, Role.SUPERVISOR) and collection in REFERENCE:
        return True
    if collection in REFERENCE:
        return not (
            collection == Collection.POLICIES.value and record.record_id in SUPERVISOR_POLICIES
        )
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is Role.SUPERVISOR:
        return region_covers(viewer.region_code, record.region_code)
    if viewer.role is Role.WINDOW:
        if collection in WINDOW_REGISTRY:
            return True
        return (
            collection in WINDOW_FORMS
            and bool(viewer.hall_id)
            and (record.hall_id == viewer.hall_id)
        )
    if viewer.role is Role.INSPECTOR:
        tasks = viewer.tasks(session)
        if collection == TASKS:
            return record.record_id in tasks.by_id
        if collection in REGISTRY | INSPECTION_FORMS:
            return record.entity_uscc in tasks.usccs
    return False


def can_write(session: Session, viewer: Viewer, record: Record) -> bool:
    """Whether ``viewer`` may update or delete ``record`` (client forms only).

    A window user writes the forms of its hall, an inspector the inspection forms it created
    itself (``records.created_by_user``), a supervisor the forms of its region, an admin any.

    Args:
        session: For an inspector's task assignments.
        viewer: The caller.
        record: The stored record the mutation targets.
    """
    if record.collection not in CLIENT_FORMS or not can_see(session, viewer, record):
        return False
    if viewer.role is Role.WINDOW:
        return record.collection in WINDOW_FORMS
    if viewer.role is Role.INSPECTOR:
        # Seeing an earlier result (to prepare a re-inspection) is not owning it: another
        # inspector's signed result stays as its author left it.
        if record.collection not in INSPECTION_FORMS:
            return False
        if record.created_by_user == viewer.user_id:
            return True
        # The two inspectors of one task inspect together: either may complete the pair's forms.
        task_id = loads(record.data).get("task_id")
        return isinstance(task_id, str) and (
            session.get(TaskAssignment, (task_id, viewer.user_id)) is not None
        )
    return viewer.role in (Role.SUPERVISOR, Role.ADMIN)


def related_record_keys(session: Session, uscc: str) -> list[tuple[str, str]]:
    """Keys of the records an inspector gains when given a task on entity ``uscc``.

    The registry records of the entity (entity, list memberships, credit grades, licences,
    penalties, public inspection results) and its earlier inspection results, findings,
    warnings and interviews, tombstones included so a client that saw a record before also
    learns of its deletion. Pass the result to
    ``records.touch`` in the transaction that creates the assignment, so the records get
    sequence numbers after every cursor the inspector holds.

    Args:
        session: The caller's transaction.
        uscc: The entity's code as stored (``records.entity_uscc``).

    Returns:
        ``(collection, record_id)`` pairs, sorted.
    """
    stmt = (
        select(Record.collection, Record.record_id)
        .where(
            Record.entity_uscc == uscc,
            Record.collection.in_(REGISTRY | INSPECTION_FORMS),
        )
        .order_by(Record.collection, Record.record_id)
    )
    return [(c, r) for c, r in session.execute(stmt)]
