"""Synthetic but realistic registry entities for demos, tests and benchmarks.

Deterministic for a given seed. Codes are valid USCCs of Changzhi's districts (including
abolished ones, as real old codes are); names and legal representatives include rare
characters (堃 喆 昇 玥 镕 赟) so every screen and report meets them early.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from desktop_app.domain.clock import china_today
from desktop_app.domain.uscc import generate_uscc

REGIONS = (
    ("140403", "潞州区"),
    ("140404", "上党区"),
    ("140405", "屯留区"),
    ("140406", "潞城区"),
    ("140423", "襄垣县"),
    ("140425", "平顺县"),
    ("140426", "黎城县"),
    ("140427", "壶关县"),
    ("140428", "长子县"),
    ("140429", "武乡县"),
    ("140430", "沁县"),
    ("140431", "沁源县"),
    ("140402", "潞州区"),
    ("140421", "上党区"),
)
_ROOTS = (
    "太行",
    "上党",
    "晋源",
    "鑫盛",
    "华诚",
    "漳泽",
    "潞安",
    "宏远",
    "恒达",
    "瑞丰",
    "永昌",
    "金堃",
    "喆诚",
    "昇泰",
    "玥华",
    "镕兴",
    "赟通",
    "德馨",
    "民生",
    "汇通",
    "广源",
    "长兴",
    "景和",
    "嘉禾",
    "泰和",
    "安顺",
    "百川",
    "通达",
    "信义",
    "聚源",
    "兴旺",
    "众合",
)
_TRADES = (
    ("商贸", "批发和零售业"),
    ("餐饮管理", "住宿和餐饮业"),
    ("建筑工程", "建筑业"),
    ("食品", "制造业"),
    ("医药连锁", "批发和零售业"),
    ("物流", "交通运输业"),
    ("家政服务", "居民服务业"),
    ("养老服务", "卫生和社会工作"),
    ("煤业", "采矿业"),
    ("农业科技", "农、林、牧、渔业"),
    ("环保科技", "水利、环境和公共设施管理业"),
    ("文化传媒", "文化、体育和娱乐业"),
    ("教育咨询", "教育"),
    ("电力安装", "电力、热力生产和供应业"),
)
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯"
    "于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华堃喆昇玥镕赟鑫淼晟"
_STREETS = ("英雄南路", "太行东街", "城西北路", "紫金街", "府后西街", "长兴中路", "西街", "建设路")
_STATUSES = ("存续", "存续", "存续", "存续", "存续", "在业", "吊销", "注销")
_GRADES = ("A", "B", "B", "B", "C", "C", "D")
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _org_body(rng: random.Random) -> str:
    # "MA" starts the body of codes issued since the 2015 reform.
    return "MA" + "".join(rng.choice(_ORG_ALPHABET) for _ in range(6))


def _lists(rng: random.Random) -> list[dict[str, Any]]:
    roll = rng.random()
    if roll < 0.03:
        return [
            {
                "list": "red",
                "basis": "2025年度纳税信用A级纳税人（国家税务总局长治市税务局公告）",
                "since": "2025-06-30",
            }
        ]
    if roll < 0.045:
        return [
            {
                "list": "serious_dishonesty",
                "basis": "长治市市场监督管理局严重违法失信名单决定书"
                f"〔2025〕{rng.randint(1, 99)}号",
                "since": "2025-09-12",
            }
        ]
    if roll < 0.075:
        return [
            {
                "list": "key_attention",
                "basis": "食品安全抽检两次不合格（长市监食〔2025〕17号）",
                "since": "2025-11-03",
            }
        ]
    return []


def generate_entities(count: int, seed: int = 2020) -> Iterator[dict[str, Any]]:
    """Yield ``count`` entity rows (mappings with the registry's column names).

    Args:
        count: How many.
        seed: Same seed, same rows.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    seen: set[str] = set()
    produced = 0
    while produced < count:
        region_code, region = rng.choice(REGIONS)
        trade, industry = rng.choice(_TRADES)
        kind = rng.random()
        root = rng.choice(_ROOTS) + rng.choice(_ROOTS)
        if kind < 0.75:
            name = f"长治市{region}{root}{trade}有限公司"
            category = "1"
        elif kind < 0.92:
            name = f"{region}{root}{trade}店"
            category = "2"
        else:
            name = f"{region}{root}种植专业合作社"
            category = "3"
            industry = "农、林、牧、渔业"
        code = generate_uscc("9", category, region_code, _org_body(rng))
        if code in seen:
            continue
        seen.add(code)
        produced += 1
        legal = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(("", rng.choice(_GIVEN)))
        yield {
            "uscc": code,
            "name": name,
            "legal_representative": legal,
            "address": f"山西省长治市{region}{rng.choice(_STREETS)}{rng.randint(1, 399)}号",
            "region_code": region_code,
            "industry": industry,
            "status": rng.choice(_STATUSES),
            "credit_grade": rng.choice(_GRADES),
            "lists": _lists(rng),
            "version": 1,
        }


_LICENCES = (
    ("食品经营许可证", "食品经营许可", "预包装食品（含冷藏冷冻食品）销售；热食类食品制售", "JY1"),
    ("道路运输经营许可证", "道路货物运输经营许可", "普通货运", "晋交运管许可长字"),
    ("药品经营许可证", "药品零售经营许可", "中成药、化学药制剂、抗生素制剂、生化药品", "晋CB"),
    ("建筑施工企业安全生产许可证", "安全生产许可", "建筑施工", "（晋）JZ安许证字"),
    ("公共场所卫生许可证", "公共场所卫生许可", "住宿、沐浴场所", "长卫公证字"),
)
_LICENSING_BODIES = ("长治市行政审批服务管理局", "长治市潞州区行政审批服务管理局")
_VIOLATIONS = (
    (
        "销售超过保质期的食品",
        "没收违法所得，并处罚款",
        "《中华人民共和国食品安全法》第一百二十四条",
        "general",
    ),
    ("未按规定公示年度报告", "警告", "《企业信息公示暂行条例》第十八条", "minor"),
    (
        "超出核准登记的经营范围从事经营活动",
        "责令改正，并处罚款",
        "《市场主体登记管理条例》第四十六条",
        "general",
    ),
    (
        "使用不合格计量器具",
        "没收计量器具，并处罚款",
        "《中华人民共和国计量法》第二十六条",
        "general",
    ),
    (
        "生产销售不符合安全标准的产品",
        "责令停止生产销售，没收违法产品，并处罚款",
        "《中华人民共和国产品质量法》第四十九条",
        "serious",
    ),
)
_PENALTY_BODIES = ("长治市市场监督管理局", "长治市潞州区市场监督管理局", "长治市生态环境局")
_RESULTS = ("未发现问题", "未发现问题", "发现问题，已责令整改", "未按规定公示信息，已责令限期改正")


def generate_credit_records(
    entities: list[dict[str, Any]], seed: int = 2020
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(collection, record_id, fields)`` of licences, penalties and public inspections.

    Shaped like the platform's registry collections of the same names (docs/PROTOCOL.md).
    The first entity gets one of every kind, including records a report must leave out (a
    penalty whose publication has ended, a repaired one), so a demo shows every section.

    Args:
        entities: Entity rows from :func:`generate_entities`.
        seed: Same seed, same records.
    """
    rng = random.Random(seed + 1)  # noqa: S311 - demo data, not secrets
    today = china_today()
    for index, entity in enumerate(entities):
        uscc, name = entity["uscc"], entity["name"]
        first = index == 0
        base = {"uscc": uscc, "entity_name": name}
        if first or rng.random() < 0.08:
            for n in range(1 if not first else 2):
                title, matter, content, prefix = rng.choice(_LICENCES)
                decided = today - timedelta(days=rng.randint(30, 1500))
                yield (
                    "licences",
                    f"lic-{uscc}-{n}",
                    {
                        **base,
                        "licence_no": f"{prefix}{rng.randint(10**9, 10**10 - 1)}",
                        "licence_name": title,
                        "matter": matter,
                        "content": content,
                        "decided_on": decided.isoformat(),
                        "valid_from": decided.isoformat(),
                        "valid_until": (decided + timedelta(days=5 * 365)).isoformat(),
                        "decided_by": rng.choice(_LICENSING_BODIES),
                        "status": "valid",
                    },
                )
        plans: list[tuple[int, str]] = []
        if first:
            plans = [(90, "serious"), (700, "general"), (120, "repaired"), (40, "applying")]
        elif rng.random() < 0.04:
            plans = [(rng.randint(10, 1400), "")]
        for n, (age, mode) in enumerate(plans):
            violation, penalty, basis, severity = rng.choice(_VIOLATIONS)
            if mode in ("serious", "general"):
                severity = mode
            elif mode in ("repaired", "applying"):
                severity = "general"
            decided = today - timedelta(days=age)
            fields = {
                **base,
                "decision_no": f"长市监罚〔{decided.year}〕{rng.randint(1, 400)}号",
                "violation": violation,
                "penalty": penalty,
                "amount": rng.choice((2000, 5000, 10000, 30000)),
                "basis": basis,
                "decided_on": decided.isoformat(),
                "decided_by": rng.choice(_PENALTY_BODIES),
                "severity": severity,
                "repair_status": "none",
                "status": "active",
            }
            if mode == "repaired":
                fields |= {
                    "repair_status": "repaired",
                    "repaired_on": (decided + timedelta(days=100)).isoformat(),
                }
            elif mode == "applying":
                fields["repair_status"] = "applying"
            yield "penalties", f"pen-{uscc}-{n}", fields
        if first or rng.random() < 0.03:
            inspected = today - timedelta(days=rng.randint(20, 600))
            yield (
                "public_inspections",
                f"pi-{uscc}-0",
                {
                    **base,
                    "inspected_on": inspected.isoformat(),
                    "inspection_kind": "双随机抽查",
                    "authority": rng.choice(_PENALTY_BODIES[:2]),
                    "result": rng.choice(_RESULTS),
                    "published_on": (inspected + timedelta(days=5)).isoformat(),
                },
            )
