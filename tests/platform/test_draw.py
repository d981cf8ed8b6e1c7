"""双随机 draws: the pure function (class rates, list-raised rates, determinism, pairs) and the
endpoint on both databases (platform seed, policy rates, regions, replay)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app.domain.policy import DEFAULT_POLICY, Policy, policy_from_records
from desktop_app.domain.uscc import generate_uscc
from platform_server.db import transaction
from platform_server.draw import (
    UNGRADED,
    Candidate,
    DrawError,
    NoCandidates,
    NotEnoughInspectors,
    TooManyTasks,
    candidate_digest,
    pair_inspectors,
    policy_from_inputs,
    policy_inputs,
    run_draw,
    sample_size,
    select_candidates,
)
from platform_server.draw_service import load_candidates
from platform_server.models import Draw, Publication, Record, TaskAssignment, User
from platform_server.records import Scope, bulk_insert_new, dumps, loads
from platform_server.security import now
from tests.platform.conftest import add_user, auth, login

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
POOL = ["insp.a", "insp.b", "insp.c", "insp.d"]


def uscc(i: int, region: str = "140403") -> str:
    body = "MA" + "".join(ALPHABET[(i // 31**k) % 31] for k in range(6))
    return generate_uscc("9", "1", region, body)


def candidates(grades: str, lists: Mapping[int, tuple[str, ...]] | None = None) -> list[Candidate]:
    """One candidate per character of ``grades`` (``_`` = ungraded), with lists by index."""
    return [
        Candidate(uscc(i), f"企业{i}", None if g == "_" else g, (lists or {}).get(i, ()))
        for i, g in enumerate(grades)
    ]


def scale(rates: dict[str, float | str], ungraded: float | str = 0.2) -> Policy:
    """A policy with this grade scale (the other policies at their defaults)."""
    content = {
        "grades": [{"code": k, "rate": float(v)} for k, v in rates.items()],
        "ungraded_rate": float(ungraded),
    }
    return policy_from_records([{"name": "grade_scale", "revision": 3, "content": content}])


def by_class(outcome: Any) -> dict[str, tuple[int, int]]:
    return {c.code: (c.pool, c.drawn) for c in outcome.classes}


def expected_size(rate: Fraction, pool: int) -> int:
    """The plan's sample size, in exact arithmetic: ceil(rate × pool), ≥ 1 when non-empty."""
    if pool == 0 or rate == 0:
        return 0
    return max(1, math.ceil(rate * pool))


# --- pure function -------------------------------------------------------------------------


def test_same_seed_same_result_whatever_the_input_order() -> None:
    pool = candidates("ABCD_" * 40, {3: ("key_attention",), 7: ("serious_dishonesty",)})
    first = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="2026-Q4")
    shuffled = pool[:]
    random.Random(7).shuffle(shuffled)
    again = run_draw(shuffled, list(reversed(POOL)), policy=DEFAULT_POLICY, seed="2026-Q4")
    assert first == again
    assert len({t.uscc for t in first.tasks}) == len(first.tasks)
    other = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="another seed")
    assert [t.uscc for t in other.tasks] != [t.uscc for t in first.tasks]
    # The sizes do not depend on the seed: only which entities fill them.
    assert by_class(other) == by_class(first)


def test_each_class_takes_its_rate_of_its_own_pool() -> None:
    # A 40 × 5 % = 2, B 30 × 20 % = 6, C 10 × 60 % = 6, D 3 × 100 % = 3, ungraded 7 × 20 % = 1.4.
    pool = candidates("A" * 40 + "B" * 30 + "C" * 10 + "D" * 3 + "_" * 7)
    outcome = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="s")
    assert by_class(outcome) == {
        "A": (40, 2),
        "B": (30, 6),
        "C": (10, 6),
        "D": (3, 3),
        UNGRADED: (7, 2),
    }
    drawn = Counter(t.grade or UNGRADED for t in outcome.tasks)
    assert drawn == {"A": 2, "B": 6, "C": 6, "D": 3, UNGRADED: 2}
    # Class by class in the policy's order (best first, ungraded last).
    order = [t.grade or UNGRADED for t in outcome.tasks]
    assert order == sorted(order, key=["A", "B", "C", "D", UNGRADED].index)
    assert [c.rate for c in outcome.classes] == [0.05, 0.2, 0.6, 1.0, 0.2]
    assert outcome.raised == {}


def test_a_small_class_still_gets_one_and_a_zero_rate_none() -> None:
    # 5 × 5 % = 0.25 → 1 (a non-empty class is never skipped); rate 0 → none, lists or not.
    pool = candidates("AAAAA" + "BBBB", {5: ("serious_dishonesty",)})
    outcome = run_draw(pool, POOL, policy=scale({"A": 0.05, "B": 0}), seed="s")
    assert by_class(outcome) == {"A": (5, 1), "B": (4, 0), UNGRADED: (0, 0)}
    assert {t.grade for t in outcome.tasks} == {"A"}


def test_float_sums_are_not_rounded_up_past_the_exact_product() -> None:
    assert sample_size([0.05] * 20) == 1  # fsum is 1.0000000000000002 without rounding
    assert sample_size([0.1] * 30) == 3
    assert sample_size([0.6] * 10) == 6
    assert sample_size([]) == 0 and sample_size([0.0, 0.0]) == 0
    assert sample_size([1e-6]) == 1
    assert sample_size([1.0] * 4) == 4


RATE = st.integers(min_value=0, max_value=100).map(lambda n: Fraction(n, 100))


@settings(max_examples=80, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=60), min_size=3, max_size=3),
    rates=st.lists(RATE, min_size=3, max_size=3),
    ungraded=RATE,
    share=st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(1, 12)]),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_sample_size_is_ceil_of_rate_times_pool(
    sizes: list[int], rates: list[Fraction], ungraded: Fraction, share: Fraction, seed: int
) -> None:
    codes = ["X", "Y", "Z"]
    pool = candidates("".join(code * n for code, n in zip(codes, sizes, strict=True)) + "_" * 5)
    policy = scale(dict(zip(codes, map(float, rates), strict=True)), float(ungraded))
    want = {
        c: (n, expected_size(r * share, n)) for c, r, n in zip(codes, rates, sizes, strict=True)
    }
    want[UNGRADED] = (5, expected_size(ungraded * share, 5))
    if not any(drawn for _, drawn in want.values()):
        with pytest.raises(NoCandidates):
            run_draw(pool, POOL, policy=policy, share=float(share), seed=str(seed))
        return
    outcome = run_draw(pool, POOL, policy=policy, share=float(share), seed=str(seed))
    assert by_class(outcome) == want
    assert len(outcome.tasks) == sum(drawn for _, drawn in want.values())
    assert Counter(t.grade or UNGRADED for t in outcome.tasks) == {
        c: d for c, (_, d) in want.items() if d
    }


def test_share_takes_a_part_of_the_yearly_rate() -> None:
    pool = candidates("B" * 40 + "C" * 10)
    yearly = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="s")
    quarter = run_draw(pool, POOL, policy=DEFAULT_POLICY, share=0.25, seed="s")
    assert by_class(yearly)["B"] == (40, 8) and by_class(yearly)["C"] == (10, 6)
    assert by_class(quarter)["B"] == (40, 2) and by_class(quarter)["C"] == (10, 2)  # 1.5 → 2
    assert [c.rate for c in quarter.classes if c.code == "B"] == [0.05]
    for bad in (0, -0.1, 1.01):
        with pytest.raises(DrawError, match="share"):
            run_draw(pool, POOL, policy=DEFAULT_POLICY, share=bad, seed="s")


def test_lists_raise_an_entitys_rate_and_the_class_size() -> None:
    # B 20 × 0.2 = 4; one on 重点关注 (×2 → 0.4) and one on the serious list (×3 → 0.6):
    # Σ r = 18 × 0.2 + 0.4 + 0.6 = 4.6 → 5. On D the raise is capped at 1.
    lists = {0: ("key_attention",), 1: ("serious_dishonesty", "red"), 20: ("key_attention",)}
    pool = candidates("B" * 20 + "D", lists)
    outcome = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="s")
    assert outcome.raised == {uscc(0): pytest.approx(0.4), uscc(1): pytest.approx(0.6)}
    b = next(c for c in outcome.classes if c.code == "B")
    assert (b.pool, b.rate, b.raised, b.drawn) == (20, 0.2, 2, 5)
    rates = {t.uscc: t.rate for t in outcome.tasks}
    listed = {uscc(i) for i in lists}
    assert all(rate == pytest.approx(0.2) for code, rate in rates.items() if code not in listed)
    assert rates[uscc(20)] == 1.0  # D: 1 × 2, capped at 1, so not "raised"


def test_a_listed_entity_is_drawn_more_often() -> None:
    # 50 B entities, five on 重点关注 (rate 0.4 instead of 0.2), over 400 fixed seeds.
    listed = {i: ("key_attention",) for i in (3, 14, 25, 36, 47)}
    pool = candidates("B" * 50, listed)
    drawn: Counter[str] = Counter()
    for seed in range(400):
        outcome = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed=f"stat-{seed}")
        assert len(outcome.tasks) == 11  # ceil(45 × 0.2 + 5 × 0.4) = 11
        drawn.update(t.uscc for t in outcome.tasks)
    raised = [drawn[uscc(i)] / 400 for i in listed]
    plain = [drawn[uscc(i)] / 400 for i in range(50) if i not in listed]
    assert min(raised) > max(plain) * 0.95
    assert sum(raised) / len(raised) > 1.5 * sum(plain) / len(plain)


def test_unknown_grades_are_ungraded_and_grades_are_case_blind() -> None:
    pool = candidates("EEd")
    outcome = run_draw(pool, POOL, policy=DEFAULT_POLICY, seed="s")
    assert by_class(outcome)["D"] == (1, 1)
    assert by_class(outcome)[UNGRADED] == (2, 1)  # 2 × 0.2 → 1


def test_recorded_rates_rebuild_the_same_draw() -> None:
    policy = scale({"A": 0.1, "B": 0.3, "C": 0.7})
    pool = candidates("ABC_" * 30, {2: ("key_attention",)})
    first = run_draw(pool, POOL, policy=policy, share=0.5, seed="replay-me")
    inputs = policy_inputs(policy)
    assert inputs["policy_revisions"] == {"grade_scale": 3, "list_measures": 0}
    assert inputs["list_rate_factors"]["key_attention"] == 2.0
    again = run_draw(pool, POOL, policy=policy_from_inputs(inputs), share=0.5, seed="replay-me")
    assert again == first
    with pytest.raises(DrawError, match="重现"):
        policy_from_inputs({"count": 3})


def test_nothing_drawable_too_many_and_too_few_inspectors() -> None:
    with pytest.raises(NoCandidates, match="抽查比例"):
        run_draw(candidates("AA"), POOL, policy=scale({"A": 0, "B": 0.1}), seed="s")
    with pytest.raises(NoCandidates):
        run_draw([], POOL, policy=DEFAULT_POLICY, seed="s")
    with pytest.raises(NotEnoughInspectors, match="两名"):
        run_draw(candidates("D"), ["only.one", "only.one"], policy=DEFAULT_POLICY, seed="s")
    with pytest.raises(TooManyTasks, match="上限"):
        run_draw(candidates("D" * 30), POOL, policy=DEFAULT_POLICY, seed="s", max_tasks=20)


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
    graded = select_candidates(
        rows, grades={uscc(5, "140423"): "D"}, lists={uscc(1): ["red", "key_attention", "red"]}
    )
    assert [c.grade for c in graded if c.name == "襄垣"] == ["D"]
    assert [c.lists for c in graded if c.name == "在营"] == [("key_attention", "red")]
    # The digest covers the lists: a listing changes it as a regrading does.
    assert candidate_digest(graded) != candidate_digest(select_candidates(rows))


# --- endpoint ------------------------------------------------------------------------------


def seed_entities(
    app: FastAPI,
    grades: str,
    region: str = "140403",
    start: int = 0,
    lists: dict[int, dict[str, Any]] | None = None,
) -> list[str]:
    """Entities ``start…`` with these grades (``credit_grades`` records), and list memberships."""
    codes = [uscc(start + i, region) for i in range(len(grades))]
    rows = [
        (
            code,
            {
                "uscc": code,
                "name": f"长治市测试{start + i}有限公司",
                "region_code": region,
                "industry": "批发和零售业",
                "status": "存续",
            },
            Scope(region_code=region, entity_uscc=code),
        )
        for i, code in enumerate(codes)
    ]
    graded = [
        (f"cg-{code}", {"uscc": code, "grade": g}, Scope(region_code=region, entity_uscc=code))
        for code, g in zip(codes, grades, strict=True)
        if g != "_"
    ]
    memberships = [
        (
            f"lm-{codes[i]}-{fields['list']}",
            {"uscc": codes[i], "status": "active", **fields},
            Scope(region_code=region, entity_uscc=codes[i]),
        )
        for i, fields in (lists or {}).items()
    ]
    with transaction(app.state.write_sessions) as session:
        bulk_insert_new(session, "entities", rows)
        bulk_insert_new(session, "credit_grades", graded)
        bulk_insert_new(session, "list_memberships", memberships)
    return codes


def classes_of(result: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {c["code"]: (c["pool"], c["drawn"]) for c in result["classes"]}


def test_roles_and_a_full_draw(app: FastAPI, client: TestClient) -> None:
    lists = {
        0: {"list": "red"},
        1: {"list": "key_attention"},
        2: {"list": "key_attention", "until": "2020-01-01"},  # no longer in force
        3: {"list": "serious_dishonesty", "status": "removed"},  # removed
    }
    codes = seed_entities(app, "B" * 30 + "A" * 20 + "D" * 2, lists=lists)
    add_user(app, "boss", "supervisor")
    add_user(app, "win", "window", hall="hall-luzhou")
    for name in ("insp.a", "insp.b", "insp.c"):
        add_user(app, name, "inspector")
    add_user(app, "insp.far", "inspector", region="140423")
    body = {"title": "2026年第四季度双随机抽查", "region_code": "140403"}
    for who in ("win", "insp.a"):
        resp = client.post("/v1/draws", json=body, headers=auth(login(client, who)))
        assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    with app.state.sessions() as s:
        seq_before = s.get(Record, ("entities", codes[0])).seq
    boss = auth(login(client, "boss"))
    resp = client.post("/v1/draws", json=body, headers=boss)
    assert resp.status_code == 201, resp.text
    result = resp.json()
    # B: 29 × 0.2 + 0.4 (重点关注) = 6.2 → 7; A: 20 × 0.05 = 1; D: 2.
    assert classes_of(result) == {
        "A": (20, 1),
        "B": (30, 7),
        "C": (0, 0),
        "D": (2, 2),
        "未分级": (0, 0),
    }
    assert [c["raised"] for c in result["classes"]] == [0, 1, 0, 0, 0]
    assert len(result["tasks"]) == 10
    inputs = result["inputs"]
    assert inputs["raised"] == {codes[1]: pytest.approx(0.4)}
    assert inputs["policy_revisions"] == {"grade_scale": 0, "list_measures": 0}
    assert inputs["grade_rates"][0] == {"code": "A", "rate": 0.05}
    assert inputs["share"] == 1.0 and inputs["candidate_count"] == 52
    assert inputs["inspectors"] == ["insp.a", "insp.b", "insp.c"]  # not insp.far
    # The platform chose the seed: 32 hex characters, different for the next draw.
    assert len(result["seed"]) == 32 and int(result["seed"], 16) >= 0
    rates = {"A": 0.05, "B": 0.2, "D": 1.0}
    for task in result["tasks"]:
        assert len(set(task["inspectors"])) == 2
        want = 0.4 if task["uscc"] == codes[1] else rates[task["credit_grade"]]
        assert task["sampling_rate"] == pytest.approx(want)
    assert client.get(f"/v1/draws/{result['draw_id']}", headers=boss).json() == result
    listing = client.get("/v1/draws", headers=boss).json()["items"]
    assert [(d["draw_id"], d["task_count"], d["share"]) for d in listing] == [
        (result["draw_id"], 10, 1.0)
    ]
    assert client.get("/v1/draws", headers=auth(login(client, "insp.b"))).status_code == 403

    with app.state.sessions() as s:
        tasks = list(s.scalars(select(Record).where(Record.collection == "inspection_tasks")))
        assert len(tasks) == 10
        fields = loads(tasks[0].data)
        assert fields["status"] == "assigned" and fields["draw_id"] == result["draw_id"]
        assert "credit_grade" not in fields and "sampling_rate" not in fields
        assert s.scalar(select(func.count()).select_from(TaskAssignment)) == 20
        # The drawn entities' records were re-sequenced so the inspectors' next pull has them.
        for code in {t["uscc"] for t in result["tasks"]}:
            assert s.get(Record, ("entities", code)).seq > seq_before
        pub = s.scalar(select(Publication).where(Publication.record_id == result["draw_id"]))
        assert pub is not None and pub.kind == "双随机抽查结果"
        stored = s.get(Draw, result["draw_id"])
        assert stored.seed == result["seed"] and loads(stored.inputs) == inputs
        pool, _ = load_candidates(s, inputs["region_code"], inputs["industry"])
    assert candidate_digest(pool) == inputs["candidate_digest"]

    # Replaying the recorded seed and inputs gives the same draw ...
    replay = client.get(f"/v1/draws/{result['draw_id']}/replay", headers=boss)
    assert replay.status_code == 200, replay.text
    assert replay.json()["matches"] is True and replay.json()["digest_matches"] is True
    assert replay.json()["tasks_compared"] == 10 and "一致" in replay.json()["message"]
    # ... and the pure function alone does too.
    rerun = run_draw(
        pool,
        inputs["inspectors"],
        policy=policy_from_inputs(inputs),
        share=inputs["share"],
        seed=result["seed"],
    )
    assert [(t.uscc, list(t.inspectors)) for t in rerun.tasks] == [
        (t["uscc"], t["inspectors"]) for t in result["tasks"]
    ]
    # A second draw gets another seed.
    second = client.post("/v1/draws", json=body, headers=boss).json()
    assert second["seed"] != result["seed"]

    # The registry changed since (a new entity): the replay says so instead of matching.
    seed_entities(app, "C", start=100)
    changed = client.get(f"/v1/draws/{result['draw_id']}/replay", headers=boss).json()
    assert changed["matches"] is False and changed["digest_matches"] is False
    assert changed["recorded_digest"] == inputs["candidate_digest"]
    assert changed["current_digest"] != inputs["candidate_digest"]
    assert "变化" in changed["message"]
    assert client.get("/v1/draws/nope/replay", headers=boss).status_code == 404


def test_rates_come_from_the_platforms_policy(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "A" * 20 + "D" * 5 + "__")
    add_user(app, "root", "admin", region=None)
    add_user(app, "boss", "supervisor")
    add_user(app, "i1", "inspector")
    add_user(app, "i2", "inspector")
    root = auth(login(client, "root"))
    content = {
        "grades": [{"code": "A", "rate": 0}, {"code": "D", "rate": 0.5}],
        "ungraded_rate": 1,
    }
    put = client.put("/v1/policies/grade_scale", json={"content": content}, headers=root)
    assert put.status_code == 200, put.text
    boss = auth(login(client, "boss"))
    resp = client.post("/v1/draws", json={"title": "只抽D级", "share": 0.5}, headers=boss)
    assert resp.status_code == 201, resp.text
    result = resp.json()
    # A rate 0: none; D 5 × 0.5 × 0.5 = 1.25 → 2; ungraded 2 × 1 × 0.5 = 1.
    assert classes_of(result) == {"A": (20, 0), "D": (5, 2), "未分级": (2, 1)}
    assert result["inputs"]["policy_revisions"]["grade_scale"] == put.json()["revision"]
    assert result["inputs"]["region_code"] == "140403"  # the supervisor's own region
    assert {t["credit_grade"] for t in result["tasks"]} == {"D", None}
    assert [d["share"] for d in client.get("/v1/draws", headers=boss).json()["items"]] == [0.5]


def test_supervisors_draw_and_read_only_in_their_region(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "DD")
    seed_entities(app, "DD", region="140402", start=10)  # 城区, merged into 潞州区
    seed_entities(app, "DD", region="140423", start=20)  # 襄垣县
    add_user(app, "luzhou", "supervisor")  # region 140403
    add_user(app, "xiangyuan", "supervisor", region="140423")
    add_user(app, "city", "supervisor", region="140400")
    add_user(app, "nowhere", "supervisor", region=None)
    add_user(app, "root", "admin", region=None)
    for name, region in (("i1", "140403"), ("i2", "140403"), ("x1", "140423"), ("x2", "140423")):
        add_user(app, name, "inspector", region=region)
    luzhou = auth(login(client, "luzhou"))
    outside = client.post("/v1/draws", json={"title": "t", "region_code": "140423"}, headers=luzhou)
    assert outside.status_code == 403 and outside.json()["code"] == "forbidden"
    assert "140423" in outside.json()["message"] and "本区域" in outside.json()["message"]
    city_wide = client.post(
        "/v1/draws", json={"title": "t", "region_code": "140400"}, headers=luzhou
    )
    assert city_wide.status_code == 403
    nowhere = client.post("/v1/draws", json={"title": "t"}, headers=auth(login(client, "nowhere")))
    assert nowhere.status_code == 403 and "所属区域" in nowhere.json()["message"]

    own = client.post("/v1/draws", json={"title": "潞州"}, headers=luzhou)
    assert own.status_code == 201, own.text
    assert own.json()["inputs"]["region_code"] == "140403"
    assert own.json()["candidates"] == 4  # 城区 entities are 潞州区's
    merged = client.post(
        "/v1/draws",
        json={"title": "城区", "region_code": "140402", "inspector_usernames": ["i1", "i2"]},
        headers=luzhou,
    )
    assert merged.status_code == 201, merged.text
    assert {t["uscc"][2:8] for t in merged.json()["tasks"]} == {"140402"}

    xiangyuan = auth(login(client, "xiangyuan"))
    theirs = client.post("/v1/draws", json={"title": "襄垣"}, headers=xiangyuan)
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["inputs"]["inspectors"] == ["x1", "x2"]
    root = auth(login(client, "root"))
    everywhere = client.post(
        "/v1/draws", json={"title": "全市", "inspector_usernames": ["i1", "x1"]}, headers=root
    )
    assert everywhere.status_code == 201, everywhere.text
    assert everywhere.json()["inputs"]["region_code"] is None
    assert everywhere.json()["candidates"] == 6

    def listed(headers: dict[str, str]) -> set[str]:
        resp = client.get("/v1/draws", headers=headers)
        assert resp.status_code == 200, resp.text
        return {d["title"] for d in resp.json()["items"]}

    assert listed(luzhou) == {"潞州", "城区"}
    assert listed(xiangyuan) == {"襄垣"}
    assert listed(auth(login(client, "city"))) == {"潞州", "城区", "襄垣"}
    assert listed(root) == {"潞州", "城区", "襄垣", "全市"}
    draw_id = theirs.json()["draw_id"]
    for path in (f"/v1/draws/{draw_id}", f"/v1/draws/{draw_id}/replay"):
        refused = client.get(path, headers=luzhou)
        assert refused.status_code == 403 and "本区域" in refused.json()["message"]
        assert client.get(path, headers=xiangyuan).status_code == 200
        assert client.get(path, headers=root).status_code == 200
    assert client.get(f"/v1/draws/{draw_id}/replay", headers=root).json()["matches"] is True


def test_the_client_cannot_choose_seed_count_or_ratios(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "D")
    add_user(app, "boss", "supervisor")
    add_user(app, "i1", "inspector")
    add_user(app, "i2", "inspector")
    headers = auth(login(client, "boss"))
    for extra in ({"seed": "lucky"}, {"count": 3}, {"grade_ratios": {"D": 1}}):
        resp = client.post("/v1/draws", json={"title": "t", **extra}, headers=headers)
        assert resp.status_code == 422, (extra, resp.text)
        assert resp.json()["code"] == "validation_error"
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draw)) == 0


def test_too_few_inspectors_is_422_and_stores_nothing(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "CD")
    add_user(app, "boss", "admin", region=None)
    add_user(app, "lonely", "inspector")
    add_user(app, "retired", "inspector", active=False)
    headers = auth(login(client, "boss"))
    resp = client.post("/v1/draws", json={"title": "t", "region_code": "140403"}, headers=headers)
    assert resp.status_code == 422
    assert resp.json()["code"] == "not_enough_inspectors"
    assert "执法人员" in resp.json()["message"]
    named = client.post(
        "/v1/draws",
        json={"title": "t", "inspector_usernames": ["lonely", "retired", "nobody"]},
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
        ({"title": "t", "share": 0}, "validation_error"),
        ({"title": "t", "share": 1.5}, "validation_error"),
        ({"title": ""}, "validation_error"),
        ({"title": "t", "checklist_id": "no-such-list"}, "invalid_field"),
        ({"title": "t", "industry": "不存在的行业"}, "no_candidates"),
        ({"title": "t", "region_code": "长治市潞州区"}, "invalid_field"),
        # PostgreSQL cannot store NUL: refused with a reason, never a 500.
        ({"title": "t\u0000"}, "invalid_field"),
        ({"title": "t", "inspector_usernames": ["i1", "i2\u0000"]}, "invalid_field"),
    ]
    for body, code in cases:
        resp = client.post("/v1/draws", json=body, headers=headers)
        assert resp.status_code == 422, (body, resp.text)
        assert resp.json()["code"] == code
    assert client.get("/v1/draws/nope", headers=headers).status_code == 404
    assert client.get("/v1/draws/a%00b", headers=headers).status_code == 422


def test_a_draw_of_the_old_method_is_not_replayed(app: FastAPI, client: TestClient) -> None:
    add_user(app, "root", "admin", region=None)
    old_inputs = {"count": 3, "grade_ratios": {"A": 0.05}, "region_code": "140403", "method": "v1"}
    result = {"draw_id": "DR20250101-00000000", "title": "旧批次", "seed": "s", "candidates": 0}
    with transaction(app.state.write_sessions) as session:
        root = session.scalar(select(User).where(User.username == "root"))
        assert root is not None
        session.add(
            Draw(
                id="DR20250101-00000000",
                title="旧批次",
                seed="s",
                inputs=dumps(old_inputs),
                result=dumps({**result, "inputs": old_inputs, "tasks": [], "created_at": ""}),
                created_by=root.id,
                created_at=now(),
            )
        )
    headers = auth(login(client, "root"))
    got = client.get("/v1/draws/DR20250101-00000000", headers=headers)
    assert got.status_code == 200 and got.json()["classes"] == []  # stored before classes
    replay = client.get("/v1/draws/DR20250101-00000000/replay", headers=headers).json()
    assert replay["matches"] is False and "旧的抽取方法" in replay["message"]
    assert [d["share"] for d in client.get("/v1/draws", headers=headers).json()["items"]] == [1.0]
