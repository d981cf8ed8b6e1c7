"""Errors a service may raise to the UI; ``str(err)`` is a Chinese message that says what to do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from desktop_app.services.messages import MESSAGES
from desktop_app.store.errors import (
    KeyUnavailableError,
    NotEncryptedError,
    PassphraseRequiredError,
    StoreCorruptError,
    StoreError,
    WrongKeyError,
)


class ServiceError(Exception):
    """A use case refused the input; nothing was saved. The message says what to fix.

    Attributes:
        code: The broken rule's stable reason code when a domain rule shared with the
            platform refused (the same code the platform answers), else "".
        key: The message's key in :data:`~desktop_app.services.messages.MESSAGES` when the
            service built it from the catalog (:meth:`of`), else "" (a domain rule's text).
        params: The values filled into the message's template.
    """

    def __init__(
        self,
        message: str = "",
        code: str = "",
        *,
        key: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key = key
        self.params: dict[str, object] = dict(params or {})

    @classmethod
    def of(cls, key: str, *, code: str = "", **params: object) -> Self:
        """The error whose message is the catalog's template ``key`` filled with ``params``.

        Called on a subclass, it makes that subclass (``ResolutionRefusedError.of(...)``).

        Raises:
            KeyError: ``key`` is not in the catalog (a programming error).
        """
        return cls(MESSAGES[key].format(**params), code, key=key, params=params)


__all__ = [
    "KeyUnavailableError",
    "NotEncryptedError",
    "PassphraseRequiredError",
    "ServiceError",
    "StoreCorruptError",
    "StoreError",
    "WrongKeyError",
]
