"""State-transition tables: one per record type that has a lifecycle.

A table names the field that holds the state, the states a new record may start in, and
for each state the states that may follow it. The client's use cases and the platform's
push check apply the same table (through :meth:`RecordModel.check`), so a change one side
refuses the other refuses too, with the same reason code (``illegal_transition``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["StateMachine"]

S = TypeVar("S", bound=Hashable)


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    """A record type's lifecycle.

    Attributes:
        field: The field holding the state.
        initial: States a new record may be created in.
        transitions: For each state, the states that may follow it (staying is always
            allowed: an edit of other fields).
        code: The reason code of a refusal.
    """

    field: str
    initial: frozenset[S]
    transitions: Mapping[S, frozenset[S]]
    code: str = "illegal_transition"

    @property
    def states(self) -> tuple[S, ...]:
        """Every state, in the table's order."""
        return tuple(self.transitions)

    def allows(self, old: S | None, new: S) -> bool:
        """Whether a record in ``old`` (None: not yet created) may be left in ``new``."""
        if old is None:
            return new in self.initial
        return old == new or new in self.transitions.get(old, frozenset())

    def walk(self) -> Iterator[tuple[S | None, S, bool]]:
        """Every ``(old, new, allowed)`` pair, creation (old None) first."""
        for new in self.states:
            yield None, new, self.allows(None, new)
        for old in self.states:
            for new in self.states:
                if old != new:
                    yield old, new, self.allows(old, new)

    def path_to(self, state: S) -> list[S]:
        """A shortest legal path from a creation state to ``state`` (for tests and tools).

        Raises:
            ValueError: ``state`` cannot be reached.
        """
        paths: dict[S, list[S]] = {s: [s] for s in self.initial}
        queue = list(self.initial)
        while queue:
            here = queue.pop(0)
            for nxt in self.transitions.get(here, frozenset()):
                if nxt not in paths:
                    paths[nxt] = [*paths[here], nxt]
                    queue.append(nxt)
        if state not in paths:
            raise ValueError(f"{state!r} cannot be reached")
        return paths[state]
