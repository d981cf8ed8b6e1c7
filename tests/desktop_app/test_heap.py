"""desktop_app.heap: start-up objects leave the collector; later cycles are still collected."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest

from desktop_app import heap


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # give the test process's objects back to the collector


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.mark.usefixtures("unfrozen")
def test_settle_freezes_what_lives_and_later_cycles_are_still_collected() -> None:
    alive = [_Node() for _ in range(100)]
    frozen = heap.settle()
    assert frozen == gc.get_freeze_count()
    assert frozen >= len(alive)
    # Frozen objects sit in the permanent generation, which collections (and this) skip.
    walked = {id(o) for o in gc.get_objects()}
    assert not any(id(n) in walked for n in alive)
    # A cycle made after settling is garbage the collector still finds.
    gone = _cycle()
    assert gone() is not None
    gc.collect()
    assert gone() is None


def test_trim_asks_glibc_on_linux() -> None:
    # The project's machines and the .deb are glibc Linux; elsewhere trim is a no-op.
    assert heap.trim() is sys.platform.startswith("linux")
