"""双随机 draws: the pure function (determinism, weighting, pairs) and the endpoint (both DBs)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app.domain.uscc import generate_uscc
from platform_server.db import transaction
from platform_server.draw import (
    Candidate,
    NoCandidates,
    NotEnoughInspectors,
    candidate_digest,
    pair_inspectors,
    run_draw,
    select_candidates,
)
from platform_server.draw_service import load_candidates
from platform_server.models import Draw, Publication, Record, TaskAssignment, User
from platform_server.records import Scope, bulk_insert_new, loads
from tests.platform.conftest import add_user, auth, login

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(i: int, region: str = "140403") -> str:
    body = "MA" + "".join(ALPHABET[(i // 31**k) % 31] for k in range(6))
    return generate_uscc("9", "1", region, body)


def candidates(grades: str) -> list[Candidate]:
    return [Candidate(uscc(i), f"企业{i}", g) for i, g in enumerate(grades)]


POOL = ["insp.a", "insp.b", "insp.c", "insp.d"]


# --- pure function -------------------------------------------------------------------------


def test_same_seed_same_result_whatever_the_input_order() -> None:
    pool = candidates("ABCD" * 50)
    first = run_draw(pool, POOL, count=20, grade_ratios=None, seed="2026-Q4")
    shuffled = pool[:]
    random.Random(7).shuffle(shuffled)
    again = run_draw(shuffled, list(reversed(POOL)), count=20, grade_ratios=None, seed="2026-Q4")
    assert first == again
    assert len(first) == 20 and len({t.uscc for t in first}) == 20
    other = run_draw(pool, POOL, count=20, grade_ratios=None, seed="another seed")
    assert [t.uscc for t in other] != [t.uscc for t in first]


def test_zero_ratio_grades_are_never_drawn() -> None:
    pool = candidates("A" * 60 + "D" * 15)
    tasks = run_draw(pool, POOL, count=40, grade_ratios={"A": 0, "D": 1}, seed="s")
    assert {t.grade for t in tasks} == {"D"}
    assert len(tasks) == 15  # fewer than asked: only 15 have a positive ratio


def test_grades_missing_from_the_table_weigh_nothing() -> None:
    tasks = run_draw(candidates("BBBCCD"), POOL, count=6, grade_ratios={"D": 1.0}, seed="s")
    assert [t.grade for t in tasks] == ["D"]


def test_higher_ratio_is_drawn_more_often() -> None:
    pool = candidates("A" * 100 + "D" * 100)
    drawn: Counter[str | None] = Counter()
    for seed in range(40):
        for task in run_draw(pool, POOL, count=10, grade_ratios=None, seed=str(seed)):
            drawn[task.grade] += 1
    # Weights 0.05 vs 1.0: about 95 % of draws should be D.
    assert drawn["D"] > 0.85 * 400


def test_nothing_drawable_and_too_few_inspectors() -> None:
    with pytest.raises(NoCandidates, match="抽查比例"):
        run_draw(candidates("AA"), POOL, count=1, grade_ratios={"A": 0}, seed="s")
    with pytest.raises(NoCandidates):
        run_draw([], POOL, count=1, grade_ratios=None, seed="s")
    with pytest.raises(NotEnoughInspectors, match="两名"):
        run_draw(candidates("D"), ["only.one", "only.one"], count=1, grade_ratios=None, seed="s")


@settings(max_examples=60, deadline=None)
@given(
    pool=st.lists(st.sampled_from([f"i{n}" for n in range(10)]), min_size=2, max_size=12),
    n=st.integers(min_value=0, max_value=60),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_pairs_are_two_people_and_load_is_balanced(pool: list[str], n: int, seed: int) -> None:
    if len(set(pool)) < 2:
        with pytest.raises(NotEnoughInspectors):
            pair_inspectors(n, pool, random.Random(seed))
        return
    pairs = pair_inspectors(n, pool, random.Random(seed))
    assert len(pairs) == n
    assert all(a != b for a, b in pairs)
    load = Counter(name for pair in pairs for name in pair)
    loads_ = [load.get(name, 0) for name in set(pool)]
    assert max(loads_) - min(loads_) <= 1


def test_candidate_filters() -> None:
    rows: list[dict[str, Any]] = [
        {"uscc": uscc(1), "name": "在营", "status": "存续", "region_code": "140403"},
        {"uscc": uscc(2), "name": "吊销", "status": "吊销，未注销", "region_code": "140403"},
        {"uscc": uscc(3), "name": "注销", "status": "注销", "region_code": "140403"},
        {"uscc": uscc(4, "140402"), "name": "老城区", "status": "在业", "region_code": "140402"},
        {"uscc": uscc(5, "140423"), "name": "襄垣", "status": "存续", "region_code": "140423"},
    ]
    kept = select_candidates(rows, region_code="140403")
    assert {c.name for c in kept} == {"在营", "老城区"}  # 城区 (abolished) now belongs to 潞州区
    city = select_candidates(rows, region_code="140400")
    assert {c.name for c in city} >= {"在营", "老城区", "襄垣"}  # the city covers every 1404xx
    graded = select_candidates(rows, grades={uscc(5, "140423"): "D"})
    assert [c.grade for c in graded if c.name == "襄垣"] == ["D"]


# --- endpoint ------------------------------------------------------------------------------


def seed_entities(app: FastAPI, grades: str, region: str = "140403") -> list[str]:
    codes = [uscc(i, region) for i in range(len(grades))]
    rows = [
        (
            code,
            {
                "uscc": code,
                "name": f"长治市测试{i}有限公司",
                "region_code": region,
                "industry": "批发和零售业",
                "status": "存续",
                "credit_grade": grade,
            },
            Scope(region_code=region, entity_uscc=code),
        )
        for i, (code, grade) in enumerate(zip(codes, grades, strict=True))
    ]
    with transaction(app.state.write_sessions) as session:
        bulk_insert_new(session, "entities", rows)
        bulk_insert_new(
            session,
            "list_memberships",
            [(f"lm-{codes[0]}", {"uscc": codes[0], "list": "red"}, Scope(entity_uscc=codes[0]))],
        )
    return codes


def test_roles_and_a_full_draw(app: FastAPI, client: TestClient) -> None:
    codes = seed_entities(app, "ABCD" * 10)
    add_user(app, "boss", "supervisor")
    add_user(app, "win", "window", hall="hall-luzhou")
    for name in ("insp.a", "insp.b", "insp.c"):
        add_user(app, name, "inspector")
    add_user(app, "insp.far", "inspector", region="140423")
    body = {
        "title": "2026年第四季度双随机抽查",
        "count": 6,
        "region_code": "140403",
        "seed": "fixed",
    }
    for who in ("win", "insp.a"):
        resp = client.post("/v1/draws", json=body, headers=auth(login(client, who)))
        assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    with app.state.sessions() as s:
        seq_before = s.get(Record, ("entities", codes[0])).seq
    boss = auth(login(client, "boss"))
    resp = client.post("/v1/draws", json=body, headers=boss)
    assert resp.status_code == 201, resp.text
    result = resp.json()
    assert len(result["tasks"]) == 6 and result["seed"] == "fixed"
    assert result["inputs"]["inspectors"] == ["insp.a", "insp.b", "insp.c"]  # not insp.far
    for task in result["tasks"]:
        assert len(set(task["inspectors"])) == 2
    assert client.get(f"/v1/draws/{result['draw_id']}", headers=boss).json() == result
    listing = client.get("/v1/draws", headers=boss).json()["items"]
    assert [(d["draw_id"], d["task_count"]) for d in listing] == [(result["draw_id"], 6)]
    assert client.get("/v1/draws", headers=auth(login(client, "insp.b"))).status_code == 403

    with app.state.sessions() as s:
        tasks = list(s.scalars(select(Record).where(Record.collection == "inspection_tasks")))
        assert len(tasks) == 6
        fields = loads(tasks[0].data)
        assert fields["status"] == "assigned" and fields["draw_id"] == result["draw_id"]
        assert "credit_grade" not in fields  # grades stay with supervisors
        assert s.scalar(select(func.count()).select_from(TaskAssignment)) == 12
        # The drawn entities' records were re-sequenced so the inspectors' next pull has them.
        drawn = {t["uscc"] for t in result["tasks"]}
        for code in drawn:
            assert s.get(Record, ("entities", code)).seq > seq_before
        pub = s.scalar(select(Publication).where(Publication.record_id == result["draw_id"]))
        assert pub is not None and pub.kind == "双随机抽查结果"

        # Anyone can reproduce the draw from the stored seed and inputs.
        stored = s.get(Draw, result["draw_id"])
        inputs = loads(stored.inputs)
        pool, _ = load_candidates(s, inputs["region_code"], inputs["industry"])
    assert candidate_digest(pool) == inputs["candidate_digest"]
    rerun = run_draw(
        pool,
        inputs["inspectors"],
        count=inputs["count"],
        grade_ratios=inputs["grade_ratios"],
        seed=stored.seed,
    )
    assert [(t.uscc, list(t.inspectors)) for t in rerun] == [
        (t["uscc"], t["inspectors"]) for t in result["tasks"]
    ]


def test_weighting_through_the_endpoint(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "A" * 20 + "D" * 5)
    add_user(app, "boss", "supervisor")
    add_user(app, "i1", "inspector")
    add_user(app, "i2", "inspector")
    body = {"title": "只抽D级", "count": 10, "grade_ratios": {"A": 0, "D": 1}}
    resp = client.post("/v1/draws", json=body, headers=auth(login(client, "boss")))
    assert resp.status_code == 201, resp.text
    assert {t["credit_grade"] for t in resp.json()["tasks"]} == {"D"}
    assert len(resp.json()["tasks"]) == 5


def test_too_few_inspectors_is_422_and_stores_nothing(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "CD")
    add_user(app, "boss", "admin", region=None)
    add_user(app, "lonely", "inspector")
    add_user(app, "retired", "inspector", active=False)
    headers = auth(login(client, "boss"))
    resp = client.post(
        "/v1/draws", json={"title": "t", "count": 1, "region_code": "140403"}, headers=headers
    )
    assert resp.status_code == 422
    assert resp.json()["code"] == "not_enough_inspectors"
    assert "执法人员" in resp.json()["message"]
    named = client.post(
        "/v1/draws",
        json={"title": "t", "count": 1, "inspector_usernames": ["lonely", "retired", "nobody"]},
        headers=headers,
    )
    assert named.status_code == 422 and named.json()["code"] == "invalid_field"
    assert named.json()["detail"] == {"inspector_usernames": ["nobody", "retired"]}
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draw)) == 0
        assert s.scalar(select(func.count()).select_from(Publication)) == 0
        assert s.scalar(select(func.count()).select_from(TaskAssignment)) == 0
        assert s.scalar(select(func.count()).select_from(User)) == 3


def test_bad_draw_inputs(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "D")
    add_user(app, "boss", "supervisor")
    add_user(app, "i1", "inspector")
    add_user(app, "i2", "inspector")
    headers = auth(login(client, "boss"))
    cases = [
        ({"title": "t", "count": 0}, "validation_error"),
        ({"title": "t", "count": 1, "grade_ratios": {"D": 2}}, "validation_error"),
        ({"title": "t", "count": 1, "checklist_id": "no-such-list"}, "invalid_field"),
        ({"title": "t", "count": 1, "industry": "不存在的行业"}, "no_candidates"),
        ({"title": "t", "count": 1, "seed": "x" * 200}, "invalid_field"),
        ({"title": "t", "count": 1, "region_code": "长治市潞州区"}, "invalid_field"),
        # PostgreSQL cannot store NUL: refused with a reason, never a 500.
        ({"title": "t\u0000", "count": 1}, "invalid_field"),
        ({"title": "t", "count": 1, "inspector_usernames": ["i1", "i2\u0000"]}, "invalid_field"),
    ]
    for body, code in cases:
        resp = client.post("/v1/draws", json=body, headers=headers)
        assert resp.status_code == 422, (body, resp.text)
        assert resp.json()["code"] == code
    assert client.get("/v1/draws/nope", headers=headers).status_code == 404
    assert client.get("/v1/draws/a%00b", headers=headers).status_code == 422
