"""双随机 draw, the pure part: pick entities by credit grade, pair each with two inspectors.

"双随机" means both the inspected entities and the inspectors are drawn at random (seed (六):
combined with graded supervision, so riskier grades are drawn more often). Everything here is
deterministic given the seed and inputs, and touches no database, so anyone holding the
published seed, inputs and the registry snapshot (checked by :func:`candidate_digest`) can rerun
:func:`run_draw` and get the same tasks.

Method:

1. Candidates are sorted by USCC and de-duplicated, so the database's row order never matters.
2. A :class:`random.Random` is seeded with the SHA-256 of the seed text (stable across Python
   versions and processes, unlike ``hash()``).
3. Entities: weighted sampling without replacement by Efraimidis–Spirakis: every candidate, in
   USCC order, gets ``u = 1 - rng.random()`` in (0, 1] and the key ``log(u) / w`` where ``w`` is
   the sampling ratio of its grade; the ``count`` largest keys win (ties by USCC). Weight 0 never
   wins. A ``u`` is drawn for every candidate, weight 0 included, so changing one grade's ratio
   does not reshuffle the keys of the others.
4. Inspectors: for each drawn entity in order, the pool is shuffled with the same ``rng`` and
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

from platform_server.region_codes import region_covers

UNGRADED = "未分级"
"""Ratio key for entities without a credit grade."""

DEFAULT_GRADE_RATIOS: dict[str, float] = {"A": 0.05, "B": 0.20, "C": 0.60, "D": 1.0, UNGRADED: 0.20}
"""DOMAIN.md's local example (upper bound of each band); ungraded entities are treated like B,
the ordinary once-a-year case. A request's ``grade_ratios`` replaces this table entirely."""

EXCLUDED_STATUS_WORDS = ("注销", "吊销", "撤销", "迁出")
"""Statuses containing these words are not in the market any more (or not ours to inspect)."""


class DrawError(ValueError):
    """A draw cannot be made with these inputs; ``str(error)`` is a Chinese reason."""


class NotEnoughInspectors(DrawError):  # noqa: N818 - named for the situation, like CalendarUnknown
    """Fewer than two distinct inspectors are eligible."""


class NoCandidates(DrawError):  # noqa: N818
    """No entity can be drawn (none match, or every matching grade has ratio 0)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity that may be drawn.

    Attributes:
        uscc: 统一社会信用代码.
        name: Registered name.
        grade: Credit grade (A/B/C/D…), ``None`` when ungraded.
    """

    uscc: str
    name: str
    grade: str | None


@dataclass(frozen=True, slots=True)
class DrawnTask:
    """One drawn entity and its two inspectors (lead first)."""

    uscc: str
    name: str
    grade: str | None
    inspectors: tuple[str, str]


def seed_int(seed: str) -> int:
    """The integer that seeds the draw's generator (SHA-256 of the UTF-8 seed text).

    Args:
        seed: The draw's published seed.
    """
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")


def effective_ratios(ratios: Mapping[str, float] | None) -> dict[str, float]:
    """The ratio table a draw uses: the request's (replacing the default) or the default.

    Args:
        ratios: Grade → sampling ratio in [0, 1], or ``None`` for :data:`DEFAULT_GRADE_RATIOS`.

    Raises:
        DrawError: A ratio is outside [0, 1] or not a number.
    """
    table = dict(DEFAULT_GRADE_RATIOS if ratios is None else ratios)
    for grade, ratio in table.items():
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
            raise DrawError(f"等级“{grade}”的抽查比例须为 0 到 1 之间的数，请修改后重试。")
    return {str(k): float(v) for k, v in sorted(table.items())}


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
) -> list[Candidate]:
    """Turn entity records into draw candidates, applying the draw's filters.

    Args:
        rows: Fields of ``entities`` records (``uscc``, ``name``, ``region_code``, ``industry``,
            ``status``, ``credit_grade``).
        region_code: Keep entities of this division (and of the abolished ones merged into it).
        industry: Keep entities whose ``industry`` is exactly this.
        grades: USCC → grade from the ``credit_grades`` collection; wins over the entity's own
            ``credit_grade`` field, which may be older.

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
        found[uscc] = Candidate(uscc, str(row.get("name") or ""), grade and str(grade))
    return [found[k] for k in sorted(found)]


def candidate_digest(candidates: Iterable[Candidate]) -> str:
    """SHA-256 over the sorted ``uscc:grade`` lines: proves which registry a draw ran on.

    Args:
        candidates: The draw's candidates.
    """
    digest = hashlib.sha256()
    for c in sorted(candidates, key=lambda c: c.uscc):
        digest.update(f"{c.uscc}:{c.grade or ''}\n".encode())
    return digest.hexdigest()


def sample_entities(
    candidates: Sequence[Candidate],
    count: int,
    ratios: Mapping[str, float],
    rng: random.Random,
) -> list[Candidate]:
    """Weighted sampling without replacement (Efraimidis–Spirakis), weights = grade ratios.

    Args:
        candidates: Candidates in USCC order (see :func:`select_candidates`).
        count: How many to draw at most.
        ratios: Grade → ratio; a grade missing from the table weighs 0.
        rng: The draw's generator.

    Returns:
        Up to ``count`` candidates, highest key first.
    """
    keyed: list[tuple[float, str, Candidate]] = []
    for candidate in candidates:
        u = 1.0 - rng.random()  # (0, 1]: log(u) is defined
        weight = ratios.get(candidate.grade or UNGRADED, 0.0)
        if weight > 0:
            keyed.append((math.log(u) / weight, candidate.uscc, candidate))
    best = heapq.nlargest(count, keyed, key=lambda item: (item[0], _reverse(item[1])))
    return [item[2] for item in best]


def _reverse(uscc: str) -> tuple[int, ...]:
    # nlargest keeps the largest keys; on a (practically impossible) key tie the smaller USCC wins.
    return tuple(-ord(ch) for ch in uscc)


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
    count: int,
    grade_ratios: Mapping[str, float] | None,
    seed: str,
) -> list[DrawnTask]:
    """Make a 双随机 draw: deterministic for the same candidates, inspectors, inputs and seed.

    Args:
        candidates: Entities that may be drawn (any order; sorted and de-duplicated here).
        inspectors: Usernames of the eligible inspectors.
        count: How many entities to draw (fewer when fewer have a positive ratio).
        grade_ratios: Grade → sampling ratio; ``None`` for :data:`DEFAULT_GRADE_RATIOS`.
        seed: The draw's seed text.

    Returns:
        The tasks, in draw order.

    Raises:
        NotEnoughInspectors: Fewer than two distinct inspectors.
        NoCandidates: Nothing can be drawn.
        DrawError: ``count`` < 1 or a ratio is out of range.
    """
    if count < 1:
        raise DrawError("抽取数量至少为 1，请修改后重试。")
    ratios = effective_ratios(grade_ratios)
    if len(set(inspectors)) < 2:
        pair_inspectors(0, inspectors, random.Random(0))  # noqa: S311 - raises the Chinese reason
    unique: dict[str, Candidate] = {}
    for c in sorted(candidates, key=lambda c: (c.uscc, c.grade or "", c.name)):
        unique.setdefault(c.uscc, c)
    ordered = list(unique.values())
    rng = random.Random(seed_int(seed))  # noqa: S311 - reproducible by design, not a secret
    chosen = sample_entities(ordered, count, ratios, rng)
    if not chosen:
        raise NoCandidates(
            f"符合条件的市场主体共 {len(ordered)} 户，"
            "但按当前各信用等级的抽查比例没有可抽取的对象。"
            "请放宽区域或行业条件，或调整抽查比例后重试。"
        )
    pairs = pair_inspectors(len(chosen), inspectors, rng)
    return [DrawnTask(c.uscc, c.name, c.grade, pair) for c, pair in zip(chosen, pairs, strict=True)]
