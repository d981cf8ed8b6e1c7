"""The public credit record: licences, penalties and public inspection results (both DBs).

Import validation, who pulls them, the mirror of publishable inspection results into
``public_inspections``, and the demo seed producing every kind.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app.domain import disclosure
from platform_server import import_rules
from platform_server.demo import DEMO_AS_OF, seed_demo
from platform_server.deps import Principal
from platform_server.importer import ImportFileError, import_file, import_rows
from platform_server.models import Device, Record, User
from platform_server.publication import publication_id
from platform_server.records import loads
from platform_server.registry import key_digest, licence_id, mirror_id, penalty_id
from platform_server.scopes import Viewer, can_see, related_record_keys
from tests.platform.helpers import (
    Caller,
    assign_task,
    keys,
    make_caller,
    mutation,
    pull_all,
    push,
    seed_entity,
    stored,
    uscc,
)

RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
E1, E2 = uscc(1), uscc(2, region="140404")
REGISTRY = ("licences", "penalties", "public_inspections")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def records(app: FastAPI, collection: str) -> dict[str, dict[str, Any]]:
    """Live records of a collection: id → fields."""
    with app.state.sessions() as s:
        rows = s.execute(
            select(Record.record_id, Record.data).where(
                Record.collection == collection, Record.deleted.is_(False)
            )
        )
        return {rid: loads(data) for rid, data in rows}


# --- import -----------------------------------------------------------------------------------

LICENCE_HEADER = [
    "uscc",
    "entity_name",
    "licence_no",
    "licence_name",
    "matter",
    "content",
    "decided_on",
    "valid_from",
    "valid_until",
    "decided_by",
    "status",
    "credit_grade",
]


def licence_row(code: str, no: str, **over: str) -> list[str]:
    row = {
        "uscc": code,
        "entity_name": "长治市甲有限公司",
        "licence_no": no,
        "licence_name": "食品经营许可证",
        "matter": "食品经营许可",
        "content": "预包装食品销售",
        "decided_on": "2025-03-18",
        "valid_from": "2025-03-18",
        "valid_until": "2030-03-17",
        "decided_by": "长治市潞州区行政审批服务管理局",
        "status": "",
        "credit_grade": "C",
    } | over
    return [row[c] for c in LICENCE_HEADER]


def test_import_licences(app: FastAPI, tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "licences.csv",
        LICENCE_HEADER,
        [
            licence_row(E1, "JY11404030012345"),  # row 2
            licence_row(E1, "晋交运管许可长字140403000123号", status="已撤销"),  # row 3
            licence_row(E1, "JY1", matter=""),  # row 4: no matter
            licence_row(E1, "JY2", decided_on="2025/03/18"),  # row 5: bad date
            licence_row(E1, "JY3", valid_until="2024-01-01"),  # row 6: ends before it starts
            licence_row(E1, "JY4", status="注销"),  # row 7: not a status
            licence_row(E1, "ＪＹ１１４０４０３００１２３４５"),  # row 8: row 2 in full width
            licence_row("91140403MA0TEST000", "JY5"),  # row 9: bad USCC
        ],
    )
    report = import_file(app.state.write_sessions, "licences", src)
    assert [i.row for i in report.rejected] == [4, 5, 6, 7, 8, 9]
    reasons = [i.reason for i in report.rejected]
    assert "许可事项" in reasons[0] and "matter" in reasons[0]
    assert "YYYY-MM-DD" in reasons[1]
    assert "有效期至" in reasons[2] and "早于有效期自" in reasons[2]
    assert "有效、已撤销、已过期 或 已撤回" in reasons[3]
    assert "与第2行重复" in reasons[4]  # one licence, whatever the width of its digits
    assert "统一社会信用代码" in reasons[5]
    stored_ = records(app, "licences")
    first, second = (
        licence_id(E1, "JY11404030012345"),
        licence_id(E1, "晋交运管许可长字140403000123号"),
    )
    assert set(stored_) == {first, second}
    assert all(RECORD_ID.fullmatch(rid) for rid in stored_)
    assert first == f"lic-{E1}-{key_digest('JY11404030012345')}"
    assert stored_[first]["status"] == "valid" and stored_[second]["status"] == "revoked"
    assert stored_[first]["valid_until"] == "2030-03-17"
    assert "credit_grade" not in stored_[first]  # internal risk classes never enter
    with app.state.sessions() as s:
        row = s.get(Record, ("licences", first))
        assert row is not None and (row.region_code, row.entity_uscc) == ("140403", E1)

    # The same licence again: the record is replaced (new version), not duplicated.
    again = write_csv(
        tmp_path / "again.csv", LICENCE_HEADER, [licence_row(E1, "JY11404030012345", status="过期")]
    )
    second_report = import_file(app.state.write_sessions, "licences", again)
    assert (second_report.inserted, second_report.updated) == (0, 1)
    assert records(app, "licences")[first]["status"] == "expired"


PENALTY = {
    "uscc": E1,
    "decision_no": "长潞市监罚〔2025〕12号",
    "violation": "销售超过保质期的食品",
    "penalty": "没收违法经营的食品，并处罚款5000元",
    "decided_on": "2025-01-31",
    "decided_by": "长治市潞州区市场监督管理局",
}


def test_import_penalties_normalises_and_computes_publication(app: FastAPI, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        PENALTY | {"severity": "严重", "amount": "12,000.50元"},  # 1
        PENALTY | {"decision_no": "长潞市监罚〔2025〕13号"},  # 2: general by default
        PENALTY | {"decision_no": "D-14", "severity": "Minor", "published": "是"},  # 3
        PENALTY | {"decision_no": "D-15", "severity": "general", "publish_until": "2025-06-30"},
        PENALTY | {"decision_no": "D-16", "severity": "一般失信", "publish_until": "2027-01-01"},
        PENALTY | {"decision_no": "D-17", "severity": "很严重"},  # 6: not a severity
        PENALTY | {"decision_no": None},  # 7: no decision number
        PENALTY | {"decision_no": "D-18", "violation": ""},  # 8: no violation
        PENALTY | {"decision_no": "D-19", "amount": "2万元"},  # 9: not in yuan
        PENALTY | {"decision_no": "D-20", "repair_status": "已修复"},  # 10: repaired, no date
        PENALTY | {"decision_no": "D-21", "repaired_on": "2025-06-01"},  # 11: date, not repaired
        PENALTY | {"decision_no": "D-22", "publish_until": "2024-12-31"},  # 12: before decision
        PENALTY
        | {
            "decision_no": "D-23",
            "repair_status": "已完成信用修复",
            "repaired_on": "2025-03-01",  # 13: repaired, before the 3-month minimum: a warning
            "status": "已撤销",
            "risk_grade": "D",
        },
        PENALTY | {"decision_no": "D-24", "severity": "serious", "published": "否"},  # 14
    ]
    path = tmp_path / "penalties.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    report = import_file(app.state.write_sessions, "penalties", path)
    assert [i.row for i in report.rejected] == [6, 7, 8, 9, 10, 11, 12]
    reasons = {i.row: i.reason for i in report.rejected}
    assert "处罚情节“很严重”无效" in reasons[6] and "轻微、一般 或 严重" in reasons[6]
    assert "处罚决定书文号" in reasons[7]
    assert "违法行为" in reasons[8]
    assert "以元为单位" in reasons[9] and "20000" in reasons[9]
    assert "repaired_on" in reasons[10]
    assert "已完成信用修复" in reasons[11]
    assert "早于处罚决定日期" in reasons[12]
    warned = {i.row: i.reason for i in report.warnings}
    assert set(warned) == {5, 13, 14}
    assert "最长公示期" in warned[5] and "2026-01-31" in warned[5]
    assert "最短公示期" in warned[13]
    assert "只对轻微处罚有效" in warned[14]

    got = records(app, "penalties")
    assert all(RECORD_ID.fullmatch(rid) and rid.startswith(f"pen-{E1}-") for rid in got)
    serious = got[penalty_id(E1, "长潞市监罚〔2025〕12号")]
    assert serious["severity"] == "serious" and serious["amount"] == 12000.5
    assert serious["publish_until"] == "2028-01-31"  # 36 months from the decision
    assert serious["published"] is True and serious["repair_status"] == "none"
    assert serious["status"] == "active"
    general = got[penalty_id(E1, "长潞市监罚〔2025〕13号")]
    assert general["severity"] == "general" and general["publish_until"] == "2026-01-31"
    minor = got[penalty_id(E1, "D-14")]
    assert (minor["severity"], minor["published"], minor["publish_until"]) == (
        "minor",
        True,
        "2025-04-30",  # 31 January + 3 months: the last day of April
    )
    assert got[penalty_id(E1, "D-15")]["publish_until"] == "2025-06-30"  # shorter: honoured
    assert got[penalty_id(E1, "D-16")]["publish_until"] == "2026-01-31"  # longer: capped
    repaired = got[penalty_id(E1, "D-23")]
    assert (repaired["repair_status"], repaired["repaired_on"], repaired["status"]) == (
        "repaired",
        "2025-03-01",
        "revoked",
    )
    assert "risk_grade" not in repaired
    # The stored values agree with the shared disclosure rules.
    for fields in got.values():
        severity = disclosure.parse_severity(fields["severity"])
        assert (
            fields["publish_until"]
            <= disclosure.publication_end(
                severity, date.fromisoformat(fields["decided_on"])
            ).isoformat()
        )
    assert disclosure.penalty_disclosed(serious, date(2027, 6, 1))
    assert not disclosure.penalty_disclosed(serious, date(2028, 2, 1))
    assert not disclosure.penalty_disclosed(repaired, date(2025, 3, 2))


def test_import_public_inspections(app: FastAPI, tmp_path: Path) -> None:
    header = ["uscc", "inspected_on", "inspection_kind", "authority", "result", "published_on"]
    header.append("source")
    authority = "长治市潞州区市场监督管理局"
    src = write_csv(
        tmp_path / "inspections.csv",
        header,
        [
            [E1, "2025-05-06", "双随机抽查", authority, "未发现问题", "2025-05-12", ""],  # 2
            [E1, "2025-05-06", "专项检查", authority, "发现问题，已责令整改", "", ""],  # 3
            [E1, "2025-06-10", "重点检查", authority, "未发现问题", "", "r-77"],  # 4
            [E1, "2025-05-06", "双随机抽查", "", "未发现问题", "", ""],  # 5: no authority
            [E1, "2025-05-06", "双随机抽查", authority, "未发现问题", "2025-05-01", ""],  # 6
            [E1, "2025-05-06", "双随机抽查", authority, "未发现问题", "", "坏编号"],  # 7
        ],
    )
    report = import_file(app.state.write_sessions, "public_inspections", src)
    assert [i.row for i in report.rejected] == [5, 6, 7]
    assert "检查机关" in report.rejected[0].reason
    assert "早于检查日期" in report.rejected[1].reason
    assert "source" in report.rejected[2].reason
    got = records(app, "public_inspections")
    assert len(got) == 3 and all(RECORD_ID.fullmatch(rid) for rid in got)
    # Same day, different kinds: two records. A row naming its form shares the mirror's id.
    assert sum(rid.startswith(f"insp-{E1}-20250506-") for rid in got) == 2
    assert got[mirror_id("r-77")]["source"] == "r-77"


def test_csv_header_must_name_the_required_columns(app: FastAPI, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "p.csv", ["uscc", "decision_no"], [[E1, "D-1"]])
    with pytest.raises(ImportFileError, match="violation"):
        import_file(app.state.write_sessions, "penalties", bad)
    assert records(app, "penalties") == {}


def test_disclosure_takes_a_datetime_as_its_date() -> None:
    # A decision date read back as a datetime (e.g. from a database column) is its date.
    record = PENALTY | {"severity": "serious", "decided_on": datetime(2025, 1, 31, 9, 30)}
    assert disclosure.penalty_disclosed(record, date(2025, 2, 1))
    assert not disclosure.penalty_disclosed(record, date(2028, 2, 1))


def test_import_validators_keep_ids_safe() -> None:
    long_no = "长市监罚字〔2025〕" + "十二" * 40 + "号"
    valid = import_rules.penalties(PENALTY | {"decision_no": long_no})
    assert RECORD_ID.fullmatch(valid.record_id)
    form_id = "f" * 64
    assert RECORD_ID.fullmatch(mirror_id(form_id)) and mirror_id(form_id) != mirror_id("f" * 63)


# --- who sees them ----------------------------------------------------------------------------


def seed_registry(app: FastAPI) -> dict[str, set[tuple[str, str]]]:
    """One licence, penalty and public inspection for E1 (140403) and E2 (140404)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for code in (E1, E2):
        seed_entity(app, code, region=code[2:8])
        rows = {
            "licences": [(1, {**dict(zip(LICENCE_HEADER, licence_row(code, "JY9"), strict=True))})],
            "penalties": [(1, PENALTY | {"uscc": code})],
            "public_inspections": [
                (
                    1,
                    {
                        "uscc": code,
                        "inspected_on": "2025-05-06",
                        "inspection_kind": "双随机抽查",
                        "authority": "长治市市场监督管理局",
                        "result": "未发现问题",
                    },
                )
            ],
        }
        found: set[tuple[str, str]] = set()
        for collection, raw in rows.items():
            report = import_rows(app.state.write_sessions, collection, raw)
            assert not report.rejected, report.text()
            found |= {(collection, rid) for rid, f in records(app, collection).items()
                      if f["uscc"] == code}  # fmt: skip
        assert len(found) == 3
        out[code] = found
    return out


def _agrees(app: FastAPI, who: Caller, pulled: set[tuple[str, str]]) -> None:
    """The SQL rule of the pull and the Python rule of push see the same registry records."""
    with app.state.sessions() as session:
        user, device = session.get(User, who.user_id), session.get(Device, who.device_id)
        assert user is not None and device is not None
        viewer = Viewer.of(Principal(user=user, device=device))
        rows = session.scalars(select(Record).where(Record.collection.in_(REGISTRY))).all()
        seen = {(r.collection, r.record_id) for r in rows if can_see(session, viewer, r)}
    assert seen == {k for k in pulled if k[0] in REGISTRY}, who.username


def test_each_role_pulls_its_part_of_the_public_record(app: FastAPI, client: TestClient) -> None:
    by_entity = seed_registry(app)
    window = make_caller(app, "w", "window", hall="hall-a")
    inspector = make_caller(app, "i", "inspector")
    supervisor = make_caller(app, "s", "supervisor", region="140404")
    admin = make_caller(app, "a", "admin", region=None)
    assign_task(app, inspector.user_id, "task-1", E1)
    everything = by_entity[E1] | by_entity[E2]
    for who, wanted in (
        (window, everything),  # the window sees the whole city's registry
        (inspector, by_entity[E1]),  # only the entities of their tasks
        (supervisor, by_entity[E2]),  # only their region
        (admin, everything),
    ):
        changes, _ = pull_all(client, who, limit=4)
        pulled = {k for k in keys(changes) if k[0] in REGISTRY}
        assert pulled == wanted, who.username
        _agrees(app, who, keys(changes))
    # Clients never write the public record.
    rid = next(r for c, r in by_entity[E1] if c == "penalties")
    results = push(
        client,
        admin,
        mutation(1, "penalties", rid, "update", 1, status="revoked"),
        mutation(2, "licences", "lic-new", uscc=E1, licence_no="X"),
    )
    assert [r["reason"] for r in results] == ["read_only_collection", "read_only_collection"]


def test_a_new_task_delivers_the_public_record_again(app: FastAPI, client: TestClient) -> None:
    by_entity = seed_registry(app)
    inspector = make_caller(app, "i", "inspector", region="140404")
    assign_task(app, inspector.user_id, "task-2", E2, region="140404")
    _, cursor = pull_all(client, inspector)
    with app.state.sessions() as session:
        assert by_entity[E1] <= set(related_record_keys(session, E1))
    assign_task(app, inspector.user_id, "task-3", E1)
    changes, _ = pull_all(client, inspector, cursor)
    assert by_entity[E1] <= keys(changes)
    assert not by_entity[E2] & keys(changes)


# --- the mirror of publishable inspection results ---------------------------------------------


def result_form(seq: int, record_id: str, code: str = E1, **over: Any) -> dict[str, Any]:
    fields = {
        "task_id": "task-1",
        "uscc": code,
        "inspected_on": "2026-06-01",
        "conclusion": "未发现问题",
        "publishable": True,
        "inspection_kind": "双随机抽查",
        "authority": "长治市潞州区市场监督管理局",
        "credit_grade": "D",
    } | over
    return mutation(seq, "inspection_results", record_id, **fields)


def registry_changes(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["record_id"]: c for c in changes if c["collection"] == "public_inspections"}


def test_results_go_public_only_when_published_and_named_by_the_registry(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    insp = make_caller(app, "insp", "inspector")
    boss = make_caller(app, "boss", "supervisor")
    window = make_caller(app, "w", "window", hall="hall-a")
    assign_task(app, insp.user_id, "task-1", E1)
    _, w_cursor = pull_all(client, window)
    _, i_cursor = pull_all(client, insp)

    made = push(
        client,
        insp,
        # A client's own names (an impostor's company name, another authority) never go public.
        result_form(1, "r-pub", entity_name="冒名顶替有限公司", authority="某某执法局"),
        result_form(2, "r-private", publishable=False),
    )
    assert [r["status"] for r in made] == ["applied", "applied"]
    # Nothing is public before a supervisor publishes it: no mirror, nothing to pull.
    assert stored(app, "public_inspections", mirror_id("r-pub")) is None
    changes, _ = pull_all(client, window, w_cursor)
    assert registry_changes(changes) == {}
    # A deletion before publication leaves nothing behind either.
    push(client, insp, result_form(3, "r-gone"))
    gone = push(client, insp, mutation(4, "inspection_results", "r-gone", "delete", 1))
    assert gone[0]["status"] == "applied"
    assert stored(app, "public_inspections", mirror_id("r-gone")) is None

    pub = publication_id("inspection_results", "r-pub")
    assert client.post(f"/v1/publications/{pub}/publish", headers=boss.headers).is_success
    mirror = stored(app, "public_inspections", mirror_id("r-pub"))
    form = stored(app, "inspection_results", "r-pub")
    assert mirror is not None and form is not None
    published_on = mirror["fields"].pop("published_on")
    assert published_on and mirror["fields"] == {
        "uscc": E1,
        "entity_name": f"测试企业{E1[-6:]}",  # from the entity record, not the form
        "inspected_on": "2026-06-01",
        "inspection_kind": "双随机抽查",
        "authority": "潞州区",  # the platform's unit for the form, not the form's say
        "result": "未发现问题",
        "source": "r-pub",
    }
    assert (mirror["region_code"], mirror["entity_uscc"]) == ("140403", E1)
    assert stored(app, "public_inspections", mirror_id("r-private")) is None
    # Both the window (whole city) and the inspector (their task's entity) pull it.
    for who, cursor in ((window, w_cursor), (insp, i_cursor)):
        changes, _ = pull_all(client, who, cursor)
        pulled = registry_changes(changes)
        assert set(pulled) == {mirror_id("r-pub")}, who.username
        assert "credit_grade" not in json.dumps(pulled, ensure_ascii=False)
        assert "冒名顶替" not in json.dumps(pulled, ensure_ascii=False)


def test_a_published_result_keeps_its_mirror(app: FastAPI, client: TestClient) -> None:
    seed_entity(app, E1)
    insp = make_caller(app, "insp", "inspector")
    boss = make_caller(app, "boss", "supervisor")
    assign_task(app, insp.user_id, "task-1", E1)
    assert push(client, insp, result_form(1, "r-online"))[0]["status"] == "applied"
    pub = publication_id("inspection_results", "r-online")
    done = client.post(f"/v1/publications/{pub}/publish", headers=boss.headers)
    assert done.status_code == 200
    published_day = done.json()["published_at"][:10]  # UTC; China date may be a day later
    mirror = stored(app, "public_inspections", mirror_id("r-online"))
    assert mirror is not None and mirror["version"] == 2  # written, then stamped
    assert mirror["fields"]["published_on"] >= published_day
    # Publishing again changes nothing.
    client.post(f"/v1/publications/{pub}/publish", headers=boss.headers)
    again = stored(app, "public_inspections", mirror_id("r-online"))
    assert again is not None and again["version"] == 2
    # History: neither an edit nor the deletion of the form changes it any more.
    results = push(
        client,
        insp,
        mutation(2, "inspection_results", "r-online", "update", 1, conclusion="改写"),
        mutation(3, "inspection_results", "r-online", "delete", 2),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    after = stored(app, "public_inspections", mirror_id("r-online"))
    assert after == again


def test_the_mirror_never_takes_over_another_record(app: FastAPI, client: TestClient) -> None:
    seed_entity(app, E1)
    insp = make_caller(app, "insp", "inspector")
    assign_task(app, insp.user_id, "task-1", E1)
    raw = {
        "id": mirror_id("r-9"),  # an import that happened to choose this id, for another result
        "uscc": E1,
        "inspected_on": "2025-01-06",
        "inspection_kind": "专项检查",
        "authority": "长治市市场监督管理局",
        "result": "未发现问题",
    }
    assert not import_rows(app.state.write_sessions, "public_inspections", [(1, raw)]).rejected
    before = stored(app, "public_inspections", mirror_id("r-9"))
    results = push(
        client,
        insp,
        result_form(1, "r-9"),
        mutation(2, "inspection_results", "r-9", "delete", 1),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert stored(app, "public_inspections", mirror_id("r-9")) == before


# --- the demo -------------------------------------------------------------------------------


def test_demo_shows_every_kind_of_public_record(app: FastAPI) -> None:
    summary = seed_demo(app.state.write_sessions, 300, seed=7)
    got = {c: records(app, c) for c in REGISTRY}
    assert (summary.licences, summary.penalties, summary.public_inspections) == tuple(
        len(got[c]) for c in REGISTRY
    )
    entities = records(app, "entities")
    # Every record is what an import of it would store, under the same id.
    validators = {
        "licences": import_rules.licences,
        "penalties": import_rules.penalties,
        "public_inspections": import_rules.public_inspections,
    }
    for collection, rows in got.items():
        assert rows, collection
        for record_id, fields in rows.items():
            valid = validators[collection](dict(fields))
            assert (valid.record_id, valid.fields) == (record_id, fields), record_id
            assert fields["uscc"] in entities
            assert fields["entity_name"] == entities[fields["uscc"]]["name"]
            assert not disclosure.INTERNAL_FIELDS & fields.keys()
    penalties = list(got["penalties"].values())
    assert {p["severity"] for p in penalties} == {"minor", "general", "serious"}
    assert all("2022-01-01" <= p["decided_on"] <= "2026-10-31" for p in penalties)
    assert sum(p["status"] == "revoked" for p in penalties) == 1
    # The showcase entity: every section of a report has something to show.
    showcase = next(p["uscc"] for p in penalties if p["severity"] == "serious")
    own = [p for p in penalties if p["uscc"] == showcase]
    today = DEMO_AS_OF
    assert any(p["severity"] == "serious" and disclosure.penalty_disclosed(p, today) for p in own)
    assert any(p["severity"] == "general" and p["publish_until"] < today.isoformat() for p in own)
    assert any(p["repair_status"] == "repaired" and p["repaired_on"] for p in own)
    assert any(
        f["uscc"] == showcase and disclosure.licence_disclosed(f) for f in got["licences"].values()
    )
    assert any(f["uscc"] == showcase for f in got["public_inspections"].values())
    licence_states = Counter(f["status"] for f in got["licences"].values())
    assert licence_states["valid"] and licence_states["expired"]
    # Shares near the intended 8% / 4% / 3% of 300 entities (showcases included).
    holders = {c: len({f["uscc"] for f in got[c].values()}) for c in REGISTRY}
    assert 10 <= holders["licences"] <= 45, holders
    assert 4 <= holders["penalties"] <= 25, holders
    assert 3 <= holders["public_inspections"] <= 20, holders

    again = seed_demo(app.state.write_sessions, 300, seed=7)
    assert (again.licences, again.penalties, again.public_inspections) == (0, 0, 0)
