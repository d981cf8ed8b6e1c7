"""Registry records of the public credit record: their ids, and the inspection-result mirror.

The collections ``licences`` (行政许可), ``penalties`` (行政处罚) and ``public_inspections``
(公开的检查结果) are platform-owned and read-only to clients; imports, the demo seed and the
mirror below write them.

Record ids are deterministic, so importing the same decision again updates one record and the
demo seed, the importer and the mirror agree on them. Decision numbers such as
``长市监罚字〔2025〕12号`` are not valid record ids (``[A-Za-z0-9_.:-]{1,64}``), so they enter an
id as :func:`key_digest`, the first 16 hex digits of a SHA-256 of the number after NFKC
normalisation with white space removed (a full-width ``１２`` and ``12`` are one decision).

The mirror (一公开 of 双随机、一公开): an ``inspection_results`` form whose publication-feed item
is marked published gets a ``public_inspections`` record ``pi-<form id>`` in that transaction,
with a new change-sequence number (so clients pull it), ``published_on`` set, named by the
registry and the platform (never by the form's own names), and never changed again. A result
withdrawn before publication never had one. The mirror copies no credit grade or other
internal field: it is built field by field from the form.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.uscc import USCC_PATTERN
from platform_server.models import Record
from platform_server.records import Scope, delete_record, loads, put_record
from sync.protocol import Collection

MIRRORED = Collection.INSPECTION_RESULTS.value
"""The client form collection mirrored into ``public_inspections``."""

DRAW_INSPECTION_KIND = "双随机抽查"
"""``inspection_kind`` of a mirror whose form belongs to a task of a 双随机 draw."""

_RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")  # sync.protocol's RecordId
_SPACE = re.compile(r"\s+")
_MIRROR_PREFIX = "pi-"


def key_digest(text: str, digits: int = 16) -> str:
    """A short, id-safe digest of a decision number or other natural key.

    Args:
        text: The key as written (Chinese, full-width characters and spaces allowed).
        digits: Hex digits to keep.
    """
    canonical = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(canonical.encode()).hexdigest()[:digits]


def licence_id(uscc: str, licence_no: str) -> str:
    """``lic-<USCC>-<digest of the licence number>``."""
    return f"lic-{uscc}-{key_digest(licence_no)}"


def penalty_id(uscc: str, decision_no: str) -> str:
    """``pen-<USCC>-<digest of the decision number>``."""
    return f"pen-{uscc}-{key_digest(decision_no)}"


def inspection_id(uscc: str, inspected_on: str, kind: str, authority: str) -> str:
    """``insp-<USCC>-<yyyymmdd>-<digest of kind and authority>`` for an imported result.

    Imported results never start with ``pi-``, the prefix of mirrors, so an import cannot
    take the id of a form's mirror by accident.
    """
    return f"insp-{uscc}-{inspected_on.replace('-', '')}-{key_digest(f'{kind}|{authority}', 8)}"


def mirror_id(form_id: str) -> str:
    """``pi-<form id>``; a form id too long for that gets ``pi-`` + 32 hex digits of its hash."""
    candidate = _MIRROR_PREFIX + form_id
    if len(candidate) <= 64:
        return candidate
    return _MIRROR_PREFIX + hashlib.sha256(form_id.encode()).hexdigest()[:32]


def registry_scope(uscc: str) -> Scope:
    """Who sees a registry record of ``uscc``: its region (USCC positions 3–8) and entity."""
    return Scope(region_code=uscc[2:8], entity_uscc=uscc)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _live(session: Session, collection: str, record_id: str) -> dict[str, Any] | None:
    if not _RECORD_ID.fullmatch(record_id):
        return None  # only well-formed ids reach the database
    record = session.get(Record, (collection, record_id))
    if record is None or record.deleted:
        return None
    fields = loads(record.data)
    return fields if isinstance(fields, dict) else None


def mirror_fields(
    session: Session, form_id: str, form: dict[str, Any], authority: str
) -> dict[str, Any] | None:
    """The ``public_inspections`` fields of an inspection result form; None if it has no entity.

    Names come from the platform, never from the client: ``entity_name`` from the entity
    record, else the task; ``authority`` (检查机关) is the unit the platform derives for the
    form. ``inspection_kind`` is ``双随机抽查`` for a task of a draw, else the form's;
    ``result`` is the form's ``result``, else its ``conclusion``.

    Args:
        session: The caller's transaction.
        form_id: The form's record id (becomes ``source``).
        form: The form's stored fields.
        authority: The inspecting unit (``publication.form_unit``).
    """
    uscc = form.get("uscc")
    if not isinstance(uscc, str) or not USCC_PATTERN.fullmatch(uscc):
        return None
    task_id = form.get("task_id")
    task = (
        _live(session, Collection.INSPECTION_TASKS.value, task_id)
        if isinstance(task_id, str)
        else None
    )
    entity = _live(session, Collection.ENTITIES.value, uscc)
    name = _text((entity or {}).get("name")) or _text((task or {}).get("entity_name"))
    kind = _text(form.get("inspection_kind"))
    if task is not None and task.get("draw_id"):
        kind = DRAW_INSPECTION_KIND
    values = {
        "uscc": uscc,
        "entity_name": name,
        "inspected_on": _text(form.get("inspected_on")),
        "inspection_kind": kind,
        "authority": _text(authority),
        "result": _text(form.get("result")) or _text(form.get("conclusion")),
        "source": form_id,
    }
    return {k: v for k, v in values.items() if v is not None}


def _own_mirror(session: Session, form_id: str) -> Record | None:
    """The live mirror of ``form_id``; None if absent, deleted, or another record's id."""
    record = session.get(Record, (Collection.PUBLIC_INSPECTIONS.value, mirror_id(form_id)))
    if record is None or record.deleted:
        return None
    if loads(record.data).get("source") != form_id:
        return None  # e.g. an import given this id explicitly: not ours to change
    return record


def put_mirror(
    session: Session, form_id: str, form: dict[str, Any], authority: str
) -> Record | None:
    """Create or update the mirror of an inspection result whose item is being published.

    Fields the form does not supply (e.g. an ``authority`` completed by an import of the same
    record) are kept. A new version is stored only when something changed.

    Args:
        session: The push transaction.
        form_id: The form's record id.
        form: The form's stored fields.
        authority: The inspecting unit the platform derives.

    Returns:
        The mirror, or None when the form has no valid entity or the id holds another record.
    """
    fields = mirror_fields(session, form_id, form, authority)
    if fields is None:
        return None
    record_id = mirror_id(form_id)
    record = session.get(Record, (Collection.PUBLIC_INSPECTIONS.value, record_id))
    if record is not None and not record.deleted:
        current = loads(record.data)
        if current.get("source") != form_id:
            return None
        if {**current, **fields} == current:
            return record
    return put_record(
        session,
        Collection.PUBLIC_INSPECTIONS.value,
        record_id,
        fields,
        registry_scope(fields["uscc"]),
    )


def withdraw_mirror(session: Session, form_id: str) -> Record | None:
    """Tombstone the mirror of ``form_id`` (its feed item was withdrawn before publication).

    Returns:
        The tombstone, or None when there was no live mirror.
    """
    record = _own_mirror(session, form_id)
    return None if record is None else delete_record(session, record)


def stamp_published(session: Session, form_id: str, published_on: date) -> Record | None:
    """Record on the mirror the China date its feed item went online (first time only).

    Returns:
        The mirror, or None when there is none.
    """
    record = _own_mirror(session, form_id)
    if record is None or loads(record.data).get("published_on"):
        return record
    return put_record(
        session,
        Collection.PUBLIC_INSPECTIONS.value,
        record.record_id,
        {"published_on": published_on.isoformat()},
        Scope(),
    )
