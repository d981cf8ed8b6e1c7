"""The shared record definitions and the commitment aggregate, pure (no database)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from desktop_app.domain import commitments as cm
from desktop_app.domain.aggregates.commitment import CommitmentCase
from desktop_app.domain.records import (
    RECORDS,
    Commitment,
    EducationSession,
    Entity,
    Finding,
    RecordInvalid,
    UsccOverride,
    Warning,
    record_type,
)
from desktop_app.domain.uscc import generate_uscc
from desktop_app.domain.working_days import DEFAULT_CALENDAR
from sync.protocol import Collection

CODE = generate_uscc("9", "1", "140403", "00000001")
NOW = datetime(2025, 3, 20, 9, 30)


def _commitment(**over: Any) -> dict[str, Any]:
    return {
        "uscc": CODE,
        "kind": "notify",
        "status": "signed",
        "matter": "食品经营许可",
        "signed_on": "2025-03-18",
        **over,
    }


def test_every_collection_of_the_protocol_has_one_definition() -> None:
    assert set(RECORDS) == {c.value for c in Collection}
    for name, kind in RECORDS.items():
        assert name == kind.COLLECTION and kind.LABEL


def test_read_is_lenient_and_keeps_unknown_fields() -> None:
    record = Commitment.read(
        {"status": "draft", "signed_on": "2025-02-30", "deadline_working_days": "5", "x": [1]}
    )
    assert record.status is cm.CommitmentStatus.DRAFT
    assert record.signed_on is None and record.deadline_working_days is None
    assert record.value_of("x") == [1]
    assert record.to_fields() == {"status": "draft", "x": [1]}
    assert Commitment.read(None).to_fields() == {}
    assert record_type("not_a_collection").read({"a": 1}).value_of("a") == 1


def test_to_fields_writes_the_wire_form() -> None:
    record = Commitment.check(_commitment(deadline_working_days=None))
    fields = record.to_fields()
    assert fields["signed_on"] == "2025-03-18" and fields["kind"] == "notify"
    assert record.changed(signed_on=date(2025, 3, 19)).signed_on == date(2025, 3, 19)


@pytest.mark.parametrize(
    ("over", "code", "words"),
    [
        ({"matter": None}, "missing_field", "办理事项"),
        ({"matter": "  "}, "invalid_field", "非空"),
        ({"kind": "promise"}, "invalid_field", "承诺类型"),
        ({"signed_on": "2025/03/18"}, "invalid_field", "YYYY-MM-DD"),
        ({"text": "字" * 50_001}, "invalid_field", "50000"),
        ({"publish": "yes"}, "invalid_field", "true/false"),
        ({"attachments": ["not-a-digest"]}, "invalid_field", "SHA-256"),
        ({"uscc": CODE[:17] + ("0" if CODE[17] != "0" else "1")}, "invalid_uscc", "理由"),
        ({"status": "fulfilled"}, "illegal_transition", "新建"),
        ({"status": "signed", "signed_on": None}, "missing_field", "signed_on"),
    ],
)
def test_check_refuses_with_the_protocol_reason(
    over: dict[str, Any], code: str, words: str
) -> None:
    with pytest.raises(RecordInvalid) as err:
        Commitment.check(_commitment(**over))
    assert err.value.code == code
    assert words in str(err.value)


@pytest.mark.parametrize("days", ["5", True, 0, 251, 2.0])
def test_working_days_are_strict_integers_in_range(days: object) -> None:
    tolerance = _commitment(kind="tolerance", missing_materials=["身份证明"])
    with pytest.raises(RecordInvalid, match="1至250之间的整数"):
        Commitment.check({**tolerance, "deadline_working_days": days})


def test_a_check_digit_fault_passes_with_a_reason_and_is_normalized() -> None:
    bad = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    record = Commitment.check(_commitment(uscc=bad.lower(), uscc_override_reason="与执照核对一致"))
    assert record.normalized() == {"uscc": bad}
    override = UsccOverride.check({"uscc": bad, "reason": "与营业执照原件核对一致"})
    assert override.normalized() == {"uscc": bad}
    with pytest.raises(RecordInvalid) as err:
        UsccOverride.check({"uscc": bad, "reason": "对"})
    assert err.value.code == "invalid_field"


def test_other_definitions_check_their_own_fields() -> None:
    with pytest.raises(RecordInvalid, match="培训日期"):
        EducationSession.check({"title": "诚信经营", "held_on": None})
    with pytest.raises(RecordInvalid, match="严重程度"):
        Finding.check({"task_id": "t", "uscc": CODE, "description": "x", "severity": "huge"})
    warning = Warning.check(
        {
            "task_id": "t",
            "uscc": CODE,
            "issued_on": "2025-03-18",
            "content": "限期整改",
            "rectify_working_days": 10,
        }
    )
    assert warning.rectify_working_days == 10 and "rectify_deadline" in Warning.DERIVED
    assert Entity.read({"uscc": CODE, "name": 5, "lists": ["重点关注"]}).name == ""


# --- the commitment aggregate -----------------------------------------------------------------


def _case(**over: Any) -> CommitmentCase:
    return CommitmentCase("c1", Commitment.read(_commitment(**over)))


def test_signing_a_draft_fills_the_letter_and_refuses_a_future_date() -> None:
    draft = _case(status="draft", signed_on=None, entity_name="甲公司", applicant_name="李四")
    outcome = draft.sign(date(2025, 3, 19), date(2025, 3, 20), NOW, "王芳", None, DEFAULT_CALENDAR)
    assert outcome.changes["status"] == "signed" and outcome.changes["signed_on"] == "2025-03-19"
    assert outcome.changes["history"][-1]["by"] == "王芳"
    with pytest.raises(cm.CommitmentError, match="不能晚于今天"):
        draft.sign(date(2025, 3, 21), date(2025, 3, 20), NOW, "王芳", None, DEFAULT_CALENDAR)


def test_withdrawing_needs_a_reason_and_a_breach_needs_evidence() -> None:
    case = _case()
    with pytest.raises(cm.CommitmentError, match="撤回"):
        case.move(cm.CommitmentStatus.WITHDRAWN, " ", NOW, "王芳", DEFAULT_CALENDAR)
    with pytest.raises(cm.CommitmentError, match="记录违约"):
        case.move(cm.CommitmentStatus.BREACHED, "x", NOW, "王芳", DEFAULT_CALENDAR)
    with pytest.raises(cm.CommitmentError, match="依据和证据"):
        case.breach(cm.CommitmentStatus.VERIFIED_FALSE, "general", " ", NOW, "王芳", "d1")


def test_a_false_commitment_makes_a_dishonesty_record() -> None:
    outcome = _case(entity_name="甲公司").breach(
        cm.CommitmentStatus.VERIFIED_FALSE, "serious", "材料系伪造", NOW, "王芳", "d1"
    )
    assert outcome.changes["status"] == "verified_false"
    assert outcome.changes["breach"]["dishonesty_id"] == "d1"
    record = outcome.dishonesty
    assert record is not None and record.source_id == "c1" and record.repaired is False
    assert record.kind is cm.DishonestyKind.FALSE_COMMITMENT
    assert record.severity is cm.BreachSeverity.SERIOUS


def test_materials_received_one_by_one_then_fulfilled() -> None:
    case = _case(
        kind="tolerance",
        missing_materials=["甲", "乙"],
        materials=[{"name": "甲", "form": "原件", "received": False}, {"name": "乙"}],
        deadline_working_days=5,
    )
    first = case.receive(["甲"], NOW, "王芳")
    assert "status" not in first.changes and first.audit["fulfilled"] is False
    after = CommitmentCase("c1", case.record.changed(**first.changes))
    done = after.receive(None, NOW, "王芳")
    assert done.changes["status"] == "fulfilled"
    assert all(m["received"] for m in done.changes["materials"])
    with pytest.raises(cm.CommitmentError, match="不在该承诺的所缺材料中"):
        case.receive(["丙"], NOW, "王芳")


def test_a_signed_tolerance_past_its_deadline_is_marked_overdue() -> None:
    case = _case(
        kind="tolerance",
        missing_materials=["甲"],
        deadline_working_days=3,
        deadline="2025-03-21",
    )
    assert case.overdue_now(date(2025, 3, 21), NOW, "系统", DEFAULT_CALENDAR) is None
    outcome = case.overdue_now(date(2025, 3, 24), NOW, "系统", DEFAULT_CALENDAR)
    assert outcome is not None and outcome.changes["status"] == "overdue"
    assert cm.CommitmentStatus.OVERDUE not in case.allowed_next(date(2025, 3, 21), None)
    assert cm.CommitmentStatus.OVERDUE in case.allowed_next(date(2025, 3, 24), None)
