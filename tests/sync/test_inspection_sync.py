"""现场检查 recorded through the service reach the REAL platform exactly once, with their photos.

An inspector of the demo draw pulls their tasks, records a 失信警示 with a finding and two
photos offline, and syncs: the platform holds the result, the finding and the warning once
each (the warning with the deadline the platform derives), the photos by SHA-256, and the
result in the publication feed; once a supervisor publishes it, the inspector's next pull says
so. An amendment after the sync reaches the platform with its reason.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.inspections import (
    FindingInput,
    InspectionInput,
    InspectionService,
    ItemAnswer,
)
from tests.domain.test_photos import _qt_image, exif_segment, with_exif
from tests.sync.conftest import LiveServer
from tests.sync.helpers import server_count
from tests.sync.test_engine import Device

INSPECTOR = "inspector.luzhou.1"
ON_SITE = datetime(2025, 9, 26, 15, 0)  # Friday before the 2025 National Day holiday


def server_rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


def server_fields(db: Path, collection: str, **where: str) -> list[tuple[str, dict[str, Any]]]:
    """``(record_id, fields)`` of the live platform records matching JSON field values."""
    sql = "SELECT record_id, data FROM records WHERE collection = ? AND NOT deleted"
    params: list[Any] = [collection]
    for name, value in where.items():
        sql += f" AND json_extract(data, '$.{name}') = ?"
        params.append(value)
    return [(rid, json.loads(data)) for rid, data in server_rows(db, sql, *params)]


@pytest.fixture
def inspector(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "insp", INSPECTOR)
    device.sync()  # 离线准备 in the office: tasks, checklists, entities, calendar
    yield device
    device.close()


def _photo(seed: int) -> bytes:
    jpeg = _qt_image("JPG")
    # Distinct content per photo: a comment segment after the EXIF block.
    comment = f"现场照片 {seed}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return with_exif(jpeg, exif_segment() + segment)


def _warning_input(task_id: str, items: list[int], **over: Any) -> InspectionInput:
    failed = items[1]
    base: dict[str, Any] = {
        "task_id": task_id,
        "inspected_on": date(2025, 9, 26),
        "answers": tuple(
            ItemAnswer(
                no,
                ItemResult.FAIL if no == failed else ItemResult.PASS,
                "年度报告中的从业人数与社保缴费记录不符" if no == failed else "",
            )
            for no in items
        ),
        "conclusion": "年度报告公示信息不真实，予以失信警示。",
        "location": "企业住所",
        "representative_name": "王五",
        "representative_role": "法定代表人",
        "findings": (FindingInput("年度报告公示的从业人数不真实", "general", failed),),
        "outcome": Outcome.WARNING,
        "deadline_working_days": 5,
        "warning_content": "请于5个工作日内更正年度报告公示信息。",
    }
    return InspectionInput(**{**base, **over})


def test_an_inspection_with_photos_and_a_warning_reaches_the_platform_once(
    inspector: Device, live_server: LiveServer, tmp_path: Path
) -> None:
    db = live_server.db_path
    service = InspectionService(inspector.store, INSPECTOR, clock=lambda: ON_SITE)
    tasks = service.tasks()
    assigned = server_count(
        db,
        "SELECT count(DISTINCT task_id) FROM task_assignments "
        "WHERE user_id = (SELECT id FROM users WHERE username = ?)",
        INSPECTOR,
    )
    assert len(tasks) == assigned > 0
    task = tasks[0]
    assert task.status == "assigned" and task.address  # the entity came with the task
    checklist = service.checklist(task.checklist_id)
    items = [i.no for i in checklist.items]
    assert len(items) >= 2

    view = service.record(_warning_input(task.task_id, items))
    photos = [_photo(1), _photo(2)]
    added = service.add_photos(view.record_id, [("现场1.jpg", photos[0]), ("现场2.jpg", photos[1])])
    assert added.errors == () and len(added.added) == 2
    assert service.task(task.task_id).status == "in_progress"

    report = inspector.sync()
    assert report.rejected == 0 and report.applied == 4  # type: ignore[attr-defined]
    assert report.blobs_uploaded == 2  # type: ignore[attr-defined]

    results = server_fields(db, "inspection_results", task_id=task.task_id)
    assert [rid for rid, _f in results] == [view.record_id]
    fields = results[0][1]
    shas = [hashlib.sha256(p).hexdigest() for p in photos]
    assert fields["attachments"] == shas and [p["sha256"] for p in fields["photos"]] == shas
    assert fields["outcome"] == "warning" and fields["rectify_deadline"] == "2025-10-10"
    assert fields["items"][1] == {
        "no": items[1],
        "result": "fail",
        "note": "年度报告中的从业人数与社保缴费记录不符",
    }
    findings = server_fields(db, "findings", result_id=view.record_id)
    assert len(findings) == 1 and findings[0][1]["item_no"] == items[1]
    warnings = server_fields(db, "warnings", result_id=view.record_id)
    assert len(warnings) == 1
    assert warnings[0][1]["rectify_deadline"] == "2025-10-10"  # derived by the platform
    # The blobs are on the platform by SHA-256, byte for byte.
    for sha, content in zip(shas, photos, strict=True):
        assert server_count(db, "SELECT count(*) FROM blobs WHERE sha256 = ? AND complete", sha)
        got = inspector.transport.request("GET", f"/v1/blobs/{sha}")
        assert got.content == content

    # Publishable: in the feed, mirrored, pulled back as "not yet published".
    feed = server_rows(
        db,
        "SELECT id, published_at FROM publications WHERE collection = ? AND record_id = ?",
        "inspection_results",
        view.record_id,
    )
    assert len(feed) == 1 and feed[0][1] is None
    synced = service.get(view.record_id)
    assert synced.synced and synced.published is False
    assert [v.record_id for v in service.unpublished()] == [view.record_id]
    assert service.task(task.task_id).status == "done"

    # A second sync sends nothing again: everything is there exactly once.
    again = inspector.sync()
    assert again.pushed == 0  # type: ignore[attr-defined]
    for collection in ("inspection_results", "findings", "warnings"):
        assert len(server_fields(db, collection, task_id=task.task_id)) == 1

    # A supervisor publishes it; the inspector's next pull brings the published mirror.
    supervisor = Device(live_server, tmp_path / "sup", "supervisor")
    try:
        answer = supervisor.transport.request("POST", f"/v1/publications/{feed[0][0]}/publish")
        assert answer.status_code == 200
    finally:
        supervisor.close()
    inspector.sync()
    assert service.get(view.record_id).published is True
    assert service.unpublished() == []


def test_an_amendment_after_sync_reaches_the_platform_with_its_reason(
    inspector: Device, live_server: LiveServer
) -> None:
    db = live_server.db_path
    service = InspectionService(inspector.store, INSPECTOR, clock=lambda: ON_SITE)
    task = service.tasks(include_done=False)[0]
    items = [i.no for i in service.checklist(task.checklist_id).items]
    view = service.record(_warning_input(task.task_id, items))
    assert inspector.sync().rejected == 0  # type: ignore[attr-defined]

    amended = service.amend(
        view.record_id,
        _warning_input(task.task_id, items, deadline_working_days=10),
        "整改期限填写有误，应为10个工作日",
    )
    assert not amended.synced and amended.deadline == date(2025, 10, 16)
    report = inspector.sync()
    assert report.rejected == 0 and report.conflicts == 0  # type: ignore[attr-defined]

    ((_rid, fields),) = server_fields(db, "inspection_results", task_id=task.task_id)
    (amendment,) = fields["amendments"]
    assert amendment["reason"] == "整改期限填写有误，应为10个工作日"
    assert amendment["by"] == INSPECTOR
    assert amendment["changes"]["rectify_working_days"] == {"from": 5, "to": 10}
    assert fields["rectify_working_days"] == 10 and fields["rectify_deadline"] == "2025-10-16"
    ((_wid, warning),) = server_fields(db, "warnings", result_id=view.record_id)
    assert warning["rectify_working_days"] == 10
    assert warning["rectify_deadline"] == "2025-10-16"  # the platform derived it again
    assert service.get(view.record_id).synced
