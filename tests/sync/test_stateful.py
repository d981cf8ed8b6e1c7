"""Hypothesis stateful test: random creates, edits, deletes and syncs on several sides converge.

Two window clients (own profiles and devices, one hall) and a "server side" (a third device
that syncs right after each change, so its edits land on the platform at once) act in a
random order. After a final fault-free sync of everybody, every client holds the platform's
state, and no edit of a field silently overwrote another side's edit of that field: each
overlap is a conflict row (see :mod:`tests.sync.reliability_checks`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule, run_state_machine_as_test

from tests.sync.conftest import LiveServer
from tests.sync.reliability_checks import EDITABLE, Client, assert_converged, commitment

ACCOUNTS = ("window.luzhou.1", "window.luzhou.2")
SERVER_SIDE = "window.luzhou.2"


class SyncMachine(RuleBasedStateMachine):
    """Clients and the server side, changing and syncing in a random order."""

    server: LiveServer
    folder: Path
    conflicts = 0  # conflict rows over all examples (the test checks some happened)

    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        run = self.folder / uuid.uuid4().hex[:8]
        self.clients = [
            Client(self.server.url, run / f"c{i}", user, seed=i) for i, user in enumerate(ACCOUNTS)
        ]
        self.side = Client(self.server.url, run / "server-side", SERVER_SIDE)
        self.counter = 0

    def _value(self, who: str, name: str) -> str:
        self.counter += 1
        return f"{name} by {who} #{self.counter}"

    @rule(target=records, who=st.integers(0, len(ACCOUNTS) - 1), shared=st.booleans())
    def create(self, who: int, shared: bool) -> str:
        rid = f"s-{uuid.uuid4().hex[:16]}"
        self.clients[who].create(rid, commitment(text=self._value(f"c{who}", "text")))
        if shared:  # pushed at once and pulled by everybody: all sides can edit it
            for c in (self.clients[who], *self.clients, self.side):
                c.sync()
        return rid

    @rule(
        who=st.integers(0, len(ACCOUNTS) - 1),
        rid=records,
        names=st.lists(st.sampled_from(EDITABLE), min_size=1, max_size=2, unique=True),
    )
    def edit(self, who: int, rid: str, names: list[str]) -> None:
        self.clients[who].edit(rid, {n: self._value(f"c{who}", n) for n in names})

    @rule(who=st.integers(0, len(ACCOUNTS) - 1), rid=records)
    def delete(self, who: int, rid: str) -> None:
        self.clients[who].delete(rid)

    @rule(rid=records, name=st.sampled_from(EDITABLE))
    def server_edit(self, rid: str, name: str) -> None:
        self.side.sync()  # learn the record, then change it on the platform at once
        if self.side.edit(rid, {name: self._value("server", name)}):
            self.side.sync()

    @rule(who=st.integers(0, len(ACCOUNTS) - 1))
    def sync(self, who: int) -> None:
        self.clients[who].sync()

    def teardown(self) -> None:
        everyone = [*self.clients, self.side]
        try:
            for _ in range(2):  # push everything, then pull everyone's changes
                for c in everyone:
                    c.sync()
            assert_converged(self.server, everyone)
            SyncMachine.conflicts += sum(len(c.conflicts()) for c in everyone)
        finally:
            for c in everyone:
                c.close()


@pytest.mark.slow
def test_random_changes_on_all_sides_converge(live_server: LiveServer, tmp_path: Path) -> None:
    SyncMachine.server = live_server
    SyncMachine.folder = tmp_path
    SyncMachine.conflicts = 0
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert SyncMachine.conflicts > 0, "no example edited one field on two sides"
