"""出具信用报告 on a real encrypted store: what is printed, what never is, numbers, signatures."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from desktop_app.domain import credit_record
from desktop_app.reports.credit_report import SECTION_TITLES
from desktop_app.reports.document import Document, Table
from desktop_app.services.app import AppServices
from desktop_app.services.errors import ServiceError
from desktop_app.services.reports import IssueRequest, ReportService
from desktop_app.services.status import LAST_SYNC_KEY
from desktop_app.store.models import AuditRecord, Entity, IssuedReport
from desktop_app.store.outbox import SyncStateRepo
from sync.credentials import DeviceIdentity
from sync.events import SyncReport
from sync.protocol.report_payload import decode_payload, signing_message
from sync.pull import apply_page
from sync.transport import PulledChange

TODAY = date.today()
RARE_NAME = "长治市堃喆昇玥镕赟商贸有限公司"
REQUEST = IssueRequest(purpose="招标投标", issuing_unit="长治市潞州区政务服务中心")


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def _entity(services: AppServices, name: str = RARE_NAME) -> Entity:
    with services.store.write() as s:
        entity = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
        entity.name = name
        entity.credit_grade = "D"
        s.flush()
        s.expunge(entity)
    return entity


def _pull(services: AppServices, changes: list[tuple[str, str, dict[str, Any]]]) -> None:
    page = [PulledChange(c, rid, 1, False, fields) for c, rid, fields in changes]
    with services.store.write() as s:
        apply_page(s, page, SyncReport())


def _records(uscc: str) -> list[tuple[str, str, dict[str, Any]]]:
    base = {"uscc": uscc, "decided_by": "长治市市场监督管理局"}
    return [
        (
            "licences",
            "lic-1",
            {
                **base,
                "licence_no": "JY11404030012345",
                "licence_name": "食品经营许可证",
                "matter": "食品经营许可",
                "content": "预包装食品销售",
                "decided_on": _ago(400),
                "valid_until": _ago(-800),
                "status": "valid",
            },
        ),
        ("licences", "lic-2", {**base, "licence_no": "REVOKED-LIC", "status": "revoked"}),
        (
            "penalties",
            "pen-current",
            {
                **base,
                "decision_no": "长市监罚〔2026〕12号",
                "violation": "销售过期食品",
                "penalty": "警告",
                "amount": 5000,
                "decided_on": _ago(60),
                "severity": "serious",
                "repair_status": "applying",
            },
        ),
        (
            "penalties",
            "pen-ended",
            {
                **base,
                "decision_no": "ENDED-PENALTY",
                "violation": "超范围经营",
                "penalty": "罚款",
                "decided_on": _ago(500),
                "severity": "general",
            },
        ),
        (
            "penalties",
            "pen-repaired",
            {
                **base,
                "decision_no": "REPAIRED-PENALTY",
                "violation": "未按规定公示年报",
                "penalty": "罚款",
                "decided_on": _ago(100),
                "severity": "general",
                "repair_status": "repaired",
                "repaired_on": _ago(10),
            },
        ),
        (
            "penalties",
            "pen-minor",
            {
                **base,
                "decision_no": "MINOR-UNPUBLISHED",
                "violation": "轻微违法",
                "penalty": "警告",
                "decided_on": _ago(10),
                "severity": "minor",
            },
        ),
        (
            "list_memberships",
            "lm-1",
            {
                **base,
                "list": "key_attention",
                "basis": "食品安全抽检两次不合格",
                "since": _ago(30),
                "status": "active",
            },
        ),
        (
            "list_memberships",
            "lm-2",
            {
                **base,
                "list": "red",
                "basis": "REMOVED-LIST",
                "since": _ago(900),
                "status": "removed",
            },
        ),
        (
            "credit_grades",
            f"cg-{uscc}",
            {"uscc": uscc, "grade": "D", "basis": "企业信用风险分类管理（内部）"},
        ),
        (
            "public_inspections",
            "pi-1",
            {
                "uscc": uscc,
                "inspected_on": _ago(20),
                "inspection_kind": "双随机抽查",
                "authority": "长治市潞州区市场监督管理局",
                "result": "未发现问题",
            },
        ),
        (
            "commitments",
            "cm-1",
            {
                "uscc": uscc,
                "kind": "tolerance",
                "status": "fulfilled",
                "matter": "食品经营许可（容缺受理）",
                "signed_on": _ago(50),
                "deadline": _ago(40),
                "publish": True,
            },
        ),
        (
            "commitments",
            "cm-private",
            {
                "uscc": uscc,
                "kind": "notify",
                "status": "signed",
                "matter": "PRIVATE-X",
                "signed_on": _ago(20),
                "publish": False,
            },
        ),
        *_city_wide(uscc),
        (
            "commitments",
            "cm-2",
            {"uscc": uscc, "kind": "notify", "status": "draft", "matter": "DRAFT-X"},
        ),
        ("education_sessions", "es-1", {"title": "新开办企业诚信经营第一课", "held_on": _ago(45)}),
        ("attendance", "at-1", {"session_id": "es-1", "attendee_name": "王堃", "uscc": uscc}),
    ]


def _breach(uscc: str, matter: str, days_ago: int, **over: Any) -> dict[str, Any]:
    return {
        "uscc": uscc,
        "source_collection": "commitments",
        "source_id": f"other-hall-{matter}",
        "kind": "false_commitment",
        "severity": "general",
        "evidence": "INTERNAL-EVIDENCE",
        "matter": matter,
        "decided_on": _ago(days_ago),
        **over,
    }


def _city_wide(uscc: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Entries of the city-wide record as the platform projects them from other halls' forms."""
    out = []
    for name, fields in (
        ("OTHER-HALL-BREACH", _breach(uscc, "OTHER-HALL-BREACH", 30)),
        ("EXPIRED-BREACH", _breach(uscc, "EXPIRED-BREACH", 400)),
        ("SERIOUS-OLD-BREACH", _breach(uscc, "SERIOUS-OLD-BREACH", 400, severity="serious")),
        ("DISPUTED-BREACH", _breach(uscc, "DISPUTED-BREACH", 20, objection_status="pending")),
    ):
        entry = credit_record.project("dishonesty_records", name, fields)
        assert entry is not None
        out.append((credit_record.ENTRY_COLLECTION, credit_record.entry_id("x", name), entry))
    # Entries that may not be shown, should a platform ever carry them, are still not shown.
    entry = credit_record.project("dishonesty_records", "r", _breach(uscc, "REPAIRED-BREACH", 9))
    assert entry is not None
    for name, flag in (("REPAIRED-BREACH", "repaired"), ("REVOKED-BREACH", "revoked")):
        bad = {**entry, "title": name, flag: True}
        out.append((credit_record.ENTRY_COLLECTION, credit_record.entry_id("y", name), bad))
    hidden = {**entry, "title": "UNPUBLISHABLE-BREACH", "publishable": False}
    out.append((credit_record.ENTRY_COLLECTION, "ce-unpublishable", hidden))
    return out


def _text_of(document: Document) -> str:
    return document.to_json()


@pytest.fixture
def reported(seeded_services: AppServices) -> tuple[AppServices, Entity]:
    entity = _entity(seeded_services)
    _pull(seeded_services, _records(entity.uscc))
    return seeded_services, entity


def test_report_has_every_section_and_only_what_may_be_disclosed(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    signed = services.reports.issue(entity.id, REQUEST)
    doc = signed.document
    assert [s.title for s in doc.sections] == list(SECTION_TITLES)
    text = _text_of(doc)
    assert RARE_NAME in text and entity.uscc in text and signed.report_no in text
    for shown in ("JY11404030012345", "长市监罚〔2026〕12号", "食品安全抽检两次不合格"):
        assert shown in text
    for shown in ("未发现问题", "食品经营许可（容缺受理）", "新开办企业诚信经营第一课", "王堃"):
        assert shown in text
    # The city-wide record: another hall's breach prints, one under objection is marked.
    for shown in ("OTHER-HALL-BREACH", "SERIOUS-OLD-BREACH", "DISPUTED-BREACH（异议处理中）"):
        assert shown in text
    assert "信用修复申请办理中" in text  # the repair section lists the application in progress
    for hidden in (
        "REVOKED-LIC",
        "ENDED-PENALTY",
        "REPAIRED-PENALTY",
        "MINOR-UNPUBLISHED",
        "REMOVED-LIST",
        "DRAFT-X",
        "PRIVATE-X",
        "EXPIRED-BREACH",
        "REPAIRED-BREACH",
        "REVOKED-BREACH",
        "UNPUBLISHABLE-BREACH",
        "INTERNAL-EVIDENCE",
        "企业信用风险分类管理",
        "credit_grade",
    ):
        assert hidden not in text
    # The internal grade letter appears in no cell of any table or grid.
    cells = [
        cell
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, Table)
        for row in block.rows
        for cell in row
    ]
    assert "D" not in cells
    assert doc.cover is not None and ("报告用途", "招标投标") in doc.cover.facts


def test_qr_payload_is_signed_by_the_device_and_covers_the_content(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    signed = services.reports.issue(entity.id, REQUEST)
    fields, signature = decode_payload(signed.payload)
    assert fields.report_no == signed.report_no and fields.uscc == entity.uscc
    assert fields.content_digest == hashlib.sha256(signed.document.content_bytes()).hexdigest()
    identity = DeviceIdentity.load_or_create(services.store)
    assert fields.device_id == identity.device_id
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(identity.public_key_b64))
    public.verify(signature, signing_message(fields))  # raises when it does not verify
    assert signed.document.qr_payload == signed.payload


def test_numbers_are_unique_and_sequential_per_device_and_day(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    numbers = [services.reports.issue(entity.id, REQUEST).report_no for _ in range(3)]
    assert len(set(numbers)) == 3
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]
    device = DeviceIdentity.load_or_create(services.store).device_id[:8].upper()
    assert all(n.startswith("XYBG-") and device in n for n in numbers)


def test_issue_is_audited_listed_and_reprints_exactly(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    signed = services.reports.issue(entity.id, REQUEST)
    rows = services.reports.issued()
    assert [r.report_no for r in rows] == [signed.report_no]
    assert rows[0].entity_name == RARE_NAME and not rows[0].registered
    again = services.reports.reprint(signed.report_no)
    assert again == signed.document and again.to_json() == signed.document.to_json()
    assert services.reports.issued(query=entity.uscc)[0].reprints == 1
    assert services.reports.issued(query="堃喆")[0].report_no == signed.report_no
    assert services.reports.issued(query="no such thing") == []
    with services.store.read() as s:
        actions = [
            (a.action, (a.details or {}).get("report_no"))
            for a in s.scalars(select(AuditRecord).order_by(AuditRecord.id))
        ]
    assert ("report.issued", signed.report_no) in actions
    assert ("report.reprinted", signed.report_no) in actions
    assert services.status.verify_audit_log().ok


def test_cover_warns_when_local_data_is_old_or_never_synced(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    never = services.reports.issue(entity.id, REQUEST)
    assert "尚未与市级平台同步" in never.stale_warning
    with services.store.write() as s:
        SyncStateRepo(s).set(LAST_SYNC_KEY, "2020-01-01 08:00")
    old = services.reports.issue(entity.id, IssueRequest("行政审批", "窗口", stale_after_days=7))
    assert "超过7天未与市级平台同步" in old.stale_warning
    assert old.document.cover is not None and old.document.cover.warning == old.stale_warning
    with services.store.write() as s:
        SyncStateRepo(s).set(LAST_SYNC_KEY, "2099-01-01 08:00")
    fresh = services.reports.issue(entity.id, REQUEST)
    assert fresh.stale_warning == ""


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (IssueRequest(purpose="随便", issuing_unit="窗口"), "请选择报告用途"),
        (IssueRequest(purpose="其他", issuing_unit="窗口"), "请填写具体用途"),
        (IssueRequest(purpose="市场准入", issuing_unit="  "), "请填写出具单位"),
        (IssueRequest(purpose="市场准入", issuing_unit="窗口", watermark="水" * 31), "水印"),
    ],
)
def test_bad_options_store_nothing(
    reported: tuple[AppServices, Entity], request_: IssueRequest, message: str
) -> None:
    services, entity = reported
    before = services.status.snapshot().audit_rows
    with pytest.raises(ServiceError, match=message):
        services.reports.issue(entity.id, request_)
    assert services.reports.issued() == []
    assert services.status.snapshot().audit_rows == before


def test_other_purpose_is_printed_with_its_description(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    signed = services.reports.issue(
        entity.id,
        IssueRequest("其他", "窗口", purpose_detail="银行贷款审查", watermark="仅供贷款使用"),
    )
    assert signed.document.cover is not None
    assert ("报告用途", "其他（银行贷款审查）") in signed.document.cover.facts
    assert signed.document.watermark == "仅供贷款使用"


def test_unknown_entity_and_missing_signer_are_clear_errors(
    reported: tuple[AppServices, Entity],
) -> None:
    services, entity = reported
    with pytest.raises(ServiceError, match="不在本地缓存"):
        services.reports.issue(10**9, REQUEST)
    unsigned = ReportService(services.store, "tester", None)
    with pytest.raises(ServiceError, match="无法为报告签名"):
        unsigned.issue(entity.id, REQUEST)
    with pytest.raises(ServiceError, match="没有编号"):
        services.reports.reprint("XYBG-NOPE")
    with services.store.read() as s:
        assert s.scalars(select(IssuedReport)).all() == []


def test_inline_registry_lists_are_reported_once(seeded_services: AppServices) -> None:
    services = seeded_services
    with services.store.write() as s:
        entity = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
        entity.lists = [{"list": "red", "basis": "INLINE-RED", "since": _ago(5)}]
        s.flush()
        s.expunge(entity)
    _pull(
        services,
        [
            (
                "list_memberships",
                "lm-red",
                {"uscc": entity.uscc, "list": "red", "basis": "PULLED-RED", "since": _ago(5)},
            )
        ],
    )
    text = services.reports.issue(entity.id, REQUEST).document.to_json()
    assert "PULLED-RED" in text and "INLINE-RED" not in text


def test_a_preview_is_marked_and_leaves_no_trace(reported: tuple[AppServices, Entity]) -> None:
    services, entity = reported
    before = services.status.snapshot().audit_rows
    draft = services.reports.draft(entity.id, REQUEST)
    assert draft.number == "预览-未出具" and not draft.qr_payload
    assert "不作为信用报告使用" in draft.watermark
    assert [s.title for s in draft.sections] == list(SECTION_TITLES)
    assert services.reports.issued() == []
    assert services.status.snapshot().audit_rows == before
    # The first real report still gets the first number of the day.
    assert services.reports.issue(entity.id, REQUEST).report_no.endswith("-0001")


def test_demo_data_fills_every_section_of_the_first_entity(services: AppServices) -> None:
    from desktop_app.services.demo_data import generate_entities
    from desktop_app.services.registry import seed_demo_if_empty

    assert seed_demo_if_empty(services.store, count=40) == 40
    first = next(generate_entities(1))
    with services.store.read() as s:
        entity_id = s.scalars(select(Entity.id).where(Entity.uscc == first["uscc"])).one()
    doc = services.reports.issue(entity_id, REQUEST).document
    overview = next(s for s in doc.sections if s.title == "概览")
    summary = next(b for b in overview.blocks if isinstance(b, Table))
    counts = dict(summary.rows)
    assert counts["行政许可"] == "2"
    # Four penalties: one serious and one under repair are shown; the one whose year of
    # publication ended and the repaired one are not.
    assert counts["行政处罚（公示期内）"] == "2"
    assert counts["公开的检查结果"] == "1"
    assert "信用修复申请办理中" in doc.to_json()
