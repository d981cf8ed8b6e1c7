"""风险预警 on the platform: gather each entity's facts, evaluate the city's rules, flag.

The rules and their one evaluator are :mod:`desktop_app.domain.risk_rules` (the
``risk_rules`` policy, edited like the other policies). Here the platform reads the facts they
look at from its database, for the entities that have any — never the whole registry:

* **breaches**: ``dishonesty_records`` not repaired, not revoked after an objection and with a
  decision date, read through the public record's own rule
  (:func:`desktop_app.domain.credit_record.project`) with publication set aside — supervisors
  weigh an unpublished 轻微 breach too;
* **overdue warnings**: ``warnings`` whose rectification deadline (derived by the platform at
  push) has passed with no rectification on record: neither the warning's ``rectified`` mark
  nor a re-inspection of its inspection result that found no problem;
* **persons**: the entity's 法定代表人 / 主要负责人 found on a list named by a rule — named in
  person on a membership, or representing another entity on the list — matched by the one
  person rule (:func:`desktop_app.domain.person_id.same_person`: same name and same masked ID
  number) against memberships in force
  (:func:`desktop_app.domain.disclosure.membership_disclosed`), the facts the window's
  容缺受理 check uses (:class:`desktop_app.domain.window_rules.PersonMatch`).

:func:`risk_report` answers the supervisors' list (``GET /v1/risk-warnings``,
``credit-platform risk list``); :func:`draw_raises` gives a draw the raised rates of the flagged
candidates, recorded in the draw's inputs (:mod:`platform_server.draw_service`). Flags are
computed when asked, from the records as they are, so a repair or a rectification ends a flag
at once; nothing is stored and nothing reaches a window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, ColumnElement, cast, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_record as cr
from desktop_app.domain import risk_rules as rr
from desktop_app.domain.disclosure import DisclosureError, add_months, membership_disclosed
from desktop_app.domain.followup import rectified_results
from desktop_app.domain.person_id import mask_id_number, same_person
from desktop_app.domain.policy import Policy, policy_from_records
from desktop_app.domain.window_rules import PersonMatch
from platform_server.models import Record
from platform_server.records import loads
from platform_server.region_codes import region_covers
from platform_server.scopes import region_clause
from sync.protocol import Collection

__all__ = [
    "FlaggedEntity",
    "RiskReport",
    "draw_raises",
    "flags_json",
    "gather_facts",
    "risk_report",
]

_CHUNK = 1000
"""USCCs per ``IN`` query (keeps the statement small on both databases)."""

_NUMBERS = 20000
"""Listed persons' masked ID numbers per registry pass (bound parameters: within both
databases' limits; one pass for a city)."""


@dataclass(frozen=True)
class FlaggedEntity:
    """An entity with the rules that fired for it.

    Attributes:
        uscc: 统一社会信用代码.
        name: Registered name.
        region_code: The entity's division code.
        flags: The rules that fired, in the rule set's order, each with its explanation.
    """

    uscc: str
    name: str
    region_code: str | None
    flags: tuple[rr.Flag, ...]

    @property
    def effect(self) -> rr.RateRaise:
        """The combined raise of its flags (what a draw applies)."""
        return rr.raises_of(self.flags)[self.uscc]


@dataclass(frozen=True)
class RiskReport:
    """The supervisors' list of flagged entities.

    Attributes:
        as_of: The day the rules were evaluated on.
        revision: The ``risk_rules`` policy revision (0 = the built-in default).
        entities: Flagged entities, by USCC.
    """

    as_of: date
    revision: int
    entities: list[FlaggedEntity]


@dataclass(frozen=True)
class _Listed:
    """A person a list names: in person, or as the representative of a listed entity."""

    name: str
    id_masked: str
    list_code: str
    entity_name: str = ""
    entity_uscc: str = ""


def _policies(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Record.data).where(
            Record.collection == Collection.POLICIES.value, Record.deleted.is_(False)
        )
    )
    return [loads(text) for text in rows]


def _chunks(items: Iterable[str], size: int = _CHUNK) -> Iterator[list[str]]:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _json_text(session: Session, key: str) -> ColumnElement[Any]:
    """SQL: the text of top-level field ``key`` of ``records.data`` (both databases)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_extract_path_text(cast(Record.data, JSON), key)
    return func.json_extract(Record.data, f"$.{key}")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _forms(session: Session, collection: str) -> Iterator[tuple[str, dict[str, Any]]]:
    rows = session.execute(
        select(Record.record_id, Record.data).where(
            Record.collection == collection, Record.deleted.is_(False)
        )
    )
    for record_id, text in rows:
        fields = loads(text)
        if isinstance(fields, dict):
            yield record_id, fields


def _entry(collection: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The public record's reading of a form, publication set aside (supervisors see all)."""
    return cr.project(collection, record_id, {**fields, "publishable": True, "publish": True})


def _breaches(session: Session, since: date, today: date) -> dict[str, list[rr.BreachFact]]:
    found: dict[str, list[rr.BreachFact]] = defaultdict(list)
    for record_id, fields in _forms(session, Collection.DISHONESTY_RECORDS.value):
        entry = _entry(Collection.DISHONESTY_RECORDS.value, record_id, fields)
        decided = _day(entry.get("decided_on")) if entry else None
        if entry is None or decided is None or not since <= decided <= today:
            continue
        severity = str(entry.get("severity") or "general")
        found[str(entry["uscc"])].append(rr.BreachFact(record_id, decided, severity))
    return found


def _rectified_results(session: Session, usccs: Iterable[str]) -> set[str]:
    """Inspection results a later re-inspection found rectified (the follow-up rule)."""
    done: set[str] = set()
    for chunk in _chunks(usccs):
        rows = session.scalars(
            select(Record.data).where(
                Record.collection == Collection.INSPECTION_RESULTS.value,
                Record.entity_uscc.in_(chunk),
                Record.deleted.is_(False),
            )
        )
        done |= rectified_results(f for f in map(loads, rows) if isinstance(f, dict))
    return done


def _warnings(
    session: Session, since: date, today: date, usccs: set[str]
) -> dict[str, list[rr.WarningFact]]:
    """Overdue-looking warnings of ``usccs`` (the entities a breach makes relevant)."""
    late: dict[str, list[tuple[rr.WarningFact, str]]] = defaultdict(list)
    for record_id, fields in _forms(session, Collection.WARNINGS.value):
        entry = _entry(Collection.WARNINGS.value, record_id, fields)
        if entry is None or str(entry.get("uscc")) not in usccs:
            continue
        issued = _day(entry.get("decided_on"))
        if issued is None or not since <= issued <= today:
            continue
        fact = rr.WarningFact(
            record_id, issued, _day(entry.get("deadline")), entry.get("rectified") is True
        )
        if fact.overdue(today):
            late[str(entry["uscc"])].append((fact, str(fields.get("result_id") or "")))
    done = _rectified_results(session, late) if late else set()
    return {
        uscc: [f for f, result in items if not (result and result in done)]
        for uscc, items in late.items()
    }


def _entities(session: Session, usccs: Iterable[str]) -> dict[str, tuple[dict[str, Any], str]]:
    """USCC → (entity fields, region code) from the registry."""
    found: dict[str, tuple[dict[str, Any], str]] = {}
    for chunk in _chunks(usccs):
        rows = session.execute(
            select(Record.entity_uscc, Record.region_code, Record.data).where(
                Record.collection == Collection.ENTITIES.value,
                Record.entity_uscc.in_(chunk),
                Record.deleted.is_(False),
            )
        )
        for uscc, region, text in rows:
            fields = loads(text)
            if uscc and isinstance(fields, dict):
                found[uscc] = (fields, region or str(fields.get("region_code") or ""))
    return found


def _listed_persons(session: Session, lists: set[str], today: date) -> list[_Listed]:
    """Everyone a list in ``lists`` names today: in person, or representing a listed entity."""
    persons: list[_Listed] = []
    listed_entities: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(Record.entity_uscc, Record.data).where(
            Record.collection == Collection.LIST_MEMBERSHIPS.value, Record.deleted.is_(False)
        )
    )
    for entity_uscc, text in rows:
        fields = loads(text)
        code = fields.get("list") if isinstance(fields, dict) else None
        if code not in lists:
            continue
        try:
            if not membership_disclosed(fields, today):
                continue
        except DisclosureError:
            continue  # a malformed membership is not in force (the draw's rule too)
        name, number = str(fields.get("person_name") or ""), str(fields.get("person_id") or "")
        if name.strip() and number:
            persons.append(_Listed(name.strip(), mask_id_number(number), str(code)))
            continue
        uscc = str(fields.get("uscc") or entity_uscc or "")
        if uscc:
            listed_entities[uscc].add(str(code))
    for uscc, (fields, _region) in _entities(session, listed_entities).items():
        for role in rr.ROLE_LABELS:
            name, number = str(fields.get(role) or ""), str(fields.get(f"{role}_id") or "")
            if not name.strip() or not number:
                continue
            for code in sorted(listed_entities[uscc]):
                persons.append(
                    _Listed(
                        name.strip(),
                        mask_id_number(number),
                        code,
                        str(fields.get("name") or uscc),
                        uscc,
                    )
                )
    return persons


def _persons(
    session: Session,
    rules: Sequence[rr.RiskRule],
    today: date,
    region_code: str | None,
) -> tuple[dict[str, list[PersonMatch]], dict[str, tuple[dict[str, Any], str]]]:
    """USCC → its representatives found on a rule's list; and those entities' registry rows."""
    lists = {code for r in rules for code in r.lists}
    roles = sorted({role for r in rules for role in r.roles})
    if not lists or not roles:
        return {}, {}
    listed = _listed_persons(session, lists, today)
    if not listed:
        return {}, {}
    # Masked number → name → the listings naming that person (one same_person call per pair).
    by_number: dict[str, dict[str, list[_Listed]]] = defaultdict(lambda: defaultdict(list))
    for person in listed:
        by_number[person.id_masked][person.name].append(person)
    # One pass over the registry per role, comparing only the stored masked number (extracted
    # by the database) with the listed ones; then just those entities are read in full.
    found: set[str] = set()
    for role in roles:
        number_of = _json_text(session, f"{role}_id")
        for chunk in _chunks(by_number, _NUMBERS):
            stmt = select(Record.entity_uscc).where(
                Record.collection == Collection.ENTITIES.value,
                Record.deleted.is_(False),
                number_of.in_(chunk),
            )
            if region_code:
                stmt = stmt.where(region_clause(Record.region_code, region_code))
            found.update(u for u in session.scalars(stmt) if u)
    rows_of = _entities(session, found)
    matches: dict[str, list[PersonMatch]] = {}
    for uscc, (fields, _region) in sorted(rows_of.items()):
        found_here: dict[PersonMatch, None] = {}  # ordered and without repeats
        for role in roles:
            name, number = str(fields.get(role) or ""), str(fields.get(f"{role}_id") or "")
            masked = mask_id_number(number) if number else ""
            for listed_name, listings in by_number.get(masked, {}).items():
                if not same_person(name, masked, listed_name, masked):
                    continue  # the one rule: same name AND same masked number
                for person in listings:
                    if person.entity_uscc == uscc:
                        continue  # the entity's own listing is a list measure, not this rule
                    match = PersonMatch(
                        rr.ROLE_LABELS[role],
                        name.strip(),
                        masked,
                        person.list_code,
                        person.entity_name,
                    )
                    found_here[match] = None
        if found_here:
            matches[uscc] = list(found_here)
    return matches, rows_of


def gather_facts(
    session: Session,
    rules: Sequence[rr.RiskRule],
    today: date,
    region_code: str | None = None,
) -> list[rr.EntityFacts]:
    """The facts of every entity a rule could fire for (those with any fact at all).

    Args:
        session: Any transaction.
        rules: The rules in force (only what enabled rules look at is read).
        today: The evaluation day.
        region_code: Only entities of this region (None: the whole city).
    """
    active = [r for r in rules if r.enabled]
    by_kind = {kind: [r for r in active if r.kind == kind] for kind in rr.KINDS}
    dated = by_kind[rr.REPEAT_BREACHES] + by_kind[rr.BREACH_AND_OVERDUE_WARNING]
    breaches: dict[str, list[rr.BreachFact]] = {}
    warnings: dict[str, list[rr.WarningFact]] = {}
    if dated:
        since = add_months(today, -max(r.months for r in dated))
        breaches = _breaches(session, since, today)
    if by_kind[rr.BREACH_AND_OVERDUE_WARNING] and breaches:
        months = max(r.months for r in by_kind[rr.BREACH_AND_OVERDUE_WARNING])
        warnings = _warnings(session, add_months(today, -months), today, set(breaches))
    persons, rows = _persons(session, by_kind[rr.REPRESENTATIVE_ON_LIST], today, region_code)
    wanted = set(breaches) | set(persons)
    rows.update(_entities(session, wanted - set(rows)))
    facts: list[rr.EntityFacts] = []
    for uscc in sorted(wanted):
        fields, region = rows.get(uscc, ({}, ""))
        region = region or uscc[2:8]  # an entity missing from the registry: its code's division
        if region_code and not region_covers(region_code, region):
            continue
        facts.append(
            rr.EntityFacts(
                uscc=uscc,
                name=str(fields.get("name") or ""),
                region_code=region,
                breaches=tuple(breaches.get(uscc, ())),
                warnings=tuple(warnings.get(uscc, ())),
                persons=tuple(persons.get(uscc, ())),
            )
        )
    return facts


def _list_names(policy: Policy) -> dict[str, str]:
    return {code: rule.name for code, rule in policy.lists.items()}


def risk_report(session: Session, today: date, region_code: str | None = None) -> RiskReport:
    """The flagged entities of ``region_code`` (None: the city) on ``today``.

    Args:
        session: Any transaction.
        today: The evaluation day (China date).
        region_code: The region the caller may see (a supervisor's own, or a part of it).
    """
    records = _policies(session)
    rule_set = rr.rules_from_records(records)
    facts = gather_facts(session, rule_set.rules, today, region_code)
    flags = rr.evaluate(facts, rule_set.rules, today, _list_names(policy_from_records(records)))
    grouped: dict[str, list[rr.Flag]] = defaultdict(list)
    for flag in flags:
        grouped[flag.uscc].append(flag)
    entities = [
        FlaggedEntity(uscc, found[0].name, found[0].region_code, tuple(found))
        for uscc, found in sorted(grouped.items())
    ]
    return RiskReport(today, rule_set.revision, entities)


def draw_raises(
    session: Session, today: date, region_code: str | None, usccs: Iterable[str]
) -> tuple[dict[str, rr.RateRaise], dict[str, list[str]], int]:
    """What the early warning does to a draw: the raised rates of its flagged candidates.

    Args:
        session: The draw's transaction.
        today: The draw date.
        region_code: The draw's region.
        usccs: The draw's candidates (flags of others are dropped).

    Returns:
        USCC → the combined raise, USCC → the codes of the rules that fired, and the
        ``risk_rules`` revision evaluated.
    """
    wanted = set(usccs)
    report = risk_report(session, today, region_code)
    raises = {e.uscc: e.effect for e in report.entities if e.uscc in wanted}
    fired = {e.uscc: [f.rule.code for f in e.flags] for e in report.entities if e.uscc in wanted}
    return raises, fired, report.revision


def flags_json(entity: FlaggedEntity) -> Mapping[str, Any]:
    """One flagged entity as the API and the CLI show it."""
    effect = entity.effect
    return {
        "uscc": entity.uscc,
        "entity_name": entity.name,
        "region_code": entity.region_code,
        "raise_to": effect.floor,
        "rate_factor": effect.factor,
        "rules": [
            {
                "code": f.rule.code,
                "kind": f.rule.kind,
                "label": f.rule.label,
                "explanation": f.explanation,
                "raise_to": f.rule.effect.floor,
                "rate_factor": f.rule.effect.factor,
            }
            for f in entity.flags
        ],
    }
