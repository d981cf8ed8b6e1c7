"""风险预警 from the platform, for a supervisor's client (never a window's).

The platform evaluates the city's early-warning rules (``GET /v1/risk-warnings``) and answers
the flagged entities of the caller's region with the rules that fired and why; windows and
inspectors are refused there. Nothing is stored locally: the list is asked for when shown, so
a repair or a rectification recorded since is already reflected.
"""

from __future__ import annotations

from typing import Any

from sync.errors import ProtocolError
from sync.protocol import RiskWarningList
from sync.transport import Transport

PATH = "/v1/risk-warnings"


def fetch_risk_warnings(
    transport: Transport, region: str | None = None, *, limit: int = 1000, offset: int = 0
) -> RiskWarningList:
    """The flagged entities the caller may see (``GET /v1/risk-warnings``).

    Args:
        transport: A logged-in transport (a supervisor's or an admin's).
        region: Narrow to this six-digit region (inside a supervisor's own).
        limit: At most this many entities.
        offset: Skip this many (the list is ordered by USCC).

    Raises:
        sync.errors.SyncError: Offline, refused (a window or an inspector gets the platform's
            403 message in ``user_message``), or not what the protocol says.
    """
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if region:
        params["region"] = region
    resp = transport.request("GET", PATH, params=params)
    try:
        return RiskWarningList.model_validate(resp.json())
    except ValueError:  # not JSON, or not the schema (pydantic's ValidationError)
        raise ProtocolError("risk-warnings answer is not a RiskWarningList") from None
