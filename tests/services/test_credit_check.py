"""The credit check at the window, on a real encrypted store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain import credit_record
from desktop_app.domain.credit_record import STANDING_REASON, standing_entry, standing_id
from desktop_app.domain.person_id import check_character, mask_id_number
from desktop_app.services.app import AppServices
from desktop_app.services.forms import LocalForms
from desktop_app.store.models import AuditRecord, Entity
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange

FIRST17 = "14040319900101123"
FULL = FIRST17 + check_character(FIRST17)
MASKED = mask_id_number(FULL)


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
            "publish": True,
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
            "publish": True,
        },
    )
    _form(  # the applicant did not agree to publication: not on the card
        services,
        "commitments",
        {
            "uscc": e.uscc,
            "kind": "notify",
            "status": "signed",
            "matter": "不公示事项",
            "signed_on": _ago(9),
            "publish": False,
        },
    )
    card = services.lookup.card(e.id, purpose="容缺受理审查")
    assert [m.list_code for m in card.lists] == ["key_attention"]  # the removed one is gone
    key = card.lists[0]
    assert key.category == "重点关注" and key.measures and key.decided_by
    assert [c.matter for c in card.commitments] == ["开放事项", "已核查事项"]
    assert card.commitments[0].is_open and not card.commitments[1].is_open
    assert card.commitments[0].kind_label == "容缺受理" and card.commitments[0].here
    assert card.commitments[0].status_label == "在履行"
    assert card.commitments[1].status_label == "已履行"
    assert [w.content for w in card.warnings] == ["未按期公示年报"]
    assert card.tolerance is not None and card.tolerance.allowed
    assert any("重点关注" in c for c in card.tolerance.cautions)


def test_tolerance_is_refused_with_reasons(seeded_services: AppServices) -> None:
    services = seeded_services
    e = _entity(services, grade="D")
    # A class on the cached row is not the window's business: only the platform's answer is.
    assert services.lookup.card(e.id).tolerance == services.lookup.card(e.id).tolerance
    assert services.lookup.card(e.id).tolerance.allowed  # type: ignore[union-attr]
    _pull(services, [("credit_entries", standing_id(e.uscc), standing_entry(e.uscc, True))])
    commitment = _form(
        services,
        "commitments",
        {
            "uscc": e.uscc,
            "kind": "notify",
            "status": "verified_false",
            "matter": "虚假承诺事项",
            "signed_on": _ago(40),
            "breach": {"severity": "general", "recorded_at": _ago(10)},
        },
    )
    breach = _form(
        services,
        "dishonesty_records",
        {
            "uscc": e.uscc,
            "source_collection": "commitments",
            "source_id": commitment,
            "kind": "false_commitment",
            "severity": "general",
            "evidence": "伪造",
            "decided_on": _ago(10),
            "matter": "虚假承诺事项",
            "repaired": False,
        },
    )
    card = services.lookup.card(e.id)
    assert card.tolerance is not None and not card.tolerance.allowed
    text = "".join(card.tolerance.reasons)
    assert STANDING_REASON in text and "虚假承诺事项" in text
    assert "D" not in text  # the answer, never the class
    assert card.commitments[0].is_breach and card.commitments[0].status_label == "已违诺"
    assert [r.kind for r in card.records] == ["dishonesty"]
    # Repaired: its 失信记录 says so and the breach is gone everywhere; the standing remains.
    with services.store.write() as s:
        LocalForms(s).update("dishonesty_records", breach, {"repaired": True})
    again = services.lookup.card(e.id)
    assert again.tolerance is not None and again.tolerance.reasons == (STANDING_REASON,)
    assert not again.records and not [c for c in again.commitments if c.is_breach]


def test_each_credit_check_is_audited_with_who_whom_when_and_why(
    seeded_services: AppServices,
) -> None:
    services = seeded_services
    e = _entity(services)
    services.lookup.card(e.id, purpose="行政审批受理")
    with services.store.read() as s:
        row = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).one()
    assert (row.actor, row.action, row.subject_id) == ("tester", "entity.viewed", e.uscc)
    assert row.details == {"purpose": "行政审批受理"}
    assert row.at.startswith(str(datetime.now(UTC).year))


def test_attendance_never_changes_the_credit_check(seeded_services: AppServices) -> None:
    services = seeded_services
    e = _entity(services, grade="D")
    before = services.lookup.card(e.id)
    session = _form(services, "education_sessions", {"title": "诚信第一课", "held_on": _ago(1)})
    _form(services, "attendance", {"session_id": session, "uscc": e.uscc, "attendee_name": "王堃"})
    after = services.lookup.card(e.id)
    assert after.tolerance == before.tolerance and after.lists == before.lists
    assert after.commitments == before.commitments


def _persons(services: AppServices, n: int, **people: str) -> list[Entity]:
    """The first ``n`` entities, given the same persons."""
    with services.store.write() as s:
        rows = list(s.scalars(select(Entity).order_by(Entity.id).limit(n)))
        for row in rows:
            row.lists = []
            for key, value in people.items():
                setattr(row, key, value)
        s.flush()
        for row in rows:
            s.expunge(row)
    return rows


def test_a_person_lookup_finds_what_the_person_represents(seeded_services: AppServices) -> None:
    services = seeded_services
    first, second = _persons(
        services, 2, legal_representative="郗昶", legal_representative_id=MASKED
    )
    found = services.lookup.lookup_person("郗昶")
    assert found.kind == "person" and set(found.ids) == {first.id, second.id}
    # With the full number: checked, masked, and matched on the masked form only.
    assert set(services.lookup.lookup_person(f"郗昶 {FULL}").ids) == {first.id, second.id}
    assert services.lookup.lookup_person("郗昶 140403********0000").ids == ()
    wrong = services.lookup.lookup_person("郗昶 140403199001011230")
    assert wrong.ids == () and "校验位" in wrong.problems[0]
    assert FULL not in wrong.problems[0] and FULL not in found.query
    with services.store.read() as s:
        audited = list(
            s.scalars(select(AuditRecord).where(AuditRecord.action == "person.looked_up"))
        )
    assert [a.subject_id for a in audited] == ["郗昶", "郗昶", "郗昶"]
    assert audited[1].details == {"id_masked": MASKED} and FULL not in repr(
        [a.details for a in audited]
    )


def test_a_serious_list_legal_representative_blocks_tolerance(
    seeded_services: AppServices,
) -> None:
    services = seeded_services
    listed, applicant, namesake = _persons(
        services, 3, legal_representative="郗昶", legal_representative_id=MASKED
    )
    with services.store.write() as s:
        other = s.get(Entity, namesake.id)
        assert other is not None
        other.legal_representative_id = "140403********0000"  # same name, another person
    _pull(
        services,
        [
            (
                "list_memberships",
                "lm-s",
                {
                    "uscc": listed.uscc,
                    "list": "serious_dishonesty",
                    "basis": "拖欠农民工工资",
                    "since": _ago(30),
                    "status": "active",
                },
            )
        ],
    )
    card = services.lookup.card(applicant.id)
    assert card.tolerance is not None and not card.tolerance.allowed
    reason = card.tolerance.reasons[0]
    assert f"法定代表人郗昶（{MASKED}）" in reason and listed.name in reason
    assert card.legal_representative_id == MASKED
    # The namesake with another ID number is not reached: a name alone is never enough.
    other_card = services.lookup.card(namesake.id)
    assert other_card.tolerance is not None and other_card.tolerance.allowed


def test_a_person_under_a_ban_in_person_blocks_tolerance(seeded_services: AppServices) -> None:
    services = seeded_services
    (applicant,) = _persons(services, 1, principal="郗昶", principal_id=MASKED)
    _pull(
        services,
        [
            (
                "list_memberships",
                "lm-ban",
                {
                    "uscc": "91140403MA0000000X",
                    "list": "market_ban",
                    "basis": "食品安全违法，五年内不得从事食品生产经营管理工作",
                    "since": _ago(100),
                    "status": "active",
                    "person_name": "郗昶",
                    "person_id": MASKED,
                },
            )
        ],
    )
    card = services.lookup.card(applicant.id)
    assert card.tolerance is not None and not card.tolerance.allowed
    assert "主要负责人郗昶" in card.tolerance.reasons[0] and "市场禁入" in card.tolerance.reasons[0]


@pytest.mark.parametrize(
    "case", ["repaired", "past its period", "unpublishable", "revoked", "shown"]
)
def test_what_the_rules_hide_appears_nowhere_on_the_card_or_in_the_check(
    seeded_services: AppServices, case: str
) -> None:
    services = seeded_services
    e = _entity(services)
    fields: dict[str, Any] = {
        "uscc": e.uscc,
        "source_collection": "commitments",
        "source_id": "another-hall",
        "kind": "breach",
        "severity": "general",
        "matter": "RULED-OUT",
        "decided_on": _ago(400 if case == "past its period" else 20),
    }
    entry = credit_record.project("dishonesty_records", "d-x", fields)
    assert entry is not None
    entry = {
        **entry,
        "repaired": case == "repaired",
        "publishable": case != "unpublishable",
        "revoked": case == "revoked",
    }
    _pull(services, [("credit_entries", credit_record.entry_id("x", "d-x"), entry)])
    card = services.lookup.card(e.id)
    assert card.tolerance is not None
    text = repr(card)
    if case == "shown":
        assert "RULED-OUT" in text and not card.tolerance.allowed
    else:
        assert "RULED-OUT" not in text and card.tolerance.allowed
