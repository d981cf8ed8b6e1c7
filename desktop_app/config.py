"""Where a profile keeps its files, and the few settings that live outside the store.

A profile is one data folder: the encrypted database, its key header, logs and settings.
``--data-dir`` picks another folder, so tests and a second user on one machine never share
a store.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app import APP_NAME

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")


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

    def ensure(self) -> None:
        """Create the data folder with owner-only permissions."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.data_dir, 0o700)


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

    def to_json(self) -> bytes:
        """The file's content."""
        data = {
            "language": self.language,
            "stale_after_days": self.stale_after_days,
            "extra": self.extra,
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode()

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
    path.parent.mkdir(parents=True, exist_ok=True)
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
