"""Errors the store raises; each carries a message a user can act on (in Chinese)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class of store errors. ``str(err)`` is the user-facing message."""


class WrongKeyError(StoreError):
    """The key or passphrase does not open the database; the file was not touched."""

    def __init__(
        self, message: str = "密码不正确，无法打开本地数据库。请重新输入；数据库未做任何改动。"
    ):
        super().__init__(message)


class KeyUnavailableError(StoreError):
    """The store's key is not in the keyring (for example the keyring was reset)."""


class PassphraseRequiredError(StoreError):
    """This machine has no secure keyring: the user must give a passphrase."""


class NotEncryptedError(StoreError):
    """A plaintext SQLite file sits where the encrypted store should be; we refuse to use it."""


class StoreLockedError(StoreError):
    """The store is locked (auto-lock) or closed for good (wiped): it holds no key."""

    def __init__(self, message: str = "本地数据库已锁定，请解锁后再继续。") -> None:
        super().__init__(message)


class StoreCorruptError(StoreError):
    """The database opened with the right key but failed its integrity check."""


class UpgradeFailedError(StoreError):
    """Migrating the store to this build's schema failed (see ``desktop_app.store.upgrade``).

    The store file was put back from the encrypted backup taken just before (``restored``
    says whether that worked); the backup at ``backup`` is kept either way.
    """

    def __init__(self, message: str, *, backup: Path, restored: bool) -> None:
        super().__init__(message)
        self.backup = backup
        self.restored = restored
