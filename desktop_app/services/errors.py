"""Errors a service may raise to the UI; ``str(err)`` is a Chinese message that says what to do."""

from __future__ import annotations

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
    """

    def __init__(self, message: str = "", code: str = "") -> None:
        super().__init__(message)
        self.code = code


__all__ = [
    "KeyUnavailableError",
    "NotEncryptedError",
    "PassphraseRequiredError",
    "ServiceError",
    "StoreCorruptError",
    "StoreError",
    "WrongKeyError",
]
