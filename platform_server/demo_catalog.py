"""Reference data of the demo: commitment catalog, checklists, and public-record case types.

The commitment catalog and the checklists themselves live in
:mod:`desktop_app.domain.commitment_catalog` (the client's local demo needs them too); they are
re-exported here under their old names.

The legal bases cited are real, public national instruments, but the mapping of matters to
commitment kinds and the checklist items are demonstration choices: a city publishes its own
《可开展信用承诺的行政许可事项清单》 and checklists, which replace these by import. Every record
says so in its ``note`` field.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.commitment_catalog import (
    CATALOG,
    CHECKLISTS,
    DEMO_CHECKLIST,
    NOTE,
    NOTIFY,
    REPAIR,
    SELF_DISCIPLINE,
    STANDARD_ITEMS,
    TOLERANCE,
    VOLUNTARY,
    letter_template,
)

__all__ = [
    "CATALOG",
    "CHECKLISTS",
    "DEMO_CHECKLIST",
    "INSPECTION_KINDS",
    "INSPECTION_RESULTS",
    "LICENCE_KINDS",
    "NOTE",
    "NOTIFY",
    "PENALTY_CASES",
    "REPAIR",
    "SELF_DISCIPLINE",
    "STANDARD_ITEMS",
    "TOLERANCE",
    "VOLUNTARY",
    "LicenceKind",
    "PenaltyCase",
    "letter_template",
]


# --- the public credit record of demo entities: licences, penalties, inspection results ------
# Instruments and authorities are real; entities, numbers, dates and the facts of each case are
# invented. ``{authority}`` is the entity's district market regulator, ``{approval}`` the
# district 行政审批服务管理局, ``{district}`` the district as named in authority titles.


@dataclass(frozen=True)
class LicenceKind:
    """A kind of 行政许可 the demo hands out, and to which trades.

    Attributes:
        keys: Words of an entity name or industry the licence fits (empty: any entity).
        licence_name: 许可证书名称.
        matter: 许可事项.
        contents: Possible 许可内容.
        authority: 许可机关 (with placeholders, see above).
        years: Validity in years.
        number: The licence number's pattern (``{region}``, ``{year}``, ``{n}``).
    """

    keys: tuple[str, ...]
    licence_name: str
    matter: str
    contents: tuple[str, ...]
    authority: str
    years: int
    number: str


LICENCE_KINDS: tuple[LicenceKind, ...] = (
    LicenceKind(
        ("餐饮", "食品", "超市", "便利店", "副食店", "面馆", "饭店", "养老", "商贸"),
        "食品经营许可证", "食品经营许可",
        ("预包装食品销售（含冷藏冷冻食品）；散装食品销售（不含冷藏冷冻食品）",
         "热食类食品制售；冷食类食品制售", "热食类食品制售（单位食堂）"),
        "{approval}", 5, "JY1{region}{n:07d}",
    ),
    LicenceKind(
        ("物流",), "道路运输经营许可证", "道路货物运输经营许可",
        ("道路普通货物运输", "道路普通货物运输；货物专用运输（集装箱、冷藏保鲜）"),
        "{approval}", 4, "晋交运管许可长字{region}{n:06d}号",
    ),
    LicenceKind(
        ("医药",), "药品经营许可证", "药品零售企业经营许可",
        ("中药饮片、中成药、化学药、生物制品（除疫苗）", "中成药、化学药、生物制品（除疫苗）"),
        "长治市行政审批服务管理局", 5, "晋DA{region}{n:04d}",
    ),
    LicenceKind(
        ("建筑", "电力安装"), "安全生产许可证", "建筑施工企业安全生产许可",
        ("建筑施工",), "山西省住房和城乡建设厅", 3, "（晋）JZ安许证字〔{year}〕{n:06d}",
    ),
    LicenceKind(
        ("烟酒", "超市", "便利店", "副食店"), "烟草专卖零售许可证", "烟草专卖品零售许可",
        ("卷烟、雪茄烟零售",), "{district}烟草专卖局", 5, "{region}1{n:05d}",
    ),
    LicenceKind(
        ("理发",), "公共场所卫生许可证", "公共场所卫生许可",
        ("美发",), "{approval}", 4, "晋卫公证字〔{year}〕第{region}{n:04d}号",
    ),
    LicenceKind(
        ("煤业",), "安全生产许可证", "煤矿企业安全生产许可",
        ("煤炭开采",), "山西省应急管理厅", 3, "（晋）MK安许证字〔{year}〕{n:04d}",
    ),
    LicenceKind(
        ("电力安装",), "承装（修、试）电力设施许可证", "承装（修、试）电力设施许可",
        ("承装类五级；承修类五级；承试类五级",), "国家能源局山西监管办公室", 6,
        "6-1-{n:05d}-{year}",
    ),
    LicenceKind(
        ("信息技术",), "增值电信业务经营许可证", "增值电信业务经营许可",
        ("信息服务业务（仅限互联网信息服务）",), "山西省通信管理局", 5, "晋B2-{year}{n:04d}",
    ),
    LicenceKind(
        ("文化传媒",), "广播电视节目制作经营许可证", "广播电视节目制作经营单位设立审批",
        ("专题、专栏、综艺、动画片、广播剧、电视剧（不含时政、新闻及同类专题、专栏）",),
        "山西省广播电视局", 2, "（晋）字第{n:05d}号",
    ),
    LicenceKind(
        ("环保科技",), "危险废物经营许可证", "危险废物经营许可",
        ("收集、贮存废矿物油（HW08）",), "山西省生态环境厅", 5, "晋危许{region}{n:04d}",
    ),
    LicenceKind(
        ("农资", "农业科技", "种植"), "农药经营许可证", "农药经营许可",
        ("农药（限制使用农药除外）",), "{approval}", 5, "农药经许（晋）{region}{n:05d}",
    ),
    LicenceKind(
        (), "户外广告设施设置许可决定书",
        "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批",
        ("门头招牌以外的户外广告设施一处",), "长治市城市管理局", 3, "长城管广许〔{year}〕{n}号",
    ),
)  # fmt: skip
"""Licence kinds; the last one (no keys) is for entities no other kind fits."""


@dataclass(frozen=True)
class PenaltyCase:
    """A kind of 行政处罚 case.

    Attributes:
        keys: Words of an entity name or industry the case fits (empty: any entity).
        violation: 违法行为.
        penalty: 处罚内容, ``{amount}`` filled in.
        basis: 处罚依据.
        severity: ``minor``, ``general`` or ``serious``.
        amounts: Fine range in yuan (``(0, 0)``: no fine).
        authority: 处罚机关 (placeholders as above; ``{tax}`` the district tax bureau).
        number: The decision number's pattern (``{abbr}``, ``{year}``, ``{n}``).
    """

    keys: tuple[str, ...]
    violation: str
    penalty: str
    basis: str
    severity: str
    amounts: tuple[int, int]
    authority: str
    number: str


PENALTY_CASES: tuple[PenaltyCase, ...] = (
    PenaltyCase(
        (), "经营场所商品未按规定明码标价",
        "警告", "《中华人民共和国价格法》第四十二条；《明码标价和禁止价格欺诈规定》第二十一条",
        "minor", (0, 0), "{authority}", "{abbr}市监罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        (), "未按期办理纳税申报和报送纳税资料",
        "罚款{amount}元", "《中华人民共和国税收征收管理法》第六十二条",
        "minor", (200, 2000), "{tax}", "{abbr}税简罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        ("餐饮", "食品", "超市", "便利店", "副食店", "面馆", "饭店"),
        "销售超过保质期的食品",
        "没收违法经营的食品，并处罚款{amount}元",
        "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项",
        "general", (5000, 50000), "{authority}", "{abbr}市监罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        (), "销售不合格的电线电缆",
        "没收违法销售的产品，并处罚款{amount}元", "《中华人民共和国产品质量法》第五十条",
        "general", (10000, 80000), "{authority}", "{abbr}市监罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        (), "未按规定对从业人员进行安全生产教育和培训",
        "罚款{amount}元", "《中华人民共和国安全生产法》第九十七条第（三）项",
        "general", (10000, 100000), "长治市应急管理局", "长应急罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        ("煤业", "建筑", "食品", "环保"), "未按照规定设置大气污染物排放口",
        "罚款{amount}元", "《中华人民共和国大气污染防治法》第一百条第（五）项",
        "general", (20000, 200000), "长治市生态环境局", "长环罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        (), "发布虚假广告，欺骗、误导消费者",
        "责令停止发布广告，在相应范围内消除影响，并处罚款{amount}元",
        "《中华人民共和国广告法》第五十五条第一款",
        "serious", (30000, 300000), "{authority}", "{abbr}市监罚〔{year}〕{n}号",
    ),
    PenaltyCase(
        ("餐饮", "食品", "面馆", "饭店"), "未取得食品经营许可从事食品经营活动",
        "没收违法所得和违法经营的食品，并处罚款{amount}元",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        "serious", (50000, 150000), "{authority}", "{abbr}市监罚〔{year}〕{n}号",
    ),
)  # fmt: skip

INSPECTION_KINDS = ("双随机抽查",) * 6 + ("重点检查",) * 2 + ("专项检查",) * 2
INSPECTION_RESULTS = (
    ("未发现问题",) * 12
    + ("发现问题，已责令整改",) * 5
    + ("未按规定公示年度报告，已责令限期改正",) * 2
    + ("通过登记的住所或者经营场所无法联系",)
)
