"""双随机 draw, the pure part: sample each risk class at its rate, pair each with two inspectors.

"双随机" means both the inspected entities and the inspectors are drawn at random. Seed (六)
builds the risk classes into it (DOMAIN.md, "Credit grades and graded supervision"): a class's
ratio is a **sampling rate** over *that class's own pool* (class A ≤ 5 % of the A entities a
year, class D 61–100 % of the D entities), not a weight in one lottery over everyone, and an
entity under list measures (重点关注, serious list) has a higher rate. The rates are platform
data: the ``grade_scale`` and ``list_measures`` policies (:mod:`desktop_app.domain.policy`).

Everything here is deterministic given the seed and inputs, and touches no database, so anyone
holding the published seed, the recorded inputs and the registry snapshot (checked by
:func:`candidate_digest`) can rerun :func:`run_draw` and get the same tasks.

Method:

1. Candidates are sorted by USCC and de-duplicated, so the database's row order never matters.
   Each carries its risk class and the lists in force on it on the draw date.
2. Per-entity rate ``r = raise(policy.sampling_rate(grade, lists)) × share``: the class's
   yearly rate raised by the entity's lists (capped at 1), raised again when a 风险预警 rule
   flagged the entity (:class:`desktop_app.domain.risk_rules.RateRaise`, recorded per USCC in
   the draw's inputs so a replay applies the same raises), times the share of the year this
   draw takes (1 for a yearly draw, 0.25 for a quarterly one). A grade the policy does not
   know is ungraded (:data:`UNGRADED`, the policy's ungraded rate).
3. Per class, the sample size is ``n = ceil(Σ r)`` over the class's pool (the expected number of
   inspections the rates ask for), at least one when the pool is non-empty and the class's
   rate is positive, none when the rate is 0, at most the pool.
4. A :class:`random.Random` is seeded with the SHA-256 of the seed text (stable across Python
   versions and processes, unlike ``hash()``).
5. Entities: weighted sampling without replacement by Efraimidis–Spirakis within each class:
   every candidate, in USCC order and whatever its class, gets ``u = 1 - rng.random()`` in
   (0, 1] and the key ``log(u) / r``; in each class the ``n`` largest keys win (ties by USCC),
   so an entity with a raised rate is more likely drawn. A ``u`` is drawn for every candidate,
   rate 0 included, so a change of one class's rate does not reshuffle the keys of the others.
   Tasks come class by class in the policy's order (best first, ungraded last), within a class
   by key, largest first.
6. Inspectors: for each drawn entity in order, the pool is shuffled with the same ``rng`` and
   then stably sorted by current load; the two least-loaded take the task. Two different people
   per pair, loads across the pool never differ by more than one, and who pairs with whom is
   random.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.policy import GRADE_SCALE, LIST_MEASURES, GradeClass, ListPolicy, Policy
from desktop_app.domain.risk_rules import RateRaise
from platform_server.region_codes import region_covers

UNGRADED = "未分级"
"""Class code of entities without a risk class (or with one the grade scale does not know)."""

METHOD = (
    "per-class rate: n = ceil(sum of sampling_rate x share); efraimidis-spirakis within class; "
    "random.Random(sha256(seed)); candidates by USCC; v2"
)
"""Names the method in a draw's recorded inputs; a replay refuses a draw of another method."""

MAX_TASKS = 10_000
"""At most this many tasks in one draw (one transaction); a larger draw is refused with advice."""

EXCLUDED_STATUS_WORDS = ("注销", "吊销", "撤销", "迁出")
"""Statuses containing these words are not in the market any more (or not ours to inspect)."""

_EPSILON_DIGITS = 9
"""Σ r is rounded to this many decimals before the ceiling: 20 × 0.05 is 1, not 2."""


class DrawError(ValueError):
    """A draw cannot be made with these inputs; ``str(error)`` is a Chinese reason."""


class NotEnoughInspectors(DrawError):  # noqa: N818 - named for the situation, like CalendarUnknown
    """Fewer than two distinct inspectors are eligible."""


class NoCandidates(DrawError):  # noqa: N818
    """No entity can be drawn (none match, or every non-empty class has rate 0)."""


class TooManyTasks(DrawError):  # noqa: N818
    """The rates ask for more than :data:`MAX_TASKS` inspections in one draw."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity that may be drawn.

    Attributes:
        uscc: 统一社会信用代码.
        name: Registered name.
        grade: Risk class (A/B/C/D…), ``None`` when ungraded.
        lists: Codes of the lists in force on the entity on the draw date, sorted.
    """

    uscc: str
    name: str
    grade: str | None
    lists: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DrawnTask:
    """One drawn entity and its two inspectors (lead first), with its rate in this draw."""

    uscc: str
    name: str
    grade: str | None
    inspectors: tuple[str, str]
    rate: float


@dataclass(frozen=True, slots=True)
class ClassSample:
    """One risk class in a draw.

    Attributes:
        code: The class code (:data:`UNGRADED` for entities without a known class).
        pool: Candidates in the class.
        rate: The class's rate in this draw: its yearly rate × the draw's share.
        raised: Candidates of the class whose rate a list or a 风险预警 flag raised above
            ``rate``.
        drawn: The sample size ``ceil(Σ r)`` (see the module's method).
    """

    code: str
    pool: int
    rate: float
    raised: int
    drawn: int


@dataclass(frozen=True, slots=True)
class DrawOutcome:
    """What :func:`run_draw` answers.

    Attributes:
        tasks: The tasks in draw order.
        classes: Every class of the policy (and :data:`UNGRADED`), in the policy's order.
        raised: USCC → rate, for every candidate whose rate a list or a 风险预警 flag raised
            above its class's.
    """

    tasks: list[DrawnTask]
    classes: list[ClassSample]
    raised: dict[str, float]


def seed_int(seed: str) -> int:
    """The integer that seeds the draw's generator (SHA-256 of the UTF-8 seed text).

    Args:
        seed: The draw's published seed.
    """
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")


def is_active_status(status: Any) -> bool:
    """Whether an entity with this registry status can be inspected.

    Args:
        status: The ``status`` field (e.g. 存续, 在业, 吊销，未注销, 注销).
    """
    return not any(word in str(status or "") for word in EXCLUDED_STATUS_WORDS)


def select_candidates(
    rows: Iterable[Mapping[str, Any]],
    *,
    region_code: str | None = None,
    industry: str | None = None,
    grades: Mapping[str, str] | None = None,
    lists: Mapping[str, Iterable[str]] | None = None,
) -> list[Candidate]:
    """Turn entity records into draw candidates, applying the draw's filters.

    Args:
        rows: Fields of ``entities`` records (``uscc``, ``name``, ``region_code``, ``industry``,
            ``status``, ``credit_grade``).
        region_code: Keep entities of this division (and of the abolished ones merged into it).
        industry: Keep entities whose ``industry`` is exactly this.
        grades: USCC → grade from the ``credit_grades`` collection; wins over the entity's own
            ``credit_grade`` field, which may be older.
        lists: USCC → codes of the lists in force on the entity.

    Returns:
        Candidates sorted by USCC, one per USCC.
    """
    found: dict[str, Candidate] = {}
    for row in rows:
        uscc = row.get("uscc")
        if not isinstance(uscc, str) or not uscc or uscc in found:
            continue
        if not is_active_status(row.get("status")):
            continue
        if region_code and not region_covers(region_code, row.get("region_code")):
            continue
        if industry is not None and row.get("industry") != industry:
            continue
        grade = (grades or {}).get(uscc) or row.get("credit_grade") or None
        on = tuple(sorted({str(code) for code in (lists or {}).get(uscc, ()) if code}))
        found[uscc] = Candidate(uscc, str(row.get("name") or ""), grade and str(grade), on)
    return [found[k] for k in sorted(found)]


def candidate_digest(candidates: Iterable[Candidate]) -> str:
    """SHA-256 over the sorted ``uscc:grade:list,list`` lines: which registry a draw ran on.

    The lists are part of it because they raise rates: a listing made since the draw changes
    the digest as a regrading does.

    Args:
        candidates: The draw's candidates.
    """
    digest = hashlib.sha256()
    for c in sorted(candidates, key=lambda c: c.uscc):
        digest.update(f"{c.uscc}:{c.grade or ''}:{','.join(c.lists)}\n".encode())
    return digest.hexdigest()


def class_code(policy: Policy, grade: str | None) -> str:
    """The class a grade falls in: the policy's code for it, else :data:`UNGRADED`.

    Args:
        policy: The policy in force (its grade scale).
        grade: The entity's risk class as recorded.
    """
    wanted = (grade or "").strip().upper()
    return wanted if any(g.code == wanted for g in policy.grades) else UNGRADED


def sample_size(rates: Sequence[float]) -> int:
    """``ceil(Σ rates)``, at least 1 when the sum is positive, at most ``len(rates)``.

    Args:
        rates: The per-entity rates of one class's pool.
    """
    total = round(math.fsum(rates), _EPSILON_DIGITS)
    if total <= 0:
        return 0
    return min(len(rates), max(1, math.ceil(total)))


def check_share(share: float) -> float:
    """The share as a float; raises :class:`DrawError` unless 0 < share ≤ 1."""
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise DrawError("本次抽取份额（share）须大于 0 且不超过 1，例如按季度抽查填 0.25。")
    return float(share)


def policy_inputs(policy: Policy) -> dict[str, Any]:
    """The part of ``policy`` a draw uses, as recorded in its inputs (JSON-ready).

    Args:
        policy: The policy in force.
    """
    return {
        "grade_rates": [{"code": g.code, "rate": g.rate} for g in policy.grades],
        "ungraded_rate": policy.ungraded_rate,
        "list_rate_factors": {code: rule.rate_factor for code, rule in policy.lists.items()},
        "policy_revisions": {
            name: int(policy.revisions.get(name, 0)) for name in (GRADE_SCALE, LIST_MEASURES)
        },
    }


def policy_from_inputs(inputs: Mapping[str, Any]) -> Policy:
    """The rates a recorded draw used, as a :class:`Policy` for :func:`run_draw` (a replay).

    Only what a draw reads is rebuilt (grade scale, ungraded rate, list rate factors); the
    window's parts are empty.

    Args:
        inputs: The draw's recorded inputs (:func:`policy_inputs` keys).

    Raises:
        DrawError: The inputs do not record rates (a draw of another method).
    """
    try:
        grades = tuple(GradeClass(str(g["code"]), float(g["rate"])) for g in inputs["grade_rates"])
        factors = {str(k): float(v) for k, v in inputs["list_rate_factors"].items()}
        ungraded = float(inputs["ungraded_rate"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise DrawError("该抽查批次没有记录各风险分类的抽查比例，无法重现。") from None
    revisions = inputs.get("policy_revisions")
    return Policy(
        lists={code: ListPolicy(code, code, "", rate_factor=f) for code, f in factors.items()},
        barred_grades=frozenset(),
        serious_penalty_blocks=False,
        breach_blocks=False,
        grades=grades,
        ungraded_rate=ungraded,
        revisions=dict(revisions) if isinstance(revisions, Mapping) else {},
    )


def risk_inputs(
    raises: Mapping[str, RateRaise], fired: Mapping[str, Sequence[str]], revision: int
) -> dict[str, Any]:
    """The 风险预警 part of a draw's recorded inputs (JSON-ready).

    Args:
        raises: USCC → the raise applied to the candidate.
        fired: USCC → the codes of the rules that flagged it.
        revision: The ``risk_rules`` policy revision evaluated.
    """
    return {
        "risk": {
            "revision": revision,
            "flags": {
                uscc: {"rules": list(fired.get(uscc, ())), **raises[uscc].to_json()}
                for uscc in sorted(raises)
            },
        }
    }


def raises_from_inputs(inputs: Mapping[str, Any]) -> dict[str, RateRaise]:
    """The raises a recorded draw applied (none for a draw made before 风险预警 existed).

    Raises:
        DrawError: The recorded raises are malformed.
    """
    risk = inputs.get("risk")
    if risk is None:
        return {}
    try:
        return {str(k): RateRaise.from_json(v) for k, v in risk["flags"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise DrawError("该抽查批次记录的风险预警提高比例不完整，无法重现。") from None


def _reverse(uscc: str) -> tuple[int, ...]:
    # nlargest keeps the largest keys; on a (practically impossible) key tie the smaller USCC wins.
    return tuple(-ord(ch) for ch in uscc)


def sample_classes(
    candidates: Sequence[Candidate],
    policy: Policy,
    share: float,
    rng: random.Random,
    raises: Mapping[str, RateRaise] | None = None,
) -> tuple[list[tuple[Candidate, float]], list[ClassSample], dict[str, float]]:
    """Sample every class at its rate (method steps 2, 3 and 5).

    Args:
        candidates: Candidates in USCC order, one per USCC.
        policy: The rates.
        share: The share of the yearly rate this draw takes (0 < share ≤ 1).
        rng: The draw's generator; one ``u`` is taken per candidate, in order.
        raises: USCC → the 风险预警 raise of a flagged candidate.

    Returns:
        The drawn candidates with their rates (draw order), the classes, and the raised rates.
    """
    order = [g.code for g in policy.grades] + [UNGRADED]
    members: dict[str, list[tuple[float, str, Candidate, float]]] = {code: [] for code in order}
    class_rate = {g.code: g.rate * share for g in policy.grades}
    class_rate[UNGRADED] = policy.ungraded_rate * share
    raised: dict[str, float] = {}
    for candidate in candidates:
        u = 1.0 - rng.random()  # (0, 1]: log(u) is defined
        code = class_code(policy, candidate.grade)
        rate = policy.sampling_rate(candidate.grade, candidate.lists)
        flagged = (raises or {}).get(candidate.uscc)
        if flagged is not None:
            rate = flagged.apply(rate)
        rate *= share
        if rate > class_rate[code]:
            raised[candidate.uscc] = rate
        key = math.log(u) / rate if rate > 0 else -math.inf
        members[code].append((key, candidate.uscc, candidate, rate))
    chosen: list[tuple[Candidate, float]] = []
    classes: list[ClassSample] = []
    for code in order:
        pool = members[code]
        n = sample_size([item[3] for item in pool]) if class_rate[code] > 0 else 0
        best = heapq.nlargest(n, pool, key=lambda item: (item[0], _reverse(item[1])))
        chosen += [(item[2], item[3]) for item in best]
        classes.append(
            ClassSample(
                code=code,
                pool=len(pool),
                rate=class_rate[code],
                raised=sum(1 for item in pool if item[1] in raised),
                drawn=len(best),
            )
        )
    return chosen, classes, raised


def pair_inspectors(n: int, inspectors: Sequence[str], rng: random.Random) -> list[tuple[str, str]]:
    """``n`` pairs of two different inspectors with balanced load.

    Args:
        n: Number of tasks.
        inspectors: The eligible pool (duplicates are ignored).
        rng: The draw's generator.

    Raises:
        NotEnoughInspectors: Fewer than two distinct inspectors.
    """
    pool = sorted(set(inspectors))
    if len(pool) < 2:
        raise NotEnoughInspectors(
            f"可参与抽查的执法人员只有 {len(pool)} 名，每项任务需要两名不同的执法人员。"
            "请在该区域添加执法人员账户，或在请求中指定至少两名执法人员后重试。"
        )
    load = dict.fromkeys(pool, 0)
    pairs: list[tuple[str, str]] = []
    for _ in range(n):
        order = pool[:]
        rng.shuffle(order)
        order.sort(key=load.__getitem__)  # stable: ties keep the random order
        lead, partner = order[0], order[1]
        load[lead] += 1
        load[partner] += 1
        pairs.append((lead, partner))
    return pairs


def run_draw(
    candidates: Sequence[Candidate],
    inspectors: Sequence[str],
    *,
    policy: Policy,
    share: float = 1.0,
    seed: str,
    max_tasks: int = MAX_TASKS,
    raises: Mapping[str, RateRaise] | None = None,
) -> DrawOutcome:
    """Make a 双随机 draw: deterministic for the same candidates, inspectors, rates and seed.

    Args:
        candidates: Entities that may be drawn (any order; sorted and de-duplicated here).
        inspectors: Usernames of the eligible inspectors.
        policy: The rates (the ``grade_scale`` and ``list_measures`` policies in force, or
            :func:`policy_from_inputs` of a recorded draw).
        share: The share of the yearly rates this draw takes (0 < share ≤ 1).
        seed: The draw's seed text.
        max_tasks: Refuse a draw asking for more tasks than this.
        raises: USCC → the 风险预警 raise of a flagged candidate (:func:`raises_from_inputs`
            of a recorded draw).

    Returns:
        The tasks in draw order, the per-class figures and the raised rates.

    Raises:
        NotEnoughInspectors: Fewer than two distinct inspectors.
        NoCandidates: Nothing can be drawn.
        TooManyTasks: The rates ask for more than ``max_tasks`` tasks.
        DrawError: ``share`` out of range.
    """
    share = check_share(share)
    if len(set(inspectors)) < 2:
        pair_inspectors(0, inspectors, random.Random(0))  # noqa: S311 - raises the Chinese reason
    unique: dict[str, Candidate] = {}
    for c in sorted(candidates, key=lambda c: (c.uscc, c.grade or "", c.name, c.lists)):
        unique.setdefault(c.uscc, c)
    ordered = list(unique.values())
    rng = random.Random(seed_int(seed))  # noqa: S311 - reproducible by design, not a secret
    chosen, classes, raised = sample_classes(ordered, policy, share, rng, raises)
    if not chosen:
        raise NoCandidates(
            f"符合条件的市场主体共 {len(ordered)} 户，"
            "但按当前各风险分类的抽查比例没有可抽取的对象。"
            "请放宽区域或行业条件，或请管理员调整风险分类抽查比例后重试。"
        )
    if len(chosen) > max_tasks:
        raise TooManyTasks(
            f"按当前抽查比例本次需抽取 {len(chosen)} 户，超过单次抽查 {max_tasks} 户的上限。"
            "请缩小区域或行业范围，或减小本次抽取份额（share，如按季度抽查填 0.25）后重试。"
        )
    pairs = pair_inspectors(len(chosen), inspectors, rng)
    tasks = [
        DrawnTask(c.uscc, c.name, c.grade, pair, rate)
        for (c, rate), pair in zip(chosen, pairs, strict=True)
    ]
    return DrawOutcome(tasks=tasks, classes=classes, raised=raised)
