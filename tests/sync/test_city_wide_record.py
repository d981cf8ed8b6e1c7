"""一处失信、处处受限, end to end: two halls, one REAL platform process, two encrypted stores.

A false commitment found at the 潞州区 hall makes the 容缺受理 check at the 上党区 hall answer
不可 with the reason, and hall B's credit report prints the breach; once the 失信记录 is repaired
it appears nowhere. A change of the 容缺受理 threshold on the platform changes hall B's answer
after its next sync, with no client release. No window payload or screen carries a risk class.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import func, select

from desktop_app.domain.commitments import BreachSeverity, CommitmentKind
from desktop_app.domain.credit_record import STANDING_REASON
from desktop_app.reports.document import Document, Table
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.entities import EntityCard, EntityLookupService, credit_check
from desktop_app.services.reports import IssueRequest, ReportService
from desktop_app.store.models import Entity, ReferenceRecord
from platform_server.demo import DEMO_PASSWORD, demo_entities
from platform_server.demo_credit import PERSON_REPEAT
from tests.sync.conftest import LiveServer
from tests.sync.helpers import edit_form
from tests.sync.test_engine import Device

HALL_A = "window.luzhou.1"  # 潞州区政务服务中心
HALL_B = "window.shangdang.1"  # 上党区政务服务中心
REQUEST = IssueRequest(purpose="行政审批", issuing_unit="长治市上党区政务服务中心")


@pytest.fixture
def halls(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    a = Device(live_server, tmp_path / "a", HALL_A)
    b = Device(live_server, tmp_path / "b", HALL_B)
    a.sync()
    b.sync()
    yield a, b
    a.close()
    b.close()


def _card(device: Device, uscc: str) -> EntityCard:
    with device.store.read() as s:
        entity = s.scalars(select(Entity).where(Entity.uscc == uscc)).one()
        return credit_check(s, entity)


def _report_text(device: Device, uscc: str) -> str:
    """Every table cell of the credit report hall ``device`` would print (one per line)."""
    with device.store.read() as s:
        entity_id = s.scalars(select(Entity.id).where(Entity.uscc == uscc)).one()
    document: Document = ReportService(device.store, HALL_B, None).draft(entity_id, REQUEST)
    cells = [
        cell
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Table)
        for row in block.rows
        for cell in row
    ]
    return "\n".join(cells)


def _clean_entity(device: Device) -> str:
    """An entity whose 容缺受理 check passes at this hall and that no hall has a form for."""
    with device.store.read() as s:
        codes = list(s.scalars(select(Entity.uscc).order_by(Entity.uscc)))
    for code in codes:
        card = _card(device, code)
        if card.tolerance and card.tolerance.allowed and not card.commitments and not card.lists:
            return code
    raise AssertionError("no clean entity in the demo registry")


def _admin_token(server: LiveServer, username: str = "admin") -> str:
    """An access token for a demo account (a device of its own, enrolled by the login)."""
    key = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    login = requests.post(
        f"{server.url}/v1/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "device_id": f"api-test-{username.replace('.', '-')}-{uuid.uuid4().hex[:8]}",
            "device_public_key": base64.b64encode(key).decode(),
        },
        timeout=10,
    )
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])


def _set_tolerance(server: LiveServer, token: str, grades: list[str]) -> dict[str, Any]:
    answer = requests.put(
        f"{server.url}/v1/policies/tolerance",
        json={"content": {"barred_grades": grades}, "note": "测试：调整容缺受理门槛"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _platform_grades(server: LiveServer) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT data FROM records WHERE collection = 'credit_grades' AND NOT deleted"
        ).fetchall()
    finally:
        conn.close()
    return {d["uscc"]: d["grade"] for d in (json.loads(r[0]) for r in rows)}


def test_a_breach_at_hall_a_bars_tolerance_at_hall_b_and_prints_there(
    halls: tuple[Device, Device],
) -> None:
    a, b = halls
    code = _clean_entity(b)
    assert "虚假承诺" not in _report_text(b, code)

    service = CommitmentService(a.store, HALL_A)
    letter = service.create(
        CommitmentInput(
            uscc=code, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
        )
    )
    false = service.verify(
        letter.record_id, truthful=False, note="所附完税证明系伪造", severity=BreachSeverity.GENERAL
    )
    assert false.breach is not None
    a.sync()
    b.sync()

    card = _card(b, code)
    assert card.tolerance is not None and not card.tolerance.allowed
    assert any("虚假承诺" in r and "一处失信" in r for r in card.tolerance.reasons)
    breached = [c for c in card.commitments if c.status_label == "已违诺"]
    assert len(breached) == 1 and not breached[0].here  # hall A's, seen at hall B
    assert any(r.kind == "dishonesty" for r in card.records)
    text = _report_text(b, code)
    assert "已违诺" in text and "虚假承诺" in text
    assert "所附完税证明系伪造" not in text  # evidence is internal, never printed

    # Repaired at hall A: after both syncs it appears nowhere at hall B.
    dishonesty_id = false.breach["dishonesty_id"]
    edit_form(a.store, "dishonesty_records", dishonesty_id, {"repaired": True})
    a.sync()
    b.sync()
    card = _card(b, code)
    assert card.tolerance is not None and card.tolerance.allowed, card.tolerance
    assert not [c for c in card.commitments if c.is_breach] and not card.records
    text = _report_text(b, code)
    assert "已违诺" not in text and "虚假承诺" not in text
    with b.store.read() as s:
        live = s.scalars(
            select(ReferenceRecord.data).where(
                ReferenceRecord.collection == "credit_entries",
                ReferenceRecord.entity_uscc == code,
                ReferenceRecord.deleted.is_(False),
            )
        ).all()
    assert live == []  # the window pull holds tombstones only


def test_the_platform_threshold_changes_the_windows_answer_after_its_next_sync(
    halls: tuple[Device, Device], live_server: LiveServer
) -> None:
    _a, b = halls
    grades = _platform_grades(live_server)
    candidates = sorted(u for u, g in grades.items() if g == "C")
    code = next(u for u in candidates if (card := _card(b, u)).tolerance and card.tolerance.allowed)
    token = _admin_token(live_server)
    try:
        changed = _set_tolerance(live_server, token, ["C", "D", "E"])
        assert changed["standing_changed"] >= 1
        card = _card(b, code)
        assert card.tolerance is not None and card.tolerance.allowed  # not synced yet
        b.sync()
        card = _card(b, code)
        assert card.tolerance is not None and not card.tolerance.allowed
        assert STANDING_REASON in card.tolerance.reasons
        assert "C" not in "".join(card.tolerance.reasons)  # the answer, never the class
    finally:
        _set_tolerance(live_server, token, ["D", "E"])
    b.sync()
    card = _card(b, code)
    assert card.tolerance is not None and card.tolerance.allowed


def test_no_risk_class_reaches_a_window(halls: tuple[Device, Device]) -> None:
    _a, b = halls
    with b.store.read() as s:
        assert s.scalar(select(func.count()).where(Entity.credit_grade.is_not(None))) == 0
        collections = set(s.scalars(select(ReferenceRecord.collection).distinct()))
        assert "credit_grades" not in collections
        blobs = s.scalars(select(ReferenceRecord.data)).all()
    assert not any('"grade"' in d or '"credit_grade"' in d for d in blobs)
    assert "credit_grade" not in EntityCard.__dataclass_fields__


def test_a_serious_list_legal_representative_blocks_tolerance_at_every_window(
    halls: tuple[Device, Device], live_server: LiveServer, tmp_path: Path
) -> None:
    _a, b = halls
    demo = list(demo_entities(PERSON_REPEAT + 1))  # the demo's own sequence (seed 2020)
    listed, applicant = demo[0], demo[PERSON_REPEAT]  # one person runs both
    assert applicant["legal_representative_id"] == listed["legal_representative_id"]
    person = f"{listed['legal_representative']} {listed['legal_representative_id']}"
    with b.store.read() as s:
        ids = {
            u: i
            for i, u in s.execute(
                select(Entity.id, Entity.uscc).where(
                    Entity.uscc.in_([listed["uscc"], applicant["uscc"]])
                )
            )
        }
    lookup = EntityLookupService(b.store)
    assert set(lookup.lookup_person(person).ids) >= set(ids.values())

    rows = tmp_path / "serious.csv"
    rows.write_text(
        "uscc,list,basis,since,notified_on\n"
        f"{listed['uscc']},严重失信主体名单,拒不履行法院判决,2026-11-02,2026-10-20\n",
        encoding="utf-8",
    )
    imported = live_server.cli("import", "--collection", "list_memberships", str(rows))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    b.sync()
    card = _card(b, applicant["uscc"])
    assert card.tolerance is not None and not card.tolerance.allowed
    reason = next(r for r in card.tolerance.reasons if "法定代表人" in r)
    assert listed["legal_representative"] in reason and listed["name"] in reason
    assert listed["legal_representative_id"] in reason  # masked: first 6 and last 4 only
