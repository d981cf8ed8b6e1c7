"""The platform trusts no client-chosen field (issue #17), against a REAL platform process.

* every integer on the wire has a range: 2**63 is a 422 that says so, never a 500;
* who recorded a form and when are the platform's (the account, its clock; the client's time
  kept apart), entity names are the registry's, and none of them can be changed afterwards;
* an inspection result goes public (``public_inspections``) only once a supervisor publishes
  it, named by the registry, never by the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from desktop_app.store.models import ReferenceRecord
from platform_server.publication import publication_id
from platform_server.registry import mirror_id
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import _admin_token
from tests.sync.test_engine import Device

INSPECTOR = "inspector.luzhou.1"  # the demo draw gives this account tasks
WINDOW = "window.shangdang.1"
CHINA = timezone(timedelta(hours=8))


@pytest.fixture
def inspector(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "i", INSPECTOR)
    device.sync()
    yield device
    device.close()


def _headers(device: Device) -> dict[str, str]:
    return {"Authorization": f"Bearer {device.transport._access}"}  # the device's own token


def _push(device: Device, *mutations: dict[str, Any]) -> requests.Response:
    return requests.post(  # the raw answer, whatever its status
        f"{device.transport.base_url}/v1/sync/push",
        json={"device_id": device.device_id, "mutations": list(mutations)},
        headers=_headers(device),
        timeout=10,
    )


def _task(device: Device) -> dict[str, Any]:
    from desktop_app.services.inspections import InspectionService

    task = InspectionService(device.store, INSPECTOR).tasks()[0]
    return {"task_id": task.task_id, "uscc": task.uscc, "name": task.entity_name}


def _result(task: dict[str, Any], seq: int, record_id: str, **over: Any) -> dict[str, Any]:
    fields = {
        "task_id": task["task_id"],
        "uscc": task["uscc"],
        "inspected_on": date.today().isoformat(),
        "conclusion": "未发现问题",
        "outcome": "no_problem",
        "publishable": True,
        **over,
    }
    return {
        "mutation_seq": seq,
        "collection": "inspection_results",
        "record_id": record_id,
        "op": "create",
        "fields": fields,
    }


def test_out_of_range_integers_are_a_422_that_says_so(inspector: Device) -> None:
    task = _task(inspector)
    huge = _result(task, 2**63, f"r-{uuid.uuid4().hex[:8]}")
    answer = _push(inspector, huge)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "validation_error" and "请求内容不符合接口要求" in body["message"]
    assert "mutation_seq" in answer.text
    update = {**_result(task, 1, "r-x"), "op": "update", "base_version": 2**63}
    assert _push(inspector, update).status_code == 422
    blob = requests.post(
        f"{inspector.transport.base_url}/v1/blobs",
        json={"sha256": "0" * 64, "size": 2**63, "content_type": "image/jpeg"},
        headers=_headers(inspector),
        timeout=10,
    )
    assert blob.status_code == 422, blob.text


def test_who_and_when_are_the_platforms_and_cannot_be_rewritten(inspector: Device) -> None:
    task = _task(inspector)
    record_id = f"r-{uuid.uuid4().hex[:10]}"
    forged = _result(
        task,
        1,
        record_id,
        inspector="别人",
        recorded_at="2020-01-01T08:00:00",
        entity_name="冒名顶替有限公司",
    )
    answer = _push(inspector, forged)
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    assert result["status"] == "applied", result
    fields = result["server_fields"]
    assert fields["inspector"] == "潞州区执法1"  # the account's name, not the form's
    assert fields["client_recorded_at"] == "2020-01-01T08:00:00"  # the client's time, kept apart
    stamped = datetime.fromisoformat(fields["recorded_at"])
    assert abs(stamped - datetime.now(CHINA).replace(tzinfo=None)) < timedelta(minutes=5)
    assert fields["entity_name"] == task["name"] != "冒名顶替有限公司"  # the registry's name
    for name, value in (("inspector", "别人"), ("recorded_at", "2020-01-01T08:00:00")):
        change = {
            "mutation_seq": 2 if name == "inspector" else 3,
            "collection": "inspection_results",
            "record_id": record_id,
            "op": "update",
            "base_version": result["version"],
            "fields": {name: value},
        }
        (refused,) = _push(inspector, change).json()["results"]
        assert refused["status"] == "rejected" and "不能修改" in refused["message"], refused


def test_a_result_goes_public_only_once_published_and_named_by_the_registry(
    inspector: Device, live_server: LiveServer, tmp_path: Path
) -> None:
    task = _task(inspector)
    record_id = f"r-{uuid.uuid4().hex[:10]}"
    pushed = _push(inspector, _result(task, 10, record_id, entity_name="冒名顶替有限公司"))
    assert pushed.json()["results"][0]["status"] == "applied"
    window = Device(live_server, tmp_path / "w", WINDOW)
    try:
        window.sync()
        assert _mirror(window, record_id) is None  # nothing public before publication
        token = _admin_token(live_server, "supervisor")
        item = publication_id("inspection_results", record_id)
        done = requests.post(
            f"{live_server.url}/v1/publications/{item}/publish",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert done.status_code == 200, done.text
        window.sync()
        mirror = _mirror(window, record_id)
        assert mirror is not None and mirror["entity_name"] == task["name"]
        assert mirror["published_on"] and "冒名" not in str(mirror)
    finally:
        window.close()


def _mirror(device: Device, record_id: str) -> dict[str, Any] | None:
    import json

    with device.store.read() as s:
        row = s.scalars(
            select(ReferenceRecord).where(
                ReferenceRecord.collection == "public_inspections",
                ReferenceRecord.record_id == mirror_id(record_id),
                ReferenceRecord.deleted.is_(False),
            )
        ).first()
        return json.loads(row.data) if row is not None else None
