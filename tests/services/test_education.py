"""诚信教育 on a real encrypted store: sessions, check-ins, statistics, and never a precondition."""

from __future__ import annotations

import ast
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.uscc import generate_uscc
from desktop_app.reports.document import KeyValues, Paragraph, Table
from desktop_app.services.app import AppServices
from desktop_app.services.education import (
    ATTENDANCE,
    SESSIONS,
    EducationService,
    SessionDraft,
    check_id_number,
    check_phone,
)
from desktop_app.services.errors import ServiceError
from desktop_app.store.database import Store
from desktop_app.store.models import AuditRecord, Entity, FormRecord, OutboxEntry

ROOT = Path(__file__).resolve().parents[2]
CST = timezone(timedelta(hours=8))
NEW_CODE = generate_uscc("9", "1", "140403", "00000731")  # valid, not in the demo cache
ID_NUMBER = "140402199001011235"
ROOM = "潞州区政务服务中心三楼培训室"


def _clock() -> datetime:
    return datetime(2026, 11, 27, 9, 5, 31, tzinfo=CST)


def _draft(**over: object) -> SessionDraft:
    fields: dict[str, object] = {
        "title": "市场主体诚信经营第一课",
        "held_on": "2026-11-27",
        "start_time": "9:00",
        "end_time": "11:30",
        "place": ROOM,
        "facilitator": "李堃",
        "materials": ["《长治市社会信用体系建设实施方案》", " ", "信用承诺告知书样本"],
        "capacity": 30,
    }
    fields.update(over)
    return SessionDraft(**fields)  # type: ignore[arg-type]


@pytest.fixture
def education(seeded_services: AppServices) -> EducationService:
    return EducationService(seeded_services.store, "window-clerk", clock=_clock)


@pytest.fixture
def cached(seeded_services: AppServices) -> tuple[int, str, str]:
    with seeded_services.store.read() as s:
        row = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
        return row.id, row.uscc, row.name


def _outbox(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as s:
        return [
            (e.collection, e.record_id, e.op)
            for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def _actions(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))


def _stored(store: Store, collection: str, record_id: str) -> dict[str, object]:
    with store.read() as s:
        form = s.get(FormRecord, (collection, record_id))
        assert form is not None
        return dict(json.loads(form.data))


def test_a_session_is_saved_with_its_outbox_entry_and_audit_row(
    education: EducationService, seeded_services: AppServices
) -> None:
    store = seeded_services.store
    held = education.create_session(_draft())
    assert (held.title, held.held_on, held.start_time, held.end_time) == (
        "市场主体诚信经营第一课",
        date(2026, 11, 27),
        "09:00",
        "11:30",
    )
    assert held.materials == ("《长治市社会信用体系建设实施方案》", "信用承诺告知书样本")
    assert held.capacity == 30 and held.attendees == 0 and not held.synced
    assert _stored(store, SESSIONS, held.id) == {
        "title": "市场主体诚信经营第一课",
        "held_on": "2026-11-27",
        "start_time": "09:00",
        "end_time": "11:30",
        "place": ROOM,
        "facilitator": "李堃",
        "materials": ["《长治市社会信用体系建设实施方案》", "信用承诺告知书样本"],
        "capacity": 30,
    }
    assert _outbox(store) == [(SESSIONS, held.id, "create")]
    assert _actions(store)[-1] == "education.session_created"
    assert education.get(held.id) == held

    changed = education.update_session(held.id, _draft(title="诚信经营与信用修复", capacity=None))
    assert changed.title == "诚信经营与信用修复" and changed.capacity is None
    with store.read() as s:
        update = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc())).first()
    assert update is not None and update.op == "update"
    assert update.fields == {"title": "诚信经营与信用修复", "capacity": None}
    assert _actions(store)[-1] == "education.session_updated"


def test_sessions_are_listed_newest_first_and_filtered_by_month(
    education: EducationService,
) -> None:
    october = education.create_session(_draft(held_on="2026-10-09", title="十月场"))
    early = education.create_session(
        _draft(held_on=date(2026, 11, 3), start_time="14:00", end_time="16:00")
    )
    late_morning = education.create_session(_draft(held_on="2026-11-20", start_time="09:00"))
    late_afternoon = education.create_session(
        _draft(held_on="2026-11-20", start_time="14:30", end_time="16:00")
    )
    assert [s.id for s in education.sessions()] == [
        late_afternoon.id,
        late_morning.id,
        early.id,
        october.id,
    ]
    assert [s.id for s in education.sessions("2026-10")] == [october.id]
    assert education.sessions("2025-01") == []
    assert education.months() == ["2026-11", "2026-10"]
    with pytest.raises(ServiceError, match="YYYY-MM"):
        education.sessions("2026-13")


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"title": "  "}, "请填写培训主题"),
        ({"held_on": "2026/11/27"}, "培训日期"),
        ({"start_time": "9点"}, "开始时间应为“时:分”格式"),
        ({"start_time": "14:00", "end_time": "13:00"}, "结束时间（13:00）应晚于开始时间"),
        ({"capacity": 0}, "容纳人数应为正整数"),
        ({"title": "长" * 201}, "培训主题过长"),
    ],
)
def test_bad_session_input_is_a_chinese_message_and_saves_nothing(
    education: EducationService, seeded_services: AppServices, over: dict, message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        education.create_session(_draft(**over))
    assert _outbox(seeded_services.store) == []


def test_check_in_by_typed_code_takes_the_name_from_the_cache_and_masks_the_id(
    education: EducationService, seeded_services: AppServices, cached: tuple[int, str, str]
) -> None:
    _entity_id, uscc, name = cached
    held = education.create_session(_draft())
    typed = f" {uscc[:4]}-{uscc[4:10]} {uscc[10:].lower()} "  # grouped, lower case
    result = education.check_in(
        held.id, typed, "王昇", "法定代表人", "138 1234 5678", ID_NUMBER.lower()
    )
    assert result.warnings == ()
    person = result.attendee
    assert (person.uscc, person.entity_name, person.role) == (uscc, name, "法定代表人")
    assert person.id_number == "140402********1235"
    assert person.phone == "13812345678"
    assert person.checked_in_at == "2026-11-27T09:05:31+08:00"
    stored = _stored(seeded_services.store, ATTENDANCE, person.id)
    assert stored == {
        "session_id": held.id,
        "uscc": uscc,
        "entity_name": name,
        "attendee_name": "王昇",
        "role": "法定代表人",
        "phone": "13812345678",
        "id_number": "140402********1235",
        "checked_in_at": "2026-11-27T09:05:31+08:00",
    }
    # The full number never reaches the store, the outbox or the audit log.
    with seeded_services.store.read() as s:
        everything = json.dumps(
            [e.fields for e in s.scalars(select(OutboxEntry))]
            + [a.details for a in s.scalars(select(AuditRecord))],
            ensure_ascii=False,
        )
    assert ID_NUMBER not in everything
    # The session's create is queued before the attendance that needs it on the platform.
    assert _outbox(seeded_services.store) == [
        (SESSIONS, held.id, "create"),
        (ATTENDANCE, person.id, "create"),
    ]
    assert _actions(seeded_services.store)[-1] == "education.checked_in"
    assert education.get(held.id).attendees == 1
    assert education.attendees(held.id) == [person]


def test_a_profile_may_keep_full_identity_numbers(
    seeded_services: AppServices, cached: tuple[int, str, str]
) -> None:
    keeper = EducationService(seeded_services.store, "clerk", keep_full_id=True, clock=_clock)
    held = keeper.create_session(_draft())
    person = keeper.check_in(held.id, cached[1], "赵玥", id_number=ID_NUMBER).attendee
    assert person.id_number == ID_NUMBER


def test_a_scanned_licence_qr_text_is_read(
    education: EducationService, cached: tuple[int, str, str]
) -> None:
    _entity_id, uscc, name = cached
    held = education.create_session(_draft())
    scanned = f"https://www.gsxt.gov.cn/index.html?uniscid={uscc}&entname=x&regno=123456789012345"
    person = education.check_in(held.id, scanned, "孙镕", "经办人").attendee
    assert (person.uscc, person.entity_name) == (uscc, name)


def test_an_entity_not_in_the_cache_checks_in_with_a_warning(
    education: EducationService,
) -> None:
    held = education.create_session(_draft())
    result = education.check_in(held.id, NEW_CODE, "周赟", entity_name="长治市新设商贸有限公司")
    assert result.attendee.uscc == NEW_CODE
    assert result.attendee.entity_name == "长治市新设商贸有限公司"
    assert any("本地主体库中没有该代码" in w for w in result.warnings)
    hint = education.identify(NEW_CODE)
    assert not hint.in_cache and hint.entity_name == ""
    # An entity not registered at all yet comes by name only.
    unregistered = education.check_in(held.id, "", "吴喆", entity_name="拟设立的某某餐饮店")
    assert unregistered.attendee.uscc == "" and any(
        "未填写统一社会信用代码" in w for w in unregistered.warnings
    )


def test_an_invalid_code_is_refused_with_the_checks_message(
    education: EducationService, seeded_services: AppServices
) -> None:
    held = education.create_session(_draft())
    wrong_check = NEW_CODE[:17] + ("0" if NEW_CODE[17] != "0" else "1")
    with pytest.raises(ServiceError, match="第18位校验码应为") as refused:
        education.check_in(held.id, wrong_check, "王昇")
    assert "统一社会信用代码有误" in str(refused.value)
    with pytest.raises(ServiceError, match="长度应为18位"):
        education.check_in(held.id, "91140403", "王昇")
    with pytest.raises(ServiceError, match="请输入统一社会信用代码或扫描营业执照二维码"):
        education.check_in(held.id, "  ", "王昇")
    assert _outbox(seeded_services.store) == [(SESSIONS, held.id, "create")]


def test_a_recorded_override_lets_a_check_digit_only_code_through(
    education: EducationService, seeded_services: AppServices
) -> None:
    held = education.create_session(_draft())
    wrong_check = NEW_CODE[:17] + ("0" if NEW_CODE[17] != "0" else "1")
    seeded_services.lookup.record_uscc_override(wrong_check, "已与营业执照原件核对一致")
    result = education.check_in(held.id, wrong_check, "王昇", entity_name="试点企业")
    stored = _stored(seeded_services.store, ATTENDANCE, result.attendee.id)
    assert stored["uscc"] == wrong_check
    assert stored["uscc_override_reason"] == "已与营业执照原件核对一致"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attendee_name": " "}, "请填写参训人姓名"),
        ({"role": "董事长"}, "请选择参训人身份"),
        ({"phone": "12345"}, "联系电话“12345”格式不正确"),
        ({"id_number": "14040219900101123"}, "身份证号码应为18位"),
        ({"id_number": "140402199013011235"}, "出生日期"),
        ({"id_number": "140402199001011234"}, "校验位不符（第18位应为“5”）"),
    ],
)
def test_bad_attendee_input_is_refused(
    education: EducationService,
    seeded_services: AppServices,
    cached: tuple[int, str, str],
    kwargs: dict,
    message: str,
) -> None:
    held = education.create_session(_draft())
    audit_rows = len(_actions(seeded_services.store))
    args = {"attendee_name": "王昇", **kwargs}
    with pytest.raises(ServiceError, match=message):
        education.check_in(held.id, cached[1], **args)
    assert education.attendees(held.id) == []
    assert len(_actions(seeded_services.store)) == audit_rows


def test_phone_and_identity_number_rules() -> None:
    assert check_phone("+86 139-0355-1234") == "13903551234"
    assert check_phone("0355-2021234") == "03552021234"
    assert check_phone("") == ""
    assert check_id_number("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ServiceError):
        check_phone("1381234567")


def test_the_same_person_twice_in_a_session_is_refused(
    education: EducationService, seeded_services: AppServices, cached: tuple[int, str, str]
) -> None:
    held = education.create_session(_draft())
    education.check_in(held.id, cached[1], "王昇", "经办人")
    queued = len(_outbox(seeded_services.store))
    with pytest.raises(ServiceError, match=r"王昇（.+）已于09:05在本场签到，无需重复签到"):
        education.check_in(held.id, cached[1], "王昇", "股东")
    assert len(_outbox(seeded_services.store)) == queued
    # Same name at another entity is another person; so is the same person at another session.
    education.check_in(held.id, NEW_CODE, "王昇", entity_name="另一家公司")
    other = education.create_session(_draft(held_on="2026-12-01"))
    education.check_in(other.id, cached[1], "王昇")
    # With identity numbers, the number decides.
    education.check_in(held.id, cached[1], "李玥", id_number=ID_NUMBER)
    with pytest.raises(ServiceError, match="无需重复签到"):
        education.check_in(held.id, NEW_CODE, "李玥", id_number=ID_NUMBER)
    assert education.get(held.id).attendees == 3


def test_capacity_is_kept(education: EducationService, cached: tuple[int, str, str]) -> None:
    held = education.create_session(_draft(capacity=1))
    education.check_in(held.id, cached[1], "王昇")
    with pytest.raises(ServiceError, match="本场培训已达容纳人数（1人）"):
        education.check_in(held.id, NEW_CODE, "周赟", entity_name="新设公司")
    bigger = education.update_session(held.id, _draft(capacity=2))
    assert bigger.capacity == 2
    education.check_in(held.id, NEW_CODE, "周赟", entity_name="新设公司")
    with pytest.raises(ServiceError, match="容纳人数不能少于2人"):
        education.update_session(held.id, _draft(capacity=1))


def test_a_session_with_attendees_cannot_be_deleted(
    education: EducationService, seeded_services: AppServices, cached: tuple[int, str, str]
) -> None:
    held = education.create_session(_draft())
    person = education.check_in(held.id, cached[1], "王昇").attendee
    with pytest.raises(ServiceError, match="本场培训已有1人签到，不能删除"):
        education.delete_session(held.id)
    education.remove_attendee(person.id)
    assert education.attendees(held.id) == []
    education.delete_session(held.id)
    assert education.sessions() == []
    with pytest.raises(ServiceError, match="找不到该培训场次"):
        education.get(held.id)
    with pytest.raises(ServiceError, match="找不到该培训场次"):
        education.check_in(held.id, cached[1], "王昇")
    assert _actions(seeded_services.store)[-2:] == [
        "education.attendee_removed",
        "education.session_deleted",
    ]
    assert [op for _c, _r, op in _outbox(seeded_services.store)] == [
        "create",
        "create",
        "delete",
        "delete",
    ]


def test_statistics_by_month_and_place(
    education: EducationService, seeded_services: AppServices
) -> None:
    with seeded_services.store.read() as s:
        codes = list(s.scalars(select(Entity.uscc).order_by(Entity.id).limit(3)))
    other_room = "上党区政务服务中心一楼会议室"
    a = education.create_session(_draft(held_on="2026-03-05"))
    b = education.create_session(_draft(held_on="2026-03-19", place=other_room))
    c = education.create_session(_draft(held_on="2026-11-02"))
    education.create_session(_draft(held_on="2025-03-05"))  # another year
    education.check_in(a.id, codes[0], "王昇")
    education.check_in(a.id, codes[0], "李玥")  # same entity, second person
    education.check_in(b.id, codes[1], "赵堃")
    education.check_in(c.id, codes[2], "孙镕")
    education.check_in(c.id, "", "吴喆", entity_name="拟设立的某某餐饮店")
    stats = education.stats(2026)
    assert (stats.sessions, stats.attendees, stats.entities) == (3, 5, 4)
    march, november = stats.months[2], stats.months[10]
    assert (march.month, march.sessions, march.attendees, march.entities) == (3, 2, 3, 2)
    assert (november.sessions, november.attendees, november.entities) == (1, 2, 2)
    assert sum(m.sessions for m in stats.months) == 3 and len(stats.months) == 12
    by_place = {p.place: (p.sessions, p.attendees, p.entities) for p in stats.places}
    assert by_place == {ROOM: (2, 4, 3), other_room: (1, 1, 1)}
    assert education.stats(2024).sessions == 0


def test_printed_forms_come_from_the_stored_fields(
    education: EducationService, seeded_services: AppServices, cached: tuple[int, str, str]
) -> None:
    held = education.create_session(_draft())
    person = education.check_in(held.id, cached[1], "王昇", phone="13812345678").attendee
    sheet = education.attendance_sheet(held.id, hall="长治市潞州区政务服务中心")
    table = next(b for sec in sheet.sections for b in sec.blocks if isinstance(b, Table))
    assert table.rows[0][:7] == (
        "1",
        cached[2],
        cached[1],
        "王昇",
        "经办人",
        "138****5678",
        "09:05",
    )
    assert table.rows[0][7] == ""  # the signature is handwritten
    before = len(_actions(seeded_services.store))
    with pytest.raises(ServiceError, match="请填写出具单位"):
        education.certificate(person.id, " ")
    certificate = education.certificate(person.id, "长治市潞州区政务服务中心")
    assert _actions(seeded_services.store)[before:] == ["education.certificate_printed"]
    texts = " ".join(
        b.text for sec in certificate.sections for b in sec.blocks if isinstance(b, Paragraph)
    )
    assert "免费" in texts and "不作为" in texts and "前置条件" in texts
    facts = dict(
        next(b for sec in certificate.sections for b in sec.blocks if isinstance(b, KeyValues)).rows
    )
    assert facts["参训人"] == "王昇" and facts["统一社会信用代码"] == cached[1]


def test_app_services_offer_education(seeded_services: AppServices) -> None:
    assert isinstance(seeded_services.education, EducationService)


# -- attendance is never a precondition of market entry --------------------------------

# education.py runs the sessions; reports.py prints attendance on the credit report through
# entity_records.py (the one reader of an entity's records); forms.py is the generic form store.
ALLOWED_READERS = {"education.py", "reports.py", "forms.py", "entity_records.py"}
EDUCATION_NAMES = {ATTENDANCE, SESSIONS, "ATTENDANCE", "EDUCATION_SESSIONS"}


def _mentions(path: Path) -> list[str]:
    """Where a module names the education collections in code (not in docstrings)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            if isinstance(node.value, str) and node.value in EDUCATION_NAMES:
                found.append(f"{path.name}:{node.lineno} {node.value!r}")
        elif isinstance(node, ast.Attribute) and node.attr in EDUCATION_NAMES:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in EDUCATION_NAMES:
            found.append(f"{path.name}:{node.lineno} {node.id}")
        elif isinstance(node, ast.alias) and node.name in EDUCATION_NAMES:
            found.append(f"{path.name}:{node.lineno} imports {node.name}")
        elif isinstance(node, ast.ImportFrom) and node.module == "desktop_app.services.education":
            found.append(f"{path.name}:{node.lineno} imports education")
    return found


def test_no_workflow_but_education_and_the_credit_report_reads_attendance() -> None:
    modules = sorted((ROOT / "desktop_app" / "services").glob("*.py")) + sorted(
        (ROOT / "desktop_app" / "domain").glob("*.py")
    )
    assert len(modules) > 10
    readers = {
        path.name: hits
        for path in modules
        if (hits := _mentions(path)) and path.name not in ALLOWED_READERS
    }
    # app.py only wires the service in; it reads nothing.
    assert set(readers) <= {"app.py"}, readers
    assert readers.get("app.py", []) == [] or all(
        "imports education" in hit for hit in readers["app.py"]
    ), readers
    # The scanner does find what it is looking for.
    assert _mentions(ROOT / "desktop_app" / "services" / "education.py")


def test_the_scanner_sees_a_collection_named_in_code(tmp_path: Path) -> None:
    probe = tmp_path / "licences.py"
    probe.write_text('"""Mentions attendance in prose only."""\nSEEN = "attendance"\n')
    assert _mentions(probe) == ["licences.py:2 'attendance'"]


def test_lookup_and_card_are_the_same_with_or_without_attendance(
    education: EducationService, seeded_services: AppServices
) -> None:
    with seeded_services.store.read() as s:
        rows = list(s.scalars(select(Entity).order_by(Entity.id).limit(2)))
        attended, absent = [(r.id, r.uscc, r.name) for r in rows]
    lookup = seeded_services.lookup

    def seen(entity: tuple[int, str, str]) -> tuple[object, ...]:
        entity_id, uscc, name = entity
        by_code = lookup.lookup(uscc)
        by_name = lookup.lookup(name)
        card = lookup.card(entity_id, purpose="市场准入")
        return (by_code, entity_id in by_name.ids, lookup.rows([entity_id]), card)

    before = seen(attended), seen(absent)
    held = education.create_session(_draft())
    education.check_in(held.id, attended[1], "王昇", "法定代表人")
    with seeded_services.store.read() as s:
        assert s.scalar(select(func.count()).select_from(FormRecord)) == 2
    after = seen(attended), seen(absent)
    assert after == before
    # An entity that attended and one that did not are treated alike, field for field,
    # apart from who they are.
    card_attended, card_absent = after[0][3], after[1][3]
    same_shape = {
        name: type(getattr(card_attended, name))
        for name in card_attended.__dataclass_fields__  # type: ignore[attr-defined]
    }
    assert same_shape == {
        name: type(getattr(card_absent, name))
        for name in card_absent.__dataclass_fields__  # type: ignore[attr-defined]
    }
    assert after[0][0].kind == after[1][0].kind == "uscc"
