"""The keys of the ``sync_state`` table that more than one layer reads or writes.

The sync engine writes some at login and after a run; services and the UI read them. They
live with the store, below both, so that neither reaches into the other for a key name.
"""

from __future__ import annotations

__all__ = ["DISPLAY_NAME_KEY", "LAST_SYNC_KEY", "PREPARED_KEY", "ROLE_KEY"]

DISPLAY_NAME_KEY = "user.display_name"
"""The display name of the last user who logged in on this device (written at login)."""
ROLE_KEY = "user.role"
"""The logged-in account's role (written at login)."""
LAST_SYNC_KEY = "sync.last_success"
"""Local time of the last successful sync."""
PREPARED_KEY = "offline.prepared_at"
"""Local time the last 离线准备 finished."""
