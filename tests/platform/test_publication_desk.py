"""The publication desk on the platform: licences, penalties and granted repairs in the feed,
units and kinds, recording where and when an item went online, and the counts per unit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_server import publication, publication_desk, repair_service
from platform_server.db import transaction
from platform_server.importer import import_rows
from platform_server.models import Base, Publication, Record
from platform_server.publication import note_for_publication, publication_id
from platform_server.publication_desk import (
    IMPORTED_WHERE,
    KIND_LICENCE,
    KIND_PENALTY,
    KIND_REPAIR,
    note_repair_decision,
)
from tests.platform.helpers import make_caller, mutation, push, seed_entity, uscc
from tests.platform.test_repairs import E1 as REPAIR_E1
from tests.platform.test_repairs import repair, setup

TODAY = date(2026, 6, 15)
E1, E2 = uscc(11), uscc(12, region="140423")
SHENPI = "长治市行政审批服务管理局"
SHIJIAN = "长治市市场监督管理局"


def seventh_working_day(start: date) -> date:
    """Independent reference: count chinese_calendar working days after ``start``."""
    day, left = start, 7
    while left:
        day += timedelta(days=1)
        left -= chinese_calendar.is_workday(day)
    return day


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overdue and "not in the future" are judged on one fixed China date."""
    for module in (publication, publication_desk, repair_service):
        monkeypatch.setattr(module, "china_today", lambda: TODAY)


def licence(n: int, decided_on: str, **over: Any) -> dict[str, Any]:
    return {
        "uscc": E1,
        "licence_no": f"晋长审食经〔2026〕{n}号",
        "matter": "食品经营许可",
        "licence_name": "食品经营许可证",
        "decided_on": decided_on,
        "decided_by": SHENPI,
        **over,
    }


def penalty(n: int, decided_on: str, **over: Any) -> dict[str, Any]:
    return {
        "uscc": E2,
        "decision_no": f"长市监罚〔2026〕{n}号",
        "violation": "销售超过保质期的食品",
        "penalty": "警告，罚款人民币五千元",
        "decided_on": decided_on,
        "decided_by": SHIJIAN,
        "entity_name": "襄垣县示例超市",
        **over,
    }


def items(app: FastAPI, collection: str) -> dict[str, Publication]:
    with app.state.sessions() as s:
        rows = s.query(Publication).filter(Publication.collection == collection).all()
        return {p.record_id: p for p in rows}


def test_the_migrated_schema_matches_the_models(app: FastAPI) -> None:
    with app.state.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_imported_licences_and_penalties_enter_the_feed_with_unit_and_due_date(
    app: FastAPI,
) -> None:
    seed_entity(app, E1)
    rows = [
        (2, licence(1, "2026-06-01")),
        # A licence already online when imported (history): in the feed as published.
        (3, licence(2, "2026-05-06", published_on="2026-05-11", published_where="信用长治网站")),
        (4, licence(3, "2026-05-06", published_on="2026-05-05")),  # online before the decision
    ]
    report = import_rows(app.state.write_sessions, "licences", rows)
    assert [(i.row, "早于许可决定日期" in i.reason) for i in report.rejected] == [(4, True)]
    found = items(app, "licences")
    assert len(found) == 2
    due = next(p for p in found.values() if p.published_at is None)
    assert (due.kind, due.unit, due.decided_on) == (KIND_LICENCE, SHENPI, "2026-06-01")
    assert due.deadline == seventh_working_day(date(2026, 6, 1)).isoformat() == "2026-06-10"
    assert due.entity_name == f"测试企业{E1[-6:]}"  # the registry's name when the row has none
    assert due.matter == "食品经营许可证（晋长审食经〔2026〕1号）"
    assert due.region_code == "140403" and due.uscc == E1
    online = next(p for p in found.values() if p.published_at is not None)
    assert (online.published_on, online.published_where) == ("2026-05-11", "信用长治网站")

    minor = penalty(2, "2026-06-12", severity="轻微", published="否")
    report = import_rows(
        app.state.write_sessions, "penalties", [(2, penalty(1, "2026-06-12")), (3, minor)]
    )
    assert not report.rejected
    (pen,) = items(app, "penalties").values()
    assert (pen.kind, pen.unit, pen.entity_name) == (KIND_PENALTY, SHIJIAN, "襄垣县示例超市")
    # 2026-06-19 is 端午节: the 7th working day after Friday 06-12 is 06-24.
    assert pen.deadline == seventh_working_day(date(2026, 6, 12)).isoformat() == "2026-06-24"
    assert pen.region_code == "140423"
    # A corrected decision date moves the deadline; a revoked penalty leaves the feed.
    import_rows(app.state.write_sessions, "penalties", [(2, penalty(1, "2026-06-01"))])
    (pen,) = items(app, "penalties").values()
    assert (pen.decided_on, pen.deadline) == ("2026-06-01", "2026-06-10")
    import_rows(
        app.state.write_sessions, "penalties", [(2, penalty(1, "2026-06-01", status="已撤销"))]
    )
    assert items(app, "penalties") == {}
    # A published item is history: a re-import does not change it.
    import_rows(app.state.write_sessions, "licences", [(2, licence(2, "2026-05-07"))])
    again = items(app, "licences")[online.record_id]
    assert (again.decided_on, again.published_where) == ("2026-05-06", "信用长治网站")


def test_imported_history_and_default_where(app: FastAPI) -> None:
    import_rows(
        app.state.write_sessions,
        "licences",
        [(2, licence(5, "2025-03-03", published_on="2025-03-05"))],
    )
    (pub,) = items(app, "licences").values()
    assert pub.published_where == IMPORTED_WHERE and pub.published_by == "数据导入"


def test_publish_with_day_and_place_is_checked_recorded_and_idempotent(
    app: FastAPI, client: TestClient
) -> None:
    import_rows(
        app.state.write_sessions,
        "licences",
        [
            (2, licence(1, "2026-06-01")),
            (3, licence(2, "2026-06-08")),
            (4, licence(3, "2026-06-12")),
        ],
    )
    boss = make_caller(app, "boss", "supervisor", region="140400")
    win = make_caller(app, "win", "window", hall="hall-a")
    ids = {p.decided_on: p.id for p in items(app, "licences").values()}
    url = f"/v1/publications/{ids['2026-06-01']}/publish"

    future = client.post(url, json={"published_on": "2026-06-16"}, headers=boss.headers)
    assert future.status_code == 422 and "晚于今天（2026-06-15）" in future.json()["message"]
    early = client.post(url, json={"published_on": "2026-05-31"}, headers=boss.headers)
    assert early.status_code == 422 and "早于决定日期（2026-06-01）" in early.json()["message"]
    bad = client.post(url, json={"published_on": "2026-6-1"}, headers=boss.headers)
    assert bad.status_code == 422
    unknown = client.post(url, json={"published_by": "someone"}, headers=boss.headers)
    assert unknown.status_code == 422  # who recorded it is the platform's to set
    refused = client.post(url, json={"published_on": "2026-06-09"}, headers=win.headers)
    assert refused.status_code == 403

    where = "信用长治网站“双公示”栏目"
    body = {"published_on": "2026-06-12", "where": f"  {where} "}
    done = client.post(url, json=body, headers=boss.headers)
    assert done.status_code == 200, done.text
    item = done.json()
    assert (item["published_on"], item["published_where"], item["published_by"]) == (
        "2026-06-12",
        where,
        "boss",
    )
    # Online on 06-12, after the 06-10 deadline: published late.
    assert item["late"] is True and item["overdue"] is False and item["unit"] == SHENPI
    again = client.post(
        url, json={"published_on": "2026-06-02", "where": "别处"}, headers=boss.headers
    )
    assert again.status_code == 200 and again.json() == item  # the first record stays

    in_time = client.post(
        f"/v1/publications/{ids['2026-06-08']}/publish",
        json={"published_on": "2026-06-10"},
        headers=boss.headers,
    ).json()
    assert in_time["late"] is False and in_time["published_where"] is None
    # Without a body: today, where unsaid (as before the desk).
    plain = client.post(f"/v1/publications/{ids['2026-06-12']}/publish", headers=boss.headers)
    assert plain.status_code == 200 and plain.json()["published_on"] == "2026-06-15"

    feed = client.get("/v1/publications?status=all", headers=boss.headers).json()["items"]
    assert {i["published_on"] for i in feed} == {"2026-06-12", "2026-06-10", "2026-06-15"}


def test_feed_filters_by_kind_and_unit(app: FastAPI, client: TestClient) -> None:
    import_rows(app.state.write_sessions, "licences", [(2, licence(1, "2026-06-01"))])
    import_rows(app.state.write_sessions, "penalties", [(2, penalty(1, "2026-06-01"))])
    with transaction(app.state.write_sessions) as s:
        fields = {"publish": True, "signed_on": "2026-06-02", "matter": "食品经营许可"}
        note_for_publication(s, "commitments", "c1", fields, "140402")  # abolished 城区
    boss = make_caller(app, "boss", "supervisor", region="140400")

    def feed(query: str) -> list[tuple[str, str]]:
        answer = client.get(f"/v1/publications?status=all&{query}", headers=boss.headers)
        assert answer.status_code == 200, answer.text
        return [(i["kind"], i["unit"]) for i in answer.json()["items"]]

    assert feed(f"kind={KIND_PENALTY}") == [(KIND_PENALTY, SHIJIAN)]
    assert feed(f"unit={SHENPI}") == [(KIND_LICENCE, SHENPI)]
    # A form with no hall is the unit of its division (an abolished code: its successor).
    assert feed("unit=潞州区") == [("信用承诺", "潞州区")]
    assert feed(f"kind={KIND_LICENCE}&unit={SHIJIAN}") == []
    assert feed(f"status=overdue&unit={SHIJIAN}") == [(KIND_PENALTY, SHIJIAN)]


def test_statistics_per_unit_in_scope(app: FastAPI, client: TestClient) -> None:
    rows = [
        (n, licence(n, day))
        for n, day in ((2, "2026-06-01"), (3, "2026-06-08"), (4, "2026-06-12"), (5, "2026-06-12"))
    ]
    import_rows(app.state.write_sessions, "licences", rows)
    import_rows(app.state.write_sessions, "penalties", [(2, penalty(1, "2026-06-01"))])
    boss = make_caller(app, "boss", "supervisor", region="140400")
    ids = {p.record_id: p for p in items(app, "licences").values()}
    by_day: dict[str, list[str]] = {}
    for p in ids.values():
        by_day.setdefault(p.decided_on, []).append(p.id)
    for pub_id, day in (
        (by_day["2026-06-01"][0], "2026-06-11"),
        (by_day["2026-06-08"][0], "2026-06-09"),
    ):
        answer = client.post(
            f"/v1/publications/{pub_id}/publish", json={"published_on": day}, headers=boss.headers
        )
        assert answer.status_code == 200

    stats = client.get("/v1/publications/statistics", headers=boss.headers)
    assert stats.status_code == 200, stats.text
    body = stats.json()
    counts = {
        u["unit"]: (u["on_time"], u["late"], u["pending"], u["overdue"], u["total"])
        for u in body["units"]
    }
    assert counts == {
        SHENPI: (1, 1, 2, 0, 4),  # 06-12 decisions are due 06-24: pending, not overdue
        SHIJIAN: (0, 0, 1, 1, 1),  # due 06-10, still not online on 06-15
    }
    assert body["kinds"] == sorted([KIND_LICENCE, KIND_PENALTY]) and body["as_of"] == "2026-06-15"

    xiangyuan = client.get("/v1/publications/statistics?region=140423", headers=boss.headers).json()
    assert [u["unit"] for u in xiangyuan["units"]] == [SHIJIAN] and xiangyuan["region"] == "140423"
    june = client.get(
        "/v1/publications/statistics?decided_from=2026-06-08&decided_to=2026-06-30",
        headers=boss.headers,
    ).json()
    assert {u["unit"]: u["total"] for u in june["units"]} == {SHENPI: 3}
    backwards = client.get(
        "/v1/publications/statistics?decided_from=2026-06-30&decided_to=2026-06-01",
        headers=boss.headers,
    )
    assert backwards.status_code == 422 and "起始日期晚于截止日期" in backwards.json()["message"]
    win = make_caller(app, "win", "window", hall="hall-a")
    assert client.get("/v1/publications/statistics", headers=win.headers).status_code == 403


def test_a_granted_repair_decision_enters_the_feed(app: FastAPI, client: TestClient) -> None:
    _hall_a, hall_b = setup(app, client)
    (taken,) = push(client, hall_b, mutation(1, "repair_applications", "r1", **repair()))
    assert taken["status"] == "applied", taken
    unit = make_caller(app, "sup-a", "supervisor", region="140403")
    body = {"outcome": "granted", "reasons": "已完成整改并作出信用承诺"}
    done = client.post("/v1/repairs/r1/decision", json=body, headers=unit.headers)
    assert done.status_code == 200, done.text
    # The repair service's decision transaction calls the hook; calling it again (as here,
    # in a transaction of its own) finds the item and changes nothing.
    with transaction(app.state.write_sessions) as s:
        record = s.get(Record, ("repair_applications", "r1"))
        assert record is not None
        note_repair_decision(s, record, done.json()["fields"])
        note_repair_decision(s, record, done.json()["fields"])
    (item,) = items(app, "repair_applications").values()
    assert item.id == publication_id("repair_applications", "r1")
    assert (item.kind, item.unit, item.decided_on) == (KIND_REPAIR, "潞州区", "2026-06-15")
    assert item.deadline == seventh_working_day(TODAY).isoformat()
    assert item.matter is not None and item.matter.startswith("准予修复：违反信用承诺")
    assert item.entity_name == f"测试企业{REPAIR_E1[-6:]}"
    # A refused repair is not published here.
    refused = Record(collection="repair_applications", record_id="r2", region_code="140403")
    with transaction(app.state.write_sessions) as s:
        note_repair_decision(s, refused, {"status": "refused", "decided_on": "2026-06-15"})
    assert list(items(app, "repair_applications")) == ["r1"]
