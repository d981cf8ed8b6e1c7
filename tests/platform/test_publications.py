"""The publication feed: 7-working-day deadlines on the official calendar, overdue, publish."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from platform_server import publication
from platform_server.db import transaction
from platform_server.importer import import_rows
from platform_server.models import Publication
from platform_server.publication import (
    DEADLINE_UNKNOWN_NOTE,
    deleted_form_note,
    list_publications,
    note_for_publication,
    publication_id,
    withdraw_for_deleted_form,
)
from platform_server.records import Scope, bulk_insert_new, put_record
from tests.platform.conftest import add_user, auth, login
from tests.platform.helpers import (
    assign_task,
    make_caller,
    mutation,
    push,
    seed_entity,
    uscc,
)

USCC = "91350100M000100Y43"


def seventh_working_day(start: date) -> date:
    """Independent reference: count chinese_calendar working days after ``start``."""
    day, left = start, 7
    while left:
        day += timedelta(days=1)
        left -= chinese_calendar.is_workday(day)
    return day


def note(app: FastAPI, collection: str, record_id: str, fields: dict[str, Any]) -> None:
    with transaction(app.state.write_sessions) as session:
        note_for_publication(session, collection, record_id, fields, "140403")


def item(app: FastAPI, collection: str, record_id: str) -> Publication | None:
    with app.state.sessions() as s:
        return s.get(Publication, publication_id(collection, record_id))


@pytest.mark.parametrize(
    ("decided", "expected"),
    [
        # National Day 2025: Oct 1–8 off; Sunday Sep 28 and Saturday Oct 11 are make-up days.
        ("2025-09-26", "2025-10-13"),
        # Spring Festival 2026: Feb 15–23 off; Saturdays Feb 14 and Feb 28 are make-up days.
        ("2026-02-12", "2026-02-28"),
        # An ordinary week.
        ("2026-06-01", "2026-06-10"),
    ],
)
def test_deadline_on_the_official_calendar(app: FastAPI, decided: str, expected: str) -> None:
    assert seventh_working_day(date.fromisoformat(decided)).isoformat() == expected
    note(app, "commitments", "c1", {"uscc": USCC, "publish": True, "signed_on": decided})
    pub = item(app, "commitments", "c1")
    assert pub is not None
    assert (pub.kind, pub.decided_on, pub.deadline, pub.deadline_note) == (
        "信用承诺",
        decided,
        expected,
        None,
    )


def test_unknown_year_has_no_deadline_until_a_table_arrives(app: FastAPI) -> None:
    note(app, "inspection_results", "r1", {"publishable": True, "inspected_on": "2027-03-02"})
    # A late-2026 decision whose 7th working day falls in 2027 is unknown too.
    note(app, "inspection_results", "r2", {"publishable": True, "inspected_on": "2026-12-28"})
    for rid in ("r1", "r2"):
        pub = item(app, "inspection_results", rid)
        assert pub is not None and pub.deadline is None
        assert pub.deadline_note == DEADLINE_UNKNOWN_NOTE
        assert pub.deadline_note.startswith(
            "该日期所在年份的节假日安排尚未发布，暂无法计算截止日期"
        )
    # The platform distributes a 2027 table (here: a made-up test table, declared complete).
    rows = [(1, {"year": "2027", "complete": "是"}), (2, {"date": "2027-01-01", "working": "否"})]
    report = import_rows(app.state.write_sessions, "calendar_overrides", rows)
    assert not report.rejected
    r2 = item(app, "inspection_results", "r2")
    assert r2 is not None and r2.deadline == "2027-01-07" and r2.deadline_note is None
    r1 = item(app, "inspection_results", "r1")
    assert r1 is not None and r1.deadline == "2027-03-11"


def test_which_forms_are_published(app: FastAPI) -> None:
    note(app, "commitments", "draft", {"publish": True, "status": "draft", "signed_on": None})
    note(app, "commitments", "private", {"publish": False, "signed_on": "2026-06-01"})
    note(app, "findings", "f1", {"publishable": True, "description": "x"})
    note(app, "warnings", "kept", {"issued_on": "2026-06-01", "publishable": False})
    note(app, "interviews", "kept", {"held_on": "2026-06-01", "publish": False})
    for collection, rid in [
        ("commitments", "draft"),
        ("commitments", "private"),
        ("findings", "f1"),
        ("warnings", "kept"),
        ("interviews", "kept"),
    ]:
        assert item(app, collection, rid) is None
    # Warnings and interviews are 行政监督检查 acts: in the feed with their 7-working-day due
    # date unless the officer keeps one out, like inspection results.
    note(app, "warnings", "w1", {"issued_on": "2026-06-01", "content": "限期整改"})
    warning = item(app, "warnings", "w1")
    assert warning is not None and warning.kind == "行政监督检查（失信警示）"
    assert warning.deadline == "2026-06-10"
    note(app, "interviews", "i1", {"held_on": "2026-06-01", "kind": "warning"})
    pub = item(app, "interviews", "i1")
    assert pub is not None and pub.kind == "行政监督检查（约谈）" and "警示约谈" in pub.title
    assert pub.deadline == "2026-06-10"
    note(app, "inspection_results", "r1", {"publishable": True, "inspected_on": "2026-06-01"})
    result = item(app, "inspection_results", "r1")
    assert result is not None and result.kind == "行政检查结果" and result.deadline == "2026-06-10"
    # Pushed text with control characters (PostgreSQL refuses NUL) still makes a clean title.
    fields = {
        "publish": True,
        "signed_on": "2026-06-01",
        "matter": "许可\u0000事项",
        "uscc": "x\u0000",
    }
    note(app, "commitments", "nul", fields)
    note(app, "inspection_results", "odd", {"publishable": True, "status": {"x": [1]}})
    assert item(app, "inspection_results", "odd") is not None
    pub = item(app, "commitments", "nul")
    assert pub is not None and pub.title == "信用承诺：nul（许可事项）" and pub.uscc is None


def test_update_moves_or_removes_an_unpublished_item(app: FastAPI) -> None:
    with transaction(app.state.write_sessions) as s:
        bulk_insert_new(
            s, "entities", [(USCC, {"uscc": USCC, "name": "长治市示例有限公司"}, Scope())]
        )
        fields = {
            "uscc": USCC,
            "publish": True,
            "signed_on": "2026-06-01",
            "matter": "食品经营许可",
        }
        put_record(s, "commitments", "c9", fields, Scope(region_code="140403"))
        note_for_publication(s, "commitments", "c9", fields, "140403")
    pub = item(app, "commitments", "c9")
    assert pub is not None and pub.title == "信用承诺：长治市示例有限公司（食品经营许可）"
    # Only the changed field is passed: the stored fields fill in the rest.
    with transaction(app.state.write_sessions) as s:
        put_record(s, "commitments", "c9", {"signed_on": "2026-06-08"}, Scope())
        note_for_publication(s, "commitments", "c9", {"signed_on": "2026-06-08"}, "140403")
    pub = item(app, "commitments", "c9")
    assert pub is not None and pub.decided_on == "2026-06-08" and pub.deadline == "2026-06-17"
    note(app, "commitments", "c9", {"publish": False})
    assert item(app, "commitments", "c9") is None


def test_feed_overdue_and_publish(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publication, "china_today", lambda: date(2026, 6, 15))
    note(app, "commitments", "old", {"uscc": USCC, "publish": True, "signed_on": "2026-06-01"})
    note(app, "commitments", "new", {"uscc": USCC, "publish": True, "signed_on": "2026-06-12"})
    note(app, "commitments", "far", {"uscc": USCC, "publish": True, "signed_on": "2027-05-06"})
    add_user(app, "boss", "supervisor")
    add_user(app, "win", "window", hall="hall-a")
    add_user(app, "insp", "inspector", region="140423")
    boss = auth(login(client, "boss"))

    due = client.get("/v1/publications", headers=boss)
    assert due.status_code == 200
    rows = [(i["record_id"], i["deadline"], i["overdue"]) for i in due.json()["items"]]
    # 2026-06-19 is 端午节: the 7th working day after Friday 06-12 is 06-24.
    assert seventh_working_day(date(2026, 6, 12)) == date(2026, 6, 24)
    assert rows == [("old", "2026-06-10", True), ("new", "2026-06-24", False), ("far", None, False)]
    assert "credit_grade" not in due.text
    overdue = client.get("/v1/publications?status=overdue", headers=boss).json()["items"]
    assert [i["record_id"] for i in overdue] == ["old"]

    pub_id = overdue[0]["id"]
    for who in ("win", "insp"):
        resp = client.post(f"/v1/publications/{pub_id}/publish", headers=auth(login(client, who)))
        assert resp.status_code == 403
    done = client.post(f"/v1/publications/{pub_id}/publish", headers=boss)
    assert done.status_code == 200
    assert done.json()["published_at"] and done.json()["overdue"] is False
    again = client.post(f"/v1/publications/{pub_id}/publish", headers=boss)
    assert again.json()["published_at"] == done.json()["published_at"]
    assert client.get("/v1/publications?status=overdue", headers=boss).json()["items"] == []
    published = client.get("/v1/publications?status=published", headers=boss).json()["items"]
    assert [i["record_id"] for i in published] == ["old"]
    assert len(client.get("/v1/publications?status=all", headers=boss).json()["items"]) == 3
    assert client.post("/v1/publications/nope/publish", headers=boss).status_code == 404
    assert client.post("/v1/publications/a%00/publish", headers=boss).status_code == 422
    # A published item is history: a later edit of the form does not change it.
    note(app, "commitments", "old", {"publish": False})
    assert item(app, "commitments", "old") is not None


def test_window_and_inspectors_read_their_region_only(app: FastAPI, client: TestClient) -> None:
    note(app, "commitments", "here", {"publish": True, "signed_on": "2026-06-01"})
    with transaction(app.state.write_sessions) as s:
        note_for_publication(
            s, "commitments", "there", {"publish": True, "signed_on": "2026-06-01"}, "140423"
        )
    add_user(app, "win", "window", hall="hall-a")  # region 140403
    add_user(app, "nowhere", "inspector", region=None)
    win = auth(login(client, "win"))
    mine = client.get("/v1/publications", headers=win).json()["items"]
    assert [i["record_id"] for i in mine] == ["here"]
    other = client.get("/v1/publications?region=140423", headers=win)
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    assert client.get("/v1/publications", headers=auth(login(client, "nowhere"))).status_code == 403
    bad = client.get("/v1/publications?status=late", headers=win)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_list_function_filters_by_region_family(app: FastAPI) -> None:
    with transaction(app.state.write_sessions) as s:
        for rid, region in (("a", "140402"), ("b", "140403"), ("c", "140423")):
            fields = {"publish": True, "signed_on": "2026-06-01"}
            note_for_publication(s, "commitments", rid, fields, region)
    with app.state.sessions() as s:
        feed = list_publications(s, "all", "140403", today=date(2026, 6, 2))
        assert sorted(i.record_id for i in feed.items) == ["a", "b"]
        assert s.scalar(select(func.count()).select_from(Publication)) == 3


def test_deleting_a_form_withdraws_its_unpublished_item(app: FastAPI, client: TestClient) -> None:
    code = uscc(1)
    seed_entity(app, code)
    insp = make_caller(app, "insp", "inspector")
    boss = make_caller(app, "boss", "supervisor")
    assign_task(app, insp.user_id, "task-1", code)

    def result(seq: int, record_id: str) -> dict[str, Any]:
        return mutation(
            seq,
            "inspection_results",
            record_id,
            task_id="task-1",
            uscc=code,
            inspected_on="2026-06-01",
            conclusion="未发现问题",
            publishable=True,
        )

    created = push(client, insp, result(1, "r-due"), result(2, "r-online"), result(3, "r-quiet"))
    assert [r["status"] for r in created] == ["applied"] * 3
    online = publication_id("inspection_results", "r-online")
    assert (
        client.post(f"/v1/publications/{online}/publish", headers=boss.headers).status_code == 200
    )
    before = item(app, "inspection_results", "r-online")
    assert before is not None and before.deadline_note is None

    deleted = push(
        client,
        insp,
        mutation(4, "inspection_results", "r-due", "delete", 1),
        mutation(5, "inspection_results", "r-online", "delete", 1),
    )
    assert [r["status"] for r in deleted] == ["applied", "applied"]
    # Not yet online: nothing must go online for a form that no longer exists.
    assert item(app, "inspection_results", "r-due") is None
    # Already online: the item is history and stays, marked so the page can be taken down.
    after = item(app, "inspection_results", "r-online")
    assert after is not None and after.published_at == before.published_at
    assert after.title == before.title and after.deadline == before.deadline
    assert after.deadline_note is not None and "原表单已于" in after.deadline_note
    feed = client.get("/v1/publications?status=published", headers=boss.headers).json()["items"]
    assert [(i["record_id"], i["deadline_note"]) for i in feed] == [
        ("r-online", after.deadline_note)
    ]
    due = client.get("/v1/publications", headers=boss.headers).json()["items"]
    assert [i["record_id"] for i in due] == ["r-quiet"]


def test_withdrawal_leaves_other_items_and_unknown_forms_alone(app: FastAPI) -> None:
    note(app, "commitments", "keep", {"uscc": USCC, "publish": True, "signed_on": "2026-06-01"})
    moment = datetime(2026, 6, 2, 17, 30)  # UTC: already 3 June in China
    with transaction(app.state.write_sessions) as s:
        withdraw_for_deleted_form(s, "commitments", "never-noted", moment)
        withdraw_for_deleted_form(s, "education_sessions", "keep", moment)
    assert item(app, "commitments", "keep") is not None
    assert "2026-06-03" in deleted_form_note(moment)
