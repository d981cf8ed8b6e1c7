"""The publication desk's calls to the platform (公示台账, supervisors and admins).

The feed (``GET /v1/publications``) lists what must go online within 7 working days of the
decision; a supervisor records the day and the place an item went online
(``POST /v1/publications/{id}/publish``) and reads the counts per deciding unit
(``GET /v1/publications/statistics``). Nothing of it is stored locally: the desk asks when it
is shown, and recording is an act of the platform, so without a network it is refused with
the transport's message and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from sync.errors import ProtocolError, SyncError
from sync.protocol import (
    PublicationItem,
    PublicationList,
    PublicationMark,
    PublicationStatistics,
)
from sync.transport import Transport

FEED = "/v1/publications"
STATISTICS = "/v1/publications/statistics"
PAGE_SIZE = 500
MAX_ITEMS = 20_000
STATUSES = ("due", "overdue", "published", "all")
DAY_REFUSED = (
    "平台未接受该公示日期：公示日期不能晚于今天（以平台日期为准），也不能早于决定日期。"
    "请核对网站上实际发布的日期后重新登记。"
)


class PublicationRefused(SyncError):  # noqa: N818 - named like sync.errors' classes
    """The platform refused the day or place given for an item (``422 invalid_field``)."""

    default_message = DAY_REFUSED


@dataclass(frozen=True)
class FeedQuery:
    """What the desk asks the feed for (``None``: no filter)."""

    status: str = "due"
    kind: str | None = None
    unit: str | None = None
    region: str | None = None


def _answer(payload: Any, model: type[BaseModel], what: str) -> Any:
    try:
        return model.model_validate(payload)
    except ValueError:  # pydantic's ValidationError
        raise ProtocolError(f"{what} answer is not a {model.__name__}") from None


def _json(resp: Any) -> Any:
    try:
        return resp.json()
    except ValueError:
        raise ProtocolError("the platform's answer is not JSON") from None


def fetch_publications(
    transport: Transport,
    query: FeedQuery = FeedQuery(),
    *,
    page_size: int = PAGE_SIZE,
    max_items: int = MAX_ITEMS,
) -> list[PublicationItem]:
    """Every item of the feed that ``query`` selects, page after page, soonest deadline first.

    Args:
        transport: A logged-in transport (a supervisor's or an admin's for the whole city).
        query: Status (``due``, ``overdue``, ``published``, ``all``), kind, unit, region.
        page_size: Items per request.
        max_items: Stop after this many (a desk never needs more at once).

    Raises:
        ValueError: ``query.status`` is not one of :data:`STATUSES`.
        sync.errors.SyncError: Offline, refused (the platform's message in ``user_message``),
            or not what the protocol says.
    """
    if query.status not in STATUSES:
        raise ValueError(f"unknown feed status {query.status!r}")
    params: dict[str, Any] = {"status": query.status, "limit": page_size}
    for name in ("kind", "unit", "region"):
        value = getattr(query, name)
        if value:
            params[name] = value
    items: list[PublicationItem] = []
    while len(items) < max_items:
        params["offset"] = len(items)
        page: PublicationList = _answer(
            _json(transport.request("GET", FEED, params=params)), PublicationList, "feed"
        )
        items += page.items
        if len(page.items) < page_size:
            break
    return items[:max_items]


def mark_published(
    transport: Transport, item_id: str, published_on: date | None = None, where: str = ""
) -> PublicationItem:
    """Record that an item went online; the item as the platform now holds it.

    Repeating it is harmless: the platform keeps the first record (and answers it), so a
    request whose answer was lost may simply be sent again.

    Args:
        transport: A logged-in transport (a supervisor's or an admin's).
        item_id: The feed item's id.
        published_on: The day it went online (the platform's today when None).
        where: The website and column it went online in (empty: not said).

    Raises:
        PublicationRefused: The platform refused the day (in the future, before the decision).
        sync.errors.SyncError: Offline, refused (the platform's message in ``user_message``),
            or not what the protocol says.
    """
    mark = PublicationMark(
        published_on=published_on.isoformat() if published_on else None,
        where=where.strip() or None,
    )
    path = f"{FEED}/{quote(item_id, safe='')}/publish"
    try:
        # Idempotent on the platform (the first record stays), so a lost answer may be retried.
        resp = transport.request("POST", path, json=mark.model_dump(exclude_none=True), retry=True)
    except ProtocolError as exc:
        # A 422 is the transport's "our request broke the contract"; invalid_field here is the
        # platform refusing the day (e.g. this PC's clock is ahead): say so, and what to do.
        if exc.code != "invalid_field":
            raise
        raise PublicationRefused(str(exc), code=exc.code) from exc
    item: PublicationItem = _answer(_json(resp), PublicationItem, "publish")
    return item


def fetch_statistics(
    transport: Transport,
    region: str | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
) -> PublicationStatistics:
    """The counts per deciding unit and the kinds in scope (``GET …/statistics``).

    Args:
        transport: A logged-in transport (a supervisor's or an admin's).
        region: Narrow to this six-digit division.
        decided_from: Only decisions on or after this day.
        decided_to: Only decisions on or before this day.

    Raises:
        sync.errors.SyncError: Offline, refused, or not what the protocol says.
    """
    params: dict[str, str] = {}
    if region:
        params["region"] = region
    if decided_from:
        params["decided_from"] = decided_from.isoformat()
    if decided_to:
        params["decided_to"] = decided_to.isoformat()
    resp = transport.request("GET", STATISTICS, params=params)
    stats: PublicationStatistics = _answer(_json(resp), PublicationStatistics, "statistics")
    return stats
