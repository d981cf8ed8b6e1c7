"""诚信教育 made offline reaches the REAL platform: a session and its check-ins, in order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.education import ATTENDANCE, SESSIONS, EducationService, SessionDraft
from desktop_app.store.models import FormRecord
from tests.sync.conftest import LiveServer
from tests.sync.test_engine import WINDOW_A, Device

NEW_ENTRANT = generate_uscc("9", "1", "140403", "00000731")
OTHER_ENTRANT = generate_uscc("9", "2", "140402", "00000925")


@pytest.fixture
def device(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    window = Device(live_server, tmp_path / "edu", WINDOW_A)
    yield window
    window.close()


def _platform_rows(db: Path, collection: str, *ids: str) -> dict[str, tuple[dict, str | None]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(ids))
        rows = conn.execute(
            f"SELECT record_id, data, hall_id FROM records "
            f"WHERE collection = ? AND deleted = 0 AND record_id IN ({marks})",
            (collection, *ids),
        ).fetchall()
    finally:
        conn.close()
    return {rid: (json.loads(data), hall) for rid, data, hall in rows}


def test_offline_session_and_check_ins_reach_the_platform(
    device: Device, live_server: LiveServer
) -> None:
    # Offline: no pull has run, so the entity cache is empty (new entrants are allowed).
    education = EducationService(device.store, WINDOW_A)
    held = education.create_session(
        SessionDraft(
            title="市场主体诚信经营第一课",
            held_on="2026-11-27",
            start_time="09:00",
            end_time="11:30",
            place="潞州区政务服务中心三楼培训室",
            facilitator="李玥",
            materials=["信用承诺告知书样本"],
            capacity=30,
        )
    )
    first = education.check_in(
        held.id,
        f"https://www.gsxt.gov.cn/x?uniscid={NEW_ENTRANT}",
        "王堃喆",
        "法定代表人",
        phone="13812345678",
        id_number="140402199001011235",
        entity_name="长治市堃喆商贸有限公司",
    )
    second = education.check_in(
        held.id, OTHER_ENTRANT, "赵昇", "经办人", entity_name="潞州区昇玥小吃店"
    )
    assert all("本地主体库中没有该代码" in " ".join(r.warnings) for r in (first, second))

    report = device.sync()
    assert (report.applied, report.rejected, report.conflicts) == (3, 0, 0)  # type: ignore[attr-defined]

    db = live_server.db_path
    sessions = _platform_rows(db, SESSIONS, held.id)
    data, hall = sessions[held.id]
    assert hall == "hall-140403"
    assert data["title"] == "市场主体诚信经营第一课" and data["capacity"] == 30
    people = _platform_rows(db, ATTENDANCE, first.attendee.id, second.attendee.id)
    assert {
        rid: (d["attendee_name"], d["uscc"], d["session_id"]) for rid, (d, _h) in people.items()
    } == {
        first.attendee.id: ("王堃喆", NEW_ENTRANT, held.id),
        second.attendee.id: ("赵昇", OTHER_ENTRANT, held.id),
    }
    assert all(h == "hall-140403" for _d, h in people.values())
    # The masked identity number is what travelled; the full one never left the device.
    assert people[first.attendee.id][0]["id_number"] == "140402********1235"

    # Locally the forms are confirmed, and the list shows them as synced.
    with device.store.read() as s:
        forms = [s.get(FormRecord, (ATTENDANCE, p.attendee.id)) for p in (first, second)]
    assert all(f is not None and f.version == 1 and not f.dirty for f in forms)
    listed = education.sessions()
    assert [(s.id, s.attendees, s.synced) for s in listed] == [(held.id, 2, True)]
    assert all(a.synced for a in education.attendees(held.id))
    assert device.sync().applied == 0  # type: ignore[attr-defined]  # nothing sent twice
