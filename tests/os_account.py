"""The OS account check's stand-in for tests (auto-lock, relock, the lock mark at start-up).

The real checks (PAM, ``LogonUserW``) need a real account password; tests give this one the
password it accepts and read back what it was asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeAccount:
    """Accepts one password; ``usable=False`` plays a machine where nothing can check it."""

    password: str = "os-secret"
    usable: bool = True
    tried: list[str] = field(default_factory=list)

    @property
    def user(self) -> str:
        """The account's name, as the lock prompt shows it."""
        return "clerk"

    def available(self) -> bool:
        """Whether the check can run here."""
        return self.usable

    def verify(self, password: str) -> bool:
        """Whether ``password`` is the account's (and remember it was tried)."""
        self.tried.append(password)
        return password == self.password
