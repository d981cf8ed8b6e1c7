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
from dataclasses import asdict, dataclass, field
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
    """User preferences kept beside the store; confidential data never goes here."""

    language: str = "zh_CN"
    stale_after_days: int = 7
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings, falling back to defaults when the file is missing or unreadable."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        settings = cls()
        if raw.get("language") in LANGUAGES:
            settings.language = raw["language"]
        if isinstance(raw.get("stale_after_days"), int) and raw["stale_after_days"] > 0:
            settings.stale_after_days = raw["stale_after_days"]
        if isinstance(raw.get("extra"), dict):
            settings.extra = raw["extra"]
        return settings

    def save(self, path: Path) -> None:
        """Write settings atomically, so a crash never leaves half a file."""
        write_atomic(path, json.dumps(asdict(self), ensure_ascii=False, indent=2).encode())


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


def resources_dir() -> Path:
    """The ``resources`` folder, in a source checkout or inside a PyInstaller bundle."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
