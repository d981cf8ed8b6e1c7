"""Which division codes a region covers: one rule for scopes, draws and the publication feed.

A USCC keeps its division code for life, and records are tagged with the code they were
registered under, so a region must also cover the districts abolished into it: 城区 (140402)
and 郊区 (140411) became 潞州区 (140403) in 2018, and an entity registered in 郊区 is 潞州区's
business today. The rule, in terms of a region code ``R``:

* every code under ``R``'s prefix (:func:`region_prefix`: ``140400`` covers every ``1404xx``,
  a district code such as ``140403`` covers exactly itself), and
* every abolished code whose successor chain (``desktop_app.domain.regions``) ends under that
  prefix (:func:`merged_codes`).

:func:`region_covers` is the rule on one code (draws, feed access checks, push checks);
:func:`merged_codes` is what the SQL form (``scopes.region_clause``: pulls, the feed, draw
candidates) adds to its prefix match. The module is pure (no database), so the pure draw code
can use it too.
"""

from __future__ import annotations

from functools import cache

from desktop_app.domain.regions import DEFAULT_REGIONS, DEFAULT_ROWS


def region_prefix(code: str) -> str:
    """The prefix of the region codes a region covers (``140400`` → ``1404``).

    Args:
        code: A six-digit administrative division code.
    """
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


@cache
def _successors() -> dict[str, str]:
    # Abolished code → the division that exists today (lookup follows chains A → B → C).
    # The table is fixed for the process, so the walk is done once.
    found: dict[str, str] = {}
    for row in DEFAULT_ROWS:
        info = DEFAULT_REGIONS.lookup(row.code)
        if info is not None and info.successor_code is not None:
            found[row.code] = info.successor_code
    return found


@cache
def merged_codes(region: str) -> frozenset[str]:
    """Abolished codes outside ``region``'s prefix whose successor chain ends inside it.

    These are the codes :func:`region_covers` accepts beyond the prefix match, so an SQL
    filter is ``code LIKE prefix% OR code IN merged_codes(region)``.

    Args:
        region: A six-digit division code, e.g. ``140403`` → ``{140402, 140411}``.
    """
    prefix = region_prefix(region)
    return frozenset(
        code
        for code, successor in _successors().items()
        if successor.startswith(prefix) and not code.startswith(prefix)
    )


def region_covers(region: str | None, code: str | None) -> bool:
    """Whether a record tagged ``code`` belongs to ``region`` (see the module rule).

    Args:
        region: The viewer's division code; None covers nothing.
        code: The record's division code; None is covered by no region.
    """
    if not region or not code:
        return False
    return code.startswith(region_prefix(region)) or code in merged_codes(region)
