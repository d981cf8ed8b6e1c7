"""The services one unlocked profile offers the UI, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services.commitments import CommitmentService
from desktop_app.services.drafts import DraftService
from desktop_app.services.education import EducationService
from desktop_app.services.entities import EntityLookupService
from desktop_app.services.inspections import InspectionService
from desktop_app.services.offline import OfflineService
from desktop_app.services.reports import ReportService, ReportSigner
from desktop_app.services.status import StatusService
from desktop_app.services.sync_status import SyncStatusService
from desktop_app.services.unlock import StoreUnlocker, UnlockMode
from desktop_app.store.database import Store


@dataclass
class AppServices:
    """Use cases of one open store. The UI talks to these, never to the store itself."""

    store: Store
    unlocker: StoreUnlocker
    lookup: EntityLookupService
    status: StatusService
    sync_status: SyncStatusService
    actor: str
    offline: OfflineService
    reports: ReportService
    education: EducationService
    commitments: CommitmentService
    inspections: InspectionService
    drafts: DraftService

    @classmethod
    def build(
        cls,
        store: Store,
        unlocker: StoreUnlocker,
        actor: str,
        signer: ReportSigner | None = None,
    ) -> AppServices:
        """Wire the services around an unlocked store.

        Args:
            store: The unlocked store.
            unlocker: How the store's key is kept (for passphrase changes and key rotation).
            actor: Who uses the app (written to the audit log).
            signer: Signs credit reports with the device key; without it no report can be
                issued (the composition root passes ``sync.report_signing.DeviceReportSigner``).
        """
        return cls(
            store=store,
            unlocker=unlocker,
            lookup=EntityLookupService(store, actor),
            status=StatusService(store),
            sync_status=SyncStatusService(store),
            actor=actor,
            offline=OfflineService(store),
            reports=ReportService(store, actor, signer),
            education=EducationService(store, actor),
            commitments=CommitmentService(store, actor),
            inspections=InspectionService(store, actor),
            drafts=DraftService(store),
        )

    @property
    def uses_passphrase(self) -> bool:
        """Whether this profile's key comes from a passphrase (else from the keyring)."""
        return self.unlocker.mode() is UnlockMode.OPEN_WITH_PASSPHRASE

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-encrypt the store under a new passphrase (see :class:`StoreUnlocker`)."""
        self.unlocker.change_passphrase(self.store, old, new)

    def rotate_key(self) -> None:
        """Re-encrypt a keyring-kept store under a fresh random key."""
        self.unlocker.rotate_key(self.store)

    def wipe(self) -> None:
        """Close and delete this profile's store and keys (the platform revoked the device).

        Run it on the database worker; afterwards these services are unusable.
        """
        self.unlocker.wipe(self.store)

    def close(self) -> None:
        """Checkpoint and close the store."""
        self.store.close()
