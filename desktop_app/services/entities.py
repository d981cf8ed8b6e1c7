"""主体查询: look an entity up by USCC, name, or pasted licence text, offline on the cache."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import credit_record, disclosure, person_id, window_rules
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.clock import china_today
from desktop_app.domain.policy import Policy
from desktop_app.domain.regions import region_name
from desktop_app.domain.window_rules import PersonMatch, ToleranceEligibility
from desktop_app.services import entity_records
from desktop_app.services.calendar import local_policy
from desktop_app.services.errors import ServiceError
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import (
    DEFAULT_SEARCH_LIMIT,
    PERSON_LOOKUP_LIMIT,
    EntityRepository,
)
from desktop_app.store.models import Entity, UsccOverride
from desktop_app.store.outbox import Outbox

# Fifteen or more letters and digits and nothing else reads as an attempt at a code, not a name.
_CODE_ATTEMPT = re.compile(r"[0-9A-Z]{15,}")

LookupKind = Literal["empty", "uscc", "invalid_uscc", "name", "person"]
_ID_LIKE = re.compile(r"[0-9]{6}(?:[0-9]{8}|\*{8})[0-9]{3}[0-9X]")


@dataclass(frozen=True)
class LookupResult:
    """What a query found.

    ``kind`` is ``uscc`` for a valid code (``ids`` holds its entity when cached),
    ``invalid_uscc`` for a code that fails its checks (``problems`` says where; ``ids`` may
    still hold a cached entity with exactly that code), ``name`` for a name search.
    """

    kind: LookupKind
    query: str
    code: str | None
    ids: tuple[int, ...]
    truncated: bool
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    overridable: bool = False


@dataclass(frozen=True)
class EntityRow:
    """One line of the result list."""

    id: int
    uscc: str
    name: str
    legal_representative: str
    region: str
    status: str


@dataclass(frozen=True)
class ListMembership:
    """A list the entity is on, with the basis for it and what it means at the window."""

    list_code: str
    list_name: str
    basis: str
    since: str
    category: str = ""
    measures: tuple[str, ...] = ()
    decided_by: str = ""


@dataclass(frozen=True)
class CommitmentSummary:
    """One of the entity's commitments, as the credit check lists it."""

    record_id: str
    matter: str
    kind_label: str
    status_label: str
    signed_on: str
    deadline: str
    is_open: bool
    is_breach: bool
    authority: str = ""
    mark: str = ""
    here: bool = False
    shown_until: str = ""


@dataclass(frozen=True)
class WarningSummary:
    """A 失信警示 the entity received, with its rectification deadline."""

    issued_on: str
    content: str
    rectify_deadline: str
    mark: str = ""


@dataclass(frozen=True)
class RecordSummary:
    """A 失信记录 or an interview of the city-wide record, as the card lists it.

    Attributes:
        kind: ``dishonesty`` or ``interview``.
        title: What it is (违反信用承诺：事项, 提示约谈 …).
        decided_on: When it was decided or held.
        shown_until: The last day of its publication.
        authority: Who made it.
        severity: 轻微 / 一般 / 严重 (失信 only).
        content: Public text (warnings).
        deadline: A rectification deadline.
        mark: 异议处理中 / 信用修复办理中, or "".
    """

    kind: str
    title: str
    decided_on: str
    shown_until: str
    authority: str = ""
    severity: str = ""
    content: str = ""
    deadline: str = ""
    mark: str = ""


@dataclass(frozen=True)
class EntityCard:
    """Everything the entity card shows."""

    id: int
    uscc: str
    name: str
    legal_representative: str
    address: str
    region_code: str
    region: str
    industry: str
    status: str
    registration_authority: str
    entity_category: str
    lists: tuple[ListMembership, ...]
    version: int
    updated_at: datetime
    code_warnings: tuple[str, ...]
    commitments: tuple[CommitmentSummary, ...] = ()
    warnings: tuple[WarningSummary, ...] = ()
    records: tuple[RecordSummary, ...] = ()
    tolerance: ToleranceEligibility | None = None
    legal_representative_id: str = ""
    principal: str = ""
    principal_id: str = ""


@functools.lru_cache(maxsize=4096)
def _region(code: str) -> str:
    # Memoised: a result page names the same few dozen divisions a hundred times over.
    return region_name(code) or code


class EntityLookupService:
    """Offline lookups on the entity cache; viewing a card is audited."""

    def __init__(self, store: Store, actor: str = "local") -> None:
        self._store = store
        self.actor = actor

    def lookup(self, query: str, limit: int = DEFAULT_SEARCH_LIMIT) -> LookupResult:
        """Classify ``query`` (code, pasted text containing a code, or a name) and search.

        Args:
            query: What the user typed, pasted or scanned.
            limit: Most name matches to return.
        """
        query = query.strip()
        if not query:
            return LookupResult("empty", query, None, (), False)
        normalized = uscc_rules.normalize(query)
        attempt = _CODE_ATTEMPT.fullmatch(normalized) is not None
        code = normalized if attempt else uscc_rules.extract_uscc(query)
        if code is not None:
            check = uscc_rules.check_uscc(code)
            with self._store.read() as session:
                entity = EntityRepository(session).get_by_uscc(check.normalized)
            ids = (entity.id,) if entity else ()
            warnings = tuple(w.message for w in check.warnings)
            if check.ok:
                return LookupResult("uscc", query, check.normalized, ids, False, (), warnings)
            problems = tuple(p.message for p in check.problems)
            overridable = all(
                p.kind is uscc_rules.UsccProblemKind.CHECK_DIGIT for p in check.problems
            )
            return LookupResult(
                "invalid_uscc",
                query,
                check.normalized,
                ids,
                False,
                problems,
                warnings,
                overridable,
            )
        with self._store.read() as session:
            hits = EntityRepository(session).search_name(query, limit)
        return LookupResult("name", query, None, hits.ids, hits.truncated)

    def lookup_person(self, query: str) -> LookupResult:
        """Entities whose 法定代表人 or 主要负责人 is the person in ``query``.

        ``query`` is a name, optionally with the person's ID number (full or masked) after it:
        ``张三`` or ``张三 140403199001011234``. A full number is checked (GB 11643) and only its
        masked form is used and kept; it is never logged.

        Returns:
            ``kind`` ``person``; ``problems`` says what is wrong with a malformed number (then
            no search is made).
        """
        tokens = person_id.normalize_spaces(query).split()
        numbers = [t for t in tokens if _ID_LIKE.fullmatch(person_id.normalize(t))]
        name = "".join(t for t in tokens if t not in numbers)
        if not name:
            return LookupResult("empty", "", None, (), False)
        masked = ""
        if numbers:
            number = person_id.normalize(numbers[0])
            if not person_id.is_masked(number):
                try:
                    number = person_id.check_id_number(number)
                except person_id.PersonIdError as err:
                    return LookupResult("person", name, None, (), False, (str(err),))
            masked = person_id.mask_id_number(number)
        with self._store.write() as session:
            found = EntityRepository(session).find_by_person(name, masked)
            # Who looked whom up is audited, with the masked number only (never the full one).
            audit.append(
                session,
                actor=self.actor,
                action="person.looked_up",
                subject_type="person",
                subject_id=name,
                details={"id_masked": masked} if masked else {},
            )
        ids = tuple(dict.fromkeys(e.id for e, _role in found))
        label = f"{name}（{masked}）" if masked else name
        return LookupResult("person", label, None, ids, len(ids) >= PERSON_LOOKUP_LIMIT)

    def rows(self, ids: Sequence[int]) -> list[EntityRow]:
        """Display rows for ``ids``, in that order (a page of the result list)."""
        with self._store.read() as session:
            rows = EntityRepository(session).list_rows(ids)
        return [
            EntityRow(id_, uscc, name, legal, _region(region), status)
            for id_, uscc, name, legal, region, status in rows
        ]

    def count(self) -> int:
        """Entities in the cache."""
        with self._store.read() as session:
            return EntityRepository(session).count()

    def card(self, entity_id: int, purpose: str = "") -> EntityCard:
        """The credit check of one entity (its full card); who looked, when and why is audited.

        Args:
            entity_id: The cached entity.
            purpose: Why the clerk looks (查询事由), written to the audit log.

        Raises:
            ServiceError: The entity is not in the cache.
        """
        with self._store.write() as session:
            entity = session.get(Entity, entity_id)
            if entity is None:
                raise ServiceError.of("entity.not_cached")
            audit.append(
                session,
                actor=self.actor,
                action="entity.viewed",
                subject_type="entity",
                subject_id=entity.uscc,
                details={"purpose": purpose} if purpose else {},
            )
            return credit_check(session, entity)

    def record_uscc_override(self, code: str, reason: str) -> str:
        """Accept a code that fails only its check digit, keeping the reason.

        The override row, its outbox entry and its audit row commit together.

        Returns:
            The normalised code.

        Raises:
            ServiceError: The code has other problems, or the reason is missing.
        """
        try:
            normalized = uscc_rules.accept_with_override(code, reason)
        except uscc_rules.UsccError as exc:
            raise ServiceError(str(exc)) from exc
        override = UsccOverride(
            id=str(uuid.uuid4()),
            uscc=normalized,
            reason=reason.strip(),
            actor=self.actor,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
        with self._store.write() as session:
            session.add(override)
            Outbox(session).add(
                "uscc_overrides",
                override.id,
                "create",
                {"uscc": normalized, "reason": override.reason, "actor": self.actor},
            )
            audit.append(
                session,
                actor=self.actor,
                action="uscc.override",
                subject_type="uscc",
                subject_id=normalized,
                details={"reason": override.reason},
            )
        return normalized


def card_of(e: Entity) -> EntityCard:
    """The card of a cached entity row (no audit: callers audit their own use).

    Registration facts only: the credit record is added by :func:`credit_check`. There is no
    risk class on a card: classes are for supervisors (DOMAIN.md), the window gets the answer.
    """
    check = uscc_rules.check_uscc(e.uscc)
    try:
        info: uscc_rules.UsccInfo | None = uscc_rules.describe(e.uscc)
    except uscc_rules.UsccError:
        # A malformed code from the registry still shows its card, with the problems listed.
        info = None
    return EntityCard(
        id=e.id,
        uscc=e.uscc,
        name=e.name,
        legal_representative=e.legal_representative,
        address=e.address,
        region_code=e.region_code,
        region=_region(e.region_code),
        industry=e.industry,
        status=e.status,
        registration_authority=(info.department_name or "") if info else "",
        entity_category=(info.category_name or "") if info else "",
        lists=(),
        version=e.version,
        updated_at=e.updated_at,
        code_warnings=tuple(p.message for p in (*check.problems, *check.warnings)),
        legal_representative_id=e.legal_representative_id or "",
        principal=e.principal or "",
        principal_id=e.principal_id or "",
    )


def _list_membership(m: Mapping[str, Any], policy: Policy) -> ListMembership:
    code = str(m.get("list", ""))
    rule = policy.list_policy(code)
    return ListMembership(
        list_code=code,
        list_name=rule.name if rule.category else str(m.get("list_name") or code),
        basis=str(m.get("basis", "")),
        since=str(m.get("since", "")),
        category=rule.category,
        measures=rule.measures,
        decided_by=str(m.get("decided_by", "")),
    )


def _mark(entry: Mapping[str, Any]) -> str:
    if entry.get("objection") == credit_record.OBJECTION_PENDING:
        return "异议处理中"
    if entry.get("repair") == credit_record.REPAIR_APPLYING:
        return "信用修复办理中"
    return ""


def _commitment_summary(c: Mapping[str, Any]) -> CommitmentSummary:
    try:
        kind_label = cm.KIND_LABELS[cm.parse_kind(c.get("commitment_kind"))]
    except cm.CommitmentError:
        kind_label = str(c.get("commitment_kind") or "")
    status = str(c.get("status", ""))
    return CommitmentSummary(
        record_id=str(c.get("source_id", "")),
        matter=str(c.get("title", "")),
        kind_label=kind_label,
        status_label=str(c.get("status_label", "")),
        signed_on=str(c.get("decided_on") or ""),
        deadline=str(c.get("deadline") or ""),
        is_open=status in {s.value for s in cm.OPEN_STATUSES},
        is_breach=status in {s.value for s in cm.BREACH_STATUSES},
        authority=str(c.get("authority") or ""),
        mark=_mark(c),
        here=c.get(entity_records.HELD_HERE) is True,
        shown_until=str(c.get("shown_until") or ""),
    )


def _record_summary(e: Mapping[str, Any]) -> RecordSummary:
    severity = str(e.get("severity") or "")
    return RecordSummary(
        kind=str(e.get("kind", "")),
        title=str(e.get("title", "")),
        decided_on=str(e.get("decided_on") or ""),
        shown_until=str(e.get("shown_until") or ""),
        authority=str(e.get("authority") or ""),
        severity=disclosure.SEVERITY_LABELS.get(disclosure.parse_severity(severity), "")
        if severity in SEVERITIES
        else "",
        content=str(e.get("content") or ""),
        deadline=str(e.get("deadline") or ""),
        mark=_mark(e),
    )


SEVERITIES = frozenset(s.value for s in disclosure.Severity)


def person_matches(
    session: Session, entity: Entity, policy: Policy, today: date
) -> list[PersonMatch]:
    """The applicant's legal representative or principal under a measure that counts.

    A person counts when they represent another entity on a list whose measures bar 容缺受理,
    or are named in person on such a list (a 禁入 measure). Matching needs the same name AND
    the same masked ID number: a name alone is never enough (common names are shared).
    """
    people = [
        ("法定代表人", entity.legal_representative, entity.legal_representative_id),
        ("主要负责人", entity.principal, entity.principal_id),
    ]
    blocking = {code for code, rule in policy.lists.items() if rule.blocks_tolerance}
    found: list[PersonMatch] = []
    for role, name, id_masked in people:
        if not name or not id_masked:
            continue
        for other, other_role in EntityRepository(session).find_by_person(name, id_masked):
            them = (
                (other.legal_representative, other.legal_representative_id)
                if other_role == "legal_representative"
                else (other.principal, other.principal_id)
            )
            if other.uscc == entity.uscc or not person_id.same_person(name, id_masked, *them):
                continue  # the one rule: same name AND same masked number
            for m in entity_records.memberships(session, other):
                code = str(m.get("list") or "")
                if code in blocking and _in_force(m, today):
                    found.append(PersonMatch(role, name, id_masked, code, other.name))
        for m in entity_records.person_memberships(session, name, id_masked):
            code = str(m.get("list") or "")
            if code in blocking and _in_force(m, today):
                found.append(PersonMatch(role, name, id_masked, code))
    return found


def _in_force(membership: Mapping[str, Any], today: date) -> bool:
    try:
        return disclosure.membership_disclosed(membership, today)
    except disclosure.DisclosureError:
        return False


def credit_check(session: Session, entity: Entity, today: date | None = None) -> EntityCard:
    """Everything the window needs to know about an entity, city-wide, from the local store.

    Registration facts with the masked IDs of its legal representative and principal, the
    lists in force with the measures the city's policy gives them, the commitments (of every
    hall, with their public status), 失信 records, warnings and interviews the disclosure rules
    let the window see, and whether 容缺受理 is open to the entity now (with the reasons when it
    is not). Integrity-education attendance is not consulted: it is never a precondition.

    Args:
        session: A session on the store.
        entity: The cached entity.
        today: The day of the check (today when omitted).
    """
    today = today or china_today()
    policy = local_policy(session)
    record = entity_records.public_credit(session, entity, today)
    tolerance = window_rules.tolerance_eligibility(
        record, policy, person_matches(session, entity, policy, today)
    )
    commitments = [_commitment_summary(c) for c in record.commitments]
    # Open commitments first, nearest deadline first; then the rest, newest first.
    ordered = sorted((c for c in commitments if c.is_open), key=lambda c: c.deadline or "9999")
    ordered += sorted(
        (c for c in commitments if not c.is_open), key=lambda c: c.signed_on, reverse=True
    )
    return replace(
        card_of(entity),
        lists=tuple(_list_membership(m, policy) for m in record.lists),
        commitments=tuple(ordered),
        warnings=tuple(
            WarningSummary(
                issued_on=str(w.get("decided_on", "")),
                content=str(w.get("content", "")),
                rectify_deadline=str(w.get("deadline") or ""),
                mark=_mark(w),
            )
            for w in record.warnings
        ),
        records=tuple(_record_summary(e) for e in (*record.dishonesty, *record.interviews)),
        tolerance=tolerance,
    )
