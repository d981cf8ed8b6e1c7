"""风险预警 on the platform: each rule fires (and does not) through the API, region confinement,
windows and inspectors refused, the rules as policy, the CLI, and the raised rate in a draw.

Each test runs on SQLite and on the real PostgreSQL (conftest.py). Forms arrive the way they do
in service: 失信记录 pushed by a window, warnings and re-inspections by the inspector holding the
task (the platform derives the rectification deadline); the registry and lists are imported.
The platform's "today" is fixed with ``CREDIT_PLATFORM_TODAY`` (no test depends on the clock).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from platform_server import cli
from platform_server.db import transaction
from platform_server.draw_service import perform_draw
from platform_server.holiday_table import TODAY_ENV
from platform_server.models import Draw, User
from platform_server.records import Scope, dumps, loads
from platform_server.settings import ServerSettings
from sync.protocol import DrawRequest
from tests.platform.helpers import (
    Caller,
    assign_task,
    commitment,
    make_caller,
    mutation,
    push,
    seed,
    uscc,
)

TODAY = "2026-10-15"
ZHANG = ("张三", "140402********1234")
LI = ("李四", "140403********5678")


@pytest.fixture(autouse=True)
def platform_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY)


def registry(app: FastAPI, *rows: tuple[str, str, tuple[str, str] | None]) -> None:
    """Entities ``(code, region, legal representative)`` as an import makes them."""
    records = []
    for code, region, person in rows:
        fields: dict[str, Any] = {
            "uscc": code,
            "name": f"长治市测试{code[-4:]}有限公司",
            "region_code": region,
            "industry": "批发和零售业",
            "status": "存续",
        }
        if person is not None:
            fields |= {"legal_representative": person[0], "legal_representative_id": person[1]}
        records.append((code, fields, Scope(region_code=region, entity_uscc=code)))
    seed(app, "entities", records)


def membership(app: FastAPI, record_id: str, code: str, list_code: str, **over: Any) -> None:
    fields = {"uscc": code, "list": list_code, "status": "active", "since": "2026-01-05", **over}
    seed(
        app,
        "list_memberships",
        [(record_id, fields, Scope(region_code="140403", entity_uscc=code))],
    )


class Forms:
    """A window hall and an inspector pushing forms about entities, numbering mutations."""

    def __init__(self, app: FastAPI, client: TestClient) -> None:
        self.app, self.client = app, client
        self.window = make_caller(app, "window-a", "window", hall="hall-a")
        self.inspector = make_caller(app, "insp-a", "inspector")
        self.seq = {self.window.username: 0, self.inspector.username: 0}
        self.tasks: dict[str, str] = {}

    def _push(self, who: Caller, collection: str, record_id: str, **fields: Any) -> dict[str, Any]:
        self.seq[who.username] += 1
        (result,) = push(
            self.client, who, mutation(self.seq[who.username], collection, record_id, **fields)
        )
        assert result["status"] == "applied", result
        return result

    def breach(self, code: str, record_id: str, decided_on: str, **over: Any) -> None:
        """A 失信记录 on a commitment of the hall (the commitment first, as at the window)."""
        self._push(self.window, "commitments", f"c-{record_id}", **commitment(code))
        self._push(
            self.window,
            "dishonesty_records",
            record_id,
            uscc=code,
            source_collection="commitments",
            source_id=f"c-{record_id}",
            kind="breach",
            severity="general",
            evidence="逾期未补齐材料",
            decided_on=decided_on,
            matter="食品经营许可",
            **over,
        )

    def repair(self, record_id: str) -> None:
        self.seq[self.window.username] += 1
        (result,) = push(
            self.client,
            self.window,
            mutation(
                self.seq[self.window.username],
                "dishonesty_records",
                record_id,
                "update",
                1,
                repaired=True,
            ),
        )
        assert result["status"] == "applied", result

    def task(self, code: str) -> str:
        if code not in self.tasks:
            self.tasks[code] = f"task-{len(self.tasks) + 1}"
            assign_task(self.app, self.inspector.user_id, self.tasks[code], code)
        return self.tasks[code]

    def warning(self, code: str, record_id: str, issued_on: str, **over: Any) -> str:
        """A 失信警示 with 5 working days to rectify; returns the platform's deadline."""
        result = self._push(
            self.inspector,
            "warnings",
            record_id,
            task_id=self.task(code),
            uscc=code,
            issued_on=issued_on,
            content="限期整改：补齐进货查验记录",
            rectify_working_days=5,
            **over,
        )
        deadline: str = result["server_fields"]["rectify_deadline"]
        return deadline

    def result(
        self, code: str, record_id: str, inspected_on: str, outcome: str, **over: Any
    ) -> None:
        self._push(
            self.inspector,
            "inspection_results",
            record_id,
            task_id=self.task(code),
            uscc=code,
            inspected_on=inspected_on,
            conclusion="见检查记录",
            outcome=outcome,
            **over,
        )


def flagged(client: TestClient, who: Caller, **params: Any) -> dict[str, dict[str, str]]:
    """USCC → {rule code: explanation} of the caller's risk-warning list."""
    resp = client.get("/v1/risk-warnings", params=params, headers=who.headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["as_of"] == TODAY and body["total"] == len(body["items"])
    return {e["uscc"]: {r["code"]: r["explanation"] for r in e["rules"]} for e in body["items"]}


# --- each rule through the API -------------------------------------------------------------------


def test_two_breaches_within_twelve_months_flag_the_entity(
    app: FastAPI, client: TestClient
) -> None:
    twice, once, repaired, old = uscc(1), uscc(2), uscc(3), uscc(4)
    registry(app, *((c, "140403", None) for c in (twice, once, repaired, old)))
    forms = Forms(app, client)
    forms.breach(twice, "d1", "2026-03-01")
    forms.breach(twice, "d2", "2026-09-10")
    forms.breach(once, "d3", "2026-09-10")
    forms.breach(repaired, "d4", "2026-03-01")
    forms.breach(repaired, "d5", "2026-09-10")
    forms.repair("d5")  # a repaired breach no longer counts
    forms.breach(old, "d6", "2025-09-01")  # outside the 12 months
    forms.breach(old, "d7", "2026-09-10")
    boss = make_caller(app, "boss", "supervisor")
    answer = client.get("/v1/risk-warnings", headers=boss.headers).json()
    assert answer["rules_revision"] == 0  # the built-in default
    (item,) = answer["items"]
    assert item["uscc"] == twice and item["region_code"] == "140403"
    assert item["entity_name"] == f"长治市测试{twice[-4:]}有限公司"
    assert item["raise_to"] == 0.6 and item["rate_factor"] == 1.0
    (rule,) = item["rules"]
    assert rule["code"] == "repeat_breaches" and rule["label"] == "12个月内两次及以上失信"
    assert rule["explanation"] == "12个月内失信记录2条（2026-03-01、2026-09-10）"


def test_a_breach_and_an_overdue_warning_flag_the_entity(app: FastAPI, client: TestClient) -> None:
    late, reinspected, marked, no_breach = uscc(11), uscc(12), uscc(13), uscc(14)
    registry(app, *((c, "140403", None) for c in (late, reinspected, marked, no_breach)))
    forms = Forms(app, client)
    for i, code in enumerate((late, reinspected, marked)):
        forms.breach(code, f"d{i}", "2026-05-20")
    deadline = forms.warning(late, "w1", "2026-08-03")
    assert deadline == "2026-08-10"  # 5 working days, derived by the platform
    # Rectified: a re-inspection of the warning's inspection result found no problem ...
    forms.result(
        reinspected,
        "r1",
        "2026-08-03",
        "warning",
        rectify_working_days=5,
        warning_content="限期整改",
    )
    forms.warning(reinspected, "w2", "2026-08-03", result_id="r1")
    forms.result(reinspected, "r2", "2026-08-20", "no_problem", reinspection_of="r1")
    # ... or the warning marked rectified.
    forms.warning(marked, "w3", "2026-08-03", rectified=True)
    forms.warning(no_breach, "w4", "2026-08-03")  # overdue, but no breach
    boss = make_caller(app, "boss", "supervisor")
    assert flagged(client, boss) == {
        late: {
            "breach_and_overdue_warning": (
                "12个月内失信记录1条（2026-05-20），且失信警示逾期未整改1条（整改期限2026-08-10）"
            )
        }
    }


def test_a_legal_representative_on_the_serious_list_flags_the_entity(
    app: FastAPI, client: TestClient
) -> None:
    listed_in_person, same_name_other_id, representative_elsewhere, listed, attention = (
        uscc(21),
        uscc(22),
        uscc(23),
        uscc(24),
        uscc(25),
    )
    registry(
        app,
        (listed_in_person, "140403", ZHANG),
        (same_name_other_id, "140403", ("张三", "140402********9999")),
        (representative_elsewhere, "140403", LI),
        (listed, "140403", LI),  # on the serious list itself: a list measure, not this rule
        (attention, "140403", ("王五", "140403********0001")),
    )
    # 张三 is named in person on the serious list (under some entity's listing) ...
    membership(app, "lm-p1", listed, "serious_dishonesty", person_name="张三", person_id=ZHANG[1])
    # ... 李四 represents an entity on it; 王五 is only on the key-attention list; a removed
    # listing counts for nobody.
    membership(app, "lm-e1", listed, "serious_dishonesty")
    membership(
        app, "lm-p2", listed, "key_attention", person_name="王五", person_id="140403********0001"
    )
    membership(
        app,
        "lm-p3",
        listed,
        "serious_dishonesty",
        person_name="王五",
        person_id="140403********0001",
        status="removed",
    )
    boss = make_caller(app, "boss", "supervisor")
    assert flagged(client, boss) == {
        listed_in_person: {
            "representative_on_list": "法定代表人张三（140402********1234）在严重失信主体名单内"
        },
        representative_elsewhere: {
            "representative_on_list": (
                "法定代表人李四（140403********5678）同时是严重失信主体名单内主体"
                f"“长治市测试{listed[-4:]}有限公司”的法定代表人或主要负责人"
            )
        },
    }


# --- who sees what -------------------------------------------------------------------------------


def test_supervisors_see_their_region_and_windows_and_inspectors_nothing(
    app: FastAPI, client: TestClient
) -> None:
    here, there, old_district = uscc(31), uscc(32, region="140423"), uscc(33, region="140402")
    registry(app, (here, "140403", None), (there, "140423", None), (old_district, "140402", None))
    forms = Forms(app, client)
    for code in (here, there, old_district):
        forms.breach(code, f"a-{code}", "2026-03-01")
        forms.breach(code, f"b-{code}", "2026-04-01")
    luzhou = make_caller(app, "luzhou", "supervisor")  # 140403 covers 城区 140402
    city = make_caller(app, "city", "supervisor", region="140400")
    root = make_caller(app, "root", "admin", region=None)
    assert set(flagged(client, luzhou)) == {here, old_district}
    assert set(flagged(client, luzhou, region="140402")) == {old_district}
    assert set(flagged(client, city)) == {here, there, old_district}
    assert set(flagged(client, root)) == {here, there, old_district}
    assert set(flagged(client, root, region="140423")) == {there}
    page = client.get("/v1/risk-warnings", params={"limit": 1, "offset": 1}, headers=root.headers)
    assert page.json()["total"] == 3 and len(page.json()["items"]) == 1

    outside = client.get("/v1/risk-warnings", params={"region": "140423"}, headers=luzhou.headers)
    assert outside.status_code == 403 and outside.json()["code"] == "forbidden"
    assert "本区域" in outside.json()["message"]
    nowhere = make_caller(app, "nowhere", "supervisor", region=None)
    refused = client.get("/v1/risk-warnings", headers=nowhere.headers)
    assert refused.status_code == 403 and "所属区域" in refused.json()["message"]
    for who in (forms.window, forms.inspector):
        resp = client.get("/v1/risk-warnings", headers=who.headers)
        assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
        assert "仅供科室负责人和管理员" in resp.json()["message"]
    assert (
        client.get("/v1/risk-warnings", params={"region": "潞州"}, headers=root.headers).status_code
        == 422
    )


# --- the rules are policy ------------------------------------------------------------------------


def test_the_rules_are_platform_policy_versioned_like_the_others(
    app: FastAPI, client: TestClient
) -> None:
    code = uscc(41)
    registry(app, (code, "140403", None))
    forms = Forms(app, client)
    forms.breach(code, "d1", "2026-03-01")
    forms.breach(code, "d2", "2026-09-10")
    root = make_caller(app, "root", "admin", region=None)
    assert set(flagged(client, root)) == {code}
    stricter = {
        "rules": [{"code": "thrice", "kind": "repeat_breaches", "count": 3, "raise_to": 1.0}]
    }
    bad = client.put(
        "/v1/policies/risk_rules",
        json={"content": {"rules": [{"code": "x"}]}},
        headers=root.headers,
    )
    assert bad.status_code == 422 and bad.json()["message"].startswith("风险预警规则：")
    put = client.put(
        "/v1/policies/risk_rules", json={"content": stricter, "note": "试行"}, headers=root.headers
    )
    assert put.status_code == 200, put.text
    assert put.json()["revision"] == 1
    assert flagged(client, root) == {}
    forms.breach(code, "d3", "2026-10-01")
    answer = client.get("/v1/risk-warnings", headers=root.headers).json()
    assert answer["rules_revision"] == 1
    assert answer["items"][0]["rules"][0]["explanation"].startswith("12个月内失信记录3条")
    assert answer["items"][0]["raise_to"] == 1.0
    history = client.get("/v1/policies/risk_rules/revisions", headers=root.headers).json()
    assert [(h["revision"], h["note"]) for h in history] == [(1, "试行")]


def test_the_command_line_lists_the_same_flags(
    app: FastAPI,
    client: TestClient,
    settings: ServerSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    here, there = uscc(51), uscc(52, region="140423")
    registry(app, (here, "140403", None), (there, "140423", None))
    forms = Forms(app, client)
    for code in (here, there):
        forms.breach(code, f"a-{code}", "2026-03-01")
        forms.breach(code, f"b-{code}", "2026-04-01")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CREDIT_PLATFORM_DATA", str(settings.data_dir))
    capsys.readouterr()
    assert cli.main(["risk", "list", "--region", "140423"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["as_of"] == TODAY and printed["total"] == 1
    assert printed["items"][0]["uscc"] == there
    assert printed["items"][0]["rules"][0]["code"] == "repeat_breaches"
    assert cli.main(["risk", "list", "--region", "潞州区"]) == 2
    assert "6位数字" in capsys.readouterr().err


# --- the draw ------------------------------------------------------------------------------------


def test_a_flagged_entity_is_drawn_at_the_raised_rate_and_the_draw_replays(
    app: FastAPI, client: TestClient
) -> None:
    codes = [uscc(100 + i) for i in range(20)]
    registry(app, *((c, "140403", None) for c in codes))
    grades = [
        (f"cg-{c}", {"uscc": c, "grade": "A"}, Scope(region_code="140403", entity_uscc=c))
        for c in codes
    ]
    seed(app, "credit_grades", grades)
    flagged_code = codes[7]
    forms = Forms(app, client)
    forms.breach(flagged_code, "d1", "2026-03-01")
    forms.breach(flagged_code, "d2", "2026-09-10")
    make_caller(app, "insp-b", "inspector")
    boss = make_caller(app, "boss", "supervisor")
    body = DrawRequest(title="2026年第四季度双随机抽查", region_code="140403")
    with transaction(app.state.write_sessions) as session:
        creator = session.scalar(select(User).where(User.username == "boss"))
        assert creator is not None
        result = perform_draw(session, body, creator, today=date.fromisoformat(TODAY))
    inputs = result.inputs
    # Recorded: which rule flagged whom, and the raise applied (class A's 5 % → at least 60 %).
    assert inputs["risk"] == {
        "revision": 0,
        "flags": {
            flagged_code: {"rules": ["repeat_breaches"], "rate_factor": 1.0, "raise_to": 0.6}
        },
    }
    assert inputs["raised"] == {flagged_code: 0.6}
    (a_class,) = [c for c in result.classes if c.code == "A"]
    # 19 × 0.05 + 0.6 = 1.55 → 2 drawn of 20; one raised.
    assert (a_class.pool, a_class.raised, a_class.drawn, a_class.rate) == (20, 1, 2, 0.05)
    rates = {t.uscc: t.sampling_rate for t in result.tasks}
    assert all(rate == (0.6 if code == flagged_code else 0.05) for code, rate in rates.items())

    # The replay applies the recorded raise, even after the flag has gone (a repair).
    forms.repair("d2")
    assert flagged(client, boss) == {}
    replay = client.get(f"/v1/draws/{result.draw_id}/replay", headers=boss.headers).json()
    assert replay["matches"] is True and replay["digest_matches"] is True, replay

    # A draw recorded before 风险预警 (no "risk" in its inputs) still replays: nothing raised.
    with transaction(app.state.write_sessions) as session:
        creator = session.scalar(select(User).where(User.username == "boss"))
        assert creator is not None
        plain = perform_draw(session, body, creator, today=date.fromisoformat(TODAY))
        assert plain.inputs["risk"] == {"revision": 0, "flags": {}}
        stored = session.get(Draw, plain.draw_id)
        assert stored is not None
        old = loads(stored.inputs)
        del old["risk"]
        stored.inputs = dumps(old)
    again = client.get(f"/v1/draws/{plain.draw_id}/replay", headers=boss.headers).json()
    assert again["matches"] is True, again


def test_the_rules_themselves_reach_supervisors_only(app: FastAPI, client: TestClient) -> None:
    from desktop_app.domain.policy import DEFAULT_CONTENT
    from tests.platform.helpers import make_caller, pull_all

    admin = make_caller(app, "adm", "admin", region=None)
    content = DEFAULT_CONTENT["risk_rules"]
    stored = client.put("/v1/policies/risk_rules", json={"content": content}, headers=admin.headers)
    assert stored.status_code == 200, stored.text
    window = make_caller(app, "w1", "window", hall="hall-a")
    inspector = make_caller(app, "i1", "inspector")
    supervisor = make_caller(app, "s1", "supervisor")
    for caller, sees in ((window, False), (inspector, False), (supervisor, True)):
        changes, _ = pull_all(client, caller, limit=500)
        pulled = {c["record_id"] for c in changes if c["collection"] == "policies"}
        assert ("risk_rules" in pulled) is sees, caller.username
        listed = {p["name"] for p in client.get("/v1/policies", headers=caller.headers).json()}
        assert ("risk_rules" in listed) is sees and "tolerance" in listed
