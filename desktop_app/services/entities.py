"""主体查询: look an entity up by USCC, name, or pasted licence text, offline on the cache."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain import window_rules
from desktop_app.domain.regions import region_name
from desktop_app.domain.window_rules import ToleranceEligibility
from desktop_app.services import entity_records
from desktop_app.services.errors import ServiceError
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import DEFAULT_SEARCH_LIMIT, EntityRepository
from desktop_app.store.models import Entity, UsccOverride
from desktop_app.store.outbox import Outbox

# Fifteen or more letters and digits and nothing else reads as an attempt at a code, not a name.
_CODE_ATTEMPT = re.compile(r"[0-9A-Z]{15,}")

LookupKind = Literal["empty", "uscc", "invalid_uscc", "name"]

LIST_NAMES = {
    "red": "守信激励对象名单（红名单）",
    "serious_dishonesty": "严重失信主体名单",
    "key_attention": "重点关注对象名单",
}


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


@dataclass(frozen=True)
class WarningSummary:
    """A 失信警示 the entity received, with its rectification deadline."""

    issued_on: str
    content: str
    rectify_deadline: str


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
    credit_grade: str | None
    lists: tuple[ListMembership, ...]
    version: int
    updated_at: datetime
    code_warnings: tuple[str, ...]
    commitments: tuple[CommitmentSummary, ...] = ()
    warnings: tuple[WarningSummary, ...] = ()
    tolerance: ToleranceEligibility | None = None


def _region(code: str) -> str:
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

    def rows(self, ids: Sequence[int]) -> list[EntityRow]:
        """Display rows for ``ids``, in that order (a page of the result list)."""
        with self._store.read() as session:
            entities = EntityRepository(session).get_many(ids)
            return [
                EntityRow(
                    e.id, e.uscc, e.name, e.legal_representative, _region(e.region_code), e.status
                )
                for e in entities
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
    """The card of a cached entity row (no audit: callers audit their own use)."""
    check = uscc_rules.check_uscc(e.uscc)
    try:
        info: uscc_rules.UsccInfo | None = uscc_rules.describe(e.uscc)
    except uscc_rules.UsccError:
        # A malformed code from the registry still shows its card, with the problems listed.
        info = None
    lists = tuple(
        ListMembership(
            list_code=str(m.get("list", "")),
            list_name=LIST_NAMES.get(str(m.get("list", "")), str(m.get("list", ""))),
            basis=str(m.get("basis", "")),
            since=str(m.get("since", "")),
        )
        for m in (e.lists or [])
        if isinstance(m, dict)
    )
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
        credit_grade=e.credit_grade,
        lists=lists,
        version=e.version,
        updated_at=e.updated_at,
        code_warnings=tuple(p.message for p in (*check.problems, *check.warnings)),
    )


def _list_membership(m: Mapping[str, Any]) -> ListMembership:
    code = str(m.get("list", ""))
    return ListMembership(
        list_code=code,
        list_name=LIST_NAMES.get(code, str(m.get("list_name") or code)),
        basis=str(m.get("basis", "")),
        since=str(m.get("since", "")),
        category=window_rules.LIST_CATEGORIES.get(code, ""),
        measures=window_rules.LIST_MEASURES.get(code, ()),
        decided_by=str(m.get("decided_by", "")),
    )


def _commitment_summary(c: Mapping[str, Any]) -> CommitmentSummary:
    status = str(c.get("status", ""))
    try:
        status_label = cm.STATUS_LABELS[cm.parse_status(status)]
    except cm.CommitmentError:
        status_label = status
    try:
        kind_label = cm.KIND_LABELS[cm.parse_kind(c.get("kind"))]
    except cm.CommitmentError:
        kind_label = str(c.get("kind", ""))
    return CommitmentSummary(
        record_id=str(c.get("record_id", "")),
        matter=str(c.get("matter", "")),
        kind_label=kind_label,
        status_label=status_label,
        signed_on=str(c.get("signed_on") or ""),
        deadline=str(c.get("deadline") or ""),
        is_open=status in {s.value for s in cm.OPEN_STATUSES},
        is_breach=status in window_rules.BREACH_STATUSES,
    )


def credit_check(session: Session, entity: Entity, today: date | None = None) -> EntityCard:
    """Everything the window needs to know about an entity, from the local store.

    Registration facts, the lists in force with the measures they imply, open and past
    commitments, warnings, and whether 容缺受理 is open to the entity now (with the reasons
    when it is not). Integrity-education attendance is not consulted: it is never a
    precondition of anything.

    Args:
        session: A session on the store.
        entity: The cached entity.
        today: The day of the check (today when omitted).
    """
    today = today or date.today()
    base = card_of(entity)
    all_lists = entity_records.memberships(session, entity)
    in_force = window_rules.active_lists(all_lists, today)
    commitments = entity_records.form_records(session, entity.uscc, "commitments")
    dishonesty = entity_records.form_records(session, entity.uscc, "dishonesty_records")
    warnings = entity_records.form_records(session, entity.uscc, "warnings")
    tolerance = window_rules.tolerance_eligibility(
        memberships=all_lists,
        risk_grade=entity.credit_grade,
        penalties=entity_records.reference_records(session, entity.uscc, "penalties"),
        commitments=commitments,
        dishonesty=dishonesty,
        today=today,
    )
    summaries = [_commitment_summary(c) for c in commitments]
    # Open commitments first, nearest deadline first; then the rest, newest first.
    ordered = sorted((c for c in summaries if c.is_open), key=lambda c: c.deadline or "9999")
    ordered += sorted(
        (c for c in summaries if not c.is_open), key=lambda c: c.signed_on, reverse=True
    )
    return replace(
        base,
        lists=tuple(_list_membership(m) for m in in_force),
        commitments=tuple(ordered),
        warnings=tuple(
            WarningSummary(
                issued_on=str(w.get("issued_on", "")),
                content=str(w.get("content", "")),
                rectify_deadline=str(w.get("rectify_deadline") or ""),
            )
            for w in sorted(warnings, key=lambda w: str(w.get("issued_on", "")), reverse=True)
        ),
        tolerance=tolerance,
    )
