"""What a credit check at the service window concludes: 容缺受理 eligibility and its reasons.

Seed 一(一), 三(七)(九)(十); DOMAIN.md "Credit commitments", "Lists", "Persons":

* 容缺受理 is for applicants with good credit. It is refused, with the reason, to an entity
  on a list whose measures bar it (the serious-dishonesty list, 市场禁入 …: the city's
  ``list_measures`` policy), with a serious penalty still in publication, with an unrepaired
  breach or false commitment recorded at *any* hall (一处失信、处处受限), or whose risk class the
  platform found below the city's threshold (a standing entry: the window sees the answer,
  never the class).
* Its legal representative or principal counts too: a person under a 禁入 measure, or who
  represents an entity on a list that bars 容缺受理, bars it for the applicant (相关责任人).
* 重点关注 and 红名单 give cautions, not refusals (the policy's ``caution`` text).

The input is the entity's :class:`~desktop_app.domain.credit_record.PublicCreditRecord` — the
records the disclosure rules let the window see, the same the card shows and the report
prints — and the :class:`~desktop_app.domain.policy.Policy` in force. Integrity-education
attendance is deliberately not an input: it is never a precondition of anything (seed 一(二)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.credit_record import PublicCreditRecord
from desktop_app.domain.policy import Policy

__all__ = ["PersonMatch", "ToleranceEligibility", "tolerance_eligibility"]


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


@dataclass(frozen=True)
class PersonMatch:
    """The applicant's legal representative or principal, found under a measure elsewhere.

    Attributes:
        role: 法定代表人 or 主要负责人 (as printed).
        name: The person's name.
        id_masked: Their masked ID number.
        list_code: The list (policy code) that names them or their other entity.
        entity_name: The other entity they represent ("" when the person is listed in person).
    """

    role: str
    name: str
    id_masked: str
    list_code: str
    entity_name: str = ""


def _basis(record: Mapping[str, Any]) -> str:
    basis = str(record.get("basis") or "").strip()
    return f"（列入依据：{basis}）" if basis else ""


def _matters(entries: Sequence[Mapping[str, Any]]) -> str:
    names = {str(e.get("title") or "未载明事项") for e in entries}
    return "、".join(sorted(names))


def tolerance_eligibility(
    record: PublicCreditRecord, policy: Policy, persons: Sequence[PersonMatch] = ()
) -> ToleranceEligibility:
    """Decide whether 容缺受理 is open to the entity today, and why not.

    Args:
        record: The entity's public credit record (already filtered by the disclosure rules).
        policy: The credit policy in force (list measures, threshold).
        persons: Its legal representative or principal found under a measure.
    """
    reasons: list[str] = []
    cautions: list[str] = []
    for membership in record.lists:
        rule = policy.list_policy(str(membership.get("list") or ""))
        if rule.blocks_tolerance:
            reasons.append(
                f"该主体在{rule.name}内{_basis(membership)}，信用修复前不得适用容缺受理。"
            )
        elif rule.caution:
            cautions.append(rule.caution.rstrip("。") + _basis(membership) + "。")
    for person in persons:
        rule = policy.list_policy(person.list_code)
        if not rule.blocks_tolerance:
            continue
        who = f"{person.role}{person.name}（{person.id_masked}）"
        if person.entity_name:
            reasons.append(
                f"{who}同时是{rule.name}内主体“{person.entity_name}”的法定代表人或主要负责人，"
                "依法对相关责任人实施限制，不得适用容缺受理。"
            )
        else:
            reasons.append(f"{who}在{rule.name}内，不得适用容缺受理。")
    if policy.serious_penalty_blocks:
        serious = [p for p in record.penalties if str(p.get("severity")) in ("serious", "严重")]
        if serious:
            reasons.append(
                f"该主体有 {len(serious)} 条严重行政处罚仍在公示期内，信用状况不良，"
                "不适用容缺受理。"
            )
    breaches = record.breaches
    if policy.breach_blocks and breaches:
        reasons.append(
            f"该主体曾有虚假承诺或违背承诺的记录（{_matters(breaches)}），"
            "尚未完成信用修复，不得适用容缺受理（一处失信、处处受限）。"
        )
    for standing in record.standing:
        reasons.append(str(standing.get("reason") or "平台认定该主体不适用容缺受理。"))
    return ToleranceEligibility(not reasons, tuple(reasons), tuple(cautions))
