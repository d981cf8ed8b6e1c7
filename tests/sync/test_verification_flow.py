"""承诺核查 end to end on a REAL platform process: a window, a supervisor, an inspector.

A 告知承诺 taken at window A is due for verification (the matter's working days after
signing); the supervisor lists it and assigns it; the inspector pulls the task, records the
verification offline (承诺不实, with evidence) and syncs; the platform applies it with the one
commitment lifecycle, and window B sees the breach in the city-wide record after its sync
while window A's own commitment reads 虚假承诺.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import requests

from desktop_app.domain.commitments import CommitmentKind, CommitmentStatus
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.domain.verification import verification_due
from desktop_app.domain.working_days import DEFAULT_CALENDAR
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.errors import ServiceError
from desktop_app.services.inspections import InspectionInput, InspectionService, ItemAnswer
from sync.errors import Refused
from sync.verifications import assign_verifications, fetch_due_verifications
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import _admin_token, _card, _clean_entity
from tests.sync.test_engine import Device

HALL_A = "window.luzhou.1"
HALL_B = "window.shangdang.1"
INSPECTOR = "inspector.luzhou.2"
SIGNED_AT = datetime(2026, 6, 1, 10, 0)  # a Monday; its 核查 is long due
ON_SITE = datetime(2026, 7, 10, 15, 0)


@pytest.fixture
def people(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Device, Device, Device]]:
    devices = [
        Device(live_server, tmp_path / "a", HALL_A),
        Device(live_server, tmp_path / "b", HALL_B),
        Device(live_server, tmp_path / "i", INSPECTOR),
    ]
    for device in devices:
        device.sync()
    yield devices[0], devices[1], devices[2]
    for device in devices:
        device.close()


def test_a_notified_commitment_is_verified_by_an_inspector_and_the_breach_reaches_every_window(
    qapp: object, people: tuple[Device, Device, Device], live_server: LiveServer
) -> None:
    a, b, inspector = people
    code = _clean_entity(b)
    letter = CommitmentService(a.store, HALL_A, clock=lambda: SIGNED_AT).create(
        CommitmentInput(
            uscc=code, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
        )
    )
    a.sync()
    # The supervisor's list (through the client's own request functions).
    supervisor = Device(live_server, Path(str(a.store.path)).parent.parent / "s", "supervisor")
    try:
        due = [d for d in fetch_due_verifications(supervisor.transport) if d["uscc"] == code]
        (item,) = due
        expected = verification_due(SIGNED_AT.date(), DEFAULT_CALENDAR, 20)
        assert item["commitment_id"] == letter.record_id and item["overdue"]
        assert item["verify_due_on"] == expected.isoformat()
        # A refusal reaches the user in the platform's own words (not "format error").
        with pytest.raises(Refused) as refused:
            assign_verifications(supervisor.transport, [letter.record_id], [HALL_A])
        assert "不是执法人员" in refused.value.user_message and HALL_A in refused.value.user_message
        (task_id,) = assign_verifications(supervisor.transport, [letter.record_id], [INSPECTOR])
    finally:
        supervisor.close()

    # The inspector takes the task offline (离线准备 = a sync in the office) …
    inspector.sync()
    service = InspectionService(inspector.store, INSPECTOR, clock=lambda: ON_SITE)
    task = service.task(task_id)
    assert task.verification is not None and task.verification.commitment_id == letter.record_id
    assert task.verification.kind_label == "告知承诺" and task.verification.verdict == ""
    checklist = service.checklist(task.checklist_id)
    assert checklist.title == "信用承诺核查检查表"
    answers = tuple(
        ItemAnswer(i.no, ItemResult.FAIL, "承诺时欠税")
        if i.no == 2
        else ItemAnswer(i.no, ItemResult.PASS)
        for i in checklist.items
    )
    evidence = "税务机关出具的证明显示，承诺时存在欠税，所作承诺与事实不符。"
    base = InspectionInput(
        task_id=task_id,
        inspected_on=ON_SITE.date(),
        answers=answers,
        conclusion=evidence,
        outcome=Outcome.RECTIFY,
        deadline_working_days=5,
    )
    with pytest.raises(ServiceError, match="核查结论只能是"):
        service.record(replace_input(base, verification="maybe"))
    view = service.record(replace_input(base, verification="breached"))
    assert service.task(task_id).verification.verdict == "breached"  # type: ignore[union-attr]
    with pytest.raises(ServiceError, match="不能更改"):
        service.record(replace_input(base, verification="kept"))
    report = inspector.sync()
    assert report.rejected == 0, inspector.events  # type: ignore[attr-defined]
    assert view.record_id

    # … and every window learns of the breach at its next sync.
    a.sync()
    b.sync()
    mine = CommitmentService(a.store, HALL_A).get(letter.record_id)
    assert mine.status is CommitmentStatus.VERIFIED_FALSE and mine.breach is not None
    card = _card(b, code)
    assert [r.title.split("：")[0] for r in card.records] == ["虚假承诺"]
    assert card.tolerance is not None and not card.tolerance.allowed
    # The supervisor's list no longer holds it.
    token = _admin_token(live_server, "supervisor")
    left = requests.get(
        f"{live_server.url}/v1/verifications",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert all(d["commitment_id"] != letter.record_id for d in left)


def replace_input(base: InspectionInput, **over: object) -> InspectionInput:
    from dataclasses import replace

    return replace(base, **over)  # type: ignore[arg-type]


def test_the_due_date_is_on_the_official_calendar() -> None:
    # 20 working days after Monday 2026-06-01 (Dragon Boat Festival 6-19 is a holiday).
    due = verification_due(date(2026, 6, 1), DEFAULT_CALENDAR, 20)
    assert due == date(2026, 6, 30)
