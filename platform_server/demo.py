"""A believable 长治 for demos: halls, staff accounts, entities, lists, grades, catalog, a draw.

Everything is deterministic for a seed. Entities carry valid USCCs of Changzhi's divisions,
current and abolished (an entity registered in 长治县 before the 2018 reform keeps ``140421``
in its code for life), and the registration dates agree with the code: abolished-district codes
were issued before 2018-11-23, the new districts' codes after it, ``MA`` bodies after the 2015
reform. Credit grades are platform-internal (supervisors and draws only).

The public credit record: about 8% of entities hold 1–3 licences (kinds that fit the trade:
食品经营许可证 for shops and restaurants, 道路运输经营许可证 for hauliers, …, an older edition of
a renewed licence expired), about 4% have penalties (severities mixed, decisions 2022-01 to
2026-10 so some publication periods have ended, some repaired), and about 3% have public
inspection results. So that even a tiny demo shows every section of a credit report, the first
entity founded before 2022 carries a valid licence, a serious penalty still published, a
general penalty whose publication ended, a repaired penalty and a public inspection result; the
second such entity a valid and an expired licence, a published minor penalty, the demo's one
revoked penalty and another inspection result.

Running it again does not crash and does not duplicate: halls, accounts, catalog, checklists
and the demo draw are skipped when present; entities are topped up (ids are USCCs, and the
generator yields the same sequence for a seed, so a larger ``entities`` adds only the new ones).

All demo accounts share the password :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain import credit_record
from desktop_app.domain.clock import china_today
from desktop_app.domain.disclosure import (
    MIN_PUBLICATION_MONTHS,
    Severity,
    add_months,
    publication_end,
)
from desktop_app.domain.policy import DEFAULT_POLICY
from desktop_app.domain.uscc import ALPHABET, generate_uscc
from platform_server import registry
from platform_server.db import refresh_statistics, transaction
from platform_server.demo_calendar import calendar_lines, seed_demo_calendar
from platform_server.demo_catalog import (
    CATALOG,
    CHECKLISTS,
    DEMO_CHECKLIST,
    INSPECTION_KINDS,
    INSPECTION_RESULTS,
    LICENCE_KINDS,
    PENALTY_CASES,
    LicenceKind,
    PenaltyCase,
)
from platform_server.demo_credit import demo_commitments, demo_persons
from platform_server.draw_service import perform_draw
from platform_server.errors import ApiError
from platform_server.models import Draw, Hall, Meta, Record, User
from platform_server.records import Scope, bulk_insert_new
from platform_server.scopes import region_clause
from platform_server.security import hash_password, now, verify_password
from sync.protocol import Collection, DrawRequest, Role

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - documented demo password, printed by seed-demo
BATCH = 5000
DEMO_DRAW_TITLE = "2026年潞州区企业公示信息双随机抽查（演示）"

# code, name, pinyin slug, a town for cooperative names (current divisions since 2018-11-23).
DISTRICTS = (
    ("140403", "潞州区", "luzhou", "老顶山镇"),
    ("140404", "上党区", "shangdang", "荫城镇"),
    ("140405", "屯留区", "tunliu", "麟绛镇"),
    ("140406", "潞城区", "lucheng", "店上镇"),
    ("140423", "襄垣县", "xiangyuan", "古韩镇"),
    ("140425", "平顺县", "pingshun", "青羊镇"),
    ("140426", "黎城县", "licheng", "黎侯镇"),
    ("140427", "壶关县", "huguan", "龙泉镇"),
    ("140428", "长子县", "zhangzi", "丹朱镇"),
    ("140429", "武乡县", "wuxiang", "丰州镇"),
    ("140430", "沁县", "qinxian", "定昌镇"),
    ("140431", "沁源县", "qinyuan", "沁河镇"),
)
ABOLISHED = (  # code, name at the time, successor
    ("140402", "城区", "140403"),
    ("140411", "郊区", "140403"),
    ("140421", "长治县", "140404"),
    ("140424", "屯留县", "140405"),
    ("140481", "潞城市", "140406"),
)
NEW_DISTRICTS = frozenset({"140403", "140404", "140405", "140406"})
REFORM = date(2018, 11, 23)
MA_START = date(2015, 10, 1)
_NAMES = {code: name for code, name, *_ in DISTRICTS} | {c: n for c, n, _ in ABOLISHED}
_TOWNS = {code: town for code, _, _, town in DISTRICTS}
_CURRENT = {code: code for code, *_ in DISTRICTS} | {c: s for c, _, s in ABOLISHED}
_REGION_CHOICES = [d[0] for d in DISTRICTS] * 7 + [a[0] for a in ABOLISHED] * 2
# fmt: off
_ROOTS = (
    "太行", "上党", "晋源", "鑫盛", "华诚", "漳泽", "潞安", "宏远", "恒达", "瑞丰", "永昌", "金堃",
    "喆诚", "昇泰", "玥华", "镕兴", "赟通", "德馨", "民生", "汇通", "广源", "长兴", "景和", "嘉禾",
    "泰和", "安顺", "百川", "通达", "信义", "聚源", "兴旺", "众合", "晋龙", "天脊", "紫团", "老顶",
    "浊漳", "沁河", "羊头", "炎帝", "宝泰", "乾元", "中科", "润华", "博远", "锦程", "鹏程", "祥瑞",
)
_TRADES = (
    ("商贸", "批发和零售业"), ("餐饮管理", "住宿和餐饮业"), ("建筑工程", "建筑业"),
    ("食品", "制造业"), ("医药连锁", "批发和零售业"), ("物流", "交通运输、仓储和邮政业"),
    ("家政服务", "居民服务、修理和其他服务业"), ("养老服务", "卫生和社会工作"), ("煤业", "采矿业"),
    ("农业科技", "农、林、牧、渔业"), ("环保科技", "水利、环境和公共设施管理业"),
    ("文化传媒", "文化、体育和娱乐业"), ("教育咨询", "教育"),
    ("电力安装", "电力、热力、燃气及水生产和供应业"),
    ("信息技术", "信息传输、软件和信息技术服务业"),
    ("企业管理咨询", "租赁和商务服务业"),
)
_SHOPS = (
    ("便利店", "批发和零售业"), ("五金店", "批发和零售业"), ("副食店", "批发和零售业"),
    ("面馆", "住宿和餐饮业"), ("饭店", "住宿和餐饮业"), ("烟酒店", "批发和零售业"),
    ("理发店", "居民服务、修理和其他服务业"), ("汽车修理部", "居民服务、修理和其他服务业"),
    ("超市", "批发和零售业"), ("农资店", "批发和零售业"),
)
_COOPS = ("种植", "养殖", "农机服务", "中药材种植", "蔬菜种植", "小米种植")
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯"
    "于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎申牛"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华堃喆昇玥镕赟鑫淼晟斌慧建国红"
_STREETS = ("英雄南路", "太行东街", "城西北路", "紫金街", "府后西街", "长兴中路", "西街", "建设路")
_STATUSES = ("存续",) * 85 + ("在业",) * 5 + ("吊销，未注销",) * 4 + ("注销",) * 6
_GRADES = ("A",) * 12 + ("B",) * 55 + ("C",) * 25 + ("D",) * 8
LISTS = {
    "red": ("红名单", (
        ("2025年度纳税信用A级纳税人", "国家税务总局长治市税务局"),
        ("长治市守信联合激励对象", "长治市社会信用体系建设领导小组办公室"),
    )),
    "serious_dishonesty": ("严重失信主体名单", (
        ("市场监督管理严重违法失信名单（《市场监督管理严重违法失信名单管理办法》，"
         "国家市场监督管理总局令第44号）", "长治市市场监督管理局"),
    )),
    "key_attention": ("重点关注对象名单", (
        ("列入经营异常名录（《企业经营异常名录管理暂行办法》）满一年未移出",
         "长治市市场监督管理局"),
        ("食品安全监督抽检两次不合格", "长治市市场监督管理局"),
    )),
}
# fmt: on
# Short forms of the districts in decision numbers (长潞市监罚〔2025〕12号).
_ABBR = {
    "140403": "长潞",
    "140404": "长上",
    "140405": "长屯",
    "140406": "潞城",
    "140423": "襄",
    "140425": "平",
    "140426": "黎",
    "140427": "壶",
    "140428": "长子",
    "140429": "武",
    "140430": "沁",
    "140431": "沁源",
}  # fmt: skip
DEMO_AS_OF = date(2026, 11, 1)
"""Statuses in the demo's public record (an expired licence) are as of this day."""
RECORD_START, RECORD_END = date(2022, 1, 1), date(2026, 10, 31)
SHOWCASE_FOUNDED_BY = date(2021, 12, 31)
LICENCE_SHARE, PENALTY_SHARE, INSPECTION_SHARE = 0.08, 0.04, 0.03
Rows = list[tuple[str, dict[str, Any]]]


@dataclass
class DemoSummary:
    """What :func:`seed_demo` made (counts are of rows added by this run)."""

    halls: int = 0
    users: int = 0
    entities: int = 0
    entities_existing: int = 0
    list_memberships: int = 0
    credit_grades: int = 0
    catalog: int = 0
    checklists: int = 0
    licences: int = 0
    penalties: int = 0
    public_inspections: int = 0
    commitments: int = 0
    credit_entries: int = 0
    draw_id: str | None = None
    calendar_years: list[int] = field(default_factory=list)
    seconds: float = 0.0
    password: str = DEMO_PASSWORD


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


NAME_RETRIES = 6
"""Name collisions in a row before :func:`demo_entities` lengthens a name instead."""


def demo_entities(count: int, seed: int = 2020) -> Iterator[dict[str, Any]]:
    """Yield ``count`` entity field sets, the same sequence for the same seed.

    Args:
        count: How many.
        seed: Generator seed.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    codes: set[str] = set()
    names: set[str] = set()
    people: list[tuple[str, str]] = []
    produced = 0
    misses = 0
    last = date(2026, 10, 31)
    while produced < count:
        region = rng.choice(_REGION_CHOICES)
        current = _CURRENT[region]
        place = _NAMES[region]
        roll = rng.random()
        root = rng.choice(_ROOTS) + rng.choice(_ROOTS)
        if roll < 0.75:
            trade, industry = rng.choice(_TRADES)
            prefix = rng.choice(("长治市", "长治市", "长治", "山西", f"长治市{place}"))
            suffix = "有限公司" if rng.random() < 0.85 else "有限责任公司"
            name, category, kind = f"{prefix}{root}{trade}{suffix}", "1", "有限责任公司"
        elif roll < 0.93:
            shop, industry = rng.choice(_SHOPS)
            name, category, kind = f"{place}{root}{shop}", "2", "个体工商户"
        else:
            town = _TOWNS.get(region, "")
            coop = rng.choice(_COOPS)
            name, category, kind = f"{place}{town}{root}{coop}专业合作社", "3", "农民专业合作社"
            industry = "农、林、牧、渔业"
        # Codes of abolished divisions predate the reform; the new districts' codes follow it.
        if region in NEW_DISTRICTS:
            start, end = REFORM, last
        elif current != region:
            start, end = date(1998, 1, 1), REFORM - timedelta(days=1)
        else:
            start, end = date(1998, 1, 1), last
        founded = _date_between(rng, start, end)
        if founded >= MA_START:
            body = "MA" + "".join(rng.choices(ALPHABET, k=6))
        else:  # converted from an older organisation code: digits only
            body = f"{rng.randrange(10**8):08d}"
        code = generate_uscc("9", category, region, body)
        if code in codes:
            continue
        if name in names:
            # Towards a few million the combinations run out and re-rolling spun for hours:
            # after NAME_RETRIES misses in a row the 字号 grows by a word instead (demos of
            # tens of thousands never get there, so they stay what they were).
            misses += 1
            if misses < NAME_RETRIES:
                continue
            while name in names:
                longer = root + rng.choice(_ROOTS)
                name, root = name.replace(root, longer, 1), longer
        misses = 0
        codes.add(code)
        names.add(name)
        produced += 1
        legal = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        legal += rng.choice(_GIVEN) if rng.random() < 0.7 else ""
        persons = demo_persons(code, region, legal, produced - 1, people, (_SURNAMES, _GIVEN))
        yield {
            "uscc": code,
            "name": name,
            "entity_type": kind,
            **persons,
            "address": f"山西省长治市{_NAMES[current]}{rng.choice(_STREETS)}"
            f"{rng.randint(1, 399)}号",
            "region_code": region,
            "industry": industry,
            "status": rng.choice(_STATUSES),
            "credit_grade": rng.choice(_GRADES),
            "established_on": founded.isoformat(),
            "registration_authority": f"长治市{_NAMES[current]}市场监督管理局"
            if current in NEW_DISTRICTS
            else f"{_NAMES[current]}市场监督管理局",
        }


def _memberships(rng: random.Random, index: int, entity: dict[str, Any]) -> list[dict[str, Any]]:
    # The first three entities sit on one list each, so even a tiny demo shows every list.
    if index < len(LISTS):
        which = list(LISTS)[index]
    else:
        roll = rng.random()
        which = "red" if roll < 0.03 else "serious_dishonesty" if roll < 0.045 else ""
        which = which or ("key_attention" if roll < 0.075 else "")
    if not which:
        return []
    list_name, bases = LISTS[which]
    basis, authority = rng.choice(bases)
    since = _date_between(rng, date(2024, 1, 1), date(2026, 9, 30))
    return [
        {
            "uscc": entity["uscc"],
            "entity_name": entity["name"],
            "list": which,
            "list_name": list_name,
            "basis": basis,
            "decided_by": authority,
            "notified_on": (since - timedelta(days=rng.randint(10, 30))).isoformat(),
            "since": since.isoformat(),
            "status": "active",
        }
    ]


@dataclass
class _PublicRecord:
    """The licences, penalties and public inspection results of one entity."""

    licences: Rows
    penalties: Rows
    inspections: Rows


def _place(entity: dict[str, Any]) -> str:
    """The entity's current district as authorities name it (长治市潞州区, 襄垣县)."""
    current = _CURRENT[entity["region_code"]]
    return f"长治市{_NAMES[current]}" if current in NEW_DISTRICTS else _NAMES[current]


def _authority(pattern: str, entity: dict[str, Any]) -> str:
    place = _place(entity)
    return pattern.format(
        authority=entity["registration_authority"],
        approval=f"{place}行政审批服务管理局",
        district=place,
        tax=f"国家税务总局{place}税务局",
    )


def _fits(keys: tuple[str, ...], entity: dict[str, Any]) -> bool:
    return not keys or any(k in entity["name"] or k in entity["industry"] for k in keys)


def _licences(
    rng: random.Random, entity: dict[str, Any], count: int, decided: date, rows: Rows
) -> None:
    """Append ``count`` licences: one per fitting kind, then older editions of the same kinds."""
    kinds = [k for k in LICENCE_KINDS[:-1] if _fits(k.keys, entity)] or [LICENCE_KINDS[-1]]
    founded = date.fromisoformat(entity["established_on"])
    for i in range(count):
        kind = kinds[i % len(kinds)]
        # An older edition of a renewed licence ran for the kind's term before this one.
        edition = add_months(decided, -12 * kind.years * (i // len(kinds)))
        if edition < founded:
            continue
        rows.append(_licence(rng, entity, kind, edition))


def _licence(
    rng: random.Random, entity: dict[str, Any], kind: LicenceKind, decided: date
) -> tuple[str, dict[str, Any]]:
    until = add_months(decided, 12 * kind.years) - timedelta(days=1)
    number = kind.number.format(
        region=entity["region_code"], year=decided.year, n=rng.randrange(1, 10_000)
    )
    fields = {
        "uscc": entity["uscc"],
        "entity_name": entity["name"],
        "licence_no": number,
        "licence_name": kind.licence_name,
        "matter": kind.matter,
        "content": rng.choice(kind.contents),
        "decided_on": decided.isoformat(),
        "valid_from": decided.isoformat(),
        "valid_until": until.isoformat(),
        "decided_by": _authority(kind.authority, entity),
        "status": "expired" if until < DEMO_AS_OF else "valid",
    }
    return registry.licence_id(entity["uscc"], number), fields


def _penalty(
    rng: random.Random,
    entity: dict[str, Any],
    case: PenaltyCase,
    decided: date,
    **over: Any,
) -> tuple[str, dict[str, Any]]:
    """One penalty; ``over`` sets ``published``, ``repair_status``, ``repaired_on``, ``status``."""
    severity = Severity(case.severity)
    low, high = case.amounts
    amount = rng.randrange(low, high + 1, 100) if high else None
    number = case.number.format(
        abbr=_ABBR[_CURRENT[entity["region_code"]]], year=decided.year, n=rng.randrange(1, 400)
    )
    fields: dict[str, Any] = {
        "uscc": entity["uscc"],
        "entity_name": entity["name"],
        "decision_no": number,
        "violation": case.violation,
        "penalty": case.penalty.format(amount=amount),
        "basis": case.basis,
        "decided_on": decided.isoformat(),
        "decided_by": _authority(case.authority, entity),
        "severity": severity.value,
        "published": severity is not Severity.MINOR,
        "publish_until": publication_end(severity, decided).isoformat(),
        "repair_status": "none",
        "status": "active",
    }
    if amount is not None:
        fields["amount"] = amount
    fields |= over
    return registry.penalty_id(entity["uscc"], number), fields


def _random_penalty(
    rng: random.Random, entity: dict[str, Any], start: date
) -> tuple[str, dict[str, Any]]:
    case = rng.choice([c for c in PENALTY_CASES if _fits(c.keys, entity)])
    decided = _date_between(rng, start, RECORD_END)
    severity = Severity(case.severity)
    over: dict[str, Any] = {}
    roll = rng.random()
    if severity is Severity.MINOR:
        over["published"] = roll < 0.3  # 轻微: in principle not published
    else:
        # Repair may be applied for once the minimum publication period has passed.
        earliest = add_months(decided, MIN_PUBLICATION_MONTHS[severity])
        if earliest < RECORD_END and roll < 0.28:
            status = "repaired" if roll < 0.2 else "applying" if roll < 0.25 else "rejected"
            over["repair_status"] = status
            if status == "repaired":
                latest = min(RECORD_END, earliest + timedelta(days=150))
                over["repaired_on"] = _date_between(rng, earliest, latest).isoformat()
    return _penalty(rng, entity, case, decided, **over)


def _inspection(
    entity: dict[str, Any], inspected: date, kind: str, result: str, published: date
) -> tuple[str, dict[str, Any]]:
    authority = "长治市市场监督管理局" if kind == "专项检查" else entity["registration_authority"]
    fields = {
        "uscc": entity["uscc"],
        "entity_name": entity["name"],
        "inspected_on": inspected.isoformat(),
        "inspection_kind": kind,
        "authority": authority,
        "result": result,
        "published_on": published.isoformat(),
    }
    record_id = registry.inspection_id(entity["uscc"], fields["inspected_on"], kind, authority)
    return record_id, fields


def _case(violation: str) -> PenaltyCase:
    return next(c for c in PENALTY_CASES if c.violation == violation)


def _showcase(rng: random.Random, entity: dict[str, Any], slot: int) -> _PublicRecord:
    """Every kind of public record on one entity (slot 0) or a second one (slot 1)."""
    if slot == 0:
        licences: Rows = []
        _licences(rng, entity, 1, date(2024, 3, 15), licences)
        penalties = [
            _penalty(rng, entity, _case("发布虚假广告，欺骗、误导消费者"), date(2026, 6, 15)),
            _penalty(rng, entity, _case("销售不合格的电线电缆"), date(2022, 3, 10)),
            _penalty(
                rng,
                entity,
                _case("未按规定对从业人员进行安全生产教育和培训"),
                date(2025, 2, 20),
                repair_status="repaired",
                repaired_on="2025-07-18",
            ),
        ]
        inspection = _inspection(
            entity, date(2026, 5, 12), "双随机抽查", "发现问题，已责令整改", date(2026, 5, 20)
        )
        return _PublicRecord(licences, penalties, [inspection])
    licences = []
    _licences(rng, entity, 1, date(2024, 6, 1), licences)
    licences.append(_licence(rng, entity, LICENCE_KINDS[-1], date(2022, 5, 10)))  # expired
    penalties = [
        _penalty(
            rng, entity, _case("经营场所商品未按规定明码标价"), date(2026, 9, 8), published=True
        ),
        _penalty(rng, entity, _case("销售不合格的电线电缆"), date(2024, 11, 5), status="revoked"),
    ]
    inspection = _inspection(entity, date(2025, 9, 23), "重点检查", "未发现问题", date(2025, 9, 26))
    return _PublicRecord(licences, penalties, [inspection])


def _public_record(rng: random.Random, entity: dict[str, Any], slots: list[int]) -> _PublicRecord:
    """The entity's licences, penalties and public inspection results (often none).

    Args:
        rng: The generator of the public record (three draws per entity at least, so the
            shares stay independent of one another).
        entity: The entity's fields.
        slots: Showcase slots not yet given out; the first entity founded before 2022 takes
            the next one.
    """
    rolls = rng.random(), rng.random(), rng.random()
    founded = date.fromisoformat(entity["established_on"])
    if slots and founded <= SHOWCASE_FOUNDED_BY:
        return _showcase(rng, entity, slots.pop(0))
    record = _PublicRecord([], [], [])
    if rolls[0] < LICENCE_SHARE:
        # The current edition is still valid (expired licences are renewed or given up): it
        # was granted within the shortest term; older editions of a renewal have expired.
        start = max(founded + timedelta(days=30), add_months(DEMO_AS_OF, -24))
        if start <= RECORD_END:
            decided = _date_between(rng, start, RECORD_END)
            _licences(rng, entity, rng.choice((1, 1, 1, 2, 2, 3)), decided, record.licences)
    start = max(founded + timedelta(days=30), RECORD_START)
    if rolls[1] < PENALTY_SHARE and start <= RECORD_END:
        for _ in range(rng.choice((1, 1, 1, 2))):
            record.penalties.append(_random_penalty(rng, entity, start))
    start = max(founded + timedelta(days=30), date(2023, 1, 1))
    if rolls[2] < INSPECTION_SHARE and start <= RECORD_END:
        for _ in range(rng.choice((1, 1, 2))):
            inspected = _date_between(rng, start, RECORD_END)
            published = inspected + timedelta(days=rng.randint(2, 9))
            kind, result = rng.choice(INSPECTION_KINDS), rng.choice(INSPECTION_RESULTS)
            record.inspections.append(_inspection(entity, inspected, kind, result, published))
    return record


def _unique(rows: Rows) -> Rows:
    """Rows with distinct ids (the first wins: a repeated decision number is one decision)."""
    first: dict[str, tuple[str, dict[str, Any]]] = {}
    for record_id, fields in rows:
        first.setdefault(record_id, (record_id, fields))
    return list(first.values())


def _grade(entity: dict[str, Any]) -> dict[str, Any]:
    return {
        "uscc": entity["uscc"],
        "grade": entity["credit_grade"],
        "scale": "A-D",
        "assessed_on": "2026-03-31",
        "assessed_by": "长治市市场监督管理局",
        "basis": "企业信用风险分类管理（国市监信发〔2022〕6号）",
    }


def _seed_people(session: Session, summary: DemoSummary) -> None:
    password_hash = hash_password(DEMO_PASSWORD)  # one Argon2 hash: 60 accounts in a blink
    existing = set(session.scalars(select(User.username)))
    halls = set(session.scalars(select(Hall.id)))
    people: list[tuple[str, str, Role, str | None, str | None]] = [
        ("admin", "系统管理员", Role.ADMIN, None, None),
        ("supervisor", "市局信用监管科负责人", Role.SUPERVISOR, None, "140400"),
        ("supervisor2", "市局双随机办负责人", Role.SUPERVISOR, None, "140400"),
    ]
    for code, name, slug, _town in DISTRICTS:
        hall = f"hall-{code}"
        if hall not in halls:
            session.add(Hall(id=hall, name=f"{name}政务服务中心", region_code=code))
            summary.halls += 1
        people += [
            (f"window.{slug}.{i}", f"{name}窗口{i}", Role.WINDOW, hall, code) for i in (1, 2)
        ]
        people += [
            (f"inspector.{slug}.{i}", f"{name}执法{i}", Role.INSPECTOR, None, code)
            for i in (1, 2, 3)
        ]
    session.flush()
    for username, display, role, hall_id, region in people:
        if username in existing:
            continue
        session.add(
            User(
                username=username,
                display_name=display,
                password_hash=password_hash,
                role=role.value,
                hall_id=hall_id,
                region_code=region,
                active=True,
                created_at=now(),
            )
        )
        summary.users += 1


def _seed_reference(session: Session, summary: DemoSummary) -> None:
    for collection, rows, attr in (
        (Collection.COMMITMENT_CATALOG.value, CATALOG, "catalog"),
        (Collection.CHECKLISTS.value, CHECKLISTS, "checklists"),
    ):
        have = set(session.scalars(select(Record.record_id).where(Record.collection == collection)))
        new = [(rid, fields, Scope()) for rid, fields in rows if rid not in have]
        setattr(summary, attr, bulk_insert_new(session, collection, new))


def _existing_entities(session: Session) -> set[str]:
    stmt = select(Record.record_id).where(Record.collection == Collection.ENTITIES.value)
    return set(session.scalars(stmt))


def seed_demo(sessions: sessionmaker[Session], entities: int, seed: int = 2020) -> DemoSummary:
    """Fill the platform with a demo 长治 (see the module docstring).

    Args:
        sessions: Write sessions of the platform database.
        entities: Number of entities wanted in total (existing demo ones count).
        seed: Generator seed.

    Returns:
        What was added.
    """
    started = time.perf_counter()
    summary = DemoSummary()
    with transaction(sessions) as session:
        _seed_people(session, summary)
        _seed_reference(session, summary)
        summary.calendar_years = seed_demo_calendar(session, china_today())
        have = _existing_entities(session)
    rng = random.Random(seed + 1)  # noqa: S311 - demo data
    # A generator of its own, so lists and grades stay what they were before public records.
    record_rng = random.Random(seed + 2)  # noqa: S311 - demo data
    slots = [0, 1]
    batch: list[tuple[int, dict[str, Any]]] = []
    for index, entity in enumerate(demo_entities(entities, seed)):
        if entity["uscc"] in have:
            summary.entities_existing += 1
            continue
        batch.append((index, entity))
        if len(batch) >= BATCH:
            _write_batch(sessions, batch, (rng, record_rng, slots), summary)
            batch = []
    _write_batch(sessions, batch, (rng, record_rng, slots), summary)
    with transaction(sessions) as session:
        summary.draw_id = _demo_draw(session, seed)
    refresh_statistics(sessions)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_batch(
    sessions: sessionmaker[Session],
    batch: list[tuple[int, dict[str, Any]]],
    generators: tuple[random.Random, random.Random, list[int]],
    summary: DemoSummary,
) -> None:
    if not batch:
        return
    rng, record_rng, slots = generators
    ents, grades, lists = [], [], []
    forms: dict[str, list[tuple[str, dict[str, Any], Scope]]] = {
        Collection.COMMITMENTS.value: [],
        Collection.DISHONESTY_RECORDS.value: [],
    }
    entries: list[tuple[str, dict[str, Any], Scope]] = []
    licences: list[tuple[str, dict[str, Any], Scope]] = []
    penalties: list[tuple[str, dict[str, Any], Scope]] = []
    inspections: list[tuple[str, dict[str, Any], Scope]] = []
    for index, entity in batch:
        uscc = entity["uscc"]
        scope = Scope(region_code=entity["region_code"], entity_uscc=uscc)
        # The risk class lives only in credit_grades (supervisors); windows pull entities.
        ents.append((uscc, {k: v for k, v in entity.items() if k != "credit_grade"}, scope))
        grades.append((f"cg-{uscc}", _grade(entity), scope))
        standing = credit_record.standing_entry(
            uscc, entity["credit_grade"] in DEFAULT_POLICY.barred_grades
        )
        if standing is not None:
            entries.append((credit_record.standing_id(uscc), standing, scope))
        demo_commitments(index, entity, forms, entries, [c for c, *_ in DISTRICTS])
        lists += [(f"lm-{uscc}-{m['list']}", m, scope) for m in _memberships(rng, index, entity)]
        record = _public_record(record_rng, entity, slots)
        public = registry.registry_scope(uscc)
        licences += [(i, f, public) for i, f in _unique(record.licences)]
        penalties += [(i, f, public) for i, f in _unique(record.penalties)]
        inspections += [(i, f, public) for i, f in _unique(record.inspections)]
    # One transaction per batch: an interrupted run leaves whole entities, and a rerun tops up.
    with transaction(sessions) as session:
        summary.entities += bulk_insert_new(session, Collection.ENTITIES.value, ents)
        summary.credit_grades += bulk_insert_new(session, Collection.CREDIT_GRADES.value, grades)
        summary.list_memberships += bulk_insert_new(
            session, Collection.LIST_MEMBERSHIPS.value, lists
        )
        summary.licences += bulk_insert_new(session, Collection.LICENCES.value, licences)
        summary.penalties += bulk_insert_new(session, Collection.PENALTIES.value, penalties)
        summary.public_inspections += bulk_insert_new(
            session, Collection.PUBLIC_INSPECTIONS.value, inspections
        )
        for collection, rows in forms.items():
            added = bulk_insert_new(session, collection, rows)
            if collection == Collection.COMMITMENTS.value:
                summary.commitments += added
        summary.credit_entries += bulk_insert_new(session, Collection.CREDIT_ENTRIES.value, entries)


DEMO_DRAW_REGION = "140403"
DEMO_DRAW_TASKS = 20
DEMO_MEAN_RATE = 0.35
"""The demo grades' mean sampling rate under the default scale (A 12 %, B 55 %, C 25 %, D 8 %)."""


def _demo_draw(session: Session, seed: int) -> str | None:
    existing = session.scalar(select(Draw.id).where(Draw.title == DEMO_DRAW_TITLE))
    if existing is not None:
        return existing
    supervisor = session.scalar(select(User).where(User.username == "supervisor"))
    if supervisor is None:
        return None
    # About twenty tasks, whatever the size of the demo: the draw takes each class's rate of
    # its pool (DOMAIN.md), so a quarterly-style share of those rates is chosen for the pool.
    pool = session.scalar(
        select(func.count()).where(
            Record.collection == Collection.ENTITIES.value,
            Record.deleted.is_(False),
            region_clause(Record.region_code, DEMO_DRAW_REGION),
        )
    )
    share = min(1.0, DEMO_DRAW_TASKS / max(1.0, DEMO_MEAN_RATE * float(pool or 0)))
    body = DrawRequest(
        title=DEMO_DRAW_TITLE,
        region_code=DEMO_DRAW_REGION,
        share=round(max(share, 0.001), 3),
        checklist_id=DEMO_CHECKLIST,
    )
    try:
        return perform_draw(session, body, supervisor).draw_id
    except ApiError:  # e.g. no entities yet: the demo still stands without a draw
        return None


DEMO_MARKER = "demo"
"""The ``meta`` key ``credit-platform seed-demo`` sets: this database is a demo."""


def demo_usernames() -> frozenset[str]:
    """The accounts :func:`seed_demo` makes."""
    names = {"admin", "supervisor", "supervisor2"}
    for _code, _name, slug, _town in DISTRICTS:
        names |= {f"window.{slug}.{i}" for i in (1, 2)}
        names |= {f"inspector.{slug}.{i}" for i in (1, 2, 3)}
    return frozenset(names)


def non_demo_data(session: Session) -> str | None:
    """Why demo data must not be added to this database (Chinese), or None when it may.

    A database may take demo data when it is empty, or when every account in it is a demo
    account still using the demo password (a demo made earlier, topped up). Accounts of other
    names, demo names with a changed password, or business records without any account and
    without the demo marker (imported into a new platform) mean the platform is in real use:
    sixty accounts with a published password must never land there.
    """
    users = session.execute(select(User.username, User.password_hash)).all()
    demo = demo_usernames()
    others = sorted(name for name, _ in users if name not in demo)
    if others:
        listed = "、".join(others[:3]) + (" 等" if len(others) > 3 else "")
        return f"数据库中已有非演示账户（{listed}）"
    if any(not verify_password(h, DEMO_PASSWORD) for h in {h for _, h in users}):
        return "数据库中的演示账户已改过密码，说明它已在实际使用"
    unmarked = not users and session.get(Meta, DEMO_MARKER) is None
    if unmarked and session.scalar(select(Record.record_id).limit(1)) is not None:
        return "数据库中已有不是由 seed-demo 生成的业务数据"
    return None


def mark_demo(session: Session) -> None:
    """Record that this database is a demo (see :data:`DEMO_MARKER`)."""
    if session.get(Meta, DEMO_MARKER) is None:
        session.add(Meta(key=DEMO_MARKER, value="seed-demo"))


def describe(summary: DemoSummary) -> str:
    """A Chinese summary for the console, with the demo accounts and their password."""
    return "\n".join(
        [
            f"演示数据已就绪（用时 {summary.seconds:.1f} 秒）：",
            f"  服务大厅 {summary.halls} 个，账户 {summary.users} 个（本次新增）",
            f"  市场主体新增 {summary.entities} 户（已有 {summary.entities_existing} 户跳过），"
            f"信用等级 {summary.credit_grades} 条，名单记录 {summary.list_memberships} 条",
            f"  行政许可 {summary.licences} 条，行政处罚 {summary.penalties} 条，"
            f"公开的检查结果 {summary.public_inspections} 条",
            f"  各大厅的信用承诺 {summary.commitments} 份，"
            f"全市公共信用记录条目 {summary.credit_entries} 条",
            f"  承诺事项 {summary.catalog} 项，检查表 {summary.checklists} 份，"
            f"演示抽查批次 {summary.draw_id or '未生成'}",
            *calendar_lines(summary.calendar_years),
            f"  演示账户密码均为：{summary.password}",
            "  管理员 admin；科室负责人 supervisor、supervisor2；",
            "  窗口人员 window.<区县>.1/2，执法人员 inspector.<区县>.1/2/3，",
            "  区县：" + "、".join(f"{slug}（{name}）" for _c, name, slug, _t in DISTRICTS),
        ]
    )
