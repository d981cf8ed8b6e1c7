"""信用承诺 lifecycle as a Hypothesis state machine, plus history, severity and due-date helpers.

The machine walks random paths: it only ever takes legal transitions, every illegal one
raises and leaves the status alone, nothing leads back to an open status once a commitment
is fulfilled or beyond, terminal statuses have no exits, and the history kept on the form
records every step in order.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from desktop_app.domain import commitments as cm
from desktop_app.domain.commitment_catalog import CATALOG, fill_letter_template
from desktop_app.domain.commitments import (
    BreachSeverity,
    CommitmentError,
    CommitmentStatus,
    DishonestyKind,
    IllegalTransition,
    Transition,
)
from desktop_app.domain.working_days import CalendarUnknown, WorkingDayCalendar

S = CommitmentStatus
ALL = list(CommitmentStatus)
CLOSED_FOR_GOOD = frozenset(S) - cm.OPEN_STATUSES
"""Statuses from which no open status may ever be reached again."""
T0 = datetime(2025, 3, 18, 9, 0, 0)


class CommitmentLifecycle(RuleBasedStateMachine):
    """A commitment whose status is changed by random legal and illegal requests."""

    def __init__(self) -> None:
        super().__init__()
        self.status = S.DRAFT
        self.history: list[dict[str, str]] = []
        self.left_open = False
        self.clock = T0

    @initialize(start=st.sampled_from(sorted(cm.INITIAL_STATUSES)))
    def create(self, start: CommitmentStatus) -> None:
        self.history = cm.record_transition([], None, start, self.clock, "窗口甲", "新建")
        self.status = start

    @precondition(lambda self: bool(cm.TRANSITIONS[self.status]))
    @rule(data=st.data())
    def take_a_legal_step(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(sorted(cm.TRANSITIONS[self.status])))
        self.clock += timedelta(hours=1)
        before = len(self.history)
        self.history = cm.record_transition(
            self.history, self.status, target, self.clock, "窗口乙", "随机"
        )
        assert cm.transition(self.status, target) is target
        assert len(self.history) == before + 1
        self.status = target
        if target not in cm.OPEN_STATUSES:
            self.left_open = True

    @rule(wanted=st.sampled_from(ALL))
    def illegal_requests_always_raise(self, wanted: CommitmentStatus) -> None:
        target = wanted
        if target in cm.TRANSITIONS[self.status]:
            return
        before = list(self.history)
        with pytest.raises(IllegalTransition) as err:
            cm.transition(self.status, target)
        assert err.value.old is self.status and err.value.new is target
        assert cm.STATUS_LABELS[target] in str(err.value)
        with pytest.raises(IllegalTransition):
            cm.record_transition(self.history, self.status, target, self.clock, "x")
        assert self.history == before  # nothing recorded for a refused change

    @invariant()
    def no_way_back_to_open(self) -> None:
        if self.left_open:
            assert self.status not in cm.OPEN_STATUSES
        if self.status in CLOSED_FOR_GOOD:
            assert not (cm.TRANSITIONS[self.status] & cm.OPEN_STATUSES)

    @invariant()
    def terminal_statuses_have_no_exits(self) -> None:
        if self.status in cm.TERMINAL_STATUSES:
            assert cm.allowed_next(self.status) == frozenset()
            assert all(not cm.can_transition(self.status, s) for s in S)

    @invariant()
    def history_is_a_chain(self) -> None:
        if not self.history:
            return
        entries = [Transition.from_dict(e) for e in self.history]
        assert entries[0].old is None and entries[0].new in cm.INITIAL_STATUSES
        for prev, nxt in itertools.pairwise(entries):
            assert nxt.old is prev.new and nxt.new in cm.TRANSITIONS[prev.new]
            assert nxt.at > prev.at
        assert entries[-1].new is self.status


TestCommitmentLifecycle = CommitmentLifecycle.TestCase
TestCommitmentLifecycle.settings = settings(max_examples=150, stateful_step_count=20)


def test_reachability_matches_the_rules() -> None:
    # Breadth-first from the initial statuses: every status is reachable, and from fulfilled
    # or later no open status is.
    reach: dict[CommitmentStatus, set[CommitmentStatus]] = {}
    for start in S:
        seen, frontier = set(), [start]
        while frontier:
            for nxt in cm.TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        reach[start] = seen
    assert set().union(*(reach[s] for s in cm.INITIAL_STATUSES)) | cm.INITIAL_STATUSES == set(S)
    for status in CLOSED_FOR_GOOD:
        assert not reach[status] & cm.OPEN_STATUSES, status


def test_transition_dict_shape_and_round_trip() -> None:
    entry = Transition(S.SIGNED, S.FULFILLED, datetime(2025, 3, 18, 10, 5, 31, 999), "张三", "补齐")
    data = entry.as_dict()
    assert data == {
        "from": "signed",
        "to": "fulfilled",
        "at": "2025-03-18T10:05:31",
        "by": "张三",
        "note": "补齐",
    }
    assert Transition.from_dict(data) == Transition(
        S.SIGNED, S.FULFILLED, datetime(2025, 3, 18, 10, 5, 31), "张三", "补齐"
    )
    created = Transition(None, S.DRAFT, T0, "李四").as_dict()
    assert created["from"] == "" and Transition.from_dict(created).old is None
    with pytest.raises(CommitmentError, match="时间"):
        Transition.from_dict({**data, "at": "昨天"})


def test_a_new_commitment_starts_as_draft_or_signed_only() -> None:
    with pytest.raises(CommitmentError, match="草稿"):
        cm.record_transition([], None, S.FULFILLED, T0, "x")
    history = cm.record_transition("not a list", None, S.SIGNED, T0, "x")
    assert [e["to"] for e in history] == ["signed"]


def test_severity_and_dishonesty_kind() -> None:
    assert [s.label for s in BreachSeverity] == ["轻微", "一般", "严重"]
    assert cm.parse_severity("serious") is BreachSeverity.SERIOUS
    with pytest.raises(CommitmentError, match="严重程度"):
        cm.parse_severity("fatal")
    assert cm.dishonesty_kind(S.BREACHED) is DishonestyKind.BREACH
    assert cm.dishonesty_kind("verified_false") is DishonestyKind.FALSE_COMMITMENT
    with pytest.raises(CommitmentError, match="已履约"):
        cm.dishonesty_kind(S.FULFILLED)


def test_due_within_counts_working_days_and_skips_holidays() -> None:
    cal = WorkingDayCalendar()
    # 2025-09-30 (Tue) before the National Day holiday (10-01..10-08, 10-11 a make-up day).
    tuesday = date(2025, 9, 30)
    assert cm.is_due_within(tuesday, tuesday, 0, cal)  # due today
    assert cm.is_due_within(date(2025, 10, 9), tuesday, 1, cal)  # next working day
    assert not cm.is_due_within(date(2025, 10, 10), tuesday, 1, cal)
    assert cm.is_due_within(date(2025, 10, 11), tuesday, 3, cal)  # Saturday make-up day
    assert not cm.is_due_within(date(2025, 9, 29), tuesday, 10, cal)  # already past: overdue
    assert cm.is_overdue(date(2025, 9, 29), tuesday) and not cm.is_overdue(tuesday, tuesday)
    with pytest.raises(ValueError, match="negative"):
        cm.is_due_within(tuesday, tuesday, -1, cal)
    with pytest.raises(CalendarUnknown):
        cm.is_due_within(date(2099, 1, 10), date(2099, 1, 2), 3, cal)


@settings(max_examples=200)
@given(
    today=st.dates(date(2024, 1, 1), date(2025, 12, 1)),
    n=st.integers(0, 20),
    ahead=st.integers(0, 40),
)
def test_due_within_agrees_with_adding_working_days(today: date, n: int, ahead: int) -> None:
    # Due within n working days ⇔ from today up to (not including) the (n+1)-th working day.
    cal = WorkingDayCalendar()
    deadline = today + timedelta(days=ahead)
    expected = today <= deadline < cal.add_working_days(today, n + 1)
    assert cm.is_due_within(deadline, today, n, cal) is expected
    assert cm.is_due_within(cal.add_working_days(today, n), today, n, cal)


def test_catalog_templates_fill_in_and_keep_foreign_braces() -> None:
    assert len(CATALOG) >= 10
    ids = [matter_id for matter_id, _ in CATALOG]
    assert len(ids) == len(set(ids))
    for _, fields in CATALOG:
        kinds = fields["allowed_kinds"]
        assert kinds and all(k in {k.value for k in cm.CommitmentKind} for k in kinds)
        text = fill_letter_template(
            fields["letter_template"],
            {
                "entity_name": "长治市某某有限公司",
                "uscc": "91140400MA0000000X",
                "signer": "长治市某某有限公司",
                "representative": "王五（法定代表人）",
                "signed_on": "2025年3月18日",
            },
        )
        assert "{" not in text and "长治市某某有限公司" in text and fields["matter"] in text
    blank = fill_letter_template("日期：{signed_on}；{other}", {})
    assert blank == "日期：________；{other}"


@pytest.mark.parametrize(
    ("old", "new", "signed_on", "code"),
    [
        (None, S.FULFILLED, "2025-03-18", "illegal_transition"),
        (S.DRAFT, S.WITHDRAWN, None, None),  # withdrawn before it was ever signed
        (S.DRAFT, S.FULFILLED, None, "illegal_transition"),  # the table first
        (S.SIGNED, S.FULFILLED, None, "missing_field"),
        (S.VERIFIED_FALSE, S.VERIFIED_TRUE, "2025-03-18", "illegal_transition"),
        (S.SIGNED, S.SIGNED, "2025-03-18", None),  # unchanged: no transition
        (None, S.DRAFT, None, None),
    ],
)
def test_the_shared_status_rule_gives_the_protocol_reason_code(
    old: CommitmentStatus | None, new: CommitmentStatus, signed_on: str | None, code: str | None
) -> None:
    """The client service and the platform raise these same codes for the same change."""
    if code is None:
        assert cm.check_status_change(old, new, signed_on) is new
        return
    with pytest.raises(CommitmentError) as err:
        cm.check_status_change(old, new, signed_on)
    assert err.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))
