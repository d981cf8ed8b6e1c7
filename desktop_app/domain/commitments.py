"""信用承诺 (credit commitments): the lifecycle as an explicit state machine, and deadlines.

Terms (seed 一(一), DOMAIN.md "Credit commitments"):

Kinds (:class:`CommitmentKind`):
    ``notify`` 告知承诺 (审批替代型): the authority states the conditions in writing, the
    applicant commits to meeting them, the matter is handled on the spot.
    ``tolerance`` 容缺受理: the applicant lacks some materials and promises to supply them by
    a deadline in working days; it needs the missing materials and that deadline.
    ``self_discipline`` 行业自律型, ``repair`` 信用修复型 (a commitment made to repair credit),
    ``voluntary`` 主动型 (made of the entity's own accord).

Statuses (:class:`CommitmentStatus`):
    ``draft`` 草稿 — being written at the window, not yet signed.
    ``signed`` 已签署（待履约/待核查） — signed; the pending state: materials or verification due.
    ``fulfilled`` 已履约 — obligations met (容缺: the missing materials arrived).
    ``overdue`` 逾期未履约 — the deadline passed without fulfilment; not yet judged.
    ``breached`` 违约（失信） — judged a breach of the commitment.
    ``verified_true`` 核查属实 — checking (事中事后核查) found the commitment true.
    ``verified_false`` 核查不实（虚假承诺） — checking found it false: a false commitment,
    which is a breach (see :data:`BREACH_STATUSES`).
    ``withdrawn`` 已撤回 — withdrawn before fulfilment.

Transitions (:data:`TRANSITIONS`)::

    draft ──► signed ──► fulfilled ──► verified_true | verified_false
      │         ├──► verified_true | verified_false
      │         ├──► overdue ──► fulfilled | breached
      └──► withdrawn ◄──┘

Decisions worth knowing:

* ``overdue → fulfilled`` is allowed. ``overdue`` means "deadline passed, not yet judged":
  materials sent in time by post, or a deadline the window itself delayed, arrive after the
  system marked the commitment overdue, and staff must be able to record them. Missing the
  deadline for real is recorded as ``breached`` (the matter is terminated, DOMAIN.md).
* ``fulfilled → verified_false`` is allowed: a later check can still find the commitment
  false. Nothing leads back from ``fulfilled``, or any later status, to an open status
  (:data:`OPEN_STATUSES`): a fulfilled commitment never becomes pending again.
* A status does not transition to itself (``can_transition(s, s)`` is false); callers check
  transitions only when the status changes.
* A new commitment starts as ``draft`` or ``signed`` (:data:`INITIAL_STATUSES`), since a
  letter is often signed at the window in one step.

History: every status change is kept on the form as a :class:`Transition` (``from``, ``to``,
``at``, ``by``, ``note``), oldest first; the first entry, with an empty ``from``, records the
creation. A breach or false commitment is judged by :class:`BreachSeverity` and becomes a
失信记录 of a :class:`DishonestyKind`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import DEFAULT_CALENDAR, WorkingDayCalendar

MAX_TOLERANCE_WORKING_DAYS = 250  # about one year of working days: anything longer is a typo


class CommitmentKind(enum.StrEnum):
    """承诺类型: the kind of a commitment letter."""

    NOTIFY = "notify"  # 告知承诺（审批替代型）
    TOLERANCE = "tolerance"  # 容缺受理
    SELF_DISCIPLINE = "self_discipline"  # 行业自律型
    REPAIR = "repair"  # 信用修复型
    VOLUNTARY = "voluntary"  # 主动型


class CommitmentStatus(enum.StrEnum):
    """承诺状态: where a commitment is in its lifecycle."""

    DRAFT = "draft"
    SIGNED = "signed"
    FULFILLED = "fulfilled"
    OVERDUE = "overdue"
    BREACHED = "breached"
    VERIFIED_TRUE = "verified_true"
    VERIFIED_FALSE = "verified_false"
    WITHDRAWN = "withdrawn"


KIND_LABELS: Mapping[CommitmentKind, str] = {
    CommitmentKind.NOTIFY: "告知承诺",
    CommitmentKind.TOLERANCE: "容缺受理",
    CommitmentKind.SELF_DISCIPLINE: "行业自律",
    CommitmentKind.REPAIR: "信用修复",
    CommitmentKind.VOLUNTARY: "主动承诺",
}

STATUS_LABELS: Mapping[CommitmentStatus, str] = {
    CommitmentStatus.DRAFT: "草稿",
    CommitmentStatus.SIGNED: "已签署",
    CommitmentStatus.FULFILLED: "已履约",
    CommitmentStatus.OVERDUE: "逾期未履约",
    CommitmentStatus.BREACHED: "违约",
    CommitmentStatus.VERIFIED_TRUE: "核查属实",
    CommitmentStatus.VERIFIED_FALSE: "虚假承诺",
    CommitmentStatus.WITHDRAWN: "已撤回",
}

_S = CommitmentStatus
_STATUS_VALUES = frozenset(s.value for s in CommitmentStatus)
_KIND_VALUES = frozenset(k.value for k in CommitmentKind)
TRANSITIONS: Mapping[CommitmentStatus, frozenset[CommitmentStatus]] = {
    _S.DRAFT: frozenset({_S.SIGNED, _S.WITHDRAWN}),
    _S.SIGNED: frozenset(
        {_S.FULFILLED, _S.OVERDUE, _S.VERIFIED_TRUE, _S.VERIFIED_FALSE, _S.WITHDRAWN}
    ),
    _S.OVERDUE: frozenset({_S.FULFILLED, _S.BREACHED}),
    _S.FULFILLED: frozenset({_S.VERIFIED_TRUE, _S.VERIFIED_FALSE}),
    _S.VERIFIED_TRUE: frozenset(),
    _S.VERIFIED_FALSE: frozenset(),
    _S.BREACHED: frozenset(),
    _S.WITHDRAWN: frozenset(),
}
"""Every legal status change; a status missing from a set cannot follow its key."""

INITIAL_STATUSES = frozenset({_S.DRAFT, _S.SIGNED})
"""Statuses a new commitment may be created in."""

OPEN_STATUSES = frozenset({_S.DRAFT, _S.SIGNED, _S.OVERDUE})
"""Statuses still waiting for something (the "pending" ones): no way back once left."""

BREACH_STATUSES = frozenset({_S.BREACHED, _S.VERIFIED_FALSE})
"""Statuses that are a breach for the credit record (虚假承诺 is one)."""

TERMINAL_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
"""Statuses with no way out."""

DELETABLE_STATUSES = frozenset({_S.DRAFT})
"""Statuses in which a commitment may be deleted; a signed letter is withdrawn instead."""

UNSIGNED_STATUSES = frozenset({_S.DRAFT, _S.WITHDRAWN})
"""Statuses a commitment may hold without a signing date: a draft, and a draft withdrawn
before it was ever signed. Every other status is reached only through ``signed``."""


class CommitmentError(DomainError):
    """A commitment's data breaks a rule; the message says what to fix.

    Attributes:
        code: A stable reason code (the sync protocol's ``ReasonCode`` value), the same on
            the client and on the platform for the same broken rule.
    """

    code = "invalid_field"


class IllegalTransition(CommitmentError):  # noqa: N818 - the agreed public name
    """A status change the lifecycle does not allow.

    Attributes:
        old: The current status.
        new: The status asked for.
    """

    code = "illegal_transition"

    def __init__(self, old: CommitmentStatus, new: CommitmentStatus) -> None:
        allowed = "、".join(STATUS_LABELS[s] for s in sorted(TRANSITIONS[old]))
        then = f"当前只能改为：{allowed}。" if allowed else "该状态已办结，不能再变更。"
        super().__init__(
            f"承诺状态不能从“{STATUS_LABELS[old]}”改为“{STATUS_LABELS[new]}”。{then}"
            "如确需更正，请联系科室负责人处理。"
        )
        self.old = old
        self.new = new


def parse_status(value: object) -> CommitmentStatus:
    """The status named by ``value``.

    Args:
        value: A :class:`CommitmentStatus` or its string value.

    Raises:
        CommitmentError: ``value`` names no status.
    """
    if isinstance(value, str) and value in _STATUS_VALUES:
        return CommitmentStatus(value)
    names = "、".join(f"{s.value}（{label}）" for s, label in STATUS_LABELS.items())
    raise CommitmentError(f"未知的承诺状态“{value}”，应为：{names}。")


def parse_kind(value: object) -> CommitmentKind:
    """The kind named by ``value``.

    Args:
        value: A :class:`CommitmentKind` or its string value.

    Raises:
        CommitmentError: ``value`` names no kind.
    """
    if isinstance(value, str) and value in _KIND_VALUES:
        return CommitmentKind(value)
    names = "、".join(f"{k.value}（{label}）" for k, label in KIND_LABELS.items())
    raise CommitmentError(f"未知的承诺类型“{value}”，应为：{names}。")


def allowed_next(status: CommitmentStatus | str) -> frozenset[CommitmentStatus]:
    """The statuses that may follow ``status``.

    Args:
        status: The current status.

    Raises:
        CommitmentError: ``status`` names no status.
    """
    return TRANSITIONS[parse_status(status)]


def can_transition(old: CommitmentStatus | str, new: CommitmentStatus | str) -> bool:
    """Whether a commitment in ``old`` may move to ``new`` (never to itself).

    Args:
        old: The current status.
        new: The status asked for.

    Raises:
        CommitmentError: ``old`` or ``new`` names no status.
    """
    return parse_status(new) in allowed_next(old)


def transition(old: CommitmentStatus | str, new: CommitmentStatus | str) -> CommitmentStatus:
    """Move a commitment from ``old`` to ``new``.

    Args:
        old: The current status.
        new: The status asked for.

    Returns:
        ``new`` as a :class:`CommitmentStatus`.

    Raises:
        IllegalTransition: The lifecycle does not allow the change.
        CommitmentError: ``old`` or ``new`` names no status.
    """
    before, after = parse_status(old), parse_status(new)
    if after not in TRANSITIONS[before]:
        raise IllegalTransition(before, after)
    return after


class IllegalStart(CommitmentError):  # noqa: N818 - named like IllegalTransition
    """A new commitment in a status it cannot start in."""

    code = "illegal_transition"


class SigningDateMissing(CommitmentError):  # noqa: N818 - a rule's name, not a failure
    """A status that follows signing, without the signing date."""

    code = "missing_field"


def check_status_change(
    old: CommitmentStatus | str | None, new: CommitmentStatus | str, signed_on: object
) -> CommitmentStatus:
    """The one status rule the client service and the platform both apply to a change.

    Args:
        old: The stored status; None when the commitment is being created.
        new: The status the change leaves it in (may equal ``old``).
        signed_on: The signing date the commitment has after the change (None: unsigned).

    Returns:
        ``new`` as a :class:`CommitmentStatus`.

    Raises:
        IllegalStart: A new commitment in a status other than :data:`INITIAL_STATUSES`.
        IllegalTransition: The lifecycle does not allow ``old`` → ``new``.
        SigningDateMissing: ``new`` follows signing but there is no signing date.
        CommitmentError: A status is malformed.
    """
    after = parse_status(new)
    if old is None:
        if after not in INITIAL_STATUSES:
            raise IllegalStart(
                f"新建的承诺只能是“草稿”或“已签署”状态，不能直接为“{STATUS_LABELS[after]}”；"
                "履约、核查等结果请在提交承诺后再更新。"
            )
    elif parse_status(old) is not after:
        transition(old, after)
    if after not in UNSIGNED_STATUSES and not signed_on:
        raise SigningDateMissing(
            f"“{STATUS_LABELS[after]}”的承诺须有签署日期（signed_on），请先签署承诺书。"
        )
    return after


def is_breach(status: CommitmentStatus | str) -> bool:
    """Whether ``status`` counts as a breach (违约 or 虚假承诺) in the credit record.

    Args:
        status: A status.
    """
    return parse_status(status) in BREACH_STATUSES


def check_tolerance_terms(
    kind: CommitmentKind | str,
    missing_materials: object,
    deadline_working_days: object,
) -> None:
    """Check that a 容缺受理 commitment states what is missing and by when.

    Other kinds need neither and pass whatever is given.

    Args:
        kind: The commitment kind.
        missing_materials: The missing materials: a non-empty list of non-empty texts.
        deadline_working_days: Working days allowed to supply them (1 to
            :data:`MAX_TOLERANCE_WORKING_DAYS`).

    Raises:
        CommitmentError: A term is missing or out of range.
    """
    if parse_kind(kind) is not CommitmentKind.TOLERANCE:
        return
    if (
        not isinstance(missing_materials, list)
        or not missing_materials
        or not all(isinstance(m, str) and m.strip() for m in missing_materials)
    ):
        raise CommitmentError("容缺受理须逐项列明所缺材料（材料名称不能为空），请补充后再提交。")
    if (
        isinstance(deadline_working_days, bool)
        or not isinstance(deadline_working_days, int)
        or not 1 <= deadline_working_days <= MAX_TOLERANCE_WORKING_DAYS
    ):
        raise CommitmentError(
            f"容缺受理须写明补齐材料的期限（1至{MAX_TOLERANCE_WORKING_DAYS}个工作日），"
            "请填写后再提交。"
        )


def tolerance_deadline(
    signed_on: date, working_days: int, calendar: WorkingDayCalendar = DEFAULT_CALENDAR
) -> date:
    """The last day to supply the missing materials of a 容缺受理 commitment.

    The signing day is not counted (the rule for administrative time limits): materials due
    "within 5 working days" of a Friday signing are due by the following Friday, later when
    holidays intervene.

    Args:
        signed_on: The day the letter was signed.
        working_days: The time limit in working days (at least 1).
        calendar: The working-day calendar, with the platform's override table.

    Raises:
        CommitmentError: ``working_days`` is out of range.
        CalendarUnknown: The calendar does not know a year on the way.
    """
    if not 1 <= working_days <= MAX_TOLERANCE_WORKING_DAYS:
        raise CommitmentError(
            f"补齐材料的期限应为1至{MAX_TOLERANCE_WORKING_DAYS}个工作日，实际为{working_days}。"
        )
    return calendar.deadline(signed_on, working_days)


class BreachSeverity(enum.StrEnum):
    """情节严重程度 of a breach or false commitment (seed: 视情节严重程度实施惩戒)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        """The Chinese label (轻微 / 一般 / 严重)."""
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: Mapping[BreachSeverity, str] = {
    BreachSeverity.MINOR: "轻微",
    BreachSeverity.GENERAL: "一般",
    BreachSeverity.SERIOUS: "严重",
}


def parse_severity(value: object) -> BreachSeverity:
    """The severity named by ``value``.

    Args:
        value: A :class:`BreachSeverity` or its string value.

    Raises:
        CommitmentError: ``value`` names no severity.
    """
    if isinstance(value, str) and value in {s.value for s in BreachSeverity}:
        return BreachSeverity(value)
    names = "、".join(f"{s.value}（{label}）" for s, label in SEVERITY_LABELS.items())
    raise CommitmentError(f"未知的严重程度“{value}”，应为：{names}。")


class DishonestyKind(enum.StrEnum):
    """What a 失信记录 arising from a commitment is."""

    BREACH = "breach"  # 违约（未履行承诺）
    FALSE_COMMITMENT = "false_commitment"  # 虚假承诺


DISHONESTY_LABELS: Mapping[DishonestyKind, str] = {
    DishonestyKind.BREACH: "违反信用承诺",
    DishonestyKind.FALSE_COMMITMENT: "虚假承诺",
}


def dishonesty_kind(status: CommitmentStatus | str) -> DishonestyKind:
    """The kind of 失信记录 a breach status makes.

    Args:
        status: ``breached`` or ``verified_false``.

    Raises:
        CommitmentError: ``status`` is not a breach status.
    """
    parsed = parse_status(status)
    if parsed is CommitmentStatus.BREACHED:
        return DishonestyKind.BREACH
    if parsed is CommitmentStatus.VERIFIED_FALSE:
        return DishonestyKind.FALSE_COMMITMENT
    raise CommitmentError(f"“{STATUS_LABELS[parsed]}”不是违约或虚假承诺，不能据此记录失信信息。")


@dataclass(frozen=True)
class Transition:
    """One entry of a commitment's history, as kept on the form.

    On the form it is a dict with the keys ``from`` (the old status, empty for the creation),
    ``to``, ``at`` (ISO local date and time, seconds), ``by`` (the actor) and ``note``.

    Attributes:
        old: The status before (None: the commitment was created).
        new: The status after.
        at: When (local time, naive).
        by: Who made the change.
        note: Why, or what happened (may be empty).
    """

    old: CommitmentStatus | None
    new: CommitmentStatus
    at: datetime
    by: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        """The form's shape of this entry."""
        return {
            "from": self.old.value if self.old is not None else "",
            "to": self.new.value,
            "at": self.at.replace(microsecond=0, tzinfo=None).isoformat(),
            "by": self.by,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Transition:
        """An entry read back from a form.

        Args:
            data: A dict made by :meth:`as_dict`.

        Raises:
            CommitmentError: A status or the time is malformed.
        """
        old = data.get("from")
        at = data.get("at")
        try:
            when = datetime.fromisoformat(str(at))
        except ValueError:
            raise CommitmentError(f"承诺历史记录的时间“{at}”格式不正确。") from None
        return cls(
            old=parse_status(old) if old else None,
            new=parse_status(data.get("to")),
            at=when,
            by=str(data.get("by") or ""),
            note=str(data.get("note") or ""),
        )


def record_transition(
    history: object,
    old: CommitmentStatus | str | None,
    new: CommitmentStatus | str,
    at: datetime,
    by: str,
    note: str = "",
) -> list[dict[str, str]]:
    """Check a status change and return the form's history with it appended.

    Args:
        history: The form's ``history`` (a list of :meth:`Transition.as_dict` dicts; anything
            else counts as empty).
        old: The current status; None when the commitment is being created.
        new: The status asked for.
        at: When (local time).
        by: Who.
        note: Why.

    Returns:
        A new list: the old entries (dicts only) and the new one last.

    Raises:
        IllegalTransition: The lifecycle does not allow the change.
        CommitmentError: A new commitment in a status it cannot start in, or a bad status.
    """
    after = parse_status(new)
    if old is None:
        if after not in INITIAL_STATUSES:
            raise IllegalStart(
                f"新建的承诺只能是“草稿”或“已签署”状态，不能直接为“{STATUS_LABELS[after]}”。"
            )
        before = None
    else:
        before = parse_status(old)
        transition(before, after)
    kept = [dict(e) for e in history if isinstance(e, dict)] if isinstance(history, list) else []
    return [*kept, Transition(before, after, at, by, note).as_dict()]


def is_due_within(
    deadline: date, today: date, working_days: int, calendar: WorkingDayCalendar = DEFAULT_CALENDAR
) -> bool:
    """Whether ``deadline`` is today or within the next ``working_days`` working days.

    A deadline already passed is not "due soon" (it is overdue); a deadline on a rest day
    counts by the working days up to it.

    Args:
        deadline: The last day.
        today: Today.
        working_days: How far ahead to look (0: only a deadline of today).
        calendar: The working-day calendar.

    Raises:
        ValueError: ``working_days`` is negative.
        CalendarUnknown: The calendar does not know a year in between.
    """
    if working_days < 0:
        raise ValueError(f"working_days cannot be negative: {working_days}")
    if deadline < today:
        return False
    return calendar.working_days_between(today, deadline) <= working_days


def is_overdue(deadline: date, today: date) -> bool:
    """Whether a deadline (its last day included) has passed by ``today``.

    Args:
        deadline: The last day to act.
        today: Today.
    """
    return today > deadline
