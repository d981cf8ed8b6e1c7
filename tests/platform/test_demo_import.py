"""Demo seed and reference-data import (both DBs)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from desktop_app.domain.person_id import check_character, mask_id_number
from desktop_app.domain.uscc import check_uscc, generate_uscc
from platform_server.demo import DEMO_PASSWORD, seed_demo
from platform_server.demo_calendar import DEMO_SOURCE
from platform_server.importer import ImportFileError, import_file
from platform_server.models import Draw, Hall, Record, TaskAssignment, User
from platform_server.records import loads

ABOLISHED = {"140402", "140411", "140421", "140424", "140481"}


def records(app: FastAPI, collection: str) -> dict[str, dict]:  # type: ignore[type-arg]
    with app.state.sessions() as s:
        rows = s.execute(
            select(Record.record_id, Record.data).where(Record.collection == collection)
        )
        return {rid: loads(data) for rid, data in rows}


def test_seed_demo(app: FastAPI, client: TestClient) -> None:
    summary = seed_demo(app.state.write_sessions, 400, seed=7)
    assert (summary.entities, summary.credit_grades, summary.halls) == (400, 400, 12)
    entities = records(app, "entities")
    assert len(entities) == 400
    assert all(check_uscc(code).ok and code == f["uscc"] for code, f in entities.items())
    assert ABOLISHED & {code[2:8] for code in entities}, "old district codes must appear"
    current = {"140403", "140404", "140405", "140406", *(f"1404{n}" for n in range(23, 32))}
    assert {f["region_code"] for f in entities.values()} <= current | ABOLISHED
    assert all(f["region_code"] == code[2:8] for code, f in entities.items())
    kinds = Counter(f["entity_type"] for f in entities.values())
    assert set(kinds) == {"有限责任公司", "个体工商户", "农民专业合作社"}
    assert any(f["name"].endswith("专业合作社") for f in entities.values())
    # Risk classes live in credit_grades (supervisors), never on the entity windows pull.
    assert not any("credit_grade" in f for f in entities.values())
    grades = records(app, "credit_grades")
    assert {f["grade"] for f in grades.values()} == {"A", "B", "C", "D"}
    # The window's answer follows the grades: one standing entry per barred entity.
    standing = {k for k in records(app, "credit_entries") if k.startswith("cs-")}
    barred = {f"cs-{f['uscc']}" for f in grades.values() if f["grade"] in {"D", "E"}}
    assert standing == barred and barred
    lists = records(app, "list_memberships").values()
    assert {m["list"] for m in lists} == {"red", "serious_dishonesty", "key_attention"}
    assert all(m["basis"] and m["notified_on"] < m["since"] for m in lists)
    catalog = records(app, "commitment_catalog")
    domains = {f["domain"] for f in catalog.values()}
    assert domains == {
        "纳税",
        "电力",
        "科研",
        "会计",
        "注册登记",
        "食品药品",
        "证明事项",
        "不动产登记",
    }
    assert all("近三年内无违法违规行为" in f["letter_template"] for f in catalog.values())
    assert all(f["items"] for f in records(app, "checklists").values())
    # Holidays only for years the bundled calendar lacks, each row marked as the demo's estimate.
    for fields in records(app, "calendar_overrides").values():
        year = int(fields.get("year") or fields["date"][:4])
        assert year > 2026 and DEMO_SOURCE in (fields.get("source") or fields.get("note"))
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Hall)) == 12
        roles = Counter(s.scalars(select(User.role)))
        assert roles == {"window": 24, "inspector": 36, "supervisor": 2, "admin": 1}
        assert s.get(Draw, summary.draw_id) is not None
        assignments = s.scalar(select(func.count()).select_from(TaskAssignment))
    tasks = records(app, "inspection_tasks")
    # About twenty: each class's rate of its pool, scaled to the demo's size.
    assert 8 <= len(tasks) <= 40 and assignments == 2 * len(tasks)
    assert all(t["draw_id"] == summary.draw_id for t in tasks.values())
    # Every demo account logs in with the documented password.
    resp = client.post(
        "/v1/auth/login",
        json={
            "username": "inspector.luzhou.1",
            "password": DEMO_PASSWORD,
            "device_id": "demo-device-1",
            "device_public_key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        },
    )
    assert resp.status_code == 200, resp.text

    # Running it again adds nothing and does not crash; a larger count tops up.
    again = seed_demo(app.state.write_sessions, 400, seed=7)
    assert (again.entities, again.users, again.halls, again.catalog) == (0, 0, 0, 0)
    assert again.entities_existing == 400 and again.draw_id == summary.draw_id
    more = seed_demo(app.state.write_sessions, 450, seed=7)
    assert more.entities == 50
    assert len(records(app, "entities")) == 450


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


GOOD = [generate_uscc("9", "1", "140403", f"MA0{n:05d}") for n in range(1, 5)]


def test_import_entities_reports_exactly_the_bad_rows(app: FastAPI, tmp_path: Path) -> None:
    bad_check = GOOD[0][:-1] + ("0" if GOOD[0][-1] != "0" else "1")
    src = write_csv(
        tmp_path / "entities.csv",
        ["uscc", "name", "region_code", "credit_grade", "status", "uscc_override_reason"],
        [
            [GOOD[0], "长治市甲有限公司", "140403", "B", "存续", ""],  # row 2
            ["9114040", "长治市乙有限公司", "", "", "", ""],  # row 3: too short
            [GOOD[1], "", "", "", "", ""],  # row 4: no name
            [GOOD[2], "长治市丙有限公司", "", "Z", "", ""],  # row 5: bad grade
            [GOOD[3], "长治市丁有限公司", "999999", "", "", ""],  # row 6: unknown region, warn
            [bad_check, "长治市戊有限公司", "", "", "", "已与营业执照原件核对一致"],  # 7: override
            [GOOD[0], "长治市甲有限公司（重复）", "", "", "", ""],  # row 8: duplicate id
            [bad_check.replace("9", "8", 1), "长治市己有限公司", "", "", "", ""],  # row 9
        ],
    )
    out = tmp_path / "report.csv"
    report = import_file(app.state.write_sessions, "entities", src, out)
    assert [i.row for i in report.rejected] == [3, 4, 5, 8, 9]
    assert "长度" in report.rejected[0].reason
    assert "名称" in report.rejected[1].reason
    assert "信用等级" in report.rejected[2].reason
    assert "第2行重复" in report.rejected[3].reason
    assert "校验码" in report.rejected[4].reason or "统一社会信用代码" in report.rejected[4].reason
    assert {i.row for i in report.warnings} == {6, 7}
    assert (report.total, report.inserted, report.updated) == (8, 3, 0)
    stored = records(app, "entities")
    assert set(stored) == {GOOD[0], GOOD[3], bad_check}
    assert stored[GOOD[0]]["name"] == "长治市甲有限公司"
    assert stored[bad_check]["uscc_override_reason"] == "已与营业执照原件核对一致"
    with out.open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["行号", "记录", "结果", "原因"]
    assert [r[0] for r in lines[1:] if r[2] == "拒绝"] == ["3", "4", "5", "8", "9"]
    assert "拒绝 5 行" in report.text()

    # Re-importing replaces the existing record wholesale (new version), no duplicates.
    again = write_csv(tmp_path / "again.csv", ["uscc", "name"], [[GOOD[0], "长治市甲有限公司更名"]])
    second = import_file(app.state.write_sessions, "entities", again)
    assert (second.inserted, second.updated, second.rejected) == (0, 1, [])
    updated = records(app, "entities")[GOOD[0]]
    assert updated["name"] == "长治市甲有限公司更名" and "credit_grade" not in updated


def test_imported_persons_are_checked_and_kept_masked(app: FastAPI, tmp_path: Path) -> None:
    first17 = "14040319900101123"
    full = first17 + check_character(first17)
    wrong = first17 + ("0" if check_character(first17) != "0" else "1")
    src = write_csv(
        tmp_path / "persons.csv",
        ["uscc", "name", "legal_representative", "legal_representative_id", "credit_grade"],
        [
            [GOOD[0], "长治市甲有限公司", "郗昶", full, "D"],  # row 2: masked on the way in
            [GOOD[1], "长治市乙有限公司", "郗昶", "140403********1234", ""],  # 3: masked kept
            [GOOD[2], "长治市丙有限公司", "郗昶", wrong, ""],  # row 4: check character wrong
        ],
    )
    report = import_file(app.state.write_sessions, "entities", src)
    assert [i.row for i in report.rejected] == [4]
    assert "校验位" in report.rejected[0].reason and wrong not in report.rejected[0].reason
    stored = records(app, "entities")
    assert stored[GOOD[0]]["legal_representative_id"] == mask_id_number(full)
    assert stored[GOOD[1]]["legal_representative_id"] == "140403********1234"
    assert full not in str(stored)
    # The class went to credit_grades, and the entity got its standing (not its class).
    assert "credit_grade" not in stored[GOOD[0]]
    assert records(app, "credit_grades")[f"cg-{GOOD[0]}"]["grade"] == "D"
    assert f"cs-{GOOD[0]}" in records(app, "credit_entries")


def test_imported_persons_under_chinese_column_names(app: FastAPI, tmp_path: Path) -> None:
    first17 = "14040419851103456"
    full = first17 + check_character(first17)
    src = write_csv(
        tmp_path / "persons_zh.csv",
        ["uscc", "name", "法定代表人身份证号", "主要负责人", "主要负责人身份证号"],
        [
            [GOOD[0], "长治市甲有限公司", full, "韩彧", full.lower()],
            [GOOD[1], "长治市乙有限公司", "", "韩彧", first17[:-1] + "Y1"],  # row 3: characters
            [GOOD[2], "长治市丙有限公司", first17, "", ""],  # row 4: 17 characters
        ],
    )
    report = import_file(app.state.write_sessions, "entities", src)
    assert [i.row for i in report.rejected] == [3, 4]
    assert report.rejected[0].reason.startswith("主要负责人身份证号：")
    assert report.rejected[1].reason.startswith("法定代表人身份证号：")
    assert "18位" in report.rejected[1].reason and first17 not in report.rejected[1].reason
    stored = records(app, "entities")[GOOD[0]]
    assert stored["legal_representative_id"] == stored["principal_id"] == mask_id_number(full)
    assert stored["principal"] == "韩彧"
    # The Chinese column names are not kept beside the stored ones (the full number is gone).
    assert not {"法定代表人身份证号", "主要负责人", "主要负责人身份证号"} & set(stored)
    assert full not in json.dumps(stored, ensure_ascii=False)


def test_demo_persons_are_valid_masked_and_some_recur() -> None:
    from desktop_app.domain.person_id import is_masked
    from platform_server.demo import demo_entities
    from platform_server.demo_credit import PERSON_REPEAT

    rows = list(demo_entities(3 * PERSON_REPEAT + 1, seed=11))
    assert all(is_masked(r["legal_representative_id"]) for r in rows)
    assert all(r["legal_representative_id"][:6] == r["region_code"] for r in rows[:PERSON_REPEAT])
    with_principal = [r for r in rows if r.get("principal")]
    assert 0.2 < len(with_principal) / len(rows) < 0.5
    assert all(is_masked(r["principal_id"]) for r in with_principal)
    people = Counter((r["legal_representative"], r["legal_representative_id"]) for r in rows)
    first = (rows[0]["legal_representative"], rows[0]["legal_representative_id"])
    assert people[first] == 4  # entities 0, 97, 194 and 291
    assert rows == list(demo_entities(3 * PERSON_REPEAT + 1, seed=11))  # deterministic


def test_import_other_collections(app: FastAPI, tmp_path: Path) -> None:
    lists = write_csv(
        tmp_path / "lists.csv",
        ["uscc", "list", "basis", "since", "notified_on"],
        [
            [GOOD[0], "红名单", "2025年度纳税信用A级纳税人", "2025-06-30", "2025-06-01"],
            [GOOD[1], "黑名单", "依据", "2025-06-30", ""],  # unknown list
            [GOOD[2], "重点关注对象名单", "", "2025-06-30", ""],  # no basis
            [GOOD[3], "严重失信主体名单", "决定书", "2025/06/30", ""],  # bad date
        ],
    )
    report = import_file(app.state.write_sessions, "list_memberships", lists)
    assert [i.row for i in report.rejected] == [3, 4, 5]
    assert list(records(app, "list_memberships")) == [f"lm-{GOOD[0]}-red"]

    checklist = write_csv(
        tmp_path / "checklist.csv",
        ["id", "domain", "title", "no", "item", "legal_basis"],
        [
            ["CL-X", "食品", "食品检查表", "2", "进货查验记录", "食品安全法第五十三条"],
            ["CL-X", "食品", "食品检查表", "1", "健康证明", "食品安全法第四十五条"],
            ["CL-X", "食品", "另一个名称", "3", "其他", "依据"],  # title differs
            ["CL-Y", "", "无依据", "", "某事项", ""],  # no legal basis
        ],
    )
    report = import_file(app.state.write_sessions, "checklists", checklist)
    assert [i.row for i in report.rejected] == [4, 5]
    stored = records(app, "checklists")
    assert list(stored) == ["CL-X"]
    assert [i["item"] for i in stored["CL-X"]["items"]] == ["健康证明", "进货查验记录"]

    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            [
                {
                    "id": "cc-1",
                    "domain": "纳税",
                    "matter": "涉税证明",
                    "legal_basis": "公告2021年第21号",
                    "allowed_kinds": ["告知承诺", "容缺受理型", "repair"],
                },
                {
                    "id": "cc-2",
                    "domain": "电力",
                    "matter": "报装",
                    "legal_basis": "x",
                    "allowed_kinds": ["随便"],
                },
                "not an object",
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = import_file(app.state.write_sessions, "commitment_catalog", catalog)
    assert [i.row for i in report.rejected] == [2, 3]
    item = records(app, "commitment_catalog")["cc-1"]
    assert item["allowed_kinds"] == ["notify", "tolerance", "repair"]
    assert "涉税证明" in item["letter_template"]

    grades = tmp_path / "grades.json"
    grades.write_text(
        json.dumps({"records": [{"uscc": GOOD[0], "grade": "d"}, {"uscc": GOOD[1], "grade": "F"}]}),
        encoding="utf-8",
    )
    report = import_file(app.state.write_sessions, "credit_grades", grades)
    assert [i.row for i in report.rejected] == [2]
    assert records(app, "credit_grades")[f"cg-{GOOD[0]}"]["grade"] == "D"


def test_file_level_errors(app: FastAPI, tmp_path: Path) -> None:
    missing = write_csv(tmp_path / "m.csv", ["uscc"], [[GOOD[0]]])
    with pytest.raises(ImportFileError, match="name"):
        import_file(app.state.write_sessions, "entities", missing)
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(ImportFileError, match="csv"):
        import_file(app.state.write_sessions, "entities", tmp_path / "x.xlsx")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ImportFileError, match="JSON"):
        import_file(app.state.write_sessions, "entities", tmp_path / "bad.json")
    with pytest.raises(ImportFileError, match="不支持"):
        import_file(app.state.write_sessions, "inspection_tasks", missing)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(f"uscc,name\n{GOOD[1]},长治市庚有限公司\n".encode("gb18030"))
    report = import_file(app.state.write_sessions, "entities", gbk)
    assert report.inserted == 1 and records(app, "entities")[GOOD[1]]["name"] == "长治市庚有限公司"
    assert records(app, "entities").keys() == {GOOD[1]}
