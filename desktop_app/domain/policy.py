"""Credit policy as data: list measures, 容缺受理 eligibility, the grade scale and its rates.

DOMAIN.md: "where a rule varies by place or changes by decree, make it data". A city sets
these on the platform (CLI and API, versioned and audit-logged); every device pulls them as
``policies`` records and applies them with the functions here, so the platform and the
client read one policy with one parser. The defaults are DOMAIN.md's figures; a device that
has never pulled a policy uses them.

Three policies, one record each (``record_id`` = the policy name):

* ``list_measures`` — per list code (``red``, ``serious_dishonesty``, ``key_attention``, or a
  list a city adds): its name, the kind of measure (守信激励 / 失信惩戒 / 重点关注), the measures
  at the window and in supervision, whether it bars 容缺受理, a caution for the clerk, and the
  factor by which it raises the entity's 双随机 sampling rate.
* ``tolerance`` — the 容缺受理 threshold: the risk classes that bar it (supervisors' data: the
  window never sees the class, only the answer), and whether a serious penalty in publication
  or an unrepaired breach bars it.
* ``grade_scale`` — the risk classes in order (best first) with each class's sampling rate (the
  share of *that class's* pool a year's draws take), and the rate for ungraded entities.
* ``risk_rules`` — the 风险预警 rules that flag entities for supervisors and raise their
  sampling rate (:mod:`desktop_app.domain.risk_rules` checks and applies them).

:func:`check_policy` is the strict check an administrator's edit must pass;
:func:`policy_from_records` the lenient reader (a malformed policy record leaves that policy at
its default rather than breaking every window).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain import risk_rules
from desktop_app.domain.errors import DomainError

__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_POLICY",
    "GRADE_SCALE",
    "LIST_MEASURES",
    "POLICY_LABELS",
    "POLICY_NAMES",
    "REPAIR",
    "RISK_RULES",
    "TOLERANCE",
    "GradeClass",
    "ListPolicy",
    "Policy",
    "PolicyInvalid",
    "check_policy",
    "policy_from_records",
]

LIST_MEASURES = "list_measures"
TOLERANCE = "tolerance"
GRADE_SCALE = "grade_scale"
REPAIR = "repair"
RISK_RULES = risk_rules.POLICY_NAME
POLICY_NAMES = (LIST_MEASURES, TOLERANCE, GRADE_SCALE, REPAIR, RISK_RULES)
POLICY_LABELS: Mapping[str, str] = {
    LIST_MEASURES: "名单及其措施",
    TOLERANCE: "容缺受理条件",
    GRADE_SCALE: "风险分类及抽查比例",
    REPAIR: "信用修复与异议办理期限",
    RISK_RULES: "风险预警规则",
}

CATEGORIES = ("守信激励", "失信惩戒", "重点关注")
MAX_RATE_FACTOR = 10.0


class PolicyInvalid(DomainError):  # noqa: N818 - named like RecordInvalid
    """A policy's content is malformed; ``str(error)`` says what to fix, in Chinese."""


@dataclass(frozen=True)
class ListPolicy:
    """What one list means at the window and in supervision.

    Attributes:
        code: The list code in ``list_memberships.list``.
        name: Its Chinese name.
        category: 守信激励, 失信惩戒 or 重点关注 (the card's colour follows it).
        measures: The measures, one sentence each.
        scopes: Per measure (same order), the catalog domains (纳税, 食品药品 …) where the window
            applies it; empty for every matter.
        blocks_tolerance: An entity on it may not use 容缺受理 (nor may one whose legal
            representative or principal is on it).
        caution: What the clerk should mind when the entity is on it and may proceed.
        rate_factor: How much the list raises the entity's 双随机 sampling rate (1 = not).
    """

    code: str
    name: str
    category: str
    measures: tuple[str, ...] = ()
    blocks_tolerance: bool = False
    caution: str = ""
    rate_factor: float = 1.0
    scopes: tuple[tuple[str, ...], ...] = ()

    def measures_at(self, domain: str) -> tuple[str, ...]:
        """The measures the window applies at a matter of ``domain`` (every-matter ones too)."""
        scopes = self.scopes or ((),) * len(self.measures)
        return tuple(
            m
            for m, where in zip(self.measures, scopes, strict=False)
            if not where or domain in where
        )


@dataclass(frozen=True)
class GradeClass:
    """A risk class and its yearly sampling rate (share of the class's own pool)."""

    code: str
    rate: float


@dataclass(frozen=True)
class Policy:
    """The credit policy in force.

    Attributes:
        lists: Per list code.
        barred_grades: Risk classes that bar 容缺受理.
        serious_penalty_blocks: A serious penalty still in publication bars 容缺受理.
        breach_blocks: An unrepaired breach or false commitment bars 容缺受理.
        grades: The risk classes, best first, with their sampling rates.
        ungraded_rate: The sampling rate of entities without a class.
        repair_min_months: Severity code → months of publication before repair may be asked.
        repair_working_days: Working days the unit has to decide a repair application.
        objection_working_days: Working days the unit has to decide an objection.
        revisions: Policy name → the revision in force (0 = the built-in default).
    """

    lists: Mapping[str, ListPolicy]
    barred_grades: frozenset[str]
    serious_penalty_blocks: bool
    breach_blocks: bool
    grades: tuple[GradeClass, ...]
    ungraded_rate: float
    repair_min_months: Mapping[str, int] = field(
        default_factory=lambda: {"minor": 0, "general": 3, "serious": 12}
    )
    repair_working_days: int = 10
    objection_working_days: int = 10
    revisions: Mapping[str, int] = field(default_factory=dict)

    def list_policy(self, code: str) -> ListPolicy:
        """The policy of list ``code``; an unknown list is shown by its code, without measures."""
        return self.lists.get(code) or ListPolicy(code, code, "")

    def grade_rate(self, grade: str | None) -> float:
        """The sampling rate of a risk class (the ungraded rate for none or an unknown one)."""
        wanted = (grade or "").strip().upper()
        for item in self.grades:
            if item.code == wanted:
                return item.rate
        return self.ungraded_rate

    def sampling_rate(self, grade: str | None, lists: Iterable[str] = ()) -> float:
        """An entity's rate: its class's rate raised by the lists it is on, at most 1."""
        factor = max((self.list_policy(code).rate_factor for code in lists), default=1.0)
        return min(1.0, self.grade_rate(grade) * max(factor, 1.0))


DEFAULT_CONTENT: Mapping[str, Mapping[str, Any]] = {
    LIST_MEASURES: {
        "lists": {
            "red": {
                "name": "守信激励对象名单（红名单）",
                "category": "守信激励",
                "measures": [
                    "开通绿色通道，优先受理、优先办理",
                    "可优先适用容缺受理和告知承诺",
                    "在日常监管中适当降低抽查比例和频次",
                ],
                "blocks_tolerance": False,
                "caution": "该主体在守信激励对象名单（红名单）内：可优先适用容缺受理。",
                "rate_factor": 1.0,
            },
            "serious_dishonesty": {
                "name": "严重失信主体名单",
                "category": "失信惩戒",
                "measures": [
                    "不适用容缺受理，信用修复前审慎适用告知承诺",
                    {
                        "text": "依法依规限制参与招标投标、政府采购",
                        "domains": ["证明事项", "注册登记"],
                    },
                    {
                        "text": "从严审核行政许可，限制享受财政资金、税收优惠等政策",
                        "domains": ["纳税", "科研", "食品药品", "不动产登记", "电力"],
                    },
                    "纳入重点监管，提高抽查比例和频次",
                ],
                "blocks_tolerance": True,
                "caution": "",
                "rate_factor": 3.0,
            },
            "key_attention": {
                "name": "重点关注对象名单",
                "category": "重点关注",
                "measures": [
                    "对申请材料加强核查，必要时开展现场核查",
                    "适当提高抽查比例和频次",
                    "容缺受理、告知承诺审慎适用，加强事中事后核查",
                    {"text": "涉税事项加强纳税信用核查", "domains": ["纳税"]},
                ],
                "blocks_tolerance": False,
                "caution": "该主体在重点关注对象名单内：可以容缺受理，但应加强材料核查和事后核查。",
                "rate_factor": 2.0,
            },
            "market_ban": {
                "name": "市场禁入",
                "category": "失信惩戒",
                "measures": ["依法禁止从事相关行业或担任相关职务", "不适用容缺受理"],
                "blocks_tolerance": True,
                "caution": "",
                "rate_factor": 3.0,
            },
        }
    },
    TOLERANCE: {
        "barred_grades": ["D", "E"],
        "serious_penalty_blocks": True,
        "breach_blocks": True,
    },
    GRADE_SCALE: {
        "grades": [
            {"code": "A", "rate": 0.05},
            {"code": "B", "rate": 0.20},
            {"code": "C", "rate": 0.60},
            {"code": "D", "rate": 1.0},
        ],
        "ungraded_rate": 0.20,
    },
    REPAIR: {
        "min_months": {"minor": 0, "general": 3, "serious": 12},
        "repair_working_days": 10,
        "objection_working_days": 10,
    },
    RISK_RULES: risk_rules.DEFAULT_CONTENT,
}
"""DOMAIN.md's figures: the seed's lists and measures, the lowest class barring 容缺受理, and
the local example of class rates (upper bound of each band; ungraded like B)."""


def _fail(name: str, message: str) -> PolicyInvalid:
    return PolicyInvalid(f"{POLICY_LABELS.get(name, name)}：{message}")


def _text(name: str, value: Any, label: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(name, f"“{label}”应为非空文字。")
    return value.strip()


def _flag(name: str, value: Any, label: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, f"“{label}”应为 true 或 false。")
    return value


def _number(name: str, value: Any, label: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(name, f"“{label}”应为数字。")
    if not low <= float(value) <= high:
        raise _fail(name, f"“{label}”应在 {low:g} 至 {high:g} 之间，现为 {value}。")
    return float(value)


def _object(name: str, value: Any, label: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(name, f"“{label}”应为对象（JSON object）。")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(name, f"“{label}”中有不认识的项：{'、'.join(unknown)}。")
    return value


def _measures(code: str, raw: Any) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Measures as text (every matter) or ``{"text", "domains"}`` (matters of those domains)."""
    wrong = _fail(
        LIST_MEASURES,
        f"{code} 的措施（measures）应为列表，每项为文字，或 "
        '{"text": 措施, "domains": [适用的事项领域]}。',
    )
    if not isinstance(raw, list):
        raise wrong
    texts: list[str] = []
    scopes: list[tuple[str, ...]] = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            texts.append(item.strip())
            scopes.append(())
            continue
        if not isinstance(item, Mapping) or set(item) - {"text", "domains"}:
            raise wrong
        text, domains = item.get("text"), item.get("domains", [])
        if not isinstance(text, str) or not text.strip() or not isinstance(domains, list):
            raise wrong
        if not all(isinstance(d, str) and d.strip() for d in domains):
            raise wrong
        texts.append(text.strip())
        scopes.append(tuple(d.strip() for d in domains))
    return tuple(texts), tuple(scopes)


def _lists(content: Mapping[str, Any]) -> dict[str, ListPolicy]:
    body = _object(LIST_MEASURES, content, "名单措施", {"lists"})
    items = _object(LIST_MEASURES, body.get("lists"), "lists", set(body.get("lists") or {}))
    if not items:
        raise _fail(LIST_MEASURES, "至少要有一个名单。")
    found: dict[str, ListPolicy] = {}
    for code, raw in items.items():
        if not isinstance(code, str) or not code.replace("_", "").isalnum() or len(code) > 32:
            raise _fail(LIST_MEASURES, f"名单代码“{code}”应为不超过32个字母、数字或下划线。")
        entry = _object(
            LIST_MEASURES,
            raw,
            code,
            {"name", "category", "measures", "blocks_tolerance", "caution", "rate_factor"},
        )
        category = _text(LIST_MEASURES, entry.get("category"), f"{code}.category")
        if category not in CATEGORIES:
            raise _fail(LIST_MEASURES, f"{code} 的措施类别应为 {'、'.join(CATEGORIES)} 之一。")
        texts, scopes = _measures(code, entry.get("measures", []))
        found[code] = ListPolicy(
            code=code,
            name=_text(LIST_MEASURES, entry.get("name"), f"{code}.name"),
            category=category,
            measures=texts,
            scopes=scopes,
            blocks_tolerance=_flag(
                LIST_MEASURES, entry.get("blocks_tolerance", False), f"{code}.blocks_tolerance"
            ),
            caution=_text(LIST_MEASURES, entry.get("caution"), f"{code}.caution", required=False),
            rate_factor=_number(
                LIST_MEASURES,
                entry.get("rate_factor", 1.0),
                f"{code}.rate_factor",
                1.0,
                MAX_RATE_FACTOR,
            ),
        )
    return found


def _tolerance(content: Mapping[str, Any]) -> tuple[frozenset[str], bool, bool]:
    body = _object(
        TOLERANCE,
        content,
        "容缺受理条件",
        {"barred_grades", "serious_penalty_blocks", "breach_blocks"},
    )
    grades = body.get("barred_grades", [])
    if not isinstance(grades, list) or not all(
        isinstance(g, str) and 1 <= len(g.strip()) <= 4 for g in grades
    ):
        raise _fail(TOLERANCE, '“barred_grades”应为风险分类代码的列表，例如 ["D"]。')
    return (
        frozenset(g.strip().upper() for g in grades),
        _flag(TOLERANCE, body.get("serious_penalty_blocks", True), "serious_penalty_blocks"),
        _flag(TOLERANCE, body.get("breach_blocks", True), "breach_blocks"),
    )


def _grades(content: Mapping[str, Any]) -> tuple[tuple[GradeClass, ...], float]:
    body = _object(GRADE_SCALE, content, "风险分类", {"grades", "ungraded_rate"})
    raw = body.get("grades")
    if not isinstance(raw, list) or not 2 <= len(raw) <= 10:
        raise _fail(GRADE_SCALE, "“grades”应为 2 至 10 个风险分类（由好到差）。")
    classes: list[GradeClass] = []
    for item in raw:
        entry = _object(GRADE_SCALE, item, "grades[]", {"code", "rate"})
        code = _text(GRADE_SCALE, entry.get("code"), "code").upper()
        if len(code) > 4:
            raise _fail(GRADE_SCALE, f"风险分类代码“{code}”过长（至多4个字符）。")
        if any(c.code == code for c in classes):
            raise _fail(GRADE_SCALE, f"风险分类“{code}”重复。")
        classes.append(GradeClass(code, _number(GRADE_SCALE, entry.get("rate"), code, 0.0, 1.0)))
    ungraded = _number(GRADE_SCALE, body.get("ungraded_rate", 0.2), "ungraded_rate", 0.0, 1.0)
    return tuple(classes), ungraded


def _repair(content: Mapping[str, Any]) -> tuple[dict[str, int], int, int]:
    body = _object(
        REPAIR, content, "信用修复", {"min_months", "repair_working_days", "objection_working_days"}
    )
    months = _object(REPAIR, body.get("min_months"), "min_months", {"minor", "general", "serious"})
    if set(months) != {"minor", "general", "serious"}:
        raise _fail(REPAIR, "“min_months”须给出 minor、general、serious 三档的月数。")
    table = {k: int(_number(REPAIR, v, f"min_months.{k}", 0, 60)) for k, v in months.items()}
    if any(not float(v).is_integer() for v in months.values()):
        raise _fail(REPAIR, "“min_months”的月数应为整数。")
    days = [
        int(_number(REPAIR, body.get(k, 10), k, 1, 120))
        for k in ("repair_working_days", "objection_working_days")
    ]
    return table, days[0], days[1]


def check_policy(name: str, content: Any) -> dict[str, Any]:
    """Check an administrator's policy content strictly; return it as it will be stored.

    Args:
        name: One of :data:`POLICY_NAMES`.
        content: The JSON object the administrator wrote.

    Raises:
        PolicyInvalid: Unknown policy, or the content is malformed (the message says where).
    """
    if name not in POLICY_NAMES:
        raise PolicyInvalid(f"没有名为“{name}”的政策，可选：{'、'.join(POLICY_NAMES)}。")
    if not isinstance(content, Mapping):
        raise _fail(name, "内容应为 JSON 对象。")
    if name == LIST_MEASURES:
        _lists(content)
    elif name == TOLERANCE:
        _tolerance(content)
    elif name == REPAIR:
        _repair(content)
    elif name == RISK_RULES:
        try:
            risk_rules.check_rules(content)
        except risk_rules.RiskRulesInvalid as exc:
            raise _fail(name, str(exc)) from None
    else:
        _grades(content)
    return dict(content)


def _content(records: Mapping[str, Mapping[str, Any]], name: str) -> tuple[Mapping[str, Any], int]:
    record = records.get(name)
    if record is not None:
        content, revision = record.get("content"), record.get("revision")
        try:
            check_policy(name, content)
        except PolicyInvalid:
            pass
        else:
            assert isinstance(content, Mapping)
            return content, revision if isinstance(revision, int) else 0
    return DEFAULT_CONTENT[name], 0


def policy_from_records(records: Iterable[Mapping[str, Any]]) -> Policy:
    """The policy in force from the pulled ``policies`` records (defaults where none is valid).

    Args:
        records: ``policies`` records: ``{"name", "revision", "content", …}``.
    """
    by_name = {str(r.get("name")): r for r in records if isinstance(r, Mapping)}
    lists, r_lists = _content(by_name, LIST_MEASURES)
    tolerance, r_tol = _content(by_name, TOLERANCE)
    scale, r_scale = _content(by_name, GRADE_SCALE)
    repair, r_repair = _content(by_name, REPAIR)
    min_months, repair_days, objection_days = _repair(repair)
    barred, serious_blocks, breach_blocks = _tolerance(tolerance)
    grades, ungraded = _grades(scale)
    return Policy(
        lists=_lists(lists),
        barred_grades=barred,
        serious_penalty_blocks=serious_blocks,
        breach_blocks=breach_blocks,
        grades=grades,
        ungraded_rate=ungraded,
        repair_min_months=min_months,
        repair_working_days=repair_days,
        objection_working_days=objection_days,
        revisions={
            LIST_MEASURES: r_lists,
            TOLERANCE: r_tol,
            GRADE_SCALE: r_scale,
            REPAIR: r_repair,
        },
    )


DEFAULT_POLICY = policy_from_records(())
"""The policy a device uses before it has pulled one."""
