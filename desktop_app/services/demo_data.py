"""Synthetic but realistic registry entities for demos, tests and benchmarks.

Deterministic for a given seed. Codes are valid USCCs of Changzhi's districts (including
abolished ones, as real old codes are); names and legal representatives include rare
characters (堃 喆 昇 玥 镕 赟) so every screen and report meets them early.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

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
