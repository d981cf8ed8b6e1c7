"""The one disclosure rule set of the public credit record, rule by rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop_app.domain import credit_record as cr

TODAY = date(2026, 12, 4)
USCC = "91140403MA0L000011"


def commitment(**over: Any) -> dict[str, Any]:
    return {
        "uscc": USCC,
        "kind": "notify",
        "status": "signed",
        "matter": "食品经营许可",
        "authority": "长治市行政审批服务管理局",
        "signed_on": "2026-10-08",
        "publish": True,
        **over,
    }


def breach(**over: Any) -> dict[str, Any]:
    return {
        "uscc": USCC,
        "source_collection": "commitments",
        "source_id": "c1",
        "kind": "false_commitment",
        "severity": "general",
        "evidence": "伪造完税证明",
        "decided_on": "2026-11-02",
        "repaired": False,
        **over,
    }


def shown(collection: str, fields: dict[str, Any] | None, *related: dict[str, Any]) -> bool:
    entry = cr.project(collection, "c1", fields, related)
    return entry is not None and cr.entry_shown(entry, TODAY)


def test_commitments_print_with_their_public_status() -> None:
    labels = {
        status: (cr.project("commitments", "c1", commitment(status=status)) or {}).get(
            "status_label"
        )
        for status in ("signed", "overdue", "fulfilled", "verified_true", "breached")
    }
    assert labels["signed"] == labels["overdue"] == "在履行"
    assert labels["fulfilled"] == labels["verified_true"] == "已履行"
    assert labels["breached"] == "已违诺"
    # A draft or a withdrawn letter is no commitment at all.
    assert cr.project("commitments", "c1", commitment(status="draft")) is None
    assert cr.project("commitments", "c1", commitment(status="withdrawn")) is None


def test_an_unpublishable_record_appears_nowhere() -> None:
    assert shown("commitments", commitment())
    assert not shown("commitments", commitment(publish=False))
    assert not shown("commitments", commitment(publish=None, publishable=None))
    assert not shown("dishonesty_records", breach(publishable=False))
    assert not shown("warnings", {"uscc": USCC, "issued_on": "2026-11-20", "publishable": False})
    assert not shown("interviews", {"uscc": USCC, "held_on": "2026-11-20", "publishable": False})
    # Supervision acts are public unless the officer said no.
    assert shown("warnings", {"uscc": USCC, "issued_on": "2026-11-20", "content": "限期整改"})
    assert shown("interviews", {"uscc": USCC, "held_on": "2026-11-20", "kind": "warning"})


def test_a_breach_shows_for_its_own_period_whatever_the_letter_said_until_repaired() -> None:
    breached = commitment(
        status="verified_false",
        publish=False,
        breach={"severity": "general", "recorded_at": "2026-11-02T10:00:00"},
    )
    entry = cr.project("commitments", "c1", breached, [breach()])
    assert entry is not None and cr.entry_shown(entry, TODAY)
    assert entry["status_label"] == "已违诺" and entry["shown_until"] == "2027-11-02"
    # The repair of its 失信记录 ends it, wherever it is shown.
    assert cr.project("commitments", "c1", breached, [breach(repaired=True)]) is None
    assert not shown("dishonesty_records", breach(repaired=True))


def test_a_record_past_its_publication_period_is_not_shown() -> None:
    old = breach(decided_on="2025-11-01")  # 一般: one year
    entry = cr.project("dishonesty_records", "d1", old)
    assert entry is not None
    assert cr.entry_shown(entry, date(2026, 11, 1)) and not cr.entry_shown(entry, TODAY)
    serious = cr.project(
        "dishonesty_records", "d1", breach(decided_on="2024-01-10", severity="serious")
    )
    assert serious is not None and cr.entry_shown(serious, TODAY)  # three years
    letter = cr.project("commitments", "c1", commitment(signed_on="2023-12-03"))
    assert letter is not None and not cr.entry_shown(letter, TODAY)  # three years of letters


def test_a_revoked_record_is_not_shown_and_one_under_objection_is_marked() -> None:
    assert not shown("dishonesty_records", breach(objection_status="revoked"))
    pending = cr.project("dishonesty_records", "d1", breach(objection_status="pending"))
    assert pending is not None and cr.entry_shown(pending, TODAY)
    assert pending["objection"] == "pending"
    # An entry that says it was revoked is hidden by the rule itself, not only by the projection.
    assert not cr.entry_shown({**pending, "revoked": True}, TODAY)
    assert not cr.entry_shown({**pending, "repaired": True}, TODAY)
    assert not cr.entry_shown({**pending, "publishable": False}, TODAY)


def test_a_minor_record_is_published_only_when_it_says_so() -> None:
    assert not shown("dishonesty_records", breach(severity="minor"))
    assert shown("dishonesty_records", breach(severity="minor", publishable=True))


@pytest.mark.parametrize("name", ["credit_grade", "grade", "risk_grade", "evidence", "note"])
def test_entries_carry_no_internal_fields(name: str) -> None:
    fields = {**breach(), "credit_grade": "D", "grade": "D", "risk_grade": "D", "note": "内部"}
    entry = cr.project("dishonesty_records", "d1", fields)
    assert entry is not None and name not in entry
    assert "伪造完税证明" not in str(entry)


def test_local_forms_win_over_the_pulled_copy_and_a_local_withdrawal_hides_it() -> None:
    pulled = cr.project("commitments", "c1", commitment())
    assert pulled is not None
    mine = {**pulled, "status_label": "已履行"}
    merged = cr.merge_entries([pulled], {("commitments", "c1"): mine})
    assert merged == [mine]
    assert cr.merge_entries([pulled], {("commitments", "c1"): None}) == []


def test_standing_says_that_not_why() -> None:
    assert cr.standing_entry(USCC, False) is None
    entry = cr.standing_entry(USCC, True)
    assert entry is not None and cr.entry_shown(entry, TODAY)
    assert "D" not in entry["reason"] and "容缺受理" in entry["reason"]
    record = cr.public_record(entries=[entry], today=TODAY)
    assert record.standing == (entry,)


def test_public_record_counts_one_breach_once() -> None:
    breached = commitment(status="breached", breach={"severity": "general"})
    entries = [
        cr.project("commitments", "c1", breached, [breach()]),
        cr.project("dishonesty_records", "d1", breach()),
    ]
    record = cr.public_record(entries=[e for e in entries if e], today=TODAY)
    assert len(record.commitments) == 1 and len(record.dishonesty) == 1
    assert len(record.breaches) == 1
