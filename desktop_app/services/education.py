"""诚信教育: free integrity-education sessions at the service window, and who attended them.

Sessions are ``education_sessions`` forms and each attendee is one ``attendance`` form
(one record per person per session); both are client forms pushed by the outbox, so a session
and its check-ins made offline reach the platform in the order they were made (the platform
requires an attendance's session to exist in the same hall, and the session's create is
always queued first).

Attending is voluntary and free. Nothing outside this module, the credit report (which lists
attendance) and the generic form store reads these collections, so no licence or commitment
workflow can ever depend on it (``tests/services/test_education.py`` proves it).

Identity numbers are validated and stored masked (``140402********123X``) unless the profile
keeps them in full; phone numbers are stored as typed but printed masked.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import person_id, records
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.clock import CHINA_TZ
from desktop_app.reports.document import Document
from desktop_app.reports.education import (
    build_attendance_certificate,
    build_attendance_sheet,
    mask_id_number,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import FormRecord, UsccOverride

SESSIONS = "education_sessions"
ATTENDANCE = "attendance"
ROLES = ("法定代表人", "股东", "财务负责人", "经办人", "其他")
"""身份 of an attendee within their entity."""
DEFAULT_ROLE = "经办人"
MAX_TEXT = 200
MAX_MATERIALS = 50
NO_PLACE = "（未填写地点）"

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}-?[0-9]{7,8}")
_PHONE_NOISE = str.maketrans("", "", " -()（）\u3000")
_LOCAL_ONLY = frozenset({"id", "synced", "attendees", "hall_id"})  # not form fields

__all__ = [
    "DEFAULT_ROLE",
    "ROLES",
    "Attendee",
    "CheckInResult",
    "CodeHint",
    "EducationService",
    "EducationSession",
    "EducationStats",
    "MonthStats",
    "PlaceStats",
    "SessionDraft",
    "check_id_number",
    "check_phone",
]


@dataclass(frozen=True)
class SessionDraft:
    """What the clerk typed for a session (new or changed).

    Attributes:
        title: 培训主题 (required).
        held_on: 培训日期 (a date or ``YYYY-MM-DD``; required).
        start_time: Start, ``HH:MM``; empty when not fixed.
        end_time: End, ``HH:MM``; empty when not fixed.
        place: 培训地点, a hall room (e.g. 潞州区政务服务中心三楼培训室).
        facilitator: 主讲人.
        materials: 培训材料, one text each.
        capacity: 容纳人数; None for no limit.
    """

    title: str
    held_on: date | str
    start_time: str = ""
    end_time: str = ""
    place: str = ""
    facilitator: str = ""
    materials: Sequence[str] = ()
    capacity: int | None = None


@dataclass(frozen=True)
class EducationSession:
    """一场诚信教育 (an integrity-education session) as the window sees it."""

    id: str
    title: str
    held_on: date
    start_time: str
    end_time: str
    place: str
    facilitator: str
    materials: tuple[str, ...]
    capacity: int | None
    attendees: int
    synced: bool
    hall_id: str = ""

    def fields(self) -> dict[str, Any]:
        """The form fields (for the printed forms)."""
        fields = {k: v for k, v in asdict(self).items() if k not in _LOCAL_ONLY}
        return fields | {"held_on": self.held_on.isoformat(), "materials": list(self.materials)}


@dataclass(frozen=True)
class Attendee:
    """One person's check-in at one session (签到)."""

    id: str
    session_id: str
    uscc: str
    entity_name: str
    attendee_name: str
    role: str
    phone: str
    id_number: str
    checked_in_at: str
    synced: bool

    def fields(self) -> dict[str, Any]:
        """The form fields (for the printed forms)."""
        return {k: v for k, v in asdict(self).items() if k not in _LOCAL_ONLY}


@dataclass(frozen=True)
class CodeHint:
    """Which entity a typed or scanned code names.

    Attributes:
        uscc: The normalized code.
        entity_name: Its name from the local cache; empty when not cached.
        in_cache: Whether the local registry cache knows it.
        warnings: Non-blocking notes (not cached yet, organisation-code check, override).
        override_reason: The recorded reason when the code fails only its check digit.
    """

    uscc: str
    entity_name: str
    in_cache: bool
    warnings: tuple[str, ...] = ()
    override_reason: str = ""


@dataclass(frozen=True)
class CheckInResult:
    """A saved check-in and what the clerk should know about it."""

    attendee: Attendee
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthStats:
    """One month of a year: sessions held, people checked in, distinct entities."""

    month: int
    sessions: int
    attendees: int
    entities: int


@dataclass(frozen=True)
class PlaceStats:
    """One place (hall room) over a year."""

    place: str
    sessions: int
    attendees: int
    entities: int


@dataclass(frozen=True)
class EducationStats:
    """统计: a year by month and by place, and its totals."""

    year: int
    months: tuple[MonthStats, ...]
    places: tuple[PlaceStats, ...]
    sessions: int
    attendees: int
    entities: int


def _clean(value: Any, label: str, *, required: bool = False) -> str:
    text = "" if value is None else " ".join(str(value).split())
    if required and not text:
        raise ServiceError.of("education.field_missing", label=label)
    if len(text) > MAX_TEXT:
        raise ServiceError.of(
            "education.field_too_long", label=label, length=len(text), most=MAX_TEXT
        )
    return text


def _time(value: str, label: str) -> str:
    text = (value or "").strip().replace("：", ":")
    if not text:
        return ""
    found = _TIME.fullmatch(text)
    if found is None:
        raise ServiceError.of("education.time_invalid", label=label)
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError.of("education.date_invalid") from None


def _session_fields(draft: SessionDraft) -> dict[str, Any]:
    start = _time(draft.start_time, "开始时间")
    end = _time(draft.end_time, "结束时间")
    if start and end and end <= start:
        raise ServiceError.of("education.end_before_start", end=end, start=start)
    materials = [m for m in (_clean(x, "培训材料名称") for x in draft.materials) if m]
    if len(materials) > MAX_MATERIALS:
        raise ServiceError.of("education.too_many_materials", most=MAX_MATERIALS)
    capacity = draft.capacity
    if capacity is not None and (isinstance(capacity, bool) or capacity < 1):
        raise ServiceError.of("education.capacity_invalid")
    return {
        "title": _clean(draft.title, "培训主题", required=True),
        "held_on": _day(draft.held_on).isoformat(),
        "start_time": start,
        "end_time": end,
        "place": _clean(draft.place, "培训地点"),
        "facilitator": _clean(draft.facilitator, "主讲人"),
        "materials": materials,
        "capacity": capacity,
    }


def check_phone(text: str) -> str:
    """A mainland mobile (11 digits) or landline number, normalized; empty stays empty.

    Raises:
        ServiceError: It is neither.
    """
    phone = (text or "").translate(_PHONE_NOISE)
    phone = phone.removeprefix("+86").removeprefix("0086")
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):
        return phone
    if _LANDLINE.fullmatch(phone):
        return phone.replace("-", "")
    raise ServiceError.of("education.phone_invalid", phone=text.strip())


def check_id_number(text: str) -> str:
    """An 18-character resident identity number with a valid birth date and check digit.

    The rule is :func:`desktop_app.domain.person_id.check_id_number` (GB 11643-1999).

    Raises:
        ServiceError: Length, characters, birth date or check digit are wrong.
    """
    try:
        return person_id.check_id_number(text or "")
    except person_id.PersonIdError as err:
        if err.kind == "length":
            raise ServiceError.of("education.id_length", length=err.length) from None
        if err.kind == "birth_date":
            raise ServiceError.of("education.id_birth_date") from None
        raise ServiceError.of("education.id_check_digit", expected=err.expected) from None


def _same_person(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if str(a.get("attendee_name", "")) != str(b.get("attendee_name", "")):
        return False
    ids = str(a.get("id_number") or ""), str(b.get("id_number") or "")
    if all(ids):
        return mask_id_number(ids[0]) == mask_id_number(ids[1])
    # Without identity numbers, a person is a name within an entity (two 王伟 of two
    # companies are two people; the same 王伟 of one company twice is a duplicate).
    entity_a = a.get("uscc") or a.get("entity_name") or ""
    entity_b = b.get("uscc") or b.get("entity_name") or ""
    return bool(entity_a == entity_b)


def _entity_key(fields: dict[str, Any]) -> str:
    person = records.Attendance.read(fields)
    return person.uscc or person.entity_name


class EducationService:
    """Sessions, check-ins, printed forms and statistics of 诚信教育 on one store.

    Args:
        store: The unlocked store.
        actor: Who uses the app (audit log).
        keep_full_id: Store identity numbers in full (a profile setting); masked otherwise.
        clock: The local time of a check-in (tests pass a fixed clock).
    """

    def __init__(
        self,
        store: Store,
        actor: str,
        keep_full_id: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self.actor = actor
        self.keep_full_id = keep_full_id
        self._clock = clock or (lambda: datetime.now(CHINA_TZ))

    # -- sessions -----------------------------------------------------------------------

    def create_session(self, draft: SessionDraft) -> EducationSession:
        """Save a new session and queue it for the platform (one transaction, audited).

        Raises:
            ServiceError: A field is missing or wrong; nothing was saved.
        """
        fields = _session_fields(draft)
        with self._store.write() as s:
            record_id = LocalForms(s).create(SESSIONS, fields)
            audit.append(
                s,
                actor=self.actor,
                action="education.session_created",
                subject_type=SESSIONS,
                subject_id=record_id,
                details={"title": fields["title"], "held_on": fields["held_on"]},
            )
            return self._session(s, record_id)

    def update_session(self, session_id: str, draft: SessionDraft) -> EducationSession:
        """Change a session; only the fields that differ are queued.

        Raises:
            ServiceError: The session is gone, a field is wrong, or the new capacity is
                below the number already checked in.
        """
        fields = _session_fields(draft)
        with self._store.write() as s:
            forms = LocalForms(s)
            current = forms.require(SESSIONS, session_id, "培训场次")
            changes = {k: v for k, v in fields.items() if current.get(k) != v}
            count = self._count(s, session_id)
            capacity = fields["capacity"]
            if "capacity" in changes and capacity is not None and capacity < count:
                raise ServiceError.of("education.capacity_below_checked_in", count=count)
            if changes:
                forms.update(SESSIONS, session_id, changes)
                audit.append(
                    s,
                    actor=self.actor,
                    action="education.session_updated",
                    subject_type=SESSIONS,
                    subject_id=session_id,
                    details={"fields": sorted(changes)},
                )
            return self._session(s, session_id)

    def delete_session(self, session_id: str) -> None:
        """Delete a session nobody has checked in to.

        Raises:
            ServiceError: The session is gone, or someone has checked in.
        """
        with self._store.write() as s:
            forms = LocalForms(s)
            current = forms.require(SESSIONS, session_id, "培训场次")
            count = self._count(s, session_id)
            if count:
                raise ServiceError.of("education.session_has_attendees", count=count)
            forms.delete(SESSIONS, session_id)
            audit.append(
                s,
                actor=self.actor,
                action="education.session_deleted",
                subject_type=SESSIONS,
                subject_id=session_id,
                details={"title": current.get("title", ""), "held_on": current.get("held_on", "")},
            )

    def get(self, session_id: str) -> EducationSession:
        """One session.

        Raises:
            ServiceError: It does not exist (or was deleted).
        """
        with self._store.read() as s:
            return self._session(s, session_id)

    def sessions(self, month: str = "") -> list[EducationSession]:
        """Sessions newest first, optionally of one month (``YYYY-MM``).

        Raises:
            ServiceError: ``month`` is not ``YYYY-MM``.
        """
        month = month.strip()
        if month and _MONTH.fullmatch(month) is None:
            raise ServiceError.of("education.month_invalid")
        with self._store.read() as s:
            counts = self._counts(s)
            found = (
                self._to_session(rid, data, dirty, counts.get(rid, 0))
                for rid, data, dirty in self._rows(s, SESSIONS)
                if not month or str(data.get("held_on", "")).startswith(month + "-")
            )
            rows = [r for r in found if r is not None]
        return sorted(rows, key=lambda r: (r.held_on, r.start_time, r.id), reverse=True)

    def months(self) -> list[str]:
        """The months (``YYYY-MM``) that have sessions, newest first."""
        with self._store.read() as s:
            held = {str(data.get("held_on", ""))[:7] for _rid, data, _d in self._rows(s, SESSIONS)}
        return sorted((m for m in held if _MONTH.fullmatch(m)), reverse=True)

    # -- attendees ----------------------------------------------------------------------

    def identify(self, text: str) -> CodeHint:
        """The code in a typed code or a scanned licence QR text, and its cached entity.

        Raises:
            ServiceError: No code, or a code that fails its checks (the check's message).
        """
        with self._store.read() as s:
            return self._identify(s, text)

    def attendees(self, session_id: str) -> list[Attendee]:
        """The attendees of one session in check-in order."""
        with self._store.read() as s:
            rows = [
                self._to_attendee(rid, data, dirty)
                for rid, data, dirty in self._rows(s, ATTENDANCE, session_id)
            ]
        return sorted(rows, key=lambda a: (a.checked_in_at, a.id))

    def check_in(
        self,
        session_id: str,
        text: str,
        attendee_name: str,
        role: str = DEFAULT_ROLE,
        phone: str = "",
        id_number: str = "",
        entity_name: str = "",
    ) -> CheckInResult:
        """Record that a person attended a session (签到), in one audited transaction.

        Args:
            session_id: The session.
            text: A typed 统一社会信用代码 or the text of a scanned business-licence QR code.
                May be empty for an entity not registered yet, when ``entity_name`` is given.
            attendee_name: 参训人 (required).
            role: One of :data:`ROLES`.
            phone: Optional mainland phone number.
            id_number: Optional resident identity number; stored masked unless the service
                keeps full numbers.
            entity_name: The entity's name when the cache does not know it (a new entrant);
                the cached name wins otherwise.

        Returns:
            The saved attendee, with warnings (e.g. the entity is not in the local cache).

        Raises:
            ServiceError: Nothing was saved: a field is wrong, the session is gone or full,
                or the person has already checked in to it.
        """
        name = _clean(attendee_name, "参训人姓名", required=True)
        if role not in ROLES:
            raise ServiceError.of("education.role_missing", roles="、".join(ROLES))
        phone = check_phone(phone)
        identity = check_id_number(id_number) if (id_number or "").strip() else ""
        if identity and not self.keep_full_id:
            identity = mask_id_number(identity)
        typed_entity = _clean(entity_name, "主体名称")
        with self._store.write() as s:
            forms = LocalForms(s)
            session = forms.require(SESSIONS, session_id, "培训场次")
            warnings: list[str] = []
            fields: dict[str, Any] = {"session_id": session_id}
            if (text or "").strip():
                hint = self._identify(s, text)
                warnings += hint.warnings
                fields["uscc"] = hint.uscc
                if hint.override_reason:
                    fields["uscc_override_reason"] = hint.override_reason
                fields["entity_name"] = hint.entity_name or typed_entity
            elif typed_entity:
                fields["entity_name"] = typed_entity
                warnings.append(
                    "未填写统一社会信用代码：已按主体名称登记（适用于尚未办结登记的主体）。"
                )
            else:
                raise ServiceError.of("education.entity_missing")
            fields |= {
                "attendee_name": name,
                "role": role,
                "phone": phone,
                "id_number": identity,
                "checked_in_at": self._clock().isoformat(timespec="seconds"),
            }
            present = [data for _rid, data, _d in self._rows(s, ATTENDANCE, session_id)]
            for other in present:
                if _same_person(fields, other):
                    at = str(other.get("checked_in_at", ""))[11:16]
                    raise ServiceError.of(
                        "education.already_checked_in",
                        name=name,
                        entity=other.get("entity_name") or "未登记主体",
                        at=at,
                    )
            capacity = session.get("capacity")
            if isinstance(capacity, int) and len(present) >= capacity:
                raise ServiceError.of("education.session_full", capacity=capacity)
            record_id = forms.create(ATTENDANCE, fields)
            audit.append(
                s,
                actor=self.actor,
                action="education.checked_in",
                subject_type=ATTENDANCE,
                subject_id=record_id,
                details={
                    "session_id": session_id,
                    "uscc": records.Attendance.read(fields).uscc,
                    "attendee_name": name,
                },
            )
        attendee = self._to_attendee(record_id, fields, True)
        return CheckInResult(attendee, tuple(warnings))

    def remove_attendee(self, attendance_id: str) -> None:
        """Undo a mistaken check-in (audited).

        Raises:
            ServiceError: The check-in does not exist.
        """
        with self._store.write() as s:
            forms = LocalForms(s)
            current = forms.require(ATTENDANCE, attendance_id, "签到记录")
            forms.delete(ATTENDANCE, attendance_id)
            audit.append(
                s,
                actor=self.actor,
                action="education.attendee_removed",
                subject_type=ATTENDANCE,
                subject_id=attendance_id,
                details={
                    "session_id": current.get("session_id", ""),
                    "attendee_name": current.get("attendee_name", ""),
                },
            )

    # -- printed forms ------------------------------------------------------------------

    def attendance_sheet(self, session_id: str, hall: str = "") -> Document:
        """The 签到表 of a session, ready to render.

        Raises:
            ServiceError: The session does not exist.
        """
        session = self.get(session_id)
        attendees = self.attendees(session_id)
        return build_attendance_sheet(
            session.fields(),
            [a.fields() for a in attendees],
            session_id=session_id,
            hall=hall,
            printed_at=self._clock(),
        )

    def certificate(self, attendance_id: str, issuing_unit: str) -> Document:
        """The 参训证明 of one attendee; issuing it is audited.

        Raises:
            ServiceError: The check-in or its session does not exist, or no issuing unit.
        """
        unit = _clean(issuing_unit, "出具单位", required=True)
        with self._store.write() as s:
            forms = LocalForms(s)
            attendee = forms.require(ATTENDANCE, attendance_id, "签到记录")
            session = self._session(s, str(attendee.get("session_id", "")))
            audit.append(
                s,
                actor=self.actor,
                action="education.certificate_printed",
                subject_type=ATTENDANCE,
                subject_id=attendance_id,
                details={"issuing_unit": unit},
            )
        return build_attendance_certificate(
            session.fields(),
            attendee,
            attendance_id=attendance_id,
            issuing_unit=unit,
            issued_on=self._clock().date(),
        )

    # -- statistics ---------------------------------------------------------------------

    def stats(self, year: int) -> EducationStats:
        """Sessions, attendees and distinct entities of ``year`` by month and by place."""
        prefix = f"{year:04d}-"
        with self._store.read() as s:
            held = {
                rid: data
                for rid, data, _d in self._rows(s, SESSIONS)
                if str(data.get("held_on", "")).startswith(prefix)
            }
            people = [
                data
                for _rid, data, _d in self._rows(s, ATTENDANCE)
                if str(data.get("session_id", "")) in held
            ]
        by_month: dict[int, list[Any]] = defaultdict(lambda: [0, 0, set()])
        by_place: dict[str, list[Any]] = defaultdict(lambda: [0, 0, set()])
        for data in held.values():
            by_month[int(str(data["held_on"])[5:7])][0] += 1
            by_place[str(data.get("place") or NO_PLACE)][0] += 1
        for person in people:
            session = held[str(person["session_id"])]
            key = _entity_key(person)
            for bucket in (
                by_month[int(str(session["held_on"])[5:7])],
                by_place[str(session.get("place") or NO_PLACE)],
            ):
                bucket[1] += 1
                if key:
                    bucket[2].add(key)
        months = tuple(MonthStats(m, *_counts_of(by_month[m])) for m in range(1, 13))
        places = tuple(
            PlaceStats(place, *_counts_of(by_place[place]))
            for place in sorted(by_place, key=lambda p: (-by_place[p][1], p))
        )
        entities = {_entity_key(p) for p in people} - {""}
        return EducationStats(year, months, places, len(held), len(people), len(entities))

    # -- helpers ------------------------------------------------------------------------

    def _identify(self, s: Session, text: str) -> CodeHint:
        raw = (text or "").strip()
        if not raw:
            raise ServiceError.of("education.uscc_missing")
        code = uscc_rules.extract_uscc(raw) or uscc_rules.normalize(raw)
        check = uscc_rules.check_uscc(code)
        warnings = [w.message for w in check.warnings]
        reason = ""
        if not check.ok:
            if check.check_digit_only:
                reason = (
                    s.scalar(
                        select(UsccOverride.reason)
                        .where(UsccOverride.uscc == check.normalized)
                        .limit(1)
                    )
                    or ""
                )
            if not reason:
                hint = f"\n是否为 {check.suggestion}？" if check.suggestion else ""
                raise ServiceError.of("education.uscc_invalid", message=check.message, hint=hint)
            warnings.append(f"该代码校验位不符，已按本机登记的例外使用理由（{reason}）接受。")
        entity = EntityRepository(s).get_by_uscc(check.normalized)
        if entity is None:
            warnings.append(
                "本地主体库中没有该代码（可能是新登记的主体，或尚未同步），已照常签到；"
                "请填写或核对主体名称。"
            )
        return CodeHint(
            uscc=check.normalized,
            entity_name=entity.name if entity else "",
            in_cache=entity is not None,
            warnings=tuple(warnings),
            override_reason=reason,
        )

    @staticmethod
    def _rows(
        s: Session, collection: str, session_id: str | None = None
    ) -> Iterable[tuple[str, dict[str, Any], bool]]:
        stmt = select(FormRecord.record_id, FormRecord.data, FormRecord.dirty).where(
            FormRecord.collection == collection, FormRecord.deleted.is_(False)
        )
        if session_id is not None:
            stmt = stmt.where(func.json_extract(FormRecord.data, "$.session_id") == session_id)
        for rid, raw, dirty in s.execute(stmt):
            data = load_fields(raw)
            yield rid, data, bool(dirty)

    def _counts(self, s: Session, session_id: str | None = None) -> Counter[str]:
        key = func.json_extract(FormRecord.data, "$.session_id")
        stmt = select(key, func.count()).where(
            FormRecord.collection == ATTENDANCE, FormRecord.deleted.is_(False)
        )
        if session_id is not None:
            stmt = stmt.where(key == session_id)
        return Counter({str(sid): int(n) for sid, n in s.execute(stmt.group_by(key))})

    def _count(self, s: Session, session_id: str) -> int:
        return self._counts(s, session_id)[session_id]

    def _session(self, s: Session, session_id: str) -> EducationSession:
        form = s.get(FormRecord, (SESSIONS, session_id))
        found = (
            self._to_session(session_id, load_fields(form.data), form.dirty, 0)
            if form is not None and not form.deleted
            else None
        )
        if found is None:
            raise ServiceError.of("education.session_not_found")
        return replace(found, attendees=self._count(s, session_id))

    @staticmethod
    def _to_session(
        rid: str, data: dict[str, Any], dirty: bool, attendees: int
    ) -> EducationSession | None:
        try:
            held_on = date.fromisoformat(str(data.get("held_on", "")))
        except ValueError:
            return None  # not a session this client can show (malformed)
        capacity = data.get("capacity")
        return EducationSession(
            id=rid,
            title=str(data.get("title", "")),
            held_on=held_on,
            start_time=str(data.get("start_time") or ""),
            end_time=str(data.get("end_time") or ""),
            place=str(data.get("place") or ""),
            facilitator=str(data.get("facilitator") or ""),
            materials=tuple(str(m) for m in data.get("materials") or ()),
            capacity=capacity if isinstance(capacity, int) and capacity > 0 else None,
            attendees=attendees,
            synced=not dirty,
            hall_id=str(data.get("hall_id") or ""),
        )

    @staticmethod
    def _to_attendee(rid: str, data: dict[str, Any], dirty: bool) -> Attendee:
        return Attendee(
            id=rid,
            session_id=str(data.get("session_id", "")),
            uscc=str(data.get("uscc") or ""),
            entity_name=str(data.get("entity_name") or ""),
            attendee_name=str(data.get("attendee_name") or ""),
            role=str(data.get("role") or ""),
            phone=str(data.get("phone") or ""),
            id_number=str(data.get("id_number") or ""),
            checked_in_at=str(data.get("checked_in_at") or ""),
            synced=not dirty,
        )


def _counts_of(bucket: list[Any]) -> tuple[int, int, int]:
    return int(bucket[0]), int(bucket[1]), len(bucket[2])
