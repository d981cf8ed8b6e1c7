"""Server configuration from the environment (12-factor); every value has a safe default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("credit-platform", appauthor=False))


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class ServerSettings:
    """Settings of one platform instance.

    ``DATABASE_URL`` picks the database (``postgresql+psycopg://…`` in production); without it
    the platform uses a SQLite file in ``CREDIT_PLATFORM_DATA`` (default: the user data dir).
    """

    database_url: str
    blob_dir: Path
    access_ttl_s: int = 900
    refresh_ttl_s: int = 30 * 24 * 3600
    refresh_grace_s: int = 60
    max_body_bytes: int = 8 * 1024 * 1024
    max_blob_chunk_bytes: int = 2 * 1024 * 1024
    login_max_failures: int = 5
    login_window_s: int = 900
    gzip_level: int = 1
    gzip_min_size: int = 1024
    data_dir: Path = field(default_factory=_default_data_dir)

    @classmethod
    def from_env(cls) -> ServerSettings:
        """Read the environment."""
        data_dir = Path(os.environ.get("CREDIT_PLATFORM_DATA") or _default_data_dir())
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'platform.db'}"
        return cls(
            database_url=url,
            blob_dir=Path(os.environ.get("CREDIT_PLATFORM_BLOBS") or data_dir / "blobs"),
            access_ttl_s=_int("CREDIT_PLATFORM_ACCESS_TTL", 900),
            refresh_ttl_s=_int("CREDIT_PLATFORM_REFRESH_TTL", 30 * 24 * 3600),
            refresh_grace_s=_int("CREDIT_PLATFORM_REFRESH_GRACE", 60),
            max_body_bytes=_int("CREDIT_PLATFORM_MAX_BODY", 8 * 1024 * 1024),
            login_max_failures=_int("CREDIT_PLATFORM_LOGIN_MAX_FAILURES", 5),
            login_window_s=_int("CREDIT_PLATFORM_LOGIN_WINDOW", 900),
            max_blob_chunk_bytes=_int("CREDIT_PLATFORM_MAX_BLOB_CHUNK", 2 * 1024 * 1024),
            gzip_min_size=_int("CREDIT_PLATFORM_GZIP_MIN_SIZE", 1024),
            gzip_level=_int("CREDIT_PLATFORM_GZIP_LEVEL", 1),
            data_dir=data_dir,
        )

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")
