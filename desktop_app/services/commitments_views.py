"""The commitment views: what the 信用承诺 use cases take and return, and how rows are read.

The dataclasses (:class:`CatalogMatter`, :class:`MissingMaterial`, :class:`CommitmentInput`,
:class:`CommitmentView`) and the pure helpers that turn a stored form's fields into them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_app.domain import commitments as cm
from desktop_app.domain import records
from desktop_app.domain.commitments import (
    CommitmentKind,
    CommitmentStatus,
)

_S = CommitmentStatus


@dataclass(frozen=True)
class CatalogMatter:
    """One matter of the commitment catalog (可开展信用承诺的事项)."""

    id: str
    domain: str
    matter: str
    legal_basis: str
    required_materials: tuple[str, ...]
    allowed_kinds: tuple[CommitmentKind, ...]
    authority: str
    commitment_items: tuple[str, ...]
    letter_template: str
    note: str


@dataclass(frozen=True)
class MissingMaterial:
    """A material a 容缺受理 applicant still has to supply.

    Attributes:
        name: e.g. 食品安全管理制度文本.
        form: 原件 / 复印件 / 电子件 …
        received: Whether it has arrived.
    """

    name: str
    form: str
    received: bool = False


@dataclass(frozen=True)
class CommitmentInput:
    """What the window clerk entered for a new commitment.

    Attributes:
        uscc: The entity's code (it must be in the local registry cache).
        matter_id: The catalog matter.
        kind: The commitment kind (one the matter allows).
        applicant_name: 法定代表人或委托代理人 (required).
        applicant_role: ``法定代表人`` or ``委托代理人``.
        applicant_phone: Optional phone number.
        missing_materials: 容缺受理 only (required then).
        deadline_working_days: 容缺受理 only (required then).
        publish: Whether the applicant agrees to publication.
        sign_now: False saves a draft.
        note: Free remark.
    """

    uscc: str
    matter_id: str
    kind: CommitmentKind
    applicant_name: str
    applicant_role: str = "法定代表人"
    applicant_phone: str = ""
    missing_materials: tuple[MissingMaterial, ...] = ()
    deadline_working_days: int | None = None
    publish: bool = True
    sign_now: bool = True
    note: str = ""


@dataclass(frozen=True)
class CommitmentView:
    """A commitment as the UI shows it."""

    record_id: str
    uscc: str
    entity_name: str
    matter_id: str
    matter: str
    domain: str
    legal_basis: str
    kind: CommitmentKind
    kind_label: str
    status: CommitmentStatus
    status_label: str
    applicant_name: str
    applicant_role: str
    applicant_phone: str
    signed_on: date | None
    deadline: date | None
    missing_materials: tuple[MissingMaterial, ...]
    publish: bool
    history: tuple[dict[str, str], ...]
    allowed_next: tuple[CommitmentStatus, ...]
    breach: dict[str, Any] | None
    attachments: int
    synced: bool


def _matter_of(record_id: str, matter: records.CatalogMatter) -> CatalogMatter:
    kinds = []
    for value in matter.allowed_kinds:
        try:
            kinds.append(cm.parse_kind(value))
        except cm.CommitmentError:
            continue  # a kind this build does not know: not offered
    return CatalogMatter(
        id=record_id,
        domain=matter.domain,
        matter=matter.matter,
        legal_basis=matter.legal_basis,
        required_materials=tuple(matter.required_materials),
        allowed_kinds=tuple(kinds),
        authority=matter.authority,
        commitment_items=tuple(matter.commitment_items),
        letter_template=matter.letter_template,
        note=matter.note,
    )


def _handled_by(history: Sequence[dict[str, str]]) -> str:
    # 受理窗口经办人: who signed the commitment in, else who first recorded it.
    signed = [e.get("by", "") for e in history if e.get("to") == _S.SIGNED.value]
    return (signed or [e.get("by", "") for e in history] or [""])[0]
