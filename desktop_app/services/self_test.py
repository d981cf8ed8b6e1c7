"""``--self-test``: prove on this machine that the encrypted store works and leaks nothing.

It makes a throw-away store, writes a marker through the same code paths the app uses,
reads it back, and scans every file the database left on disk (main file, WAL, shared
memory) for the marker in UTF-8 and UTF-16. It also checks that a wrong key is refused
without changing the file.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store import audit
from desktop_app.store.attachments import Attachments
from desktop_app.store.database import Store, head_revision
from desktop_app.store.entities import EntityRepository
from desktop_app.store.errors import WrongKeyError
from desktop_app.store.keys import new_random_key


@dataclass(frozen=True)
class Check:
    """One self-test step."""

    name: str
    ok: bool
    detail: str = ""


def marker_encodings(marker: str) -> tuple[bytes, ...]:
    """The byte forms a plaintext leak of ``marker`` could take."""
    return (marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"))


def files_containing(folder: Path, needles: tuple[bytes, ...]) -> list[str]:
    """Names of files under ``folder`` that hold any of ``needles``."""
    hits = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(path.name)
    return hits


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_store_self_test(workdir: Path | None = None) -> list[Check]:
    """Run every store check in a temporary folder (removed afterwards).

    Args:
        workdir: Parent for the temporary folder; the system default when None.

    Returns:
        The checks, in order; the test passed when all are ``ok``.
    """
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="credit-desk-selftest-", dir=workdir) as tmp:
        folder = Path(tmp)
        db = folder / "selftest.db"
        key = new_random_key()
        marker = f"SELFTEST-{uuid.uuid4().hex}-自检标记"
        needles = marker_encodings(marker)

        store = Store.open(db, key)
        checks.append(
            Check("migrations", store.revision() == head_revision(), store.revision() or "")
        )
        try:
            with store.write() as session:
                EntityRepository(session).upsert_many(
                    [{"uscc": "91350100M000100Y43", "name": f"{marker}有限公司", "version": 1}]
                )
                Attachments(session).add(
                    marker.encode() * 8, "selftest.txt", "text/plain", "selftest", "1"
                )
                audit.append(
                    session, actor="self-test", action="selftest.write", details={"m": marker}
                )
            with store.read() as session:
                repo = EntityRepository(session)
                entity = repo.get_by_uscc("91350100M000100Y43")
                found = entity is not None and entity.name.startswith(marker)
                hits = repo.search_name(marker[9:25])
                verdict = audit.verify(session)
            checks.append(Check("write-read", found))
            checks.append(Check("name-search", bool(hits.ids), f"{len(hits.ids)} hit(s)"))
            checks.append(Check("audit-chain", verdict.ok, "; ".join(verdict.problems)))
            leaks = files_containing(folder, needles)
            checks.append(Check("no-plaintext-while-open", not leaks, ", ".join(leaks)))
        finally:
            store.close()
        leaks = files_containing(folder, needles)
        checks.append(Check("no-plaintext-after-close", not leaks, ", ".join(leaks)))

        before = _digest(db)
        try:
            Store.open(db, new_random_key()).close()
            checks.append(Check("wrong-key-refused", False, "a random key opened the store"))
        except WrongKeyError:
            checks.append(Check("wrong-key-refused", _digest(db) == before))
        reopened = Store.open(db, key)
        try:
            reopened.integrity_check()
            checks.append(Check("integrity", True))
        finally:
            reopened.close()
    return checks


def open_throwaway_services(folder: Path) -> AppServices:
    """Services on a new store in ``folder`` keyed with a random key held only in memory.

    Used by the Qt half of ``--self-test`` to build the real main window on a machine whose
    keyring may be unusable; the folder is the caller's to delete.
    """
    paths = ProfilePaths(folder)
    paths.ensure()
    store = Store.open(paths.database, new_random_key())
    return AppServices.build(store, StoreUnlocker(paths), actor="self-test")
