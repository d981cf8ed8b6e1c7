"""Server configuration from the environment (12-factor); every value has a safe default."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("credit-platform", appauthor=False))


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(raw: str) -> tuple[str, ...]:
    """Proxy addresses or networks, comma- or space-separated (``10.0.0.5, 10.1.0.0/16``).

    Raises:
        ValueError: An entry that is neither an IP address nor a network.
    """
    found = []
    for item in raw.replace(",", " ").split():
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(
                f"CREDIT_PLATFORM_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from None
    return tuple(found)


@dataclass(frozen=True)
class ServerSettings:
    """Settings of one platform instance.

    ``DATABASE_URL`` picks the database (``postgresql+psycopg://…`` in production); without it
    the platform uses a SQLite file in ``CREDIT_PLATFORM_DATA`` (default: the user data dir).

    Login limits (docs/PROTOCOL.md 2.4): ``login_max_failures`` failed attempts per account and
    source within ``login_window_s`` lock that source out for the window;
    ``login_account_max_failures`` across all sources closes the account to sources it was
    never logged in from. ``trusted_proxies`` lists the reverse proxies whose
    ``X-Forwarded-For`` names the source (empty: the TCP peer is the source).
    ``max_devices_per_user`` caps the enrolled, unrevoked devices of an account (0: no cap);
    ``refresh_clock_skew_s`` is how far a refresh signature's timestamp may be from the
    platform's clock.
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
    login_account_max_failures: int = 50
    trusted_proxies: tuple[str, ...] = ()
    max_devices_per_user: int = 5
    refresh_clock_skew_s: int = 300
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
            login_account_max_failures=_int("CREDIT_PLATFORM_LOGIN_ACCOUNT_MAX_FAILURES", 50),
            trusted_proxies=parse_proxies(os.environ.get("CREDIT_PLATFORM_TRUSTED_PROXIES", "")),
            max_devices_per_user=_int("CREDIT_PLATFORM_MAX_DEVICES", 5),
            refresh_clock_skew_s=_int("CREDIT_PLATFORM_REFRESH_CLOCK_SKEW", 300),
            max_blob_chunk_bytes=_int("CREDIT_PLATFORM_MAX_BLOB_CHUNK", 2 * 1024 * 1024),
            gzip_min_size=_int("CREDIT_PLATFORM_GZIP_MIN_SIZE", 1024),
            gzip_level=_int("CREDIT_PLATFORM_GZIP_LEVEL", 1),
            data_dir=data_dir,
        )

    @property
    def proxy_networks(self) -> tuple[Network, ...]:
        """The networks whose ``X-Forwarded-For`` is believed (none by default)."""
        return tuple(ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies)

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")
