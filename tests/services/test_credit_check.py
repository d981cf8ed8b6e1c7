"""The credit check at the window, on a real encrypted store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from desktop_app.services.app import AppServices
from desktop_app.services.forms import LocalForms
from desktop_app.store.models import AuditRecord, Entity
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange


def _ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _entity(services: AppServices, grade: str = "B") -> Entity:
    with services.store.write() as s:
        entity = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
        entity.credit_grade = grade
        entity.lists = []
        s.flush()
        s.expunge(entity)
    return entity


def _pull(services: AppServices, changes: list[tuple[str, str, dict[str, Any]]]) -> None:
    with services.store.write() as s:
        apply_page(s, [PulledChange(c, r, 1, False, f) for c, r, f in changes], SyncReport())


def _form(services: AppServices, collection: str, fields: dict[str, Any]) -> str:
    with services.store.write() as s:
        return LocalForms(s).create(collection, fields)


def test_card_shows_lists_with_measures_commitments_and_warnings(
    seeded_services: AppServices,
) -> None:
    services = seeded_services
    e = _entity(services)
    _pull(
        services,
        [
            (
                "list_memberships",
                "lm-k",
                {
                    "uscc": e.uscc,
                    "list": "key_attention",
                    "basis": "食品安全抽检两次不合格",
                    "since": _ago(30),
                    "decided_by": "长治市市场监督管理局",
                    "status": "active",
                },
            ),
            (
                "list_memberships",
                "lm-old",
                {"uscc": e.uscc, "list": "red", "basis": "已移出", "status": "removed"},
            ),
            ("warnings", "w1", {"uscc": e.uscc, "issued_on": _ago(3), "content": "未按期公示年报"}),
        ],
    )
    _form(
        services,
        "commitments",
        {
            "uscc": e.uscc,
            "kind": "tolerance",
            "status": "signed",
            "matter": "开放事项",
            "signed_on": _ago(2),
            "deadline": _ago(-5),
        },
    )
    _form(
        services,
        "commitments",
        {
            "uscc": e.uscc,
            "kind": "notify",
            "status": "verified_true",
            "matter": "已核查事项",
            "signed_on": _ago(90),
        },
    )
    card = services.lookup.card(e.id, purpose="容缺受理审查")
    assert [m.list_code for m in card.lists] == ["key_attention"]  # the removed one is gone
    key = card.lists[0]
    assert key.category == "重点关注" and key.measures and key.decided_by
    assert [c.matter for c in card.commitments] == ["开放事项", "已核查事项"]
    assert card.commitments[0].is_open and not card.commitments[1].is_open
    assert card.commitments[0].kind_label == "容缺受理"
    assert [w.content for w in card.warnings] == ["未按期公示年报"]
    assert card.tolerance is not None and card.tolerance.allowed
    assert any("重点关注" in c for c in card.tolerance.cautions)


def test_tolerance_is_refused_with_reasons(seeded_services: AppServices) -> None:
    services = seeded_services
    e = _entity(services, grade="D")
    commitment = _form(
        services,
        "commitments",
        {"uscc": e.uscc, "kind": "notify", "status": "verified_false", "matter": "虚假承诺事项"},
    )
    card = services.lookup.card(e.id)
    assert card.tolerance is not None and not card.tolerance.allowed
    text = "".join(card.tolerance.reasons)
    assert "最低等级" in text and "虚假承诺事项" in text
    assert card.commitments[0].is_breach
    # Repaired: the dishonesty record for that commitment says so; the grade still counts.
    _form(
        services, "dishonesty_records", {"uscc": e.uscc, "source_id": commitment, "repaired": True}
    )
    again = services.lookup.card(e.id)
    assert again.tolerance is not None and len(again.tolerance.reasons) == 1


def test_each_credit_check_is_audited_with_who_whom_when_and_why(
    seeded_services: AppServices,
) -> None:
    services = seeded_services
    e = _entity(services)
    services.lookup.card(e.id, purpose="行政审批受理")
    with services.store.read() as s:
        row = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).one()
    assert (row.actor, row.action, row.subject_id) == ("tester", "entity.viewed", e.uscc)
    assert row.details == {"purpose": "行政审批受理"} and row.at.startswith(str(date.today().year))


def test_attendance_never_changes_the_credit_check(seeded_services: AppServices) -> None:
    services = seeded_services
    e = _entity(services, grade="D")
    before = services.lookup.card(e.id)
    session = _form(services, "education_sessions", {"title": "诚信第一课", "held_on": _ago(1)})
    _form(services, "attendance", {"session_id": session, "uscc": e.uscc, "attendee_name": "王堃"})
    after = services.lookup.card(e.id)
    assert after.tolerance == before.tolerance and after.lists == before.lists
    assert after.commitments == before.commitments
