"""信用承诺 service on a real encrypted store: one transaction per write, clear refusals."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.domain.commitments import BreachSeverity, CommitmentKind, CommitmentStatus
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import (
    CommitmentInput,
    CommitmentService,
    MissingMaterial,
)
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.registry import (
    import_reference_records,
    seed_demo_catalog,
    seed_demo_if_empty,
)
from desktop_app.store import audit as audit_log
from desktop_app.store.database import Store
from desktop_app.store.models import AuditRecord, FormRecord, OutboxEntry

S = CommitmentStatus
K = CommitmentKind
FRIDAY = datetime(2025, 9, 26, 10, 30, 5)  # before the 2025 National Day holiday
ENTITIES = list(generate_entities(500, seed=7))
CODE = ENTITIES[0]["uscc"]
NAME = ENTITIES[0]["name"]
OTHER = ENTITIES[1]["uscc"]
FOOD = "cc-food-01"  # 食品经营许可: notify or tolerance
TAX = "cc-tax-01"  # notify only
MATERIALS = (
    MissingMaterial("食品安全管理制度文本", "原件"),
    MissingMaterial("经营场所平面布局图", "复印件"),
)


class Clock:
    """A settable local clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(FRIDAY)


@pytest.fixture
def svc(seeded_services: AppServices, clock: Clock) -> CommitmentService:
    seed_demo_catalog(seeded_services.store)
    return CommitmentService(seeded_services.store, "窗口张三", clock=clock)


def tolerance(**over: Any) -> CommitmentInput:
    base: dict[str, Any] = {
        "uscc": CODE,
        "matter_id": FOOD,
        "kind": K.TOLERANCE,
        "applicant_name": "王五",
        "applicant_phone": "0355-2021234",
        "missing_materials": MATERIALS,
        "deadline_working_days": 5,
    }
    return CommitmentInput(**{**base, **over})


def notify(**over: Any) -> CommitmentInput:
    base: dict[str, Any] = {
        "uscc": CODE,
        "matter_id": TAX,
        "kind": K.NOTIFY,
        "applicant_name": "赵六",
        "applicant_role": "委托代理人",
    }
    return CommitmentInput(**{**base, **over})


def form(store: Store, collection: str, record_id: str) -> dict[str, Any]:
    with store.read() as s:
        row = s.get(FormRecord, (collection, record_id))
        assert row is not None
        return dict(json.loads(row.data))


def outbox(store: Store) -> list[tuple[str, str, str, dict[str, Any]]]:
    with store.read() as s:
        return [
            (e.collection, e.record_id, e.op, e.fields)
            for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def audits(store: Store) -> list[tuple[str, str]]:
    with store.read() as s:
        rows = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action.startswith("commitment."))
            .order_by(AuditRecord.id)
        )
        return [(r.action, r.subject_id) for r in rows]


def counts(store: Store) -> tuple[int, int, int]:
    with store.read() as s:
        return (
            int(s.scalar(select(func.count()).select_from(FormRecord)) or 0),
            int(s.scalar(select(func.count()).select_from(OutboxEntry)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditRecord)) or 0),
        )


# --- create ------------------------------------------------------------------------------


def test_a_tolerance_commitment_is_one_form_one_outbox_entry_one_audit_row(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    store = seeded_services.store
    view = svc.create(tolerance())
    assert view.status is S.SIGNED and view.status_label == "已签署"
    assert view.kind is K.TOLERANCE and view.kind_label == "容缺受理"
    assert (view.uscc, view.entity_name, view.matter) == (CODE, NAME, "食品经营许可")
    assert view.signed_on == date(2025, 9, 26)
    # 5 working days after Friday 26 Sep: Sun 28 (make-up day), 29, 30, then 9 and 10 Oct.
    assert view.deadline == date(2025, 10, 10)
    assert view.missing_materials == MATERIALS
    assert not view.synced and view.publish and view.breach is None and view.attachments == 0
    assert view.allowed_next == (S.FULFILLED, S.VERIFIED_TRUE, S.VERIFIED_FALSE, S.WITHDRAWN)
    assert view.history == (
        {"from": "", "to": "signed", "at": "2025-09-26T10:30:05", "by": "窗口张三",
         "note": "签署承诺书"},
    )  # fmt: skip

    fields = form(store, "commitments", view.record_id)
    assert fields["missing_materials"] == ["食品安全管理制度文本", "经营场所平面布局图"]
    assert fields["materials"][0] == {
        "name": "食品安全管理制度文本",
        "form": "原件",
        "received": False,
    }
    assert fields["deadline_working_days"] == 5 and fields["signed_on"] == "2025-09-26"
    assert fields["legal_basis"].startswith("《食品经营许可和备案管理办法》")
    assert fields["applicant_name"] == "王五" and fields["applicant_role"] == "法定代表人"
    assert "deadline" not in fields and "hall_id" not in fields  # both derived by the platform
    assert NAME in fields["text"] and CODE in fields["text"] and "2025年9月26日" in fields["text"]
    assert "{" not in fields["text"]
    assert outbox(store) == [("commitments", view.record_id, "create", fields)]
    assert audits(store) == [("commitment.created", view.record_id)]
    assert svc.get(view.record_id) == view


def test_a_draft_has_no_signing_date_and_is_signed_later(
    svc: CommitmentService, seeded_services: AppServices, clock: Clock
) -> None:
    draft = svc.create(notify(sign_now=False))
    assert draft.status is S.DRAFT and draft.signed_on is None
    assert draft.allowed_next == (S.SIGNED, S.WITHDRAWN)
    assert "signed_on" not in form(seeded_services.store, "commitments", draft.record_id)
    clock.now = datetime(2025, 9, 29, 9, 0)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        svc.sign(draft.record_id, date(2025, 9, 30))
    signed = svc.sign(draft.record_id)
    assert signed.status is S.SIGNED and signed.signed_on == date(2025, 9, 29)
    assert [(h["from"], h["to"]) for h in signed.history] == [("", "draft"), ("draft", "signed")]
    op, changes = outbox(seeded_services.store)[-1][2:]
    assert op == "update"
    assert changes["status"] == "signed" and changes["signed_on"] == "2025-09-29"
    assert changes["history"] == list(signed.history) and "2025年9月29日" in changes["text"]
    with pytest.raises(ServiceError, match="不能从“已签署”改为“已签署”"):
        svc.sign(draft.record_id)


def _refused(svc: CommitmentService, store: Store, data: CommitmentInput, match: str) -> None:
    before = counts(store)
    with pytest.raises(ServiceError, match=match):
        svc.create(data)
    assert counts(store) == before  # nothing half-saved


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"uscc": "91140400MA0000000"}, "统一社会信用代码有误"),
        ({"uscc": generate_uscc("9", "1", "140403", "99999999")}, "主体名录中没有"),
        ({"matter_id": "cc-nope"}, "承诺事项清单中没有"),
        ({"matter_id": TAX}, "不能采用“容缺受理”.*告知承诺"),
        ({"applicant_name": "  "}, "法定代表人或委托代理人的姓名"),
        ({"applicant_role": "经理"}, "签署人身份"),
        ({"applicant_phone": "电话"}, "联系电话"),
        ({"missing_materials": ()}, "逐项列明所缺材料"),
        ({"missing_materials": (MissingMaterial("", "原件"),)}, "名称不能为空"),
        ({"missing_materials": (MissingMaterial("图纸", " "),)}, "提交形式"),
        ({"missing_materials": (MATERIALS[0], MATERIALS[0])}, "重复"),
        ({"deadline_working_days": None}, "补齐材料的期限"),
        ({"deadline_working_days": 0}, "补齐材料的期限"),
        ({"kind": K.NOTIFY}, "只有容缺受理需要填写所缺材料"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    svc: CommitmentService, seeded_services: AppServices, over: dict[str, Any], match: str
) -> None:
    _refused(svc, seeded_services.store, tolerance(**over), match)


def test_an_open_commitment_for_the_same_matter_is_a_duplicate(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    first = svc.create(notify(matter_id=FOOD))
    _refused(svc, seeded_services.store, tolerance(), "已有一份尚未办结的“食品经营许可”承诺")
    svc.create(notify())  # another matter is fine
    svc.create(notify(uscc=OTHER, matter_id=FOOD))  # and another entity
    svc.transition(first.record_id, S.WITHDRAWN, "申请人放弃办理")
    assert svc.create(tolerance()).status is S.SIGNED  # withdrawn is no longer open


def test_a_year_the_calendar_does_not_know_stops_the_window(
    svc: CommitmentService, seeded_services: AppServices, clock: Clock
) -> None:
    store = seeded_services.store
    clock.now = datetime(2099, 3, 2, 9, 0)
    _refused(svc, store, tolerance(), "2099年的法定节假日安排.*请先与平台同步")
    assert svc.create(notify()).signed_on == date(2099, 3, 2)  # no deadline: no calendar needed
    # The platform's table declares 2099 covered: now the deadline is computed.
    rows = [("calendar_overrides", "y2099", {"year": 2099, "complete": True})]
    import_reference_records(store, rows)
    assert svc.create(tolerance()).deadline == date(2099, 3, 9)


def test_the_calendar_override_table_moves_deadlines(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    # The table says Monday 29 Sep is a rest day: the deadline moves one working day on.
    import_reference_records(
        seeded_services.store,
        [("calendar_overrides", "d0929", {"date": "2025-09-29", "working": False})],
    )
    assert svc.create(tolerance()).deadline == date(2025, 10, 11)  # Saturday make-up day


# --- lifecycle -----------------------------------------------------------------------------


def test_materials_arrive_one_by_one_then_the_commitment_is_fulfilled(
    svc: CommitmentService, seeded_services: AppServices, clock: Clock
) -> None:
    view = svc.create(tolerance())
    clock.now = datetime(2025, 9, 30, 15, 0)
    with pytest.raises(ServiceError, match="“营业执照”不在该承诺的所缺材料中"):
        svc.mark_received(view.record_id, ["营业执照"])
    part = svc.mark_received(view.record_id, ["经营场所平面布局图"])
    assert part.status is S.SIGNED
    assert [m.received for m in part.missing_materials] == [False, True]
    done = svc.mark_received(view.record_id)
    assert done.status is S.FULFILLED and all(m.received for m in done.missing_materials)
    assert done.history[-1]["note"] == "所缺材料已全部补齐"
    assert done.allowed_next == (S.VERIFIED_TRUE, S.VERIFIED_FALSE)
    fields = form(seeded_services.store, "commitments", view.record_id)
    assert fields["missing_materials"] == ["食品安全管理制度文本", "经营场所平面布局图"]
    assert {m["received_on"] for m in fields["materials"]} == {"2025-09-30"}
    last = outbox(seeded_services.store)[-1][3]
    assert set(last) == {"materials", "status", "history"}
    with pytest.raises(ServiceError, match="不能再登记补齐材料"):
        svc.mark_received(view.record_id)
    assert [a for a, _ in audits(seeded_services.store)] == [
        "commitment.created",
        "commitment.materials_received",
        "commitment.materials_received",
    ]
    notice = svc.create(notify())
    with pytest.raises(ServiceError, match="只有容缺受理"):
        svc.mark_received(notice.record_id)


def test_illegal_transitions_are_refused_in_chinese_and_change_nothing(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    view = svc.create(tolerance())
    svc.mark_received(view.record_id)
    before = counts(seeded_services.store)
    with pytest.raises(ServiceError, match="不能从“已履约”改为“已撤回”"):
        svc.transition(view.record_id, S.WITHDRAWN, "误录")
    with pytest.raises(ServiceError, match="严重程度和证据"):
        svc.transition(view.record_id, S.BREACHED)
    with pytest.raises(ServiceError, match="撤回承诺的原因"):
        svc.transition(view.record_id, S.WITHDRAWN)
    with pytest.raises(ServiceError, match="找不到该信用承诺"):
        svc.transition("nope", S.FULFILLED)
    assert counts(seeded_services.store) == before
    assert svc.get(view.record_id).status is S.FULFILLED


def test_overdue_is_marked_automatically_after_the_deadline(
    svc: CommitmentService, seeded_services: AppServices, clock: Clock
) -> None:
    late = svc.create(tolerance())  # deadline 2025-10-10
    on_time = svc.create(tolerance(uscc=OTHER, deadline_working_days=10))  # 2025-10-17
    plain = svc.create(notify())
    with pytest.raises(ServiceError, match="只有容缺受理的承诺有补齐期限"):
        svc.transition(plain.record_id, S.OVERDUE)
    with pytest.raises(ServiceError, match="尚未届满"):
        svc.transition(late.record_id, S.OVERDUE)
    assert svc.refresh_overdue(date(2025, 10, 10)) == 0  # the last day still counts
    clock.now = datetime(2025, 10, 11, 8, 0)
    assert svc.refresh_overdue() == 1
    marked = svc.get(late.record_id)
    assert marked.status is S.OVERDUE and marked.history[-1]["note"] == "自动标记逾期"
    assert marked.allowed_next == (S.FULFILLED, S.BREACHED)
    assert svc.get(on_time.record_id).status is S.SIGNED
    assert svc.refresh_overdue() == 0  # once only
    assert [v.record_id for v in svc.overdue()] == [late.record_id]
    # Materials posted in time but recorded late: overdue → fulfilled is allowed.
    assert svc.mark_received(late.record_id).status is S.FULFILLED
    assert svc.overdue() == []


def test_due_soon_counts_working_days_to_the_deadline(svc: CommitmentService) -> None:
    soon = svc.create(tolerance())  # deadline Fri 2025-10-10
    svc.create(tolerance(uscc=OTHER, deadline_working_days=10))  # Fri 2025-10-17
    svc.create(notify())
    # On Thursday 9 Oct: 10 Oct is 1 working day away; 17 Oct is 6.
    assert [v.record_id for v in svc.due_soon(1, date(2025, 10, 9))] == [soon.record_id]
    assert len(svc.due_soon(6, date(2025, 10, 9))) == 2
    # On 30 Sep the holiday lies between: 10 Oct is 2 working days away (9 and 10 Oct).
    assert svc.due_soon(1, date(2025, 9, 30)) == []
    assert [v.record_id for v in svc.due_soon(2, date(2025, 9, 30))] == [soon.record_id]
    assert svc.due_soon(3, date(2025, 10, 11)) == []  # past: overdue, not due soon


def test_a_breach_records_a_dishonesty_record_in_the_same_transaction(
    svc: CommitmentService, seeded_services: AppServices, clock: Clock
) -> None:
    store = seeded_services.store
    view = svc.create(tolerance())
    clock.now = datetime(2025, 10, 13, 9, 0)
    svc.refresh_overdue()
    with pytest.raises(ServiceError, match="认定违约或虚假承诺的依据"):
        svc.record_breach(view.record_id, S.BREACHED, BreachSeverity.GENERAL, " ")
    with pytest.raises(ServiceError, match="只能记录为"):
        svc.record_breach(view.record_id, S.FULFILLED, BreachSeverity.GENERAL, "x")
    breached = svc.record_breach(
        view.record_id, S.BREACHED, BreachSeverity.SERIOUS, "逾期未补齐材料，经电话催告仍未提交"
    )
    assert breached.status is S.BREACHED and breached.allowed_next == ()
    assert breached.breach is not None
    assert breached.breach["severity"] == "serious"
    assert breached.breach["recorded_by"] == "窗口张三"
    with store.read() as s:
        records = dict(LocalForms(s).iter("dishonesty_records"))
    assert list(records) == [breached.breach["dishonesty_id"]]
    (record,) = records.values()
    assert record == {
        "uscc": CODE,
        "entity_name": NAME,
        "matter": "食品经营许可",
        "source_collection": "commitments",
        "source_id": view.record_id,
        "kind": "breach",
        "severity": "serious",
        "evidence": "逾期未补齐材料，经电话催告仍未提交",
        "decided_on": "2025-10-13",
        "repaired": False,
    }
    entries = outbox(store)
    assert [(c, op) for c, _, op, _ in entries[-2:]] == [
        ("dishonesty_records", "create"),
        ("commitments", "update"),
    ]
    assert set(entries[-1][3]) == {"status", "history", "breach"}
    assert audits(store)[-1] == ("commitment.breach", view.record_id)


def test_a_failing_audit_write_leaves_no_breach_behind(
    svc: CommitmentService, seeded_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = svc.create(notify())
    before = counts(seeded_services.store)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_log, "append", broken)
    with pytest.raises(RuntimeError):
        svc.record_breach(view.record_id, S.VERIFIED_FALSE, BreachSeverity.MINOR, "材料虚假")
    monkeypatch.undo()
    assert counts(seeded_services.store) == before
    assert svc.get(view.record_id).status is S.SIGNED


def test_an_unrepaired_breach_bars_tolerance_until_repaired(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    store = seeded_services.store
    first = svc.create(notify())
    false = svc.verify(first.record_id, truthful=False, note="承诺的事实与调查不符")
    assert false.status is S.VERIFIED_FALSE and false.breach is not None
    assert false.breach["severity"] == "general"
    _refused(svc, store, tolerance(), "尚未完成信用修复，不得适用容缺受理")
    svc.create(tolerance(uscc=OTHER))  # another entity is not affected
    # A notify commitment is still possible (the bar is for 容缺受理 only).
    food = svc.create(notify(matter_id=FOOD))
    with store.write() as s:
        LocalForms(s).update(
            "dishonesty_records", false.breach["dishonesty_id"], {"repaired": True}
        )
    svc.transition(food.record_id, S.WITHDRAWN, "改为容缺受理")
    assert svc.create(tolerance()).status is S.SIGNED


def test_verification_and_the_work_lists(svc: CommitmentService, clock: Clock) -> None:
    a = svc.create(notify())
    clock.now = FRIDAY.replace(minute=31)
    b = svc.create(tolerance())
    c = svc.create(notify(uscc=OTHER, sign_now=False))
    assert {v.record_id for v in svc.to_verify()} == {a.record_id}
    svc.mark_received(b.record_id)
    assert {v.record_id for v in svc.to_verify()} == {a.record_id, b.record_id}
    with pytest.raises(ServiceError, match="认定违约或虚假承诺的依据"):
        svc.verify(a.record_id, truthful=False)
    ok = svc.verify(a.record_id, truthful=True, note="现场核查属实")
    assert ok.status is S.VERIFIED_TRUE and ok.history[-1]["note"] == "现场核查属实"
    assert [v.record_id for v in svc.to_verify()] == [b.record_id]
    assert svc.search(status=S.DRAFT) == [svc.get(c.record_id)]
    assert {v.record_id for v in svc.search(CODE[-8:].lower())} == {a.record_id, b.record_id}
    assert {v.record_id for v in svc.search("食品经营")} == {b.record_id}
    assert [v.record_id for v in svc.search(NAME[:6], limit=1)] == [b.record_id]  # newest
    assert {v.record_id for v in svc.for_entity(OTHER)} == {c.record_id}
    assert svc.search("没有这个主体") == []


def test_a_scan_is_attached_and_audited(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    view = svc.create(notify())
    sha = svc.attach_scan(view.record_id, b"%PDF-1.4 scan", "承诺书.pdf", "application/pdf")
    assert svc.get(view.record_id).attachments == 1
    assert form(seeded_services.store, "commitments", view.record_id)["attachments"] == [sha]
    assert audits(seeded_services.store)[-1] == ("commitment.attachment", view.record_id)
    with pytest.raises(ServiceError, match="找不到"):
        svc.attach_scan("nope", b"x", "a.pdf", "application/pdf")


def test_catalog_and_domains(svc: CommitmentService) -> None:
    domains = svc.domains()
    # The seed's first domains, in matter-id order.
    assert domains == ["会计", "证明事项", "不动产登记", "食品药品", "电力", "注册登记", "科研",
                       "纳税"]  # fmt: skip
    food = svc.catalog("食品药品")
    assert [m.id for m in food] == ["cc-food-01", "cc-food-02"]
    assert food[0].allowed_kinds == (K.NOTIFY, K.TOLERANCE)
    assert "食品安全管理制度" in food[0].required_materials
    assert "{entity_name}" in food[0].letter_template
    assert len(svc.catalog()) == 11


def test_the_demo_seed_brings_the_catalog(store: Store) -> None:
    seed_demo_if_empty(store, count=20)
    assert len(CommitmentService(store, "x").catalog()) == 11


def test_views_of_a_synced_form_use_the_platform_deadline(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    view = svc.create(tolerance())
    with seeded_services.store.write() as s:  # as a pull would leave it
        row = s.get(FormRecord, ("commitments", view.record_id))
        assert row is not None
        row.data = json.dumps({**json.loads(row.data), "deadline": "2025-10-20"})
        row.dirty = False
        row.version = 1
    again = svc.get(view.record_id)
    assert again.synced and again.deadline == date(2025, 10, 20)


def test_app_services_offer_the_commitment_service(seeded_services: AppServices) -> None:
    assert isinstance(seeded_services.commitments, CommitmentService)
    assert seeded_services.commitments.actor == "tester"


def test_bad_credit_bars_tolerance_with_the_credit_checks_reasons(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    from desktop_app.store.models import Entity

    store = seeded_services.store
    with store.write() as s:
        entity = s.query(Entity).filter_by(uscc=CODE).one()
        entity.lists = [
            {"list": "serious_dishonesty", "basis": "拖欠农民工工资", "since": "2025-01-02"}
        ]
    _refused(svc, store, tolerance(), "严重失信主体名单.*拖欠农民工工资")
    with store.write() as s:
        entity = s.query(Entity).filter_by(uscc=CODE).one()
        entity.lists = []
        entity.credit_grade = "D"  # a class on the row alone decides nothing at a window
        from desktop_app.services.entities import credit_check

        verdict = credit_check(s, entity).tolerance
        assert verdict is not None and verdict.allowed
    # The platform's answer (a standing entry, derived from the class it keeps) does.
    from desktop_app.domain.credit_record import standing_entry, standing_id
    from sync.events import SyncReport
    from sync.pull import apply_page
    from sync.transport import PulledChange

    with store.write() as s:
        page = [
            PulledChange("credit_entries", standing_id(CODE), 1, False, standing_entry(CODE, True))
        ]
        apply_page(s, page, SyncReport())
    _refused(svc, store, tolerance(), "分级分类监管结果未达到容缺受理条件")
    # 告知承诺 stays open to it: the bar is for 容缺受理 only.
    assert svc.create(notify()).status is S.SIGNED


def test_the_window_sees_the_measures_a_list_calls_for_at_the_matter(
    svc: CommitmentService, seeded_services: AppServices
) -> None:
    from desktop_app.store.models import Entity

    store = seeded_services.store
    assert svc.window_measures(CODE, "cc-tax-01") == []  # on no list
    with store.write() as s:
        entity = s.query(Entity).filter_by(uscc=CODE).one()
        entity.lists = [
            {"list": "serious_dishonesty", "basis": "拖欠农民工工资", "since": "2025-01-02"}
        ]
    tax = svc.window_measures(CODE, "cc-tax-01")
    assert any("限制享受财政资金、税收优惠" in line for line in tax)
    assert not any("招标投标" in line for line in tax)  # scoped to other matters
    assert all(line.startswith("严重失信主体名单：") for line in tax)
    assert any("不适用容缺受理" in line for line in tax)  # every-matter measures too
    assert svc.window_measures(CODE, "no-such-matter") == []
