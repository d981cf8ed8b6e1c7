"""The pull's page prefetch (``sync.pull.PagePrefetch``) against a REAL platform process.

A helper thread fetches and decodes pages ahead of the apply. It must hand them over in
order, stop ``ahead`` pages ahead, raise a failed request after the pages before it, end
when closed, and keep only the rows of a waiting page: the parsed JSON they came from is
twice their size, and six waiting pages of a first pull would otherwise cost ~70 MB more.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.errors import Offline, SyncError
from sync.pull import PagePrefetch, PreparedPage
from sync.transport import PullPage
from tests.sync.conftest import LiveServer
from tests.sync.test_engine import WINDOW_A, Device
from tests.waiting import wait_for

LIMIT = 5  # changes a page: the demo data makes dozens of pages
SETTLE_S = 0.3  # time a helper that did not stop would have to fetch more (ms a request)
WAIT_S = 30.0  # the most the helper may take to fetch a few small pages


class _Changes(list[Any]):
    """A page's list of changes that a weak reference can watch."""


class Recorder:
    """Wraps the device's ``Transport.pull``: counts requests, keeps weak references to the
    parsed change lists, and fails the request numbered ``fail_at`` (1-based)."""

    def __init__(
        self, pull: Callable[[str | None, int, str | None], PullPage], fail_at: int = 0
    ) -> None:
        self._pull = pull
        self.fail_at = fail_at
        self.calls = 0
        self.parsed: list[weakref.ref[_Changes]] = []
        self.lock = threading.Lock()

    def __call__(self, cursor: str | None, limit: int, snapshot: str | None = None) -> PullPage:
        with self.lock:
            self.calls += 1
            n = self.calls
        if n == self.fail_at:
            raise Offline("the network went away (test)")
        page = self._pull(cursor, limit, snapshot)
        changes = _Changes(page.changes)
        self.parsed.append(weakref.ref(changes))
        return page._replace(changes=changes)


@pytest.fixture
def device(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    d = Device(live_server, tmp_path / "a", WINDOW_A)
    yield d
    d.close()


def _recorder(device: Device, fail_at: int = 0) -> Recorder:
    rec = Recorder(device.transport.pull, fail_at)
    device.transport.pull = rec  # type: ignore[method-assign]
    return rec


def _helpers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "sync-pull-fetch"]


def test_pages_come_in_order_and_the_helper_stops_ahead_pages_ahead(device: Device) -> None:
    rec = _recorder(device)
    fetcher = PagePrefetch(device.transport, None, LIMIT, ahead=2)
    try:
        wait_for(lambda: rec.calls >= 2, "two pages were requested", WAIT_S)
        time.sleep(SETTLE_S)
        assert rec.calls == 2  # two pages decoded, none taken: it waits
        first = fetcher.next()
        wait_for(lambda: rec.calls >= 3, "a third page was requested", WAIT_S)
        time.sleep(SETTLE_S)
        assert rec.calls == 3
        second = fetcher.next()
        assert first.has_more and first.size == LIMIT
        assert second.cursor != first.cursor
        # In order: the page after the first one's cursor is the second one.
        again = device.transport.pull(first.cursor, LIMIT)
        assert again.cursor == second.cursor
    finally:
        fetcher.close()
    assert not _helpers_alive()


def test_a_waiting_page_keeps_its_rows_but_not_the_parsed_changes(device: Device) -> None:
    rec = _recorder(device)
    fetcher = PagePrefetch(device.transport, None, LIMIT, ahead=3)
    try:
        # Three decoded pages queued (whatever the machine's speed): the helper now waits.
        wait_for(lambda: fetcher._pages.qsize() >= 3, "three pages were queued", WAIT_S)
        gc.collect()
        alive = [i for i, ref in enumerate(rec.parsed) if ref() is not None]
        assert alive == [], f"parsed pages {alive} are still referenced while they wait"
        pages: list[PreparedPage] = [fetcher.next() for _ in range(3)]
        assert sum(p.size for p in pages) == 3 * LIMIT
        assert all(p.entities or p.reference or p.forms or p.gone for p in pages)
    finally:
        fetcher.close()


def test_a_failed_request_is_raised_after_the_pages_before_it(device: Device) -> None:
    rec = _recorder(device, fail_at=3)
    fetcher = PagePrefetch(device.transport, None, LIMIT, ahead=4)
    try:
        first, second = fetcher.next(), fetcher.next()
        with pytest.raises(SyncError, match="network went away"):
            fetcher.next()
        assert first.cursor != second.cursor
    finally:
        fetcher.close()
    assert rec.calls == 3  # nothing requested after the failure
    assert not _helpers_alive()


def test_close_with_pages_waiting_ends_the_helper_and_stops_requesting(device: Device) -> None:
    rec = _recorder(device)
    fetcher = PagePrefetch(device.transport, None, LIMIT, ahead=2)
    fetcher.next()
    fetcher.close()
    assert not _helpers_alive()
    calls = rec.calls
    time.sleep(SETTLE_S)
    assert rec.calls == calls
