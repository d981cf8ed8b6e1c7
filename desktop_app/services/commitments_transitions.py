"""Transitions and breaches: a commitment's lifecycle after it is taken.

:class:`TransitionUseCases` signs a draft, changes status, records materials received,
records a breach or false commitment (with its 失信记录), verifies, attaches the signed scan
and marks overdue 容缺受理.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop_app.domain import commitments as cm
from desktop_app.domain import records
from desktop_app.domain.aggregates.commitment import CommitmentCase
from desktop_app.domain.commitments import BreachSeverity, CommitmentStatus
from desktop_app.domain.working_days import CalendarUnknown
from desktop_app.services.commitments_base import (
    COMMITMENTS,
    DISHONESTY,
    CommitmentServiceBase,
    _calendar_message,
    local_calendar,
)
from desktop_app.services.commitments_views import CommitmentView
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, new_record_id
from desktop_app.store.repository import FormRepository

_S = CommitmentStatus


class TransitionUseCases(CommitmentServiceBase):
    """信用承诺 use cases that move a commitment through its lifecycle."""

    # --- lifecycle -----------------------------------------------------------------------

    def sign(self, record_id: str, signed_on: date | None = None) -> CommitmentView:
        """Sign a draft (草稿 → 已签署).

        Args:
            record_id: The commitment.
            signed_on: The signing date (default today; never in the future).

        Raises:
            ServiceError: Not a draft, a future date, or a deadline the calendar cannot compute.
        """
        day = signed_on or self._today()
        with self._store.write() as s:
            case, _dirty = self._load(s, record_id)
            matter = self._matter_record(s, case.record.matter_id)
            try:
                outcome = case.sign(
                    day, self._today(), self._now(), self.actor, matter, local_calendar(s)
                )
            except CalendarUnknown as err:
                raise ServiceError(_calendar_message(err)) from None
            except cm.CommitmentError as exc:
                raise self._refused(exc) from None
            LocalForms(s).update(COMMITMENTS, record_id, outcome.changes)
            self._audit(s, "commitment.transition", record_id, **outcome.audit)
            return self._read_view(s, record_id)

    def transition(self, record_id: str, to: CommitmentStatus, note: str = "") -> CommitmentView:
        """Change a commitment's status (with a history entry).

        Signing goes through :meth:`sign`; a breach or false commitment needs a severity and
        evidence and goes through :meth:`record_breach`.

        Raises:
            ServiceError: The lifecycle does not allow the change, or something is missing.
        """
        target = cm.parse_status(to)
        if target is _S.SIGNED:
            return self.sign(record_id)
        with self._store.write() as s:
            case, _dirty = self._load(s, record_id)
            try:
                outcome = case.move(target, note, self._now(), self.actor, local_calendar(s))
            except cm.CommitmentError as exc:
                raise self._refused(exc) from None
            LocalForms(s).update(COMMITMENTS, record_id, outcome.changes)
            self._audit(s, "commitment.transition", record_id, **outcome.audit)
            return self._read_view(s, record_id)

    def mark_received(
        self, record_id: str, materials: Sequence[str] | None = None
    ) -> CommitmentView:
        """Record that missing materials of a 容缺受理 arrived; all arrived → 已履约.

        Args:
            record_id: The commitment.
            materials: Names of the materials that arrived (default: all).

        Raises:
            ServiceError: Not a 容缺受理, not waiting for materials, or an unknown name.
        """
        with self._store.write() as s:
            case, _dirty = self._load(s, record_id)
            try:
                outcome = case.receive(materials, self._now(), self.actor)
            except cm.CommitmentError as exc:
                raise self._refused(exc) from None
            LocalForms(s).update(COMMITMENTS, record_id, outcome.changes)
            self._audit(s, "commitment.materials_received", record_id, **outcome.audit)
            return self._read_view(s, record_id)

    def record_breach(
        self, record_id: str, to: CommitmentStatus, severity: BreachSeverity, evidence: str
    ) -> CommitmentView:
        """Judge a breach (违约) or a false commitment (虚假承诺) and record the 失信记录.

        One transaction: the commitment's status, history and ``breach``, and a new
        ``dishonesty_records`` form.

        Args:
            record_id: The commitment.
            to: ``breached`` or ``verified_false``.
            severity: 情节严重程度.
            evidence: What the finding rests on.

        Raises:
            ServiceError: A wrong target status, no evidence, or an illegal transition.
        """
        target = cm.parse_status(to)
        with self._store.write() as s:
            case, _dirty = self._load(s, record_id)
            forms = LocalForms(s)
            dishonesty_id = new_record_id()
            try:
                outcome = case.breach(
                    target, severity, evidence, self._now(), self.actor, dishonesty_id
                )
            except cm.CommitmentError as exc:
                raise self._refused(exc) from None
            assert outcome.dishonesty is not None
            forms.create(DISHONESTY, outcome.dishonesty.to_fields(), dishonesty_id)
            forms.update(COMMITMENTS, record_id, outcome.changes)
            self._audit(s, "commitment.breach", record_id, **outcome.audit)
            return self._read_view(s, record_id)

    def verify(
        self,
        record_id: str,
        truthful: bool,
        note: str = "",
        severity: BreachSeverity = BreachSeverity.GENERAL,
    ) -> CommitmentView:
        """Record the result of checking a commitment (核查).

        Args:
            record_id: The commitment.
            truthful: True → 核查属实; False → 虚假承诺 (via :meth:`record_breach`).
            note: What was checked; the evidence when not truthful (required then).
            severity: The severity of a false commitment.

        Raises:
            ServiceError: As :meth:`transition` / :meth:`record_breach`.
        """
        if truthful:
            return self.transition(record_id, _S.VERIFIED_TRUE, note or "核查属实")
        return self.record_breach(record_id, _S.VERIFIED_FALSE, severity, note)

    def attach_scan(self, record_id: str, content: bytes, filename: str, mime_type: str) -> str:
        """Keep a scan (e.g. of the signed letter) with the commitment.

        Returns:
            The file's SHA-256.

        Raises:
            ServiceError: No such commitment, or the file is too large.
        """
        with self._store.write() as s:
            self._load(s, record_id)
            sha = LocalForms(s).attach(COMMITMENTS, record_id, content, filename, mime_type)
            self._audit(s, "commitment.attachment", record_id, sha256=sha, filename=filename)
        return sha

    def refresh_overdue(self, today: date | None = None) -> int:
        """Mark signed 容缺受理 past their deadline as 逾期未履约.

        Returns:
            How many were marked.
        """
        day = today or self._today()
        marked = 0
        with self._store.write() as s:
            calendar = local_calendar(s)
            forms = LocalForms(s)
            for stored in FormRepository(s).find(records.Commitment, status=_S.SIGNED.value):
                case = CommitmentCase(stored.record_id, stored.record)
                outcome = case.overdue_now(day, self._now(), self.actor, calendar)
                if outcome is None:
                    continue
                forms.update(COMMITMENTS, stored.record_id, outcome.changes)
                self._audit(s, "commitment.transition", stored.record_id, **outcome.audit)
                marked += 1
        return marked
