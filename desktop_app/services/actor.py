"""Who operates the client: the 经办人 written on forms, printed letters and the audit log.

The person is the staff member logged in to the municipal platform, named as the platform
names them (``UserInfo.display_name``). The name is kept in the encrypted store's
``sync_state`` at every login, so after a restart — offline, or after the login expired —
the client still knows the last person who logged in on this device. Before the first login
ever, the operating-system account stands in, and :attr:`CurrentUser.confirmed` says so.

Services are built once; they read the name through a :class:`CurrentUser` that a later
login updates, so nothing has to be rebuilt when someone logs in.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.store.state_keys import DISPLAY_NAME_KEY

if TYPE_CHECKING:
    from desktop_app.store.database import Store

__all__ = ["DISPLAY_NAME_KEY", "CurrentUser", "os_user_name", "stored_display_name"]


def os_user_name() -> str:
    """The operating-system account name (the stand-in before anyone logged in)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "local"


def stored_display_name(store: Store) -> str | None:
    """The display name the last login kept in ``store``, or None before the first login."""
    from desktop_app.store.outbox import SyncStateRepo  # with the store, not at start-up

    with store.read() as session:
        value = SyncStateRepo(session).get(DISPLAY_NAME_KEY)
    return value or None


class CurrentUser:
    """The person the services act for, read by them at the moment they act.

    Args:
        fallback: The name to use until a login names someone (the OS account).
        display_name: The name a previous login kept in the store, if any.

    Thread-safe: the GUI thread updates it after a login while the database worker reads it.
    """

    def __init__(self, fallback: str, display_name: str | None = None) -> None:
        self._lock = threading.Lock()
        self._fallback = fallback
        self._display_name = display_name or None
        self._listeners: list[Callable[[str], None]] = []

    @property
    def name(self) -> str:
        """The 经办人: the logged-in (or last logged-in) staff member, else the fallback."""
        with self._lock:
            return self._display_name or self._fallback

    @property
    def confirmed(self) -> bool:
        """Whether the name comes from a platform login (False: the OS account stands in)."""
        with self._lock:
            return self._display_name is not None

    def logged_in(self, display_name: str) -> None:
        """A login named the person using the client; listeners hear the new name."""
        name = display_name.strip()
        if not name:
            return
        with self._lock:
            changed = name != self._display_name
            self._display_name = name
            listeners = list(self._listeners)
        if changed:
            for listener in listeners:
                listener(name)

    def load(self, store: Store) -> None:
        """Take the name the last login kept in ``store`` (run on the database worker)."""
        name = stored_display_name(store)
        if name:
            self.logged_in(name)

    def subscribe(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call ``listener(name)`` whenever a login changes the name.

        Returns:
            A function that unsubscribes ``listener``.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def __str__(self) -> str:
        return self.name
