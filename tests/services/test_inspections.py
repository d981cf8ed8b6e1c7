"""现场检查 service on a real encrypted store, with tasks and checklists cached as a pull does."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.domain.commitment_catalog import CHECKLISTS, DEMO_CHECKLIST
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.domain.photos import MAX_PHOTO_BYTES
from desktop_app.reports.document import KeyValues, Paragraph, SignatureBlock, Table
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.errors import ServiceError
from desktop_app.services.inspections import (
    FindingInput,
    InspectionInput,
    InspectionService,
    ItemAnswer,
)
from desktop_app.services.registry import seed_demo_if_empty
from desktop_app.store.database import Store
from desktop_app.store.models import (
    AttachmentBlob,
    AuditRecord,
    FormRecord,
    OutboxEntry,
    ReferenceRecord,
)
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange
from tests.domain.test_photos import _qt_image, exif_segment, with_exif

FRIDAY = datetime(2025, 9, 26, 15, 0, 0)  # before the 2025 National Day holiday
ENTITIES = list(generate_entities(500, seed=7))
CODE = ENTITIES[0]["uscc"]
NAME = ENTITIES[0]["name"]
OTHER = ENTITIES[1]["uscc"]
TASK = "DR20250901-ab12cd34-0001"
TASK2 = "DR20250901-ab12cd34-0002"
FOOD = "CL-FOOD-01"
ME = "inspector.luzhou.1"
PASS, FAIL, NA = ItemResult.PASS, ItemResult.FAIL, ItemResult.NOT_APPLICABLE


class Clock:
    """A settable local clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def pull(store: Store, *changes: tuple[str, str, dict[str, Any] | None], version: int = 1) -> None:
    """Apply changes as one pull page would."""
    rows = [PulledChange(c, rid, version, fields is None, fields) for c, rid, fields in changes]
    with store.write() as s:
        apply_page(s, rows, SyncReport())


def task_fields(uscc: str = CODE, name: str = NAME, **over: Any) -> dict[str, Any]:
    return {
        "draw_id": "DR20250901-ab12cd34",
        "draw_title": "2025年第三季度食品经营抽查",
        "uscc": uscc,
        "entity_name": name,
        "inspectors": [ME, "inspector.luzhou.2"],
        "checklist_id": FOOD,
        "assigned_on": "2025-09-01",
        "due_on": "2025-09-29",
        "due_note": None,
        "status": "assigned",
        **over,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock(FRIDAY)


@pytest.fixture
def cache(seeded_services: AppServices) -> Store:
    """The seeded store with two tasks, two checklists and a credit grade pulled."""
    store = seeded_services.store
    checklists = dict(CHECKLISTS)
    pull(
        store,
        ("checklists", FOOD, checklists[FOOD]),
        ("checklists", DEMO_CHECKLIST, checklists[DEMO_CHECKLIST]),
        ("inspection_tasks", TASK, task_fields()),
        (
            "inspection_tasks",
            TASK2,
            task_fields(
                ENTITIES[1]["uscc"], ENTITIES[1]["name"], checklist_id=None, due_on="2025-09-20"
            ),
        ),
        ("credit_grades", f"cg-{CODE}", {"uscc": CODE, "grade": "C", "assessed_on": "2025-06-30"}),
    )
    return store


@pytest.fixture
def svc(cache: Store, clock: Clock) -> InspectionService:
    return InspectionService(cache, ME, clock=clock)


def answers(*results: ItemResult, notes: dict[int, str] | None = None) -> tuple[ItemAnswer, ...]:
    return tuple(ItemAnswer(i, r, (notes or {}).get(i, "")) for i, r in enumerate(results, start=1))


def clean(**over: Any) -> InspectionInput:
    base: dict[str, Any] = {
        "task_id": TASK,
        "inspected_on": date(2025, 9, 26),
        "answers": answers(PASS, PASS, PASS, NA),
        "location": "经营场所（后厨及仓库）",
        "representative_name": "王五",
        "representative_role": "店长",
    }
    return InspectionInput(**{**base, **over})


def warning(**over: Any) -> InspectionInput:
    base: dict[str, Any] = {
        "answers": answers(PASS, FAIL, PASS, FAIL, notes={4: "消毒柜未通电"}),
        "findings": (
            FindingInput("进货查验记录缺失2025年8月以后的记录", "general", 2),
            FindingInput("仓库内有过期调味品3瓶", "serious"),
        ),
        "outcome": Outcome.WARNING,
        "deadline_working_days": 5,
        "warning_content": "未建立进货查验记录，责令5个工作日内改正。",
        "conclusion": "发现问题2项，予以失信警示。",
    }
    return clean(**{**base, **over})


def forms(store: Store, collection: str) -> list[tuple[str, dict[str, Any]]]:
    with store.read() as s:
        rows = s.execute(
            select(FormRecord.record_id, FormRecord.data).where(
                FormRecord.collection == collection, FormRecord.deleted.is_(False)
            )
        )
        return [(rid, json.loads(data)) for rid, data in rows]


def outbox(store: Store) -> list[tuple[str, str, str, dict[str, Any]]]:
    with store.read() as s:
        return [
            (e.collection, e.record_id, e.op, e.fields)
            for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def counts(store: Store) -> tuple[int, int, int, int]:
    with store.read() as s:
        return (
            int(s.scalar(select(func.count()).select_from(FormRecord)) or 0),
            int(s.scalar(select(func.count()).select_from(OutboxEntry)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditRecord)) or 0),
            int(s.scalar(select(func.count()).select_from(AttachmentBlob)) or 0),
        )


def audits(store: Store) -> list[str]:
    with store.read() as s:
        rows = s.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.action.startswith("inspection."))
            .order_by(AuditRecord.id)
        )
        return list(rows)


def confirm(store: Store, collection: str, record_id: str, version: int = 1) -> None:
    """What a successful push leaves: version set, not dirty."""
    with store.write() as s:
        row = s.get(FormRecord, (collection, record_id))
        assert row is not None
        row.version, row.dirty = version, False


# --- tasks and checklists ----------------------------------------------------------------


def test_tasks_come_from_the_cache_due_first_with_entity_facts(svc: InspectionService) -> None:
    tasks = svc.tasks()
    assert [t.task_id for t in tasks] == [TASK2, TASK]  # due 20 Sep before 29 Sep
    task = svc.task(TASK)
    assert (task.uscc, task.entity_name, task.draw_title) == (
        CODE,
        NAME,
        "2025年第三季度食品经营抽查",
    )
    assert (task.assigned_on, task.due_on) == (date(2025, 9, 1), date(2025, 9, 29))
    assert task.status == "assigned" and task.result_id is None
    assert task.address == ENTITIES[0]["address"]
    assert task.legal_representative == ENTITIES[0]["legal_representative"]
    assert task.credit_grade == "C"  # the credit_grades record wins over the registry row
    assert task.history == () and task.open_rectifications == 0
    assert tasks[0].checklist_id is None


def test_the_task_lists_the_entity_lists_in_force(svc: InspectionService, cache: Store) -> None:
    listed = next(e for e in ENTITIES if e["lists"])
    pull(cache, ("inspection_tasks", "T-LISTED", task_fields(listed["uscc"], listed["name"])))
    task = svc.task("T-LISTED")
    assert {m.list_code for m in task.lists} <= {m["list"] for m in listed["lists"]}
    assert task.credit_grade == listed["credit_grade"]  # no credit_grades record: the row's


def test_checklists_are_read_from_the_cache_with_a_default(svc: InspectionService) -> None:
    food = svc.checklist(FOOD)
    assert food.title == "食品经营者日常监督检查表" and [i.no for i in food.items] == [1, 2, 3, 4]
    assert "第五十三条" in food.items[1].legal_basis
    assert svc.checklist(None).id == DEMO_CHECKLIST
    with pytest.raises(ServiceError, match="离线准备"):
        svc.checklist("CL-SE-01")
    with pytest.raises(ServiceError, match="离线准备"):
        svc.task("no-such-task")


# --- recording -----------------------------------------------------------------------------


def test_a_clean_inspection_is_one_form_one_outbox_entry_one_audit_row(
    svc: InspectionService, cache: Store
) -> None:
    before = counts(cache)
    view = svc.record(clean())
    assert counts(cache)[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert view.outcome is Outcome.NO_PROBLEM and view.outcome_label == "未发现问题"
    assert view.conclusion == "经现场检查，未发现问题。"  # the platform requires one
    assert view.deadline is None and view.warning_id is None and view.findings == ()
    assert view.published is None and not view.synced and view.publishable
    (rid, fields), = forms(cache, "inspection_results")  # fmt: skip
    assert rid == view.record_id
    assert fields["task_id"] == TASK and fields["uscc"] == CODE and fields["entity_name"] == NAME
    assert fields["inspected_on"] == "2025-09-26" and fields["checklist_id"] == FOOD
    assert fields["items"] == [
        {"no": 1, "result": "pass", "note": ""},
        {"no": 2, "result": "pass", "note": ""},
        {"no": 3, "result": "pass", "note": ""},
        {"no": 4, "result": "na", "note": ""},
    ]
    assert fields["inspector"] == ME and fields["attachments"] == [] and fields["photos"] == []
    assert outbox(cache) == [("inspection_results", rid, "create", fields)]
    assert audits(cache) == ["inspection.recorded"]
    task = svc.task(TASK)
    assert task.status == "in_progress" and task.result_id == rid


def test_a_warning_writes_result_findings_and_warning_in_one_transaction(
    svc: InspectionService, cache: Store
) -> None:
    view = svc.record(warning())
    # 5 working days after Fri 26 Sep 2025: Sun 28 (make-up), 29, 30, then 9 and 10 Oct.
    assert view.deadline == date(2025, 10, 10)
    assert view.outcome_label == "失信警示" and view.warning_id is not None
    # Reopened, the result carries what the form needs to show it again.
    again = svc.get(view.record_id)
    assert again.warning_content == "未建立进货查验记录，责令5个工作日内改正。"
    assert again.rectify_working_days == 5
    assert [(f.description[:4], f.severity, f.item_no) for f in view.findings] == [
        ("仓库内有", "serious", None),
        ("进货查验", "general", 2),
    ]
    (_rid, result), = forms(cache, "inspection_results")  # fmt: skip
    assert result["rectify_working_days"] == 5 and result["rectify_deadline"] == "2025-10-10"
    assert result["outcome"] == "warning"
    (wid, warn), = forms(cache, "warnings")  # fmt: skip
    assert wid == view.warning_id
    assert warn == {
        "task_id": TASK,
        "uscc": CODE,
        "entity_name": NAME,
        "result_id": view.record_id,
        "issued_on": "2025-09-26",
        "content": "未建立进货查验记录，责令5个工作日内改正。",
        "rectify_working_days": 5,
        "rectify_deadline": "2025-10-10",
    }
    findings = [f for _id, f in forms(cache, "findings")]
    assert len(findings) == 2 and {f["severity"] for f in findings} == {"general", "serious"}
    assert all(f["result_id"] == view.record_id and f["task_id"] == TASK for f in findings)
    assert [op for _c, _r, op, _f in outbox(cache)] == ["create"] * 4
    # The entity card at the window sees the warning at once.
    from desktop_app.services.entities import credit_check
    from desktop_app.store.entities import EntityRepository

    with cache.read() as s:
        entity = EntityRepository(s).get_by_uscc(CODE)
        assert entity is not None
        card = credit_check(s, entity, date(2025, 9, 26))
    assert [w.rectify_deadline for w in card.warnings] == ["2025-10-10"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"answers": answers(PASS, PASS)}, "第3项、第4项"),
        ({"answers": answers(PASS, FAIL, PASS, PASS), "outcome": Outcome.RECTIFY,
          "deadline_working_days": 5}, "第2项判定为不合格"),
        ({"answers": answers(PASS, PASS, PASS, PASS, PASS)}, "检查表中没有第5项"),
        ({"findings": (FindingInput("灭火器过期"),)}, "未发现问题"),
        ({"outcome": Outcome.RECTIFY, "deadline_working_days": 5}, "没有登记问题"),
        ({"answers": answers(PASS, PASS, FAIL, PASS, notes={3: "有过期食品"}),
          "outcome": Outcome.RECTIFY}, "整改期限（1至250个工作日）"),
        ({"answers": answers(PASS, PASS, FAIL, PASS, notes={3: "有过期食品"}),
          "outcome": Outcome.RECTIFY, "deadline_working_days": 251}, "1至250"),
        ({"answers": answers(PASS, PASS, FAIL, PASS, notes={3: "有过期食品"}),
          "outcome": Outcome.WARNING, "deadline_working_days": 5}, "警示内容"),
        ({"answers": answers(PASS, PASS, FAIL, PASS, notes={3: "有过期食品"}),
          "outcome": Outcome.REFERRAL, "deadline_working_days": 5}, "不设整改期限"),
        ({"inspected_on": date(2025, 9, 27)}, "不能晚于今天"),
        ({"findings": (FindingInput("  "),), "outcome": Outcome.RECTIFY}, "描述为空"),
        ({"findings": (FindingInput("x", "fatal"),), "outcome": Outcome.RECTIFY}, "严重程度"),
        ({"findings": (FindingInput("x", "minor", 9),), "outcome": Outcome.RECTIFY,
          "deadline_working_days": 3}, "第9项"),
        ({"task_id": "no-such-task"}, "同步或进行离线准备"),
    ],
)  # fmt: skip
def test_refusals_say_what_to_fix_and_save_nothing(
    svc: InspectionService, cache: Store, over: dict[str, Any], message: str
) -> None:
    before = counts(cache)
    with pytest.raises(ServiceError, match=message):
        svc.record(clean(**over))
    assert counts(cache) == before


def test_a_year_without_a_holiday_table_stops_with_a_message(
    svc: InspectionService, cache: Store, clock: Clock
) -> None:
    clock.now = datetime(2035, 3, 1, 9, 0)
    before = counts(cache)
    with pytest.raises(ServiceError, match=r"2035年的法定节假日安排.*同步.*请勿按周一至周五"):
        svc.record(warning(inspected_on=date(2035, 3, 1)))
    assert counts(cache) == before
    # With the platform's table for 2035 cached, the deadline is computed from it.
    pull(cache, ("calendar_overrides", "y2035", {"year": 2035, "complete": True}))
    view = svc.record(warning(inspected_on=date(2035, 3, 1)))  # Thursday
    assert view.deadline == date(2035, 3, 8)


def test_recording_again_updates_the_result_and_replaces_findings(
    svc: InspectionService, cache: Store
) -> None:
    first = svc.record(warning())
    kept = next(f.record_id for f in first.findings if f.item_no == 2)
    second = svc.record(
        warning(
            findings=(
                FindingInput("进货查验记录缺失2025年8月以后的记录", "general", 2),
                FindingInput("冷藏柜温度显示12℃", "minor", 3),
            ),
            answers=answers(PASS, FAIL, FAIL, FAIL, notes={4: "消毒柜未通电"}),
            deadline_working_days=10,
        )
    )
    assert second.record_id == first.record_id  # one result per task
    assert len(forms(cache, "inspection_results")) == 1
    assert {f.record_id for f in second.findings} >= {kept}  # unchanged finding kept
    assert sorted(f.description for f in second.findings) == [
        "冷藏柜温度显示12℃",
        "进货查验记录缺失2025年8月以后的记录",
    ]
    assert second.deadline == date(2025, 10, 16)  # 11 Oct is a make-up working day
    ops = [(c, op) for c, _r, op, _f in outbox(cache)]
    assert ops[4:] == [
        ("inspection_results", "update"),
        ("findings", "create"),
        ("findings", "delete"),
        ("warnings", "update"),
    ]
    update = outbox(cache)[4][3]
    assert set(update) == {"items", "rectify_working_days", "rectify_deadline"}  # changes only
    # Changing the outcome to 责令整改 drops the warning.
    third = svc.record(
        warning(outcome=Outcome.RECTIFY, warning_content="", deadline_working_days=10)
    )
    assert third.warning_id is None and forms(cache, "warnings") == []
    assert audits(cache) == ["inspection.recorded", "inspection.updated", "inspection.updated"]


def test_a_confirmed_result_changes_only_by_amendment_with_a_reason(
    svc: InspectionService, cache: Store, clock: Clock
) -> None:
    view = svc.record(warning())
    with pytest.raises(ServiceError, match="尚未提交平台"):
        svc.amend(view.record_id, warning(), "日期录入错误")
    confirm(cache, "inspection_results", view.record_id)
    assert svc.get(view.record_id).synced and svc.get(view.record_id).published is False
    assert svc.task(TASK).status == "done"
    assert [t.task_id for t in svc.tasks(include_done=False)] == [TASK2]
    with pytest.raises(ServiceError, match="更正"):
        svc.record(warning(conclusion="改一下"))
    with pytest.raises(ServiceError, match="至少5个字"):
        svc.amend(view.record_id, warning(conclusion="改一下"), "笔误")
    with pytest.raises(ServiceError, match="相同"):
        svc.amend(view.record_id, warning(), "检查日期录入错误")
    with pytest.raises(ServiceError, match="检查任务"):
        svc.amend(view.record_id, warning(task_id=TASK2), "检查日期录入错误")
    clock.now = datetime(2025, 9, 29, 9, 0)
    before = counts(cache)
    amended = svc.amend(
        view.record_id,
        warning(inspected_on=date(2025, 9, 25), conclusion="发现问题2项，予以失信警示（更正）。"),
        "检查日期录入错误，应为9月25日",
    )
    assert counts(cache)[2] == before[2] + 1  # one audit row
    assert not amended.synced and amended.inspected_on == date(2025, 9, 25)
    assert amended.deadline == date(2025, 10, 9)  # 5 working days after Thu 25 Sep
    (entry,) = amended.amendments
    assert entry["reason"] == "检查日期录入错误，应为9月25日" and entry["by"] == ME
    assert entry["at"] == "2025-09-29T09:00:00"
    assert entry["changes"]["inspected_on"] == {"from": "2025-09-26", "to": "2025-09-25"}
    assert set(entry["changes"]) == {"inspected_on", "conclusion", "rectify_deadline"}
    last = [e for e in outbox(cache) if e[0] == "inspection_results"][-1]
    assert last[2] == "update" and last[3]["amendments"] == [entry]
    (_warning_id, warn), = forms(cache, "warnings")  # fmt: skip
    assert warn["issued_on"] == "2025-09-25"
    assert audits(cache)[-1] == "inspection.amended"
    with cache.read() as s:
        row = s.scalars(select(AuditRecord).where(AuditRecord.action == "inspection.amended")).one()
        assert "检查日期录入错误" in json.dumps(row.details, ensure_ascii=False)


def test_a_reinspection_is_a_separate_result_and_closes_the_rectification(
    svc: InspectionService, cache: Store
) -> None:
    first = svc.record(warning(outcome=Outcome.RECTIFY, warning_content=""))
    assert svc.task(TASK).open_rectifications == 1
    with pytest.raises(ServiceError, match="被复查"):
        svc.record(clean(reinspection_of="no-such-result"))
    again = svc.record(clean(reinspection_of=first.record_id, conclusion="已整改到位。"))
    assert again.record_id != first.record_id and again.reinspection_of == first.record_id
    task = svc.task(TASK)
    assert task.result_id == first.record_id and task.open_rectifications == 0
    assert [p.record_id for p in task.history] == [again.record_id]
    assert [v.record_id for v in svc.for_task(TASK)] == sorted(
        [first.record_id, again.record_id], key=lambda r: (date(2025, 9, 26), r)
    )


def test_history_shows_earlier_results_and_the_public_record(
    svc: InspectionService, cache: Store
) -> None:
    pull(
        cache,
        ("inspection_results", "old-result-1", {
            "task_id": "DR2024-0007", "uscc": CODE, "inspected_on": "2024-05-10",
            "conclusion": "责令整改", "outcome": "rectify", "rectify_deadline": "2024-05-24",
            "inspector": "inspector.luzhou.3",
        }),
        ("public_inspections", "insp-x", {
            "uscc": CODE, "inspected_on": "2023-03-01", "inspection_kind": "专项检查",
            "result": "未发现问题",
        }),
        ("public_inspections", "pi-old-result-1", {
            "uscc": CODE, "inspected_on": "2024-05-10", "source": "old-result-1",
            "result": "责令整改",
        }),
    )  # fmt: skip
    task = svc.task(TASK)
    assert [(p.record_id, p.outcome_label, p.open_rectification) for p in task.history] == [
        ("old-result-1", "责令整改", True),
        ("insp-x", "专项检查", False),
    ]
    assert task.open_rectifications == 1 and task.status == "assigned"
    assert task.history[0].rectify_deadline == "2024-05-24"


def test_a_co_inspectors_result_for_the_task_marks_it_done(
    svc: InspectionService, cache: Store
) -> None:
    pull(
        cache,
        ("inspection_results", "co-result", {
            "task_id": TASK, "uscc": CODE, "inspected_on": "2025-09-25",
            "conclusion": "未发现问题", "inspector": "inspector.luzhou.2",
        }),
    )  # fmt: skip
    task = svc.task(TASK)
    assert task.status == "done" and task.result_id is None
    assert svc.for_task(TASK)[0].outcome is Outcome.NO_PROBLEM


# --- published -----------------------------------------------------------------------------


def test_published_follows_the_platform_mirror(svc: InspectionService, cache: Store) -> None:
    view = svc.record(clean())
    hidden = svc.record(clean(task_id=TASK2, answers=answers(PASS, PASS, PASS), publishable=False))
    assert svc.unpublished() == []  # not on the platform yet
    confirm(cache, "inspection_results", view.record_id)
    confirm(cache, "inspection_results", hidden.record_id)
    assert [v.record_id for v in svc.unpublished()] == [view.record_id]
    mirror = {"uscc": CODE, "inspected_on": "2025-09-26", "source": view.record_id}
    pull(cache, ("public_inspections", f"pi-{view.record_id}", mirror))
    assert svc.get(view.record_id).published is False
    pull(
        cache,
        ("public_inspections", f"pi-{view.record_id}", {**mirror, "published_on": "2025-09-30"}),
        version=2,
    )
    assert svc.get(view.record_id).published is True
    assert svc.unpublished() == []


# --- photos and scans ----------------------------------------------------------------------


def test_photos_are_checked_kept_encrypted_and_cited(svc: InspectionService, cache: Store) -> None:
    view = svc.record(clean())
    jpeg = with_exif(_qt_image("JPG"), exif_segment())
    png = _qt_image("PNG")
    result = svc.add_photos(
        view.record_id,
        [
            ("后厨.jpg", jpeg),
            ("仓库.png", png),
            ("说明.jpg", "不是图片".encode()),
            ("空.jpg", b""),
            ("后厨-副本.jpg", jpeg),
            ("巨大.jpg", b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES),
        ],
    )
    assert [p.filename for p in result.added] == ["后厨.jpg", "仓库.png"]
    assert result.added[0].captured_at == datetime(2025, 9, 26, 10, 31, 7)
    assert result.added[1].captured_at is None and result.added[1].mime_type == "image/png"
    assert len(result.errors) == 4
    assert "“说明.jpg”不是可识别的图片文件" in result.errors[0]
    assert "“空.jpg”是空文件" in result.errors[1]
    assert "与已添加的照片“后厨.jpg”内容相同" in result.errors[2]
    assert "“巨大.jpg”大小为 20.0 MB，超过 20 MB 的上限" in result.errors[3]
    got = svc.get(view.record_id)
    assert [p.sha256 for p in got.photos] == [p.sha256 for p in result.added]
    (_rid, fields), = forms(cache, "inspection_results")  # fmt: skip
    assert fields["attachments"] == [p.sha256 for p in result.added]
    assert fields["photos"][0]["captured_at"] == "2025-09-26T10:31:07"
    assert svc.photo_content(result.added[0].sha256) == jpeg
    assert jpeg not in cache.path.read_bytes()  # the database file is encrypted
    assert audits(cache).count("inspection.photo_added") == 2
    last = outbox(cache)[-1]
    assert last[2] == "update" and set(last[3]) == {"photos", "attachments"}

    scan = b"%PDF-1.7 signed record scan"
    sha = svc.attach_signed_scan(view.record_id, scan, "现场检查记录-签字.pdf", "application/pdf")
    assert svc.attach_signed_scan(view.record_id, scan, "again.pdf", "application/pdf") == sha
    got = svc.get(view.record_id)
    assert got.signed_scans == 1

    removed = svc.remove_photo(view.record_id, result.added[1].sha256)
    assert [p.filename for p in removed.photos] == ["后厨.jpg"]
    (_rid, fields), = forms(cache, "inspection_results")  # fmt: skip
    assert fields["attachments"] == [result.added[0].sha256, sha]
    confirm(cache, "inspection_results", view.record_id)
    with pytest.raises(ServiceError, match="不能删除"):
        svc.remove_photo(view.record_id, result.added[0].sha256)
    with pytest.raises(ServiceError, match="离线准备"):
        svc.photo_content("0" * 64)


def test_a_folder_of_photos_is_imported_with_per_file_errors(
    svc: InspectionService, tmp_path: Path
) -> None:
    view = svc.record(clean())
    (tmp_path / "a.jpg").write_bytes(with_exif(_qt_image("JPG"), exif_segment()))
    (tmp_path / "readme.txt").write_text("说明", "utf-8")
    missing = tmp_path / "gone.jpg"
    result = svc.import_photo_files(
        view.record_id, [tmp_path / "a.jpg", tmp_path / "readme.txt", missing]
    )
    assert [p.filename for p in result.added] == ["a.jpg"]
    assert len(result.errors) == 2
    assert "无法读取“gone.jpg”" in result.errors[0] and "readme.txt" in result.errors[1]
    with pytest.raises(ServiceError, match="找不到该检查结果"):
        svc.add_photos("nope", [("a.jpg", b"")])


# --- interviews ----------------------------------------------------------------------------


def test_an_interview_is_an_interviews_form(svc: InspectionService, cache: Store) -> None:
    rid = svc.record_interview(
        TASK, "警示约谈", date(2025, 9, 26), "执法人员张三、李四；法定代表人王五",
        "逾期未整改，告知后果", "五日内整改到位",
    )  # fmt: skip
    ((got, fields),) = forms(cache, "interviews")
    assert got == rid
    assert fields["kind"] == "warning" and fields["held_on"] == "2025-09-26"
    assert fields["record"] == "逾期未整改，告知后果" and fields["uscc"] == CODE
    assert fields["commitments_made"] == "五日内整改到位"
    assert audits(cache) == ["inspection.interview"]
    for kind, when, people, text, message in (
        ("chat", date(2025, 9, 26), "a", "b", "约谈类型"),
        ("reminder", date(2025, 9, 27), "a", "b", "不能晚于今天"),
        ("reminder", date(2025, 9, 26), " ", "b", "参加约谈的人员"),
        ("reminder", date(2025, 9, 26), "a", "", "约谈记录"),
    ):
        with pytest.raises(ServiceError, match=message):
            svc.record_interview(TASK, kind, when, people, text)


# --- printing ------------------------------------------------------------------------------


def _texts(doc: Any) -> str:
    parts = []
    for section in doc.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, KeyValues):
                parts += [f"{k}：{v}" for k, v in block.rows]
            elif isinstance(block, Table):
                parts += ["|".join(row) for row in block.rows]
            elif isinstance(block, SignatureBlock):
                parts += list(block.lines)
    return "\n".join(parts)


def test_the_onsite_record_and_the_notice_are_built_from_the_store(
    svc: InspectionService,
) -> None:
    view = svc.record(warning())
    svc.add_photos(view.record_id, [("后厨.jpg", with_exif(_qt_image("JPG"), exif_segment()))])
    doc = svc.onsite_record(view.record_id)
    text = _texts(doc)
    assert doc.title == "现场检查记录" and doc.number == f"JC-{view.record_id[:8].upper()}"
    assert NAME in text and CODE in text and "食品经营者日常监督检查表" in text
    assert "执法人员：inspector.luzhou.1、inspector.luzhou.2" in text
    assert "2|是否查验供货者许可证和合格证明并建立进货查验记录" in text
    assert (
        "4|餐具、饮具是否洗净、消毒|《中华人民共和国食品安全法》第三十三条|不合格|消毒柜未通电"
        in text
    )
    assert "2025-09-26 10:31:07" in text and "后厨.jpg" in text
    assert "2025年10月10日" in text
    assert "C" not in {v for block in doc.sections[1].blocks if isinstance(block, KeyValues)
                       for _k, v in block.rows}  # fmt: skip
    assert "信用等级" not in text and "风险" not in text
    notice = svc.rectification_notice(view.record_id)
    assert notice.title == "失信警示告知书"
    assert "进货查验记录缺失" in _texts(notice) and "提示约谈或警示约谈" in _texts(notice)
    clean_view = svc.record(clean(task_id=TASK2, answers=answers(PASS, PASS, PASS)))
    with pytest.raises(ServiceError, match="不需要出具整改通知书"):
        svc.rectification_notice(clean_view.record_id)


# --- demo seed -----------------------------------------------------------------------------


def test_the_demo_seed_brings_checklists_and_tasks(services: AppServices) -> None:
    seed_demo_if_empty(services.store, count=20)
    svc = InspectionService(services.store, "demo")
    tasks = svc.tasks()
    assert len(tasks) == 6 and all(t.status == "assigned" for t in tasks)
    first = next(generate_entities(1))
    assert first["uscc"] in {t.uscc for t in tasks}
    for t in tasks:
        assert svc.checklist(t.checklist_id).items  # every task's checklist is cached
        assert t.address  # the entity is in the demo registry
    with services.store.read() as s:
        raw = s.scalars(
            select(ReferenceRecord.data).where(ReferenceRecord.collection == "inspection_tasks")
        ).first()
        assert raw is not None and "credit_grade" not in json.loads(raw)
    assert services.inspections.tasks() == tasks  # registered in AppServices
