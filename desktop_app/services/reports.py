"""出具信用报告: issue a signed credit report from the local store, list and reprint it.

Issuing is one write transaction: allocate the report number, read the entity's records, build
the document, sign its QR fields, store the exact document and write the audit row. A crash
leaves either all of it or none. Reprints draw the stored document, so they are exactly the
same report (same number, same QR code); each reprint is audited too.

Signing needs the device's Ed25519 key, which the sync layer owns: the composition root hands
in a :class:`ReportSigner` (``sync.report_signing.DeviceReportSigner``). Registration with the
platform happens at the next sync (``sync.report_registry``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_record
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.clock import CHINA_TZ
from desktop_app.reports.credit_report import (
    DEFAULT_STALE_DAYS,
    DOC_TYPE,
    PURPOSES,
    CreditRecords,
    EntityFacts,
    ReportInputError,
    ReportOptions,
    build_credit_report,
)
from desktop_app.reports.document import Document
from desktop_app.services.calendar import local_policy
from desktop_app.services.entities import card_of
from desktop_app.services.entity_records import (
    attendance,
    local_entries,
    memberships,
    public_inspections,
    reference_records,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.report_qr import qr_content
from desktop_app.services.status import LAST_SYNC_KEY
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.models import Entity, IssuedReport
from desktop_app.store.outbox import SyncStateRepo

NUMBER_PREFIX = "XYBG"
DRAFT_NUMBER = "预览-未出具"
DRAFT_WATERMARK = "预览样稿 不作为信用报告使用"
LIST_LIMIT = 500

__all__ = [
    "DEFAULT_STALE_DAYS",
    "PURPOSES",
    "IssueRequest",
    "IssuedReportRow",
    "ReportService",
    "ReportSigner",
    "SignedReport",
]


class ReportSigner(Protocol):
    """Signs a report's QR fields with this device's key (see ``sync.report_signing``)."""

    def device_id(self) -> str:
        """This device's id as enrolled on the platform (loads or makes the key)."""
        ...

    def sign_report(self, report_no: str, uscc: str, issued_at: datetime, digest: str) -> str:
        """The QR payload text for these fields, signed by the device key."""
        ...


@dataclass(frozen=True)
class IssueRequest:
    """What the window clerk chose for a new report.

    Attributes:
        purpose: One of :data:`PURPOSES`.
        issuing_unit: 出具单位.
        purpose_detail: The use when ``purpose`` is 其他.
        watermark: Optional text over every page (e.g. 仅供招标投标使用).
        stale_after_days: Warn on the cover when the local data is older than this.
    """

    purpose: str
    issuing_unit: str
    purpose_detail: str = ""
    watermark: str = ""
    stale_after_days: int = DEFAULT_STALE_DAYS


@dataclass(frozen=True)
class SignedReport:
    """An issued report, ready to render."""

    report_no: str
    document: Document
    payload: str
    stale_warning: str


@dataclass(frozen=True)
class IssuedReportRow:
    """One line of the 已出具报告 list."""

    report_no: str
    uscc: str
    entity_name: str
    purpose: str
    issued_at: datetime  # China time, aware (desktop_app.domain.clock)
    actor: str
    registered: bool
    register_error: str
    reprints: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


def gather_records(s: Session, entity: Entity) -> CreditRecords:
    """Every record the local store holds about ``entity``, unfiltered (the builder filters).

    The credit entries are the city-wide record pulled from the platform with this device's
    own forms merged in (:func:`desktop_app.services.entity_records.local_entries`): the
    report prints what the card and the 容缺受理 check see.
    """
    uscc = entity.uscc
    return CreditRecords(
        licences=reference_records(s, uscc, "licences"),
        penalties=reference_records(s, uscc, "penalties"),
        memberships=memberships(s, entity),
        entries=credit_record.merge_entries(
            reference_records(s, uscc, credit_record.ENTRY_COLLECTION), local_entries(s, uscc)
        ),
        attendance=attendance(s, uscc),
        inspections=public_inspections(s, uscc),
        policy=local_policy(s),
    )


def data_as_of(s: Session) -> datetime | None:
    """When this device last finished a sync (local, aware), or None if never."""
    text = SyncStateRepo(s).get(LAST_SYNC_KEY)
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").astimezone()
    except ValueError:
        return None


def _next_number(s: Session, device_id: str, day: str) -> str:
    prefix = f"{NUMBER_PREFIX}-{day}-{device_id[:8].upper()}-"
    issued = s.scalar(
        select(func.count())
        .select_from(IssuedReport)
        .where(IssuedReport.report_no.startswith(prefix, autoescape=True))
    )
    return f"{prefix}{int(issued or 0) + 1:04d}"


class ReportService:
    """Issue, list and reprint credit reports on one store."""

    def __init__(self, store: Store, actor: str, signer: ReportSigner | None) -> None:
        self._store = store
        self.actor = actor
        self._signer = signer

    @staticmethod
    def purposes() -> tuple[str, ...]:
        """The purposes a report may be issued for (报告用途)."""
        return PURPOSES

    def draft(self, entity_id: int, request: IssueRequest) -> Document:
        """A preview of the report: not numbered, not signed, not stored, not audited.

        Its number reads 预览 and a watermark says it is not a report, so a printed preview
        can never pass for one.

        Raises:
            ServiceError: The entity is not cached, or an option is missing.
        """
        moment = _utcnow().replace(microsecond=0)
        with self._store.read() as s:
            document, _options, _entity = self._build(
                s, entity_id, request, DRAFT_NUMBER, moment.astimezone(CHINA_TZ), draft=True
            )
        return document

    def _build(
        self,
        s: Session,
        entity_id: int,
        request: IssueRequest,
        number: str | None,
        local: datetime,
        *,
        draft: bool = False,
        device_id: str = "",
    ) -> tuple[Document, ReportOptions, Entity]:
        entity = s.get(Entity, entity_id)
        if entity is None:
            raise ServiceError.of("report.entity_not_cached")
        if not draft and uscc_rules.USCC_PATTERN.fullmatch(entity.uscc) is None:
            raise ServiceError.of("report.uscc_invalid", uscc=entity.uscc)
        card = card_of(entity)
        facts = EntityFacts(
            uscc=card.uscc,
            name=card.name,
            legal_representative=card.legal_representative,
            address=card.address,
            region=card.region,
            industry=card.industry,
            status=card.status,
            entity_category=card.entity_category,
            registration_authority=card.registration_authority,
        )
        if number is None:
            number = _next_number(s, device_id, local.strftime("%Y%m%d"))
        options = ReportOptions(
            purpose=request.purpose,
            purpose_detail=request.purpose_detail,
            issuing_unit=request.issuing_unit,
            report_no=number,
            issued_at=local,
            data_as_of=data_as_of(s),
            stale_after_days=request.stale_after_days,
            watermark=DRAFT_WATERMARK if draft else request.watermark,
        )
        try:
            document = build_credit_report(facts, gather_records(s, entity), options)
        except ReportInputError as exc:
            raise ServiceError(str(exc)) from None
        return document, options, entity

    def issue(self, entity_id: int, request: IssueRequest) -> SignedReport:
        """Issue, sign, store and audit a credit report for one cached entity.

        Args:
            entity_id: The entity (from 主体查询).
            request: Purpose, issuing unit, watermark, staleness threshold.

        Returns:
            The signed report (render it with ``ui.printing``).

        Raises:
            ServiceError: Nothing was stored: the entity is not cached, an option is missing,
                or this device cannot sign.
        """
        if self._signer is None:
            raise ServiceError.of("report.signer_unavailable")
        device_id = self._signer.device_id()  # before the transaction: it may write the key
        moment = _utcnow().replace(microsecond=0)
        with self._store.write() as s:
            document, options, entity = self._build(
                s, entity_id, request, None, moment.astimezone(CHINA_TZ), device_id=device_id
            )
            number = options.report_no
            digest = hashlib.sha256(document.content_bytes()).hexdigest()
            payload = self._signer.sign_report(number, entity.uscc, moment, digest)
            document = document.with_qr(*qr_content(self._signer, payload, document.qr_caption))
            s.add(
                IssuedReport(
                    report_no=number,
                    doc_type=DOC_TYPE,
                    uscc=entity.uscc,
                    entity_name=entity.name,
                    purpose=options.purpose_text(),
                    issued_at=moment.replace(tzinfo=None),
                    actor=self.actor,
                    document=document.to_json(),
                    content_digest=digest,
                    payload=payload,
                    device_id=device_id,
                    reprints=0,
                )
            )
            audit.append(
                s,
                actor=self.actor,
                action="report.issued",
                subject_type="entity",
                subject_id=entity.uscc,
                details={
                    "report_no": number,
                    "purpose": options.purpose_text(),
                    "digest": digest,
                    "watermark": options.watermark,
                },
            )
        cover = document.cover
        return SignedReport(number, document, payload, cover.warning if cover else "")

    def issued(self, query: str = "", limit: int = LIST_LIMIT) -> list[IssuedReportRow]:
        """The 已出具报告 list, newest first; ``query`` matches number, code or name."""
        stmt = select(IssuedReport).order_by(IssuedReport.issued_at.desc()).limit(limit)
        query = query.strip()
        if query:
            like = f"%{query}%"
            stmt = stmt.where(
                IssuedReport.report_no.like(like)
                | IssuedReport.uscc.like(like.upper())
                | IssuedReport.entity_name.like(like)
            )
        with self._store.read() as s:
            return [
                IssuedReportRow(
                    report_no=r.report_no,
                    uscc=r.uscc,
                    entity_name=r.entity_name,
                    purpose=r.purpose,
                    issued_at=r.issued_at.replace(tzinfo=UTC).astimezone(CHINA_TZ),
                    actor=r.actor,
                    registered=r.registered_at is not None,
                    register_error=r.register_error or "",
                    reprints=r.reprints,
                )
                for r in s.scalars(stmt)
            ]

    def reprint(self, report_no: str) -> Document:
        """The stored document of an issued report, for an exact reprint (audited).

        Raises:
            ServiceError: No such report on this device, or its stored copy is damaged.
        """
        with self._store.write() as s:
            row = s.get(IssuedReport, report_no)
            if row is None:
                raise ServiceError.of("report.not_found", report_no=report_no)
            try:
                document = Document.from_json(row.document)
            except ValueError:
                raise ServiceError.of("report.archive_damaged", report_no=report_no) from None
            row.reprints += 1
            audit.append(
                s,
                actor=self.actor,
                action="report.reprinted",
                subject_type="entity",
                subject_id=row.uscc,
                details={"report_no": report_no, "reprint": row.reprints},
            )
        return document

    def pending_registration(self) -> int:
        """Reports the platform has not registered yet."""
        with self._store.read() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(IssuedReport)
                    .where(IssuedReport.registered_at.is_(None))
                )
                or 0
            )
