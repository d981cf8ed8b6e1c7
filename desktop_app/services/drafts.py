"""Drafts: what a user typed into a form and has not saved, kept so a crash loses nothing.

Every form that takes typing (new commitment, education session and check-in, inspection
result) hands its fields to :meth:`DraftService.save` a second after each change, on the
database worker. The fields are plain JSON values (text, numbers, booleans, lists and objects
of them); the service serialises them into the ``drafts`` table inside the encrypted store.
Saving the form, or deliberately discarding it, deletes its draft; a draft still present at
the next start is what a crash or a killed process left behind, and the page offers it back.

The service knows nothing of widgets: pages collect their widgets' values into a dict and put
a restored dict back into their widgets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_app.store.database import Store
from desktop_app.store.drafts import DraftRepository

__all__ = ["Draft", "DraftService"]

MAX_DRAFT_CHARS = 1_000_000


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Draft:
    """One form's unsaved input.

    Attributes:
        key: The form slot (``commitment.new``, ``inspection.result`` …).
        label: What the draft is, in words (shown in the restore prompt).
        fields: The form's fields as the form collected them.
        updated_at: When it was last written (UTC, naive).
    """

    key: str
    label: str
    fields: dict[str, Any]
    updated_at: datetime

    def text(self, name: str) -> str | None:
        """Field ``name`` when it holds text; None when it is missing or of another type.

        A draft is what an older or newer form version saved, so a page restoring it reads
        each value through this rather than trusting the type.
        """
        saved: dict[str, Any] = self.fields
        value = saved.get(name)
        return value if isinstance(value, str) else None


def _check_json(value: Any, path: str = "") -> None:
    # Refuse what JSON would store differently from what the form gave (a tuple becomes a
    # list, a float NaN is not JSON): a restored form must get back exactly what it put in.
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"draft field {path or '/'} is not a finite number")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, f"{path}/{i}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"draft field {path or '/'} has a non-text key {key!r}")
            _check_json(item, f"{path}/{key}")
        return
    raise ValueError(f"draft field {path or '/'} is a {type(value).__name__}, not JSON")


def encode_fields(fields: dict[str, Any]) -> str:
    """The JSON text stored for ``fields``.

    Raises:
        ValueError: A value is not plain JSON, or the draft is unreasonably large.
    """
    _check_json(fields)
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_DRAFT_CHARS:
        raise ValueError("draft too large")
    return text


def decode_fields(text: str) -> dict[str, Any]:
    """The fields stored as ``text``; ``{}`` for anything that is not a JSON object."""
    try:
        value = json.loads(text)
    except (TypeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


class DraftService:
    """Save, load and delete form drafts in the encrypted store (one transaction each).

    Args:
        store: The open store.
        clock: Returns the current UTC time (tests pass a fixed one).
    """

    def __init__(self, store: Store, clock: Callable[[], datetime] = _utcnow) -> None:
        self._store = store
        self._clock = clock

    def save(self, key: str, fields: dict[str, Any], label: str = "") -> None:
        """Keep ``fields`` as the draft of form slot ``key`` (replacing an older one).

        Raises:
            ValueError: ``key`` is empty or a field is not plain JSON.
        """
        if not key:
            raise ValueError("a draft needs a key")
        data = encode_fields(fields)
        with self._store.write() as s:
            DraftRepository(s).put(key, label, data, self._clock())

    def load(self, key: str) -> Draft | None:
        """The draft of ``key``, or None when there is none."""
        with self._store.read() as s:
            row = DraftRepository(s).get(key)
            if row is None:
                return None
            return Draft(row.key, row.label, decode_fields(row.data), row.updated_at)

    def delete(self, key: str) -> bool:
        """Forget the draft of ``key`` (saved or discarded); whether there was one."""
        with self._store.write() as s:
            return DraftRepository(s).remove(key)

    def pending(self) -> list[Draft]:
        """Every draft left in the store, the newest first."""
        with self._store.read() as s:
            return [
                Draft(r.key, r.label, decode_fields(r.data), r.updated_at)
                for r in DraftRepository(s).all()
            ]
