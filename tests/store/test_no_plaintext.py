"""Acceptance: a marker written through the app leaves no trace in any file on disk."""

from __future__ import annotations

import uuid
from pathlib import Path

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.registry import import_entities
from desktop_app.services.self_test import files_containing, marker_encodings
from desktop_app.store.attachments import Attachments


def profile_files(paths: ProfilePaths) -> list[Path]:
    return sorted(p for p in paths.data_dir.rglob("*") if p.is_file())


def test_marker_written_through_the_app_is_nowhere_on_disk(
    services: AppServices, profile: ProfilePaths
) -> None:
    marker = f"MARKER{uuid.uuid4().hex[:12]}机密标记"
    needles = marker_encodings(marker)
    import_entities(
        services.store,
        [{"uscc": "91350100M000100Y43", "name": f"{marker}商贸有限公司", "address": marker}],
    )
    services.lookup.record_uscc_override("91140400MA0GRXXX0A", f"早期试点代码 {marker}")
    with services.store.write() as s:
        Attachments(s).add(
            (marker * 1000).encode(), "signed-letter.jpg", "image/jpeg", "commitment", "1"
        )
    card = services.lookup.card(services.lookup.lookup("91350100M000100Y43").ids[0])
    assert card.name.startswith(marker)

    # While the store is open the WAL holds the recent pages: it must be ciphertext too.
    wal = profile.database.with_name(profile.database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert files_containing(profile.data_dir, needles) == []

    services.close()
    assert files_containing(profile.data_dir, needles) == []
    names = {p.name for p in profile_files(profile)}
    # No attachment or export was spilled next to the database as a plain file.
    assert names <= {"store.db", "store.db-wal", "store.db-shm", "store.header.json"}
