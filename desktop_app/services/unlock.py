"""Opening a profile's encrypted store: keyring key or passphrase, first run or later.

The flow the unlock dialog follows:

* :meth:`StoreUnlocker.mode` says what to ask for;
* :meth:`StoreUnlocker.unlock` opens (or creates) the store; a wrong passphrase raises
  :class:`WrongKeyError` and leaves every file as it was.

A new database is never created over an existing one: when the database exists but its
header or key is missing, the user gets a message, not an empty store.

After a while idle the client locks: :meth:`StoreUnlocker.lock` closes the store and drops its
key; :meth:`StoreUnlocker.reopen` takes it back after the passphrase (passphrase profiles) or
the OS account's password (keyring profiles, :meth:`StoreUnlocker.lock_kind`) was checked.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING, Any

from desktop_app.config import ProfilePaths, write_atomic
from desktop_app.logs import stop_file_logging
from desktop_app.store.errors import (
    KeyUnavailableError,
    PassphraseRequiredError,
    StoreError,
    StoreLockedError,
    WrongKeyError,
)
from desktop_app.store.keys import (
    AccountCheck,
    KdfParams,
    KeyHeader,
    KeyringSlots,
    check_passphrase_strength,
    keyring_is_secure,
    new_random_key,
    os_account_check,
)

if TYPE_CHECKING:
    from desktop_app.store.database import Store

log = logging.getLogger(__name__)


__all__ = ["LockKind", "Store", "StoreLockedError", "StoreUnlocker", "UnlockMode"]


def __getattr__(name: str) -> Any:
    # The store's module (SQLAlchemy, Alembic, SQLCipher: about half a second to import) is
    # loaded when a store is opened, not when the unlock prompt is shown: the first window of
    # a start-up does not wait for it (docs/PERFORMANCE.md, cold start).
    if name == "Store":
        from desktop_app.store.database import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _open_store(path: Any, key: bytes) -> Store:
    from desktop_app.store.database import Store

    return Store.open(path, key)


class UnlockMode(enum.Enum):
    """What the unlock step needs from the user."""

    CREATE_WITH_KEYRING = "create-keyring"
    OPEN_WITH_KEYRING = "open-keyring"
    CREATE_WITH_PASSPHRASE = "create-passphrase"  # noqa: S105 - a mode name, not a secret
    OPEN_WITH_PASSPHRASE = "open-passphrase"  # noqa: S105
    OPEN_WITH_KEYRING_AFTER_LOCK = "open-keyring-locked"
    """A keyring profile that was locked when the client ended (quit at the lock prompt,
    killed, crashed): the OS account's password is asked before the keyring key is used, so a
    restart does not get around the lock."""

    @property
    def needs_passphrase(self) -> bool:
        """Whether the user must type a passphrase (or the OS account's password)."""
        return self in (
            UnlockMode.CREATE_WITH_PASSPHRASE,
            UnlockMode.OPEN_WITH_PASSPHRASE,
            UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK,
        )

    @property
    def creates(self) -> bool:
        """Whether this makes a new store (ask for the passphrase twice)."""
        return self in (UnlockMode.CREATE_WITH_KEYRING, UnlockMode.CREATE_WITH_PASSPHRASE)


class LockKind(enum.Enum):
    """What unlocks the client after it locked itself."""

    PASSPHRASE = "passphrase"  # noqa: S105 - a kind's name, not a secret
    """The local database's passphrase (no secure keyring on this machine)."""
    OS_ACCOUNT = "os-account"
    """The password of the OS account (the store key is in its keyring)."""
    RESTART = "restart"
    """Nothing here can check the OS account: the client must be quit and started again."""


class StoreUnlocker:
    """Finds or makes the key of one profile's store and opens it.

    Args:
        paths: The profile.
        account_check: Checks the OS account's password when a keyring profile unlocks
            after an auto-lock; default: :func:`os_account_check`, made when first needed.
    """

    def __init__(self, paths: ProfilePaths, account_check: AccountCheck | None = None) -> None:
        self.paths = paths
        self._account_check = account_check

    @property
    def account_check(self) -> AccountCheck:
        """The OS account check of keyring profiles."""
        if self._account_check is None:
            self._account_check = os_account_check()
        return self._account_check

    @staticmethod
    def passphrase_problem(passphrase: str) -> str | None:
        """Why ``passphrase`` is too weak for a new store (Chinese), or None when it will do."""
        return check_passphrase_strength(passphrase)

    def _header(self) -> KeyHeader | None:
        return KeyHeader.load(self.paths.key_header)

    def mode(self) -> UnlockMode:
        """What :meth:`unlock` will need.

        Raises:
            StoreError: The database exists without its key header.
        """
        header = self._header()
        if header is None:
            if self.paths.database.exists():
                raise StoreError(
                    f"找到数据库 {self.paths.database}，但缺少密钥头文件 "
                    f"{self.paths.key_header.name}。为防止数据丢失，程序不会新建数据库。"
                    "请从备份恢复该文件，或联系管理员。"
                )
            return (
                UnlockMode.CREATE_WITH_KEYRING
                if keyring_is_secure()
                else UnlockMode.CREATE_WITH_PASSPHRASE
            )
        if header.source == "keyring":
            if self.paths.lock_marker.exists() and self.account_check.available():
                return UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK
            return UnlockMode.OPEN_WITH_KEYRING
        return UnlockMode.OPEN_WITH_PASSPHRASE

    def unlock(self, passphrase: str | None = None) -> Store:
        """Open the store, creating it (and its key) on first run.

        Args:
            passphrase: Required when :meth:`mode` says so; ignored otherwise.

        Raises:
            PassphraseRequiredError: A passphrase is needed and none was given.
            WrongKeyError: The passphrase (or keyring key) does not open the database.
            KeyUnavailableError: The keyring lost the key of an existing store.
        """
        mode = self.mode()
        self.paths.ensure()
        if mode.needs_passphrase and not passphrase:
            raise PassphraseRequiredError("本机没有安全的系统密钥环，请输入本地数据库密码。")
        if mode is UnlockMode.CREATE_WITH_KEYRING:
            header = KeyHeader.new("keyring")
            key = new_random_key()
            KeyringSlots(header.profile_id).set_current(key)
            header.save(self.paths.key_header)
            log.info("new store created; key kept in the OS keyring")
            return _open_store(self.paths.database, key)
        if mode is UnlockMode.CREATE_WITH_PASSPHRASE:
            assert passphrase is not None
            weak = check_passphrase_strength(passphrase)
            if weak:
                raise StoreError(weak)
            header = KeyHeader.new("passphrase")
            assert header.kdf is not None
            key = header.kdf.derive(passphrase)
            header.save(self.paths.key_header)
            log.info("new store created; key derived from a passphrase (scrypt)")
            return _open_store(self.paths.database, key)
        existing = self._header()
        assert existing is not None
        if mode is UnlockMode.OPEN_WITH_KEYRING:
            store = self._open_keyring(existing)
        else:
            assert passphrase is not None
            if mode is UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK:
                if not self.account_check.verify(passphrase):
                    raise WrongKeyError("系统账户密码不正确，请重新输入。本机数据仍处于锁定状态。")
                store = self._open_keyring(existing)
            else:
                store = self._open_passphrase(existing, passphrase)
        # The user was asked (or nothing here can ask: restarting is the check then).
        self._clear_lock_marker()
        return store

    def _open_keyring(self, header: KeyHeader) -> Store:
        slots = KeyringSlots(header.profile_id)
        current = slots.current()
        pending = slots.pending()
        if current is None and pending is None:
            raise KeyUnavailableError(
                "系统密钥环中找不到本地数据库的密钥（可能重装了系统或清除了密钥环）。"
                "数据库未做任何改动；请联系管理员从备份恢复密钥。"
            )
        for candidate, is_pending in ((current, False), (pending, True)):
            if candidate is None:
                continue
            try:
                store = _open_store(self.paths.database, candidate)
            except WrongKeyError:
                continue
            if is_pending:
                # A rotation stopped after PRAGMA rekey: finish it.
                slots.set_current(candidate)
                slots.clear_pending()
                log.warning("finished an interrupted key rotation")
            return store
        raise WrongKeyError(
            "系统密钥环中的密钥无法打开本地数据库。数据库未做任何改动；请联系管理员。"
        )

    def _open_passphrase(self, header: KeyHeader, passphrase: str) -> Store:
        assert header.kdf is not None
        candidates = [(header.kdf, False)]
        if header.pending_kdf is not None:
            candidates.append((header.pending_kdf, True))
        for kdf, is_pending in candidates:
            try:
                store = _open_store(self.paths.database, kdf.derive(passphrase))
            except WrongKeyError:
                continue
            if is_pending:
                header.promoted().save(self.paths.key_header)
                log.warning("finished an interrupted passphrase change")
            elif header.pending_kdf is not None:
                header.with_pending(None).save(self.paths.key_header)
            return store
        raise WrongKeyError()

    def change_passphrase(self, store: Store, old: str, new: str) -> None:
        """Re-encrypt the store under a key derived from ``new``.

        Raises:
            WrongKeyError: ``old`` is not the current passphrase.
            StoreError: ``new`` is too weak, or the profile uses the keyring.
        """
        header = self._header()
        if header is None or header.source != "passphrase" or header.kdf is None:
            raise StoreError("本机的数据库密钥保存在系统密钥环中，没有可修改的密码。")
        try:
            from desktop_app.store.database import verify_key

            verify_key(self.paths.database, header.kdf.derive(old))
        except WrongKeyError:
            raise WrongKeyError("原密码不正确，密码未修改。") from None
        weak = check_passphrase_strength(new)
        if weak:
            raise StoreError(weak)
        new_kdf = KdfParams.fresh()
        header = header.with_pending(new_kdf)
        header.save(self.paths.key_header)
        store.rekey(new_kdf.derive(new))
        header.promoted().save(self.paths.key_header)
        log.info("store passphrase changed")

    def rotate_key(self, store: Store) -> None:
        """Re-encrypt a keyring-kept store under a fresh random key.

        Raises:
            StoreError: The profile uses a passphrase (change it instead).
        """
        header = self._header()
        if header is None or header.source != "keyring":
            raise StoreError("本机使用密码保护数据库，请使用“修改密码”。")
        slots = KeyringSlots(header.profile_id)
        new_key = new_random_key()
        slots.set_pending(new_key)
        store.rekey(new_key)
        slots.set_current(new_key)
        slots.clear_pending()
        log.info("store key rotated")

    # -- auto-lock ------------------------------------------------------------------------

    def lock_kind(self) -> LockKind:
        """What :meth:`reopen` will need from the user after :meth:`lock`."""
        header = self._header()
        if header is not None and header.source == "passphrase":
            return LockKind.PASSPHRASE
        if self.account_check.available():
            return LockKind.OS_ACCOUNT
        return LockKind.RESTART

    def lock(self, store: Store) -> None:
        """Close ``store`` and forget its key until :meth:`reopen` (see :meth:`Store.lock`).

        The profile is marked locked first (:attr:`ProfilePaths.lock_marker`): a keyring
        profile would otherwise open without a question when the client is killed and started
        again; with the mark the next start asks for the OS account's password
        (:attr:`UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK`). A passphrase profile asks anyway.
        """
        try:
            write_atomic(self.paths.lock_marker, b"locked\n")
        except OSError as exc:  # the lock itself must not fail for this
            log.warning("could not mark the profile locked: %s", exc)
        store.lock()

    def _clear_lock_marker(self) -> None:
        try:
            self.paths.lock_marker.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not clear the profile's lock mark: %s", exc)

    def reopen(self, store: Store, secret: str) -> None:
        """Unlock ``store`` again after :meth:`lock`.

        Args:
            store: The locked store (the same object: the services keep working on it).
            secret: The passphrase (:attr:`LockKind.PASSPHRASE`) or the OS account's password
                (:attr:`LockKind.OS_ACCOUNT`).

        Raises:
            WrongKeyError: The passphrase or password is wrong; the store stays locked.
            KeyUnavailableError: The keyring lost the store's key meanwhile.
            StoreError: Nothing on this machine can check the OS account (quit and restart).
        """
        if not secret:
            raise PassphraseRequiredError("请输入密码。")
        header = self._header()
        if header is None:
            raise StoreError("本地数据库的密钥头文件不见了，无法解锁。请退出后联系管理员。")
        if header.source == "passphrase":
            assert header.kdf is not None
            kdfs = [header.kdf] + ([header.pending_kdf] if header.pending_kdf else [])
            for kdf in kdfs:
                try:
                    store.unlock(kdf.derive(secret))
                except WrongKeyError:
                    continue
                self._clear_lock_marker()
                return
            raise WrongKeyError("密码不正确，请重新输入。本机数据仍处于锁定状态。")
        check = self.account_check
        if not check.available():
            raise StoreError("本机无法核验系统账户密码。请退出本软件后重新启动。")
        if not check.verify(secret):
            raise WrongKeyError("系统账户密码不正确，请重新输入。本机数据仍处于锁定状态。")
        slots = KeyringSlots(header.profile_id)
        candidates = [key for key in (slots.current(), slots.pending()) if key is not None]
        if not candidates:
            raise KeyUnavailableError(
                "系统密钥环中找不到本地数据库的密钥，无法解锁。数据库未做任何改动；请联系管理员。"
            )
        for key in candidates:
            try:
                store.unlock(key)
            except WrongKeyError:
                continue
            self._clear_lock_marker()
            return
        raise WrongKeyError(
            "系统密钥环中的密钥无法打开本地数据库。数据库未做任何改动；请联系管理员。"
        )

    # -- revocation -----------------------------------------------------------------------

    def wipe(self, store: Store | None) -> None:
        """Erase the profile (the platform revoked the device).

        Gone are the store with its drafts and attachments, its header and keys, the settings,
        the logs and the caches. The store is locked first, so nothing can open (or re-create)
        the file afterwards; the log file is closed before the log folder goes. Nothing
        readable is left in the profile folder.
        """
        log.warning("device revoked: wiping the local profile")
        if store is not None:
            store.lock()
        header = None
        try:
            header = self._header()
        except StoreError as exc:  # an unreadable header is deleted all the same
            log.warning("key header unreadable during wipe: %s", exc)
        if header is not None and header.source == "keyring":
            KeyringSlots(header.profile_id).delete_all()
        stop_file_logging(self.paths.log_dir)
        left = self.paths.erase()
        if left:
            log.error("wipe left %d files it could not delete", len(left))
