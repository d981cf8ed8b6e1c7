"""The services one unlocked profile offers the UI, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services.actor import CurrentUser
from desktop_app.services.changes import StoreChanges
from desktop_app.services.commitments import CommitmentService
from desktop_app.services.drafts import DraftService
from desktop_app.services.education import EducationService
from desktop_app.services.entities import EntityLookupService
from desktop_app.services.inspections import InspectionService
from desktop_app.services.measures import MeasureService
from desktop_app.services.offline import OfflineService
from desktop_app.services.repairs import RepairService
from desktop_app.services.reports import ReportService, ReportSigner
from desktop_app.services.status import StatusService
from desktop_app.services.sync_status import SyncStatusService
from desktop_app.services.unlock import StoreUnlocker, UnlockMode
from desktop_app.store.database import Store


@dataclass
class AppServices:
    """Use cases of one open store. The UI talks to these, never to the store itself.

    Attributes:
        user: Who operates the client (经办人); a login updates it and every service acts
            for the new name from then on, without being rebuilt.
        changes: Which tables each committed write changed (the pages refresh from it).
    """

    store: Store
    unlocker: StoreUnlocker
    lookup: EntityLookupService
    status: StatusService
    sync_status: SyncStatusService
    user: CurrentUser
    changes: StoreChanges
    offline: OfflineService
    reports: ReportService
    education: EducationService
    commitments: CommitmentService
    inspections: InspectionService
    drafts: DraftService
    repairs: RepairService
    measures: MeasureService

    @classmethod
    def build(
        cls,
        store: Store,
        unlocker: StoreUnlocker,
        actor: str | CurrentUser,
        signer: ReportSigner | None = None,
    ) -> AppServices:
        """Wire the services around an unlocked store.

        Args:
            store: The unlocked store.
            unlocker: How the store's key is kept (for passphrase changes and key rotation).
            actor: Who uses the app (经办人, written to forms and the audit log): the
                :class:`CurrentUser` a login keeps up to date, or a fixed name.
            signer: Signs credit reports with the device key; without it no report can be
                issued (the composition root passes ``sync.report_signing.DeviceReportSigner``).
        """
        user = actor if isinstance(actor, CurrentUser) else CurrentUser(actor)
        name = user.name
        changes = StoreChanges()
        changes.attach(store.engine)
        services = cls(
            store=store,
            unlocker=unlocker,
            lookup=EntityLookupService(store, name),
            status=StatusService(store),
            sync_status=SyncStatusService(store),
            user=user,
            changes=changes,
            offline=OfflineService(store),
            reports=ReportService(store, name, signer),
            education=EducationService(store, name),
            commitments=CommitmentService(store, name),
            inspections=InspectionService(store, name),
            drafts=DraftService(store),
            repairs=RepairService(store, name, signer=signer),
            measures=MeasureService(store, name),
        )
        user.subscribe(services._act_for)
        return services

    @property
    def actor(self) -> str:
        """The name the services act for now (经办人)."""
        return self.user.name

    def _act_for(self, name: str) -> None:
        # Each service reads its ``actor`` when it acts, so a login takes effect at once.
        for service in (
            self.lookup,
            self.reports,
            self.education,
            self.commitments,
            self.inspections,
            self.repairs,
            self.measures,
        ):
            service.actor = name

    @property
    def uses_passphrase(self) -> bool:
        """Whether this profile's key comes from a passphrase (else from the keyring)."""
        return self.unlocker.mode() is UnlockMode.OPEN_WITH_PASSPHRASE

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-encrypt the store under a new passphrase (see :class:`StoreUnlocker`)."""
        try:
            self.unlocker.change_passphrase(self.store, old, new)
        finally:
            self.changes.attach(self.store.engine)  # re-keying opens a new engine

    def rotate_key(self) -> None:
        """Re-encrypt a keyring-kept store under a fresh random key."""
        try:
            self.unlocker.rotate_key(self.store)
        finally:
            self.changes.attach(self.store.engine)

    def wipe(self) -> None:
        """Erase this profile (the platform revoked the device; :meth:`StoreUnlocker.wipe`).

        Store (drafts, attachments), keys, settings and logs go. Run it on the database
        worker; afterwards these services refuse every use.
        """
        self.changes.detach()
        self.unlocker.wipe(self.store)

    def close(self) -> None:
        """Checkpoint and close the store."""
        self.changes.detach()
        self.store.close()
