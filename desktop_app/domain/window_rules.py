"""What a credit check at the service window concludes: list measures and 容缺受理 eligibility.

Seed 一(一), 三(七)(九); DOMAIN.md "Credit commitments" and "Lists":

* 红名单 (守信联合激励): 绿色通道, priority handling, 容缺受理 preferred.
* 严重失信主体名单 (失信联合惩戒): restrictions; no 容缺受理, and 告知承诺 only with care,
  until repaired.
* 重点关注对象名单: closer checks, in proportion; 容缺受理 stays possible, with care.
* 容缺受理 is for applicants with good credit: not for an entity with bad credit (the lowest
  risk class of its scale, or a serious penalty still published), on the serious-dishonesty
  list, or with an earlier false commitment or breach that has not been repaired.

Inputs are plain records (mappings as the store keeps them), so the rule has one definition
for every caller. Integrity-education attendance is deliberately not an input: it is never a
precondition of anything (seed 一(二)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_app.domain import disclosure

__all__ = [
    "LIST_CATEGORIES",
    "LIST_MEASURES",
    "ToleranceEligibility",
    "active_lists",
    "tolerance_eligibility",
    "unrepaired_breaches",
]

LIST_CATEGORIES: Mapping[str, str] = {
    "red": "守信激励",
    "serious_dishonesty": "失信惩戒",
    "key_attention": "重点关注",
}
"""The kind of measure each list implies (the card's colour follows it)."""

LIST_MEASURES: Mapping[str, tuple[str, ...]] = {
    "red": (
        "开通绿色通道，优先受理、优先办理",
        "可优先适用容缺受理和告知承诺",
        "在日常监管中适当降低抽查比例和频次",
    ),
    "serious_dishonesty": (
        "不适用容缺受理，信用修复前审慎适用告知承诺",
        "依法依规限制参与招标投标、政府采购",
        "从严审核行政许可，限制享受财政资金、税收优惠等政策",
        "纳入重点监管，提高抽查比例和频次",
    ),
    "key_attention": (
        "对申请材料加强核查，必要时开展现场核查",
        "适当提高抽查比例和频次",
        "容缺受理、告知承诺审慎适用，加强事中事后核查",
    ),
}
"""Measures at the window and in supervision, by list (seed 三(七)(九))."""

LOWEST_GRADES = frozenset({"D", "E"})
"""The worst risk class of an A–D or A–E scale: bad credit for 容缺受理."""

BREACH_STATUSES = frozenset({"breached", "verified_false"})


@dataclass(frozen=True)
class ToleranceEligibility:
    """Whether the entity may use 容缺受理 now.

    Attributes:
        allowed: May use it.
        reasons: Why not (empty when allowed), each a Chinese sentence for the window clerk.
        cautions: Points to mind even when allowed (e.g. on the key-attention list).
    """

    allowed: bool
    reasons: tuple[str, ...]
    cautions: tuple[str, ...]


def active_lists(memberships: Sequence[Mapping[str, Any]], today: date) -> list[Mapping[str, Any]]:
    """The list memberships in force on ``today`` (malformed ones are left out)."""
    found = []
    for record in memberships:
        try:
            if disclosure.membership_disclosed(record, today):
                found.append(record)
        except disclosure.DisclosureError:
            continue
    return found


def _repaired_breach_ids(dishonesty: Sequence[Mapping[str, Any]]) -> set[str]:
    return {
        str(r.get("source_id"))
        for r in dishonesty
        if r.get("repaired") and r.get("source_id") is not None
    }


def unrepaired_breaches(
    commitments: Sequence[Mapping[str, Any]], dishonesty: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Breaches and false commitments of the entity that are not repaired.

    A breached or falsely made commitment counts until the dishonesty record made for it
    (``source_id`` = the commitment's ``record_id``) says ``repaired``. A dishonesty record
    whose commitment this device does not hold (made at another hall) counts on its own
    until it is repaired.

    Args:
        commitments: The entity's commitments; each carries its ``record_id``.
        dishonesty: The entity's dishonesty records (失信记录).
    """
    repaired = _repaired_breach_ids(dishonesty)
    known = {str(c.get("record_id")) for c in commitments}
    found: list[Mapping[str, Any]] = [
        c
        for c in commitments
        if c.get("status") in BREACH_STATUSES
        and not c.get("repaired")
        and str(c.get("record_id")) not in repaired
    ]
    found += [
        r for r in dishonesty if not r.get("repaired") and str(r.get("source_id")) not in known
    ]
    return found


def _serious_penalties(penalties: Sequence[Mapping[str, Any]], today: date) -> int:
    count = 0
    for record in penalties:
        try:
            severity = disclosure.parse_severity(record.get("severity", "general"))
            if severity is disclosure.Severity.SERIOUS and disclosure.penalty_disclosed(
                record, today
            ):
                count += 1
        except disclosure.DisclosureError:
            continue
    return count


def tolerance_eligibility(
    *,
    memberships: Sequence[Mapping[str, Any]],
    risk_grade: str | None,
    penalties: Sequence[Mapping[str, Any]],
    commitments: Sequence[Mapping[str, Any]],
    dishonesty: Sequence[Mapping[str, Any]],
    today: date,
) -> ToleranceEligibility:
    """Decide whether 容缺受理 is open to the entity today, and why not.

    Args:
        memberships: Its list memberships (any status; only active ones count).
        risk_grade: Its internal risk class (A–D or A–E), if known.
        penalties: Its administrative penalties (only serious ones in publication count).
        commitments: Its commitments, each with its ``record_id``.
        dishonesty: Its dishonesty records (失信记录).
        today: The day of the check.
    """
    reasons: list[str] = []
    cautions: list[str] = []
    lists = active_lists(memberships, today)
    for record in lists:
        which = record.get("list")
        basis = str(record.get("basis") or "").strip()
        on_basis = f"（列入依据：{basis}）" if basis else ""
        if which == "serious_dishonesty":
            reasons.append(f"该主体在严重失信主体名单内{on_basis}，信用修复前不得适用容缺受理。")
        elif which == "key_attention":
            cautions.append(
                f"该主体在重点关注对象名单内{on_basis}：可以容缺受理，但应加强材料核查和事后核查。"
            )
        elif which == "red":
            cautions.append("该主体在守信激励对象名单（红名单）内：可优先适用容缺受理。")
    grade = (risk_grade or "").strip().upper()
    if grade in LOWEST_GRADES:
        reasons.append("该主体信用状况差（监管风险分类为最低等级，仅供内部掌握），不适用容缺受理。")
    serious = _serious_penalties(penalties, today)
    if serious:
        reasons.append(
            f"该主体有 {serious} 条严重行政处罚仍在公示期内，信用状况不良，不适用容缺受理。"
        )
    breaches = unrepaired_breaches(commitments, dishonesty)
    if breaches:
        matters = "、".join(
            sorted({str(b.get("matter") or b.get("evidence") or "未载明事项") for b in breaches})
        )
        reasons.append(
            f"该主体曾有虚假承诺或违背承诺的记录（{matters}），尚未完成信用修复，不得适用容缺受理。"
        )
    return ToleranceEligibility(not reasons, tuple(reasons), tuple(cautions))
