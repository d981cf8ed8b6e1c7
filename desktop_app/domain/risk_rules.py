"""风险预警: platform rules that flag entities for supervisors, and what a flag does in a draw.

Issue #16 (seed 二(五)(六), 三(八)(十)): besides risk classes and lists, a city watches for
patterns that call for closer supervision — repeated breaches within a year, a breach together
with a 失信警示 left unrectified past its deadline, an entity whose legal representative is on
the serious-dishonesty list (相关责任人). These are rules the city sets as data: the
``risk_rules`` policy of :mod:`desktop_app.domain.policy`, edited, versioned and audit-logged
like the other policies. Each rule has a kind (:data:`KINDS`), its parameters, and its effect
on the 双随机 draw (:class:`RateRaise`): the flagged entity's yearly sampling rate raised to at
least ``raise_to`` and/or multiplied by ``rate_factor`` (at most 1).

The platform gathers plain facts per entity (:class:`EntityFacts`: its unrepaired 失信记录, its
warnings with their deadlines, its legal representative or principal found on a list by the
one person rule :func:`desktop_app.domain.person_id.same_person`, as
:class:`~desktop_app.domain.window_rules.PersonMatch`) and calls :func:`evaluate`; each fired
rule is a :class:`Flag` with a Chinese explanation a supervisor can check against the records.
Flags are supervisors' data: they never reach a window.

:func:`check_rules` is the strict check of an administrator's edit (a Chinese message saying
what to fix); :func:`rules_from_records` the lenient reader of the pulled ``policies`` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from desktop_app.domain.disclosure import add_months
from desktop_app.domain.errors import DomainError

if TYPE_CHECKING:  # window_rules imports policy, which imports this module
    from desktop_app.domain.window_rules import PersonMatch

__all__ = [
    "BREACH_AND_OVERDUE_WARNING",
    "DEFAULT_CONTENT",
    "DEFAULT_RULES",
    "KINDS",
    "KIND_LABELS",
    "POLICY_NAME",
    "REPEAT_BREACHES",
    "REPRESENTATIVE_ON_LIST",
    "ROLE_LABELS",
    "BreachFact",
    "EntityFacts",
    "Flag",
    "RateRaise",
    "RiskRule",
    "RiskRulesInvalid",
    "RuleSet",
    "WarningFact",
    "check_rules",
    "evaluate",
    "raises_of",
    "rules_from_records",
]

POLICY_NAME = "risk_rules"
"""The ``policies`` record that holds the rules."""

REPEAT_BREACHES = "repeat_breaches"
BREACH_AND_OVERDUE_WARNING = "breach_and_overdue_warning"
REPRESENTATIVE_ON_LIST = "representative_on_list"
KINDS = (REPEAT_BREACHES, BREACH_AND_OVERDUE_WARNING, REPRESENTATIVE_ON_LIST)
KIND_LABELS: Mapping[str, str] = {
    REPEAT_BREACHES: "多次失信",
    BREACH_AND_OVERDUE_WARNING: "失信且警示逾期未整改",
    REPRESENTATIVE_ON_LIST: "法定代表人或主要负责人在失信名单内",
}
ROLE_LABELS: Mapping[str, str] = {"legal_representative": "法定代表人", "principal": "主要负责人"}
"""Whose listing counts for ``representative_on_list`` (the label is ``PersonMatch.role``)."""

SEVERITY_LABELS: Mapping[str, str] = {"minor": "轻微", "general": "一般", "serious": "严重"}

_COMMON = {"code", "kind", "label", "enabled", "raise_to", "rate_factor"}
_KEYS: Mapping[str, frozenset[str]] = {
    REPEAT_BREACHES: frozenset(_COMMON | {"count", "months", "severities"}),
    BREACH_AND_OVERDUE_WARNING: frozenset(_COMMON | {"months"}),
    REPRESENTATIVE_ON_LIST: frozenset(_COMMON | {"lists", "roles"}),
}
MAX_RULES = 20
MAX_MONTHS = 60
MAX_COUNT = 50
MAX_RATE_FACTOR = 10.0
_SHOWN_DATES = 5
_SHOWN_PERSONS = 3


class RiskRulesInvalid(DomainError):  # noqa: N818 - named like PolicyInvalid
    """The rules are malformed; ``str(error)`` says what to fix, in Chinese."""


@dataclass(frozen=True)
class RateRaise:
    """What a flag does to the entity's 双随机 sampling rate.

    Attributes:
        factor: The rate is multiplied by this (1 = not).
        floor: The rate is at least this (0 = no floor).
    """

    factor: float = 1.0
    floor: float = 0.0

    def apply(self, rate: float) -> float:
        """The raised yearly rate (never lowered, at most 1)."""
        return min(1.0, max(rate, rate * self.factor, self.floor))

    def combine(self, other: RateRaise) -> RateRaise:
        """Both raises at once: the larger factor and the larger floor."""
        return RateRaise(max(self.factor, other.factor), max(self.floor, other.floor))

    def to_json(self) -> dict[str, float]:
        """As recorded in a draw's inputs and shown in the API."""
        return {"rate_factor": self.factor, "raise_to": self.floor}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> RateRaise:
        """The inverse of :meth:`to_json` (missing parts do not raise).

        Raises:
            ValueError: A part is not a number in its range.
        """
        factor, floor = float(value.get("rate_factor", 1.0)), float(value.get("raise_to", 0.0))
        if not (1.0 <= factor <= MAX_RATE_FACTOR and 0.0 <= floor <= 1.0):
            raise ValueError("rate raise out of range")
        return cls(factor, floor)


@dataclass(frozen=True)
class RiskRule:
    """One early-warning rule.

    Attributes:
        code: Its code (unique in the rule set; shown with the flag).
        kind: One of :data:`KINDS`.
        label: Its Chinese name.
        effect: What a flag does in the draw.
        enabled: Whether it is evaluated.
        months: The look-back window (``repeat_breaches``, ``breach_and_overdue_warning``).
        count: Breaches in the window that fire ``repeat_breaches``.
        severities: Breach severities that count (empty: every severity).
        lists: List codes that count for ``representative_on_list``.
        roles: Whose listing counts (:data:`ROLE_LABELS` keys).
    """

    code: str
    kind: str
    label: str
    effect: RateRaise
    enabled: bool = True
    months: int = 12
    count: int = 2
    severities: frozenset[str] = frozenset()
    lists: tuple[str, ...] = ()
    roles: tuple[str, ...] = ("legal_representative",)


@dataclass(frozen=True)
class RuleSet:
    """The rules in force and the revision of the ``risk_rules`` policy (0 = the default)."""

    rules: tuple[RiskRule, ...]
    revision: int = 0


@dataclass(frozen=True)
class BreachFact:
    """An unrepaired, unrevoked 失信记录 (breach or false commitment) of the entity."""

    record_id: str
    decided_on: date
    severity: str = "general"


@dataclass(frozen=True)
class WarningFact:
    """A 失信警示 of the entity with its rectification deadline.

    Attributes:
        record_id: The warning.
        issued_on: When it was issued.
        deadline: The last day to rectify (None when the platform could not compute it).
        rectified: A rectification is on record (the warning's mark or a re-inspection that
            found no problem).
    """

    record_id: str
    issued_on: date
    deadline: date | None
    rectified: bool = False

    def overdue(self, today: date) -> bool:
        """The deadline has passed and no rectification is on record."""
        return self.deadline is not None and self.deadline < today and not self.rectified


@dataclass(frozen=True)
class EntityFacts:
    """What the rules look at for one entity (gathered by the platform).

    Attributes:
        uscc: 统一社会信用代码.
        name: Registered name.
        region_code: The entity's division code.
        breaches: Its unrepaired 失信记录.
        warnings: Its 失信警示.
        persons: Its legal representative or principal found on a list (same name and
            masked ID), in person or as the representative of a listed entity.
    """

    uscc: str
    name: str = ""
    region_code: str | None = None
    breaches: tuple[BreachFact, ...] = ()
    warnings: tuple[WarningFact, ...] = ()
    persons: tuple[PersonMatch, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A rule that fired for an entity, with why."""

    uscc: str
    name: str
    region_code: str | None
    rule: RiskRule
    explanation: str


# --- the strict check ---------------------------------------------------------------------------


def _code(value: Any, where: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 32
        or not value.replace("_", "").isalnum()
        or not value.isascii()
    ):
        raise RiskRulesInvalid(
            f"{where}的代码（code）应为不超过32个英文字母、数字或下划线，例如 repeat_breaches。"
        )
    return value


def _int(rule: Mapping[str, Any], key: str, code: str, low: int, high: int, default: int) -> int:
    value = rule.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RiskRulesInvalid(
            f"规则“{code}”的“{key}”应为 {low} 至 {high} 之间的整数，现为 {value}。"
        )
    return value


def _float(rule: Mapping[str, Any], key: str, code: str, low: float, high: float) -> float | None:
    value = rule.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise RiskRulesInvalid(
            f"规则“{code}”的“{key}”应为 {low:g} 至 {high:g} 之间的数字，现为 {value}。"
        )
    return float(value)


def _words(
    rule: Mapping[str, Any], key: str, code: str, allowed: Mapping[str, str] | None
) -> tuple[str, ...]:
    value = rule.get(key)
    if allowed is not None:
        hint = "、".join(f"{k}（{v}）" for k, v in allowed.items())
    else:
        hint = '名单代码，例如 ["serious_dishonesty"]'
    wrong = RiskRulesInvalid(f"规则“{code}”的“{key}”应为列表，至少一项，可用：{hint}。")
    if not isinstance(value, list) or not value:
        raise wrong
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise wrong
        word = item.strip()
        if allowed is not None and word not in allowed:
            raise wrong
        if allowed is None and not (
            len(word) <= 32 and word.isascii() and word.replace("_", "").isalnum()
        ):
            raise RiskRulesInvalid(
                f"规则“{code}”的“{key}”中“{word}”不是名单代码（英文字母、数字或下划线），"
                "例如 serious_dishonesty。"
            )
        if word not in out:
            out.append(word)
    return tuple(out)


def _rule(raw: Any, index: int) -> RiskRule:
    where = f"第 {index} 条规则"
    if not isinstance(raw, Mapping):
        raise RiskRulesInvalid(f"{where}应为对象（JSON object），含 code、kind 等项。")
    code = _code(raw.get("code"), where)
    kind = raw.get("kind")
    if kind not in KINDS:
        known = "、".join(f"{k}（{KIND_LABELS[k]}）" for k in KINDS)
        raise RiskRulesInvalid(f"规则“{code}”的类型（kind）“{kind}”无效，可选：{known}。")
    unknown = sorted(set(raw) - _KEYS[kind])
    if unknown:
        raise RiskRulesInvalid(
            f"规则“{code}”中有不认识的项：{'、'.join(map(str, unknown))}。"
            f"{KIND_LABELS[kind]}（{kind}）可用的项：{'、'.join(sorted(_KEYS[kind]))}。"
        )
    label = raw.get("label", KIND_LABELS[kind])
    if not isinstance(label, str) or not label.strip() or len(label.strip()) > 60:
        raise RiskRulesInvalid(f"规则“{code}”的名称（label）应为不超过60个字的非空文字。")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RiskRulesInvalid(f"规则“{code}”的“enabled”应为 true 或 false。")
    floor = _float(raw, "raise_to", code, 0.0, 1.0)
    factor = _float(raw, "rate_factor", code, 1.0, MAX_RATE_FACTOR)
    if (floor or 0.0) <= 0.0 and (factor or 1.0) <= 1.0:
        raise RiskRulesInvalid(
            f"规则“{code}”须写明如何提高抽查比例：raise_to（提高到的年度抽查比例，0 至 1，"
            f"如 0.6）或 rate_factor（提高的倍数，1 至 {MAX_RATE_FACTOR:g}，如 2），至少一项。"
        )
    rule = RiskRule(
        code=code,
        kind=kind,
        label=label.strip(),
        effect=RateRaise(factor or 1.0, floor or 0.0),
        enabled=enabled,
    )
    if kind == REPEAT_BREACHES:
        severities = _words(raw, "severities", code, SEVERITY_LABELS) if "severities" in raw else ()
        return replace(
            rule,
            months=_int(raw, "months", code, 1, MAX_MONTHS, 12),
            count=_int(raw, "count", code, 2, MAX_COUNT, 2),
            severities=frozenset(severities),
        )
    if kind == BREACH_AND_OVERDUE_WARNING:
        return replace(rule, months=_int(raw, "months", code, 1, MAX_MONTHS, 12))
    roles = _words(raw, "roles", code, ROLE_LABELS) if "roles" in raw else ("legal_representative",)
    return replace(rule, lists=_words(raw, "lists", code, None), roles=roles)


def check_rules(content: Any) -> tuple[RiskRule, ...]:
    """Check an administrator's rule set strictly.

    Args:
        content: The policy's JSON object: ``{"rules": [rule, …]}`` (an empty list turns the
            early warning off).

    Returns:
        The rules, in the order written.

    Raises:
        RiskRulesInvalid: The content is malformed (the message says what to fix).
    """
    if not isinstance(content, Mapping) or set(content) - {"rules"}:
        raise RiskRulesInvalid('内容应为 JSON 对象 {"rules": [规则, …]}，不应有其他项。')
    raw = content.get("rules")
    if not isinstance(raw, list) or len(raw) > MAX_RULES:
        raise RiskRulesInvalid(
            f"“rules”应为规则列表（至多 {MAX_RULES} 条；空列表表示不作风险预警）。"
        )
    rules = [_rule(item, i) for i, item in enumerate(raw, start=1)]
    seen: set[str] = set()
    for rule in rules:
        if rule.code in seen:
            raise RiskRulesInvalid(f"规则代码“{rule.code}”重复，请为每条规则取不同的代码。")
        seen.add(rule.code)
    return tuple(rules)


DEFAULT_CONTENT: Mapping[str, Any] = {
    "rules": [
        {
            "code": REPEAT_BREACHES,
            "kind": REPEAT_BREACHES,
            "label": "12个月内两次及以上失信",
            "count": 2,
            "months": 12,
            "raise_to": 0.6,
        },
        {
            "code": BREACH_AND_OVERDUE_WARNING,
            "kind": BREACH_AND_OVERDUE_WARNING,
            "label": "失信且失信警示逾期未整改",
            "months": 12,
            "raise_to": 0.6,
        },
        {
            "code": REPRESENTATIVE_ON_LIST,
            "kind": REPRESENTATIVE_ON_LIST,
            "label": "法定代表人在严重失信主体名单内",
            "lists": ["serious_dishonesty"],
            "roles": ["legal_representative"],
            "raise_to": 0.6,
        },
    ]
}
"""Issue #16's examples; a flagged entity is sampled at least like class C (60 %, the upper
bound of DOMAIN.md's C band) whatever its own class."""

DEFAULT_RULES = check_rules(DEFAULT_CONTENT)


def rules_from_records(records: Iterable[Mapping[str, Any]]) -> RuleSet:
    """The rules in force from the ``policies`` records (the default when none is valid).

    Args:
        records: ``policies`` records: ``{"name", "revision", "content", …}``.
    """
    for record in records:
        if not isinstance(record, Mapping) or record.get("name") != POLICY_NAME:
            continue
        try:
            rules = check_rules(record.get("content"))
        except RiskRulesInvalid:
            break
        revision = record.get("revision")
        return RuleSet(rules, revision if isinstance(revision, int) else 0)
    return RuleSet(DEFAULT_RULES, 0)


# --- evaluation ---------------------------------------------------------------------------------


def _within(day: date, months: int, today: date) -> bool:
    return add_months(today, -months) <= day <= today


def _days(days: Iterable[date]) -> str:
    ordered = sorted(d.isoformat() for d in days)
    shown = "、".join(ordered[:_SHOWN_DATES])
    return shown + ("等" if len(ordered) > _SHOWN_DATES else "")


def _breaches(rule: RiskRule, facts: EntityFacts, today: date) -> list[BreachFact]:
    return [
        b
        for b in facts.breaches
        if _within(b.decided_on, rule.months, today)
        and (not rule.severities or b.severity in rule.severities)
    ]


def _kind_of_breach(rule: RiskRule) -> str:
    if not rule.severities:
        return "失信记录"
    named = "、".join(SEVERITY_LABELS[s] for s in SEVERITY_LABELS if s in rule.severities)
    return f"{named}失信记录"


def _repeat(rule: RiskRule, facts: EntityFacts, today: date, _names: Mapping[str, str]) -> str:
    found = _breaches(rule, facts, today)
    if len(found) < rule.count:
        return ""
    dates = _days(b.decided_on for b in found)
    return f"{rule.months}个月内{_kind_of_breach(rule)}{len(found)}条（{dates}）"


def _overdue(rule: RiskRule, facts: EntityFacts, today: date, _names: Mapping[str, str]) -> str:
    found = _breaches(rule, facts, today)
    late = [
        w for w in facts.warnings if _within(w.issued_on, rule.months, today) and w.overdue(today)
    ]
    if not found or not late:
        return ""
    dates = _days(b.decided_on for b in found)
    deadlines = _days(w.deadline for w in late if w.deadline is not None)
    return (
        f"{rule.months}个月内失信记录{len(found)}条（{dates}），"
        f"且失信警示逾期未整改{len(late)}条（整改期限{deadlines}）"
    )


def _listed(rule: RiskRule, facts: EntityFacts, _today: date, names: Mapping[str, str]) -> str:
    roles = {ROLE_LABELS[r] for r in rule.roles}
    parts: list[str] = []
    for person in facts.persons:
        if person.list_code not in rule.lists or person.role not in roles:
            continue
        who = f"{person.role}{person.name}（{person.id_masked}）"
        list_name = names.get(person.list_code, person.list_code)
        if person.entity_name:
            part = f"{who}同时是{list_name}内主体“{person.entity_name}”的法定代表人或主要负责人"
        else:
            part = f"{who}在{list_name}内"
        if part not in parts:
            parts.append(part)
    shown = "；".join(parts[:_SHOWN_PERSONS])
    return shown + (f"等，共{len(parts)}项" if len(parts) > _SHOWN_PERSONS else "")


_EXPLAIN = {
    REPEAT_BREACHES: _repeat,
    BREACH_AND_OVERDUE_WARNING: _overdue,
    REPRESENTATIVE_ON_LIST: _listed,
}


def evaluate(
    facts: Iterable[EntityFacts],
    rules: Sequence[RiskRule],
    today: date,
    list_names: Mapping[str, str] | None = None,
) -> list[Flag]:
    """Every rule that fires for every entity on ``today``.

    Args:
        facts: The entities' facts.
        rules: The rules in force (disabled ones are skipped).
        today: The day of the evaluation (windows run back from it; a date after it is
            not counted, a deadline must be before it to be missed).
        list_names: List code → its Chinese name (the ``list_measures`` policy), for the
            explanations; a code without a name is shown as itself.

    Returns:
        The flags, by USCC and then in the rules' order.
    """
    names = list_names or {}
    active = [r for r in rules if r.enabled]
    flags: list[Flag] = []
    for entity in sorted(facts, key=lambda f: f.uscc):
        for rule in active:
            why = _EXPLAIN[rule.kind](rule, entity, today, names)
            if why:
                flags.append(Flag(entity.uscc, entity.name, entity.region_code, rule, why))
    return flags


def raises_of(flags: Iterable[Flag]) -> dict[str, RateRaise]:
    """USCC → the combined raise of its flags (what the draw applies)."""
    out: dict[str, RateRaise] = {}
    for flag in flags:
        known = out.get(flag.uscc)
        out[flag.uscc] = flag.rule.effect if known is None else known.combine(flag.rule.effect)
    return out
