"""信用承诺 lifecycle: transitions, Chinese messages, 容缺 terms and working-day deadlines."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.commitments import (
    BREACH_STATUSES,
    INITIAL_STATUSES,
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    CommitmentError,
    CommitmentKind,
    CommitmentStatus,
    IllegalTransition,
    allowed_next,
    can_transition,
    check_tolerance_terms,
    is_breach,
    tolerance_deadline,
    transition,
)
from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import CalendarUnknown, WorkingDayCalendar

S = CommitmentStatus
statuses = st.sampled_from(list(CommitmentStatus))


def test_the_happy_paths() -> None:
    assert transition("draft", "signed") is S.SIGNED
    assert transition(S.SIGNED, S.FULFILLED) is S.FULFILLED
    assert transition(S.FULFILLED, S.VERIFIED_TRUE) is S.VERIFIED_TRUE
    assert transition(S.SIGNED, S.OVERDUE) is S.OVERDUE
    assert transition(S.OVERDUE, S.BREACHED) is S.BREACHED
    # Materials posted in time but recorded after the deadline: documented decision.
    assert can_transition(S.OVERDUE, S.FULFILLED)
    assert can_transition(S.DRAFT, S.WITHDRAWN) and can_transition(S.SIGNED, S.WITHDRAWN)


def test_false_commitment_is_a_breach() -> None:
    assert transition(S.SIGNED, S.VERIFIED_FALSE) is S.VERIFIED_FALSE
    assert can_transition(S.FULFILLED, S.VERIFIED_FALSE)
    assert is_breach("verified_false") and is_breach(S.BREACHED)
    assert not is_breach(S.FULFILLED) and not is_breach(S.VERIFIED_TRUE)
    assert BREACH_STATUSES <= TERMINAL_STATUSES


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S.FULFILLED, S.SIGNED),
        (S.FULFILLED, S.DRAFT),
        (S.FULFILLED, S.OVERDUE),
        (S.BREACHED, S.FULFILLED),
        (S.WITHDRAWN, S.SIGNED),
        (S.DRAFT, S.FULFILLED),  # nothing is fulfilled before it is signed
        (S.OVERDUE, S.WITHDRAWN),  # a missed deadline cannot be quietly withdrawn
        (S.SIGNED, S.SIGNED),
    ],
)
def test_illegal_transitions_raise_with_a_chinese_message(
    old: CommitmentStatus, new: CommitmentStatus
) -> None:
    assert not can_transition(old, new)
    with pytest.raises(IllegalTransition) as caught:
        transition(old, new)
    err = caught.value
    assert isinstance(err, DomainError)
    assert err.old is old and err.new is new
    message = str(err)
    assert "承诺状态不能从" in message and "联系" in message


def test_message_lists_what_is_allowed_or_says_it_is_closed() -> None:
    with pytest.raises(IllegalTransition, match=r"当前只能改为：.*已履约"):
        transition(S.SIGNED, S.DRAFT)
    with pytest.raises(IllegalTransition, match="已办结"):
        transition(S.VERIFIED_TRUE, S.SIGNED)


def test_unknown_status_is_a_domain_error_not_a_keyerror() -> None:
    with pytest.raises(CommitmentError, match="未知的承诺状态"):
        can_transition("pending", "signed")
    with pytest.raises(CommitmentError, match="未知的承诺状态"):
        allowed_next("done")


def test_table_is_closed_and_initial_statuses_are_open() -> None:
    assert set(TRANSITIONS) == set(CommitmentStatus)
    assert all(nxt <= set(CommitmentStatus) for nxt in TRANSITIONS.values())
    assert INITIAL_STATUSES <= OPEN_STATUSES
    assert all(s not in TRANSITIONS[s] for s in CommitmentStatus)


def reachable(start: CommitmentStatus) -> set[CommitmentStatus]:
    seen: set[CommitmentStatus] = set()
    todo = [start]
    while todo:
        for nxt in allowed_next(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_status_after_fulfilment_reaches_an_open_status() -> None:
    for closed in set(CommitmentStatus) - OPEN_STATUSES:
        assert not reachable(closed) & OPEN_STATUSES, closed


@settings(max_examples=200, deadline=None)
@given(st.lists(statuses, max_size=12))
def test_no_path_from_fulfilled_back_to_pending(path: list[CommitmentStatus]) -> None:
    """Any sequence of attempted changes starting at fulfilled never reopens it."""
    current = S.FULFILLED
    for wanted in path:
        try:
            current = transition(current, wanted)
        except IllegalTransition:
            assert not can_transition(current, wanted)
        assert current not in OPEN_STATUSES


@settings(max_examples=200, deadline=None)
@given(statuses, statuses)
def test_transition_agrees_with_can_transition(
    old: CommitmentStatus, new: CommitmentStatus
) -> None:
    if can_transition(old, new):
        assert transition(old.value, new.value) is new
    else:
        with pytest.raises(IllegalTransition):
            transition(old, new)


def test_tolerance_terms_are_required_only_for_tolerance() -> None:
    check_tolerance_terms(CommitmentKind.NOTIFY, None, None)
    check_tolerance_terms("tolerance", ["营业执照副本"], 5)
    with pytest.raises(CommitmentError, match="所缺材料"):
        check_tolerance_terms("tolerance", [], 5)
    with pytest.raises(CommitmentError, match="所缺材料"):
        check_tolerance_terms("tolerance", ["  "], 5)
    for bad in (None, 0, 251, True, "5"):
        with pytest.raises(CommitmentError, match="期限"):
            check_tolerance_terms("tolerance", ["章程"], bad)
    with pytest.raises(CommitmentError, match="未知的承诺类型"):
        check_tolerance_terms("approval", [], 1)


def test_tolerance_deadline_counts_working_days_around_national_day() -> None:
    # Signed Friday 2024-09-27; 29 Sep (Sunday) is a make-up working day, 1–7 Oct are off,
    # 12 Oct (Saturday) is a make-up day.
    assert tolerance_deadline(date(2024, 9, 27), 1) == date(2024, 9, 29)
    assert tolerance_deadline(date(2024, 9, 27), 2) == date(2024, 9, 30)
    assert tolerance_deadline(date(2024, 9, 27), 3) == date(2024, 10, 8)
    # Monday + 5 working days would be the next Monday, but 10 June 2024 was 端午节.
    assert tolerance_deadline(date(2024, 6, 3), 5) == date(2024, 6, 11)
    assert tolerance_deadline(date(2024, 5, 20), 5) == date(2024, 5, 27)


def test_tolerance_deadline_refuses_to_guess_an_unknown_year() -> None:
    with pytest.raises(CalendarUnknown):
        tolerance_deadline(date(2031, 3, 3), 5)
    table = WorkingDayCalendar(known_years=[2031])
    assert tolerance_deadline(date(2031, 3, 3), 5, table) == date(2031, 3, 10)
    with pytest.raises(CommitmentError):
        tolerance_deadline(date(2024, 6, 3), 0)
