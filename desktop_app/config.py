"""Where a profile keeps its files, and the few settings that live outside the store.

A profile is one data folder: the encrypted database, its key header, logs and settings.
``--data-dir`` picks another folder, so tests and a second user on one machine never share
a store. Everything in it is its owner's only (folders 0700, files 0600), and
:meth:`ProfilePaths.erase` removes all of it when the platform revokes the device.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app import APP_NAME

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
PRIVATE_DIR_MODE = 0o700
AUTO_LOCK_KEY = "auto_lock_minutes"
"""settings.extra: minutes without input before the client locks itself."""
DEFAULT_AUTO_LOCK_MINUTES = 10
FIRST_RUN_GUIDE_KEY = "first_run_guide_shown"
"""settings.extra: the first-run guide has been shown on this profile (it is shown once)."""
AUTO_LOCK_RANGE = (1, 120)
SHRED_CHUNK = 1 << 16


def default_data_dir() -> Path:
    """Return the per-user data folder of the default profile."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class ProfilePaths:
    """The files of one profile, all inside ``data_dir``."""

    data_dir: Path

    @property
    def database(self) -> Path:
        """The SQLCipher database file."""
        return self.data_dir / "store.db"

    @property
    def key_header(self) -> Path:
        """Non-secret header: how the key is obtained (keyring or passphrase KDF parameters)."""
        return self.data_dir / "store.header.json"

    @property
    def log_dir(self) -> Path:
        """Folder of the rotating log files."""
        return self.data_dir / "logs"

    @property
    def settings_file(self) -> Path:
        """Plain JSON user preferences (nothing confidential goes here)."""
        return self.data_dir / "settings.json"

    @property
    def lock_marker(self) -> Path:
        """Present while the client is locked (auto-lock): the next start asks the user again."""
        return self.data_dir / "locked"

    @property
    def cache_dir(self) -> Path:
        """Folder of throw-away files (removed with the profile)."""
        return self.data_dir / "cache"

    def ensure(self) -> None:
        """Create the data folder with owner-only permissions."""
        self.data_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.data_dir, PRIVATE_DIR_MODE)

    def _own_files(self) -> list[Path]:
        database = self.database
        files = [database, self.key_header, self.settings_file, self.lock_marker]
        files += [database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")]
        # Encrypted copies taken before schema upgrades (desktop_app/store/upgrade.py).
        files += sorted(self.data_dir.glob(f"{database.name}.backup-*"))
        # Half-written files of write_atomic() that a crash left behind.
        for name in (self.key_header.name, self.settings_file.name, self.lock_marker.name):
            files += sorted(self.data_dir.glob(f"{name}.*.tmp"))
        return files

    def erase(self) -> list[Path]:
        """Delete every file this profile consists of (a device revoked by the platform).

        Plaintext files (settings, logs) are overwritten with zeros before they are unlinked;
        the database files are encrypted. Files the user put into the folder are left alone,
        and the folder itself goes when it is empty then.

        Returns:
            What could not be deleted (empty when all went).
        """
        left: list[Path] = []
        for path in self._own_files():
            _remove(path, left, shred=path.name.startswith(self.settings_file.name))
        for folder in (self.log_dir, self.cache_dir):
            if not folder.exists():
                continue
            for path in sorted(folder.rglob("*"), reverse=True):
                if path.is_dir() and not path.is_symlink():
                    try:
                        path.rmdir()
                    except OSError:
                        left.append(path)
                else:
                    _remove(path, left, shred=True)
            shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():
                left.append(folder)
        with contextlib.suppress(OSError):  # not empty (the user's own files) or already gone
            self.data_dir.rmdir()
        return left


def _shred(path: Path) -> None:
    # Best effort: journaling file systems and SSDs may keep old blocks, but the file no
    # longer holds the text where an undelete tool looks first.
    if path.is_symlink() or not path.is_file():
        return
    with path.open("r+b") as fh:
        remaining = fh.seek(0, os.SEEK_END)
        fh.seek(0)
        zeros = bytes(SHRED_CHUNK)
        while remaining > 0:
            step = min(remaining, SHRED_CHUNK)
            fh.write(zeros[:step])
            remaining -= step
        fh.flush()
        os.fsync(fh.fileno())


def _remove(path: Path, left: list[Path], *, shred: bool) -> None:
    try:
        if shred:
            _shred(path)
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not delete %s: %s", path.name, exc)
        left.append(path)


@dataclass
class Settings:
    """User preferences kept beside the store; confidential data never goes here.

    Settings loaded from a file are bound to it: every change made through :meth:`set` or
    :meth:`set_language` is written at once (atomically), so nothing configured waits for a
    clean exit that a power cut or a crash never gives. Settings made in memory (tests,
    scripts, the self-test) have no file and are never written.
    """

    language: str = "zh_CN"
    stale_after_days: int = 7
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = field(default=None, compare=False, repr=False)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings, falling back to defaults when the file is missing or unreadable.

        The result is bound to ``path``: its changes are written there.
        """
        settings = cls(path=path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return settings
        if not isinstance(raw, dict):
            log.warning("settings file %s is not a JSON object; using defaults", path)
            return settings
        if raw.get("language") in LANGUAGES:
            settings.language = raw["language"]
        if isinstance(raw.get("stale_after_days"), int) and raw["stale_after_days"] > 0:
            settings.stale_after_days = raw["stale_after_days"]
        if isinstance(raw.get("extra"), dict):
            settings.extra = raw["extra"]
        return settings

    def get(self, key: str, default: Any = None) -> Any:
        """The value of the extra setting ``key``, or ``default``."""
        return self.extra.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Change one extra setting and write the file at once.

        Args:
            key: The setting's name.
            value: Its new value (JSON-serialisable); None removes the setting.

        Raises:
            OSError: The file could not be written (the new value stays in memory).
        """
        if value is None:
            if key not in self.extra:
                return
            self.extra.pop(key)
        else:
            if self.extra.get(key, _MISSING) == value:
                return
            self.extra[key] = value
        self.save()

    def set_language(self, code: str) -> None:
        """Choose the interface language (effective at the next start) and write the file.

        Raises:
            ValueError: ``code`` is not one of :data:`LANGUAGES`.
            OSError: The file could not be written.
        """
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        self.language = code
        self.save()

    def set_stale_after_days(self, days: int) -> None:
        """Set after how many days cached credit data counts as stale, and write the file.

        Raises:
            ValueError: ``days`` is not positive.
            OSError: The file could not be written.
        """
        if days <= 0:
            raise ValueError("stale_after_days must be positive")
        if days != self.stale_after_days:
            self.stale_after_days = days
            self.save()

    @property
    def auto_lock_minutes(self) -> int:
        """Minutes without input before the client locks (the default when unset or odd)."""
        value = self.extra.get(AUTO_LOCK_KEY, DEFAULT_AUTO_LOCK_MINUTES)
        low, high = AUTO_LOCK_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return DEFAULT_AUTO_LOCK_MINUTES
        return value

    def set_auto_lock_minutes(self, minutes: int) -> None:
        """Set the auto-lock minutes and write the file.

        Raises:
            ValueError: ``minutes`` is outside :data:`AUTO_LOCK_RANGE`.
            OSError: The file could not be written.
        """
        low, high = AUTO_LOCK_RANGE
        if isinstance(minutes, bool) or not low <= minutes <= high:
            raise ValueError(f"auto-lock minutes must be {low}…{high}")
        self.set(AUTO_LOCK_KEY, minutes)

    def to_json(self) -> bytes:
        """The file's content."""
        data = {
            "language": self.language,
            "stale_after_days": self.stale_after_days,
            "extra": self.extra,
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode()

    def detach(self) -> None:
        """Stop writing to the file (it was erased): later changes stay in memory only."""
        self.path = None

    def save(self, path: Path | None = None) -> None:
        """Write settings atomically, so a crash never leaves half a file.

        Args:
            path: Where to write; default: the file these settings were loaded from (in-memory
                settings without one are not written).
        """
        target = path or self.path
        if target is not None:
            write_atomic(target, self.to_json())


_MISSING = object()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.

    Args:
        path: The file to write.
        data: Its new content.
    """
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    # mkstemp makes the file owner-only (0600), and the rename keeps that mode.
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(folder: Path) -> None:
    # The rename itself must reach the disk too, or a power cut can bring the old file back.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def resources_dir() -> Path:
    """The ``resources`` folder, in a source checkout or inside a PyInstaller bundle."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def manual_dir() -> Path:
    """The user manual's folder (Markdown and its images), in a checkout or in a bundle.

    ``docs/manual`` in a source checkout, ``resources/manual`` inside a PyInstaller bundle.
    """
    import sys

    if getattr(sys, "_MEIPASS", None):
        return resources_dir() / "manual"
    return Path(__file__).resolve().parent.parent / "docs" / "manual"
