"""主体查询 service: classification of queries, audited card views, USCC overrides."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.domain.uscc import compute_check_digit
from desktop_app.services.app import AppServices
from desktop_app.services.errors import ServiceError
from desktop_app.store import audit
from desktop_app.store.models import AuditRecord, OutboxEntry, UsccOverride


def a_code(services: AppServices) -> str:
    row = services.lookup.rows(services.lookup.lookup("有限公司").ids[:1])[0]
    return row.uscc


def with_wrong_check_digit(code: str) -> str:
    right = compute_check_digit(code[:17])
    wrong = "0" if right != "0" else "1"
    return code[:17] + wrong


def test_valid_code_finds_the_entity(seeded_services: AppServices) -> None:
    code = a_code(seeded_services)
    result = seeded_services.lookup.lookup(f"  {code.lower()} ")
    assert result.kind == "uscc" and result.code == code and len(result.ids) == 1


def test_code_in_pasted_licence_qr_text_is_found(seeded_services: AppServices) -> None:
    code = a_code(seeded_services)
    result = seeded_services.lookup.lookup(f"https://www.gsxt.gov.cn/index.html?uniscid={code}")
    assert result.kind == "uscc" and result.code == code and len(result.ids) == 1


def test_wrong_check_digit_says_where_and_is_overridable(seeded_services: AppServices) -> None:
    bad = with_wrong_check_digit(a_code(seeded_services))
    result = seeded_services.lookup.lookup(bad)
    assert result.kind == "invalid_uscc" and result.overridable
    assert any("18" in p for p in result.problems)


def test_bad_character_is_not_overridable(seeded_services: AppServices) -> None:
    code = a_code(seeded_services)
    bad = code[:10] + "O" + code[11:]
    result = seeded_services.lookup.lookup(bad)
    assert result.kind == "invalid_uscc" and not result.overridable
    assert any("11" in p for p in result.problems)


def test_name_search_and_rows(seeded_services: AppServices) -> None:
    result = seeded_services.lookup.lookup("有限公司")
    assert result.kind == "name" and result.ids and not result.truncated
    rows = seeded_services.lookup.rows(result.ids[:10])
    assert [r.id for r in rows] == list(result.ids[:10])
    assert all("有限公司" in r.name for r in rows)


def test_viewing_a_card_is_audited(seeded_services: AppServices) -> None:
    code = a_code(seeded_services)
    entity_id = seeded_services.lookup.lookup(code).ids[0]
    card = seeded_services.lookup.card(entity_id, purpose="窗口受理")
    assert card.uscc == code and card.registration_authority
    with seeded_services.store.read() as s:
        rows = s.scalars(select(AuditRecord)).all()
        assert [(r.action, r.subject_id, r.actor) for r in rows] == [
            ("entity.viewed", code, "tester")
        ]
        assert audit.verify(s).ok


def test_override_commits_row_outbox_and_audit_together(seeded_services: AppServices) -> None:
    bad = with_wrong_check_digit(a_code(seeded_services))
    seeded_services.lookup.record_uscc_override(bad, "早期试点发放的合法代码，已核对营业执照原件")
    with seeded_services.store.read() as s:
        assert [o.uscc for o in s.scalars(select(UsccOverride))] == [bad]
        [entry] = s.scalars(select(OutboxEntry)).all()
        assert entry.collection == "uscc_overrides" and entry.fields["uscc"] == bad
        assert [r.action for r in s.scalars(select(AuditRecord))] == ["uscc.override"]


def test_override_without_reason_saves_nothing(seeded_services: AppServices) -> None:
    bad = with_wrong_check_digit(a_code(seeded_services))
    with pytest.raises(ServiceError):
        seeded_services.lookup.record_uscc_override(bad, "  ")
    with seeded_services.store.read() as s:
        assert s.scalars(select(UsccOverride)).all() == []
        assert s.scalars(select(OutboxEntry)).all() == []


def test_missing_entity_card_is_a_clear_error(services: AppServices) -> None:
    with pytest.raises(ServiceError, match="同步"):
        services.lookup.card(12345)
