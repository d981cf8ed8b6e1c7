"""Opening a profile's encrypted store: keyring key or passphrase, first run or later.

The flow the unlock dialog follows:

* :meth:`StoreUnlocker.mode` says what to ask for;
* :meth:`StoreUnlocker.unlock` opens (or creates) the store; a wrong passphrase raises
  :class:`WrongKeyError` and leaves every file as it was.

A new database is never created over an existing one: when the database exists but its
header or key is missing, the user gets a message, not an empty store.
"""

from __future__ import annotations

import enum
import logging
import shutil

from desktop_app.config import ProfilePaths
from desktop_app.store.database import Store, verify_key
from desktop_app.store.errors import (
    KeyUnavailableError,
    PassphraseRequiredError,
    StoreError,
    WrongKeyError,
)
from desktop_app.store.keys import (
    KdfParams,
    KeyHeader,
    KeyringSlots,
    check_passphrase_strength,
    keyring_is_secure,
    new_random_key,
)

log = logging.getLogger(__name__)


__all__ = ["Store", "StoreUnlocker", "UnlockMode"]


class UnlockMode(enum.Enum):
    """What the unlock step needs from the user."""

    CREATE_WITH_KEYRING = "create-keyring"
    OPEN_WITH_KEYRING = "open-keyring"
    CREATE_WITH_PASSPHRASE = "create-passphrase"  # noqa: S105 - a mode name, not a secret
    OPEN_WITH_PASSPHRASE = "open-passphrase"  # noqa: S105

    @property
    def needs_passphrase(self) -> bool:
        """Whether the user must type a passphrase."""
        return self in (UnlockMode.CREATE_WITH_PASSPHRASE, UnlockMode.OPEN_WITH_PASSPHRASE)

    @property
    def creates(self) -> bool:
        """Whether this makes a new store (ask for the passphrase twice)."""
        return self in (UnlockMode.CREATE_WITH_KEYRING, UnlockMode.CREATE_WITH_PASSPHRASE)


class StoreUnlocker:
    """Finds or makes the key of one profile's store and opens it."""

    def __init__(self, paths: ProfilePaths) -> None:
        self.paths = paths

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
            return Store.open(self.paths.database, key)
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
            return Store.open(self.paths.database, key)
        existing = self._header()
        assert existing is not None
        if mode is UnlockMode.OPEN_WITH_KEYRING:
            return self._open_keyring(existing)
        assert passphrase is not None
        return self._open_passphrase(existing, passphrase)

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
                store = Store.open(self.paths.database, candidate)
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
                store = Store.open(self.paths.database, kdf.derive(passphrase))
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

    def wipe(self, store: Store | None) -> None:
        """Delete the profile's store, header and keys (device revoked by the platform)."""
        if store is not None:
            store.close()
        header = self._header()
        if header is not None and header.source == "keyring":
            KeyringSlots(header.profile_id).delete_all()
        for path in (self.paths.database, self.paths.key_header):
            path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            self.paths.database.with_name(self.paths.database.name + suffix).unlink(missing_ok=True)
        shutil.rmtree(self.paths.data_dir / "cache", ignore_errors=True)
        log.warning("local store wiped")
