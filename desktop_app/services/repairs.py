"""信用修复 and 异议 at the window: what can be applied for, intake (offline), the queue.

The rules are :mod:`desktop_app.domain.repair` with the city's ``repair`` policy as pulled
(:func:`desktop_app.services.calendar.local_policy`): the window refuses an application before
the minimum publication period, saying the earliest date, exactly as the platform will. Intake
is a client form (``repair_applications`` / ``objections``) and its outbox entry in one unit of
work, audited; the due date is computed here with the pulled calendar for the 受理回执 and
derived again by the platform, which also decides (supervisors of the unit that made the record,
through the platform). The queue lists the applications this device holds — a hall's own, or a
supervisor's region — by due date, with what is overdue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from desktop_app.domain import credit_record, disclosure, records
from desktop_app.domain import repair as rules
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.clock import CHINA_TZ, china_now
from desktop_app.domain.commitments import CommitmentKind, CommitmentStatus, record_transition
from desktop_app.domain.working_days import CalendarUnknown
from desktop_app.reports import objection_letters
from desktop_app.reports import repair_letters as letters
from desktop_app.reports.document import Document
from desktop_app.services.calendar import local_calendar, local_policy
from desktop_app.services.entity_records import public_credit
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields, new_record_id
from desktop_app.services.report_qr import qr_content
from desktop_app.services.reports import ReportSigner
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import FormRecord, IssuedReport

REPAIR_LEGAL_BASIS = "《信用修复管理办法》（国家发展改革委令第36号）"
"""What a 信用修复承诺 rests on (DOMAIN.md, credit repair)."""

REPAIRS = "repair_applications"
OBJECTIONS = "objections"

__all__ = [
    "ApplicationView",
    "ObjectionInput",
    "RecordChoice",
    "RepairInput",
    "RepairService",
]


@dataclass(frozen=True)
class RecordChoice:
    """A record of the entity's public credit record an application can name.

    Attributes:
        source_collection: The form's collection.
        source_id: The form's id.
        kind: ``commitment`` / ``dishonesty`` / ``warning`` / ``interview``.
        title: What it is.
        decided_on: Its decision date.
        severity: 轻微 / 一般 / 严重 (失信 only).
        repairable: A 失信记录 (a repair may name it).
        earliest: The first day a repair may be applied for (失信 only).
        mark: 异议处理中 / 信用修复办理中, or "".
        authority: The unit that made the record (it decides), when the record names it.
    """

    source_collection: str
    source_id: str
    kind: str
    title: str
    decided_on: str
    severity: str
    repairable: bool
    earliest: date | None
    mark: str
    authority: str = ""


@dataclass(frozen=True)
class RepairInput:
    """A repair application as the clerk fills it in."""

    uscc: str
    source_id: str
    way: rules.RepairWay
    statement: str
    applicant_name: str
    applicant_phone: str = ""
    materials: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectionInput:
    """An objection as the clerk fills it in."""

    uscc: str
    source_collection: str
    source_id: str
    objector_name: str
    disputed: str
    objector_role: str = ""
    objector_phone: str = ""
    evidence: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApplicationView:
    """One application in the queue.

    Attributes:
        kind: ``repair`` or ``objection``.
        record_id: The application (also its number on the 受理回执).
        fields: Its fields as stored.
        due_on: When a decision is due ("" when unknown).
        overdue: Undecided past its due date.
        synced: The platform has accepted it.
    """

    kind: str
    record_id: str
    fields: dict[str, Any]
    due_on: str
    overdue: bool
    synced: bool

    @property
    def number(self) -> str:
        """受理编号 as printed on the receipt."""
        return letters.document_number("YS" if self.kind == "objection" else "XS", self.record_id)

    @property
    def decided(self) -> bool:
        """A decision has come back from the platform."""
        return bool(self.fields.get("decision"))


def _mark(entry: Any) -> str:
    if entry.get("objection") == credit_record.OBJECTION_PENDING:
        return "异议处理中"
    if entry.get("repair") == credit_record.REPAIR_APPLYING:
        return "信用修复办理中"
    return ""


class RepairService:
    """Repair applications and objections on one store.

    Args:
        store: The unlocked store.
        actor: The 经办人 (audited).
        clock: Now (injected, so tests choose the day).
        signer: Signs each letter's QR code with the device key (as credit reports are);
            without it letters print without a QR code.
    """

    def __init__(
        self,
        store: Store,
        actor: str,
        clock: Callable[[], datetime] = china_now,
        signer: ReportSigner | None = None,
    ) -> None:
        self._store = store
        self.actor = actor
        self._clock = clock
        self._signer = signer

    def _today(self) -> date:
        return self._clock().date()

    def choices(self, uscc: str) -> list[RecordChoice]:
        """The records of the entity's public credit record, newest first.

        Raises:
            ServiceError: The entity is not cached.
        """
        today = self._today()
        with self._store.read() as s:
            entity = EntityRepository(s).get_by_uscc(uscc)
            if entity is None:
                raise ServiceError.of("entity.not_cached")
            record = public_credit(s, entity, today)
            months = local_policy(s).repair_min_months
        out: list[RecordChoice] = []
        for entry in (
            *record.dishonesty,
            *record.commitments,
            *record.warnings,
            *record.interviews,
        ):
            repairable = entry.get("kind") == credit_record.DISHONESTY
            decided = str(entry.get("decided_on") or "")
            earliest = None
            if repairable and decided:
                earliest = rules.earliest_application(
                    date.fromisoformat(decided), str(entry.get("severity") or "general"), months
                )
            severity = str(entry.get("severity") or "")
            out.append(
                RecordChoice(
                    source_collection=str(entry.get("source_collection")),
                    source_id=str(entry.get("source_id")),
                    kind=str(entry.get("kind")),
                    title=str(entry.get("title") or ""),
                    decided_on=decided,
                    severity=disclosure.SEVERITY_LABELS[disclosure.parse_severity(severity)]
                    if severity
                    else "",
                    repairable=repairable,
                    earliest=earliest,
                    mark=_mark(entry),
                    authority=str(entry.get("authority") or ""),
                )
            )
        return out

    def _choice(self, uscc: str, collection: str, source_id: str) -> RecordChoice:
        for choice in self.choices(uscc):
            if (choice.source_collection, choice.source_id) == (collection, source_id):
                return choice
        raise ServiceError.of("repair.target_missing")

    def _due(self, s: Any, days: int) -> str:
        try:
            return rules.due_date(self._today(), local_calendar(s), days).isoformat()
        except CalendarUnknown:
            return ""

    def apply_repair(self, data: RepairInput) -> ApplicationView:
        """Take a repair application (offline too); audited.

        Raises:
            ServiceError: The record is not in the public record, the minimum publication
                period has not passed (the message gives the earliest date), or a field is
                missing. Nothing is saved then.
        """
        choice = self._choice(data.uscc, "dishonesty_records", data.source_id)
        if not choice.repairable or choice.earliest is None:
            raise ServiceError.of("repair.not_repairable")
        if choice.mark == "信用修复办理中":
            raise ServiceError.of("repair.in_progress")
        today = self._today()
        if today < choice.earliest:
            raise ServiceError.of(
                "repair.too_early", title=choice.title, earliest=choice.earliest.isoformat()
            )
        if not data.statement.strip() or not data.applicant_name.strip():
            raise ServiceError.of("repair.fields_missing")
        fields: dict[str, Any] = {
            "uscc": data.uscc,
            "source_collection": "dishonesty_records",
            "source_id": data.source_id,
            "way": data.way.value,
            "statement": data.statement.strip(),
            "applicant_name": data.applicant_name.strip(),
            "applicant_phone": data.applicant_phone.strip(),
            "materials": [m.strip() for m in data.materials if m.strip()],
            "attachments": list(data.attachments),
            "received_on": today.isoformat(),
            "record_title": choice.title,
            "record_decided_on": choice.decided_on,
            "record_severity": choice.severity,
            "deciding_unit": choice.authority,
        }
        return self._take(REPAIRS, fields, "repair.applied")

    def apply_objection(self, data: ObjectionInput) -> ApplicationView:
        """Take an objection against a record of the public credit record; audited.

        Raises:
            ServiceError: The record is not in the public record, one is being checked
                already, or a field is missing. Nothing is saved then.
        """
        choice = self._choice(data.uscc, data.source_collection, data.source_id)
        if choice.mark == "异议处理中":
            raise ServiceError.of("objection.in_progress")
        if not data.disputed.strip() or not data.objector_name.strip():
            raise ServiceError.of("objection.fields_missing")
        fields: dict[str, Any] = {
            "uscc": data.uscc,
            "source_collection": data.source_collection,
            "source_id": data.source_id,
            "objector_name": data.objector_name.strip(),
            "objector_role": data.objector_role.strip(),
            "objector_phone": data.objector_phone.strip(),
            "disputed": data.disputed.strip(),
            "evidence": data.evidence.strip(),
            "attachments": list(data.attachments),
            "received_on": self._today().isoformat(),
            "record_title": choice.title,
            "record_decided_on": choice.decided_on,
            "record_kind": choice.kind,
            "deciding_unit": choice.authority,
        }
        return self._take(OBJECTIONS, fields, "objection.taken")

    def _take(self, collection: str, fields: dict[str, Any], action: str) -> ApplicationView:
        with self._store.write() as s:
            policy = local_policy(s)
            days = (
                policy.repair_working_days
                if collection == REPAIRS
                else policy.objection_working_days
            )
            fields["due_on"] = self._due(s, days)  # shown on the receipt; the platform re-derives
            entity = EntityRepository(s).get_by_uscc(str(fields["uscc"]))
            fields["entity_name"] = entity.name if entity is not None else ""
            record_id = new_record_id()
            if collection == REPAIRS:
                fields["commitment_id"] = self._pledge(s, fields, record_id)
            LocalForms(s).create(collection, fields, record_id)
            audit.append(
                s,
                actor=self.actor,
                action=action,
                subject_type=collection,
                subject_id=record_id,
                details={
                    "uscc": fields["uscc"],
                    "record": f"{fields['source_collection']}/{fields['source_id']}",
                },
            )
        return self.get(collection, record_id)

    def _pledge(self, s: Any, application: dict[str, Any], application_id: str) -> str:
        """The public 信用修复承诺 as a commitment form of its own (kind 信用修复), signed now.

        It syncs, is published like every public commitment, and is what the 信用修复承诺书
        prints; the application names it (``commitment_id``).
        """
        now = self._clock().replace(microsecond=0, tzinfo=None)
        number = letters.document_number("XS", application_id)
        items = "\n".join(f"{i}. {t}" for i, t in enumerate(letters.REPAIR_COMMITMENT_ITEMS, 1))
        fields: dict[str, Any] = {
            "uscc": application["uscc"],
            "entity_name": application["entity_name"],
            "matter_id": "",
            "matter": f"信用修复（{application['record_title']}）",
            "domain": "信用修复",
            "legal_basis": REPAIR_LEGAL_BASIS,
            "authority": application["deciding_unit"],
            "kind": CommitmentKind.REPAIR.value,
            "status": CommitmentStatus.SIGNED.value,
            "signed_on": now.date().isoformat(),
            "applicant_name": application["applicant_name"],
            "applicant_phone": application["applicant_phone"],
            "publish": True,
            "note": f"随信用修复申请 {number} 签署",
            "created_at": now.isoformat(),
            "text": f"本单位申请信用修复，郑重承诺：\n{items}",
            "history": record_transition(
                [], None, CommitmentStatus.SIGNED, now, self.actor, f"随信用修复申请 {number} 签署"
            ),
        }
        try:
            records.Commitment.check(fields)  # the platform's rule, before anything is saved
        except records.RecordInvalid as exc:
            raise ServiceError(str(exc), exc.code) from None
        record_id = LocalForms(s).create("commitments", fields)
        audit.append(
            s,
            actor=self.actor,
            action="commitment.created",
            subject_type="commitments",
            subject_id=record_id,
            details={"uscc": fields["uscc"], "kind": fields["kind"], "application": number},
        )
        return record_id

    def letter(
        self,
        collection: str,
        record_id: str,
        issuing_unit: str,
        issued_at: datetime | None = None,
        *,
        commitment: bool = False,
    ) -> Document:
        """The application's letter now (receipt, or the decision once it came back); audited.

        With ``commitment``: the 信用修复承诺书 of a repair application.

        Raises:
            ServiceError: Unknown application or facts that would print a wrong letter.
        """
        view = self.get(collection, record_id)
        if issued_at is None:
            now = self._clock()  # China's wall time, naive (desktop_app.domain.clock)
            issued_at = now.replace(tzinfo=CHINA_TZ) if now.tzinfo is None else now
        moment = issued_at.replace(microsecond=0)
        device_id = self._signer.device_id() if self._signer is not None else ""
        with self._store.write() as s:
            entity = EntityRepository(s).get_by_uscc(str(view.fields.get("uscc") or ""))
            name = entity.name if entity is not None else str(view.fields.get("entity_name") or "")
            if commitment and view.kind != "repair":
                raise ServiceError.of("repair.not_repairable")
            pledge = self._pledge_view(s, view) if commitment else None
            document = build_letter(view, name, issuing_unit, moment, commitment, pledge)
            issued = s.get(IssuedReport, document.number)
            if issued is not None:  # printed before: the same letter, the same QR code
                try:
                    document = Document.from_json(issued.document)
                except ValueError:
                    raise ServiceError.of(
                        "report.archive_damaged", report_no=document.number
                    ) from None
                issued.reprints += 1
                action = "repair.letter_reprinted"
            else:
                document = self._sign(s, document, view, name, moment, device_id)
                action = "repair.letter_printed"
            audit.append(
                s,
                actor=self.actor,
                action=action,
                subject_type=collection,
                subject_id=record_id,
                details={"doc_type": document.doc_type, "number": document.number},
            )
        return document

    def _sign(
        self,
        s: Any,
        document: Document,
        view: ApplicationView,
        entity_name: str,
        moment: datetime,
        device_id: str,
    ) -> Document:
        """Sign the letter's QR fields, keep it for exact reprints and for registration."""
        uscc = str(view.fields.get("uscc") or "")
        if self._signer is None or uscc_rules.USCC_PATTERN.fullmatch(uscc) is None:
            return document
        issued_at = moment.astimezone(UTC)
        digest = hashlib.sha256(document.content_bytes()).hexdigest()
        payload = self._signer.sign_report(document.number, uscc, issued_at, digest)
        document = document.with_qr(*qr_content(self._signer, payload, document.qr_caption))
        s.add(
            IssuedReport(
                report_no=document.number,
                doc_type=document.doc_type,
                uscc=uscc,
                entity_name=entity_name,
                purpose=document.title,
                issued_at=issued_at.replace(tzinfo=None),
                actor=self.actor,
                document=document.to_json(),
                content_digest=digest,
                payload=payload,
                device_id=device_id,
                reprints=0,
            )
        )
        return document

    @staticmethod
    def _pledge_view(s: Any, view: ApplicationView) -> tuple[str, str] | None:
        """The application's 信用修复承诺 (record id, signed date), when it has one here."""
        pledge_id = str(view.fields.get("commitment_id") or "")
        row = s.get(FormRecord, ("commitments", pledge_id)) if pledge_id else None
        if row is None:
            return None
        signed = str(load_fields(row.data).get("signed_on") or "")
        return pledge_id, signed

    def attach_scan(
        self, collection: str, record_id: str, content: bytes, filename: str, mime_type: str
    ) -> str:
        """Keep a scan of the materials or evidence with the application; audited.

        Encrypted in the store like every attachment; the next push uploads it (resumably)
        before the change that cites it.

        Returns:
            The file's SHA-256.

        Raises:
            ServiceError: No such application, or the file is too large.
        """
        with self._store.write() as s:
            sha = LocalForms(s).attach(collection, record_id, content, filename, mime_type)
            audit.append(
                s,
                actor=self.actor,
                action="repair.attachment",
                subject_type=collection,
                subject_id=record_id,
                details={"sha256": sha, "filename": filename},
            )
        return sha

    def get(self, collection: str, record_id: str) -> ApplicationView:
        """One application.

        Raises:
            ServiceError: Not on this device.
        """
        with self._store.read() as s:
            row = s.get(FormRecord, (collection, record_id))
            if row is None or row.deleted:
                raise ServiceError.of("repair.not_found")
            return self._view(row, self._today())

    @staticmethod
    def _view(row: FormRecord, today: date) -> ApplicationView:
        fields = load_fields(row.data)
        due = str(fields.get("due_on") or "")
        return ApplicationView(
            kind="repair" if row.collection == REPAIRS else "objection",
            record_id=row.record_id,
            fields=fields,
            due_on=due,
            overdue=bool(due) and not fields.get("decision") and due < today.isoformat(),
            synced=row.version is not None,
        )

    def queue(self, pending_only: bool = False) -> list[ApplicationView]:
        """The applications this device holds, undecided first by due date, then decided."""
        today = self._today()
        with self._store.read() as s:
            rows = s.scalars(
                select(FormRecord).where(
                    FormRecord.collection.in_((REPAIRS, OBJECTIONS)), FormRecord.deleted.is_(False)
                )
            )
            views = [self._view(r, today) for r in rows]
        if pending_only:
            views = [v for v in views if not v.decided]
        return sorted(views, key=lambda v: (v.decided, v.due_on or "9999", v.record_id))


_KIND_LABELS = {
    "commitment": "信用承诺",
    "dishonesty": "失信记录",
    "warning": "失信警示",
    "interview": "约谈记录",
}


def _day(value: Any) -> date | None:
    text = str(value or "")[:10]
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def build_letter(
    view: ApplicationView,
    entity_name: str,
    issuing_unit: str,
    issued_at: datetime,
    commitment: bool = False,
    pledge: tuple[str, str] | None = None,
) -> Document:
    """The letter an application calls for now: its 受理回执 until decided, then the decision.

    Args:
        view: The application.
        entity_name: The entity's registered name.
        issuing_unit: The window's unit (受理单位), printed and stamped.
        issued_at: When it is printed (aware).
        commitment: The 信用修复承诺书 instead (a repair application only).
        pledge: The 信用修复承诺 commitment form (record id, signed date): the 承诺书 is
            numbered after it.

    Raises:
        ServiceError: The facts would print a wrong letter (the message says what).
    """
    f = view.fields
    received = _day(f.get("received_on")) or issued_at.date()
    due = _day(f.get("due_on")) or received
    deciding = str(f.get("deciding_unit") or "") or "作出该记录的单位"
    common: dict[str, Any] = {
        "entity_name": entity_name,
        "uscc": str(f.get("uscc") or ""),
        "record_title": str(f.get("record_title") or ""),
        "received_on": received,
        "deciding_unit": deciding,
        "issued_at": issued_at,
    }
    decided_on = _day(f.get("decided_on"))
    try:
        if view.kind == "repair":
            severity = str(f.get("record_severity") or "一般")
            record_day = _day(f.get("record_decided_on")) or received
            way = rules.RepairWay(str(f.get("way")))
            if commitment or not view.decided or decided_on is None:
                build = letters.repair_commitment if commitment else letters.repair_receipt
                return build(
                    letters.RepairReceiptFacts(
                        number=letters.document_number("XS", view.record_id),
                        applicant_name=str(f.get("applicant_name") or ""),
                        applicant_phone=str(f.get("applicant_phone") or ""),
                        record_decided_on=record_day,
                        record_severity=severity,
                        way=way,
                        materials=tuple(f.get("materials") or ()) or ("信用修复申请书",),
                        due_on=due,
                        receiving_unit=issuing_unit,
                        commitment_id=pledge[0] if pledge else "",
                        **common,
                    )
                )
            return letters.repair_decision(
                letters.RepairDecisionFacts(
                    number=letters.document_number("XJ", view.record_id),
                    application_no=letters.document_number("XS", view.record_id),
                    record_decided_on=record_day,
                    record_severity=severity,
                    way=way,
                    outcome=rules.RepairOutcome(str(f.get("status"))),
                    reasons=str(f.get("reasons") or ""),
                    decided_on=decided_on,
                    **common,
                )
            )
        kind = _KIND_LABELS.get(str(f.get("record_kind") or ""), "")
        record_day_o = _day(f.get("record_decided_on"))
        if not view.decided or decided_on is None:
            return objection_letters.objection_receipt(
                objection_letters.ObjectionReceiptFacts(
                    number=letters.document_number("YS", view.record_id),
                    objector_name=str(f.get("objector_name") or ""),
                    objector_role=str(f.get("objector_role") or ""),
                    objector_phone=str(f.get("objector_phone") or ""),
                    record_kind=kind,
                    record_decided_on=record_day_o,
                    disputed=str(f.get("disputed") or ""),
                    evidence=tuple(
                        line.strip()
                        for line in str(f.get("evidence") or "").splitlines()
                        if line.strip()
                    ),
                    due_on=due,
                    receiving_unit=issuing_unit,
                    **common,
                )
            )
        corrections = f.get("corrections") if isinstance(f.get("corrections"), dict) else {}
        assert isinstance(corrections, dict)
        return objection_letters.objection_result(
            objection_letters.ObjectionResultFacts(
                number=letters.document_number("YJ", view.record_id),
                application_no=letters.document_number("YS", view.record_id),
                record_kind=kind,
                record_decided_on=record_day_o,
                outcome=rules.ObjectionOutcome(str(f.get("status"))),
                reasons=str(f.get("reasons") or ""),
                corrections=tuple(
                    objection_letters.Correction(str(k), "（原记录）", str(v))
                    for k, v in corrections.items()
                ),
                remedy=str(f.get("remedy") or ""),
                decided_on=decided_on,
                **common,
            )
        )
    except (letters.RepairLetterError, ValueError) as err:
        raise ServiceError.of("repair.letter_invalid", message=str(err)) from None
