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
    """A use case refused the input; nothing was saved. The message says what to fix."""


__all__ = [
    "KeyUnavailableError",
    "NotEncryptedError",
    "PassphraseRequiredError",
    "ServiceError",
    "StoreCorruptError",
    "StoreError",
    "WrongKeyError",
]
