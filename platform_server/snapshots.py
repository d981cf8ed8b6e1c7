"""First-pull snapshots for windows: publish one, say which one is current, serve it.

A snapshot is a client store file made by the builder (``python -m sync.snapshot_build``,
run by the operator with a window account of its own (a hall id no staff uses, so
it pulls next to no forms; any it pulls are emptied with the rest)) holding every
:data:`sync.protocol.SNAPSHOT_COLLECTIONS` change up to its cursor, encrypted under a key of
its own. The platform does not open it: it checks the builder's manifest
(:class:`sync.protocol.SnapshotInfo`) against the file (size and SHA-256 computed here) and
against its own database (the cursor must be one this database can still serve), keeps a
copy under ``<data dir>/snapshots/`` and records it in ``meta`` (``snapshot.current``).

``GET /v1/sync/snapshot`` offers it to window accounts only, and only while its cursor can
still be served (same epoch, not compacted away). A pull with ``snapshot=<cursor>`` then
leaves out the snapshot's collections up to that cursor (:func:`snapshot_filter`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, literal_column, or_
from sqlalchemy.orm import Session

from platform_server import audit_log
from platform_server.db import transaction
from platform_server.migrate import migrated_sessions
from platform_server.models import Meta, Record
from platform_server.settings import ServerSettings
from platform_server.sync_service import position, resume_point
from sync.protocol import SNAPSHOT_COLLECTIONS, SnapshotInfo
from sync.protocol.digest import file_digest

__all__ = [
    "CURRENT_KEY",
    "current",
    "file_of",
    "prune",
    "publish",
    "register",
    "snapshot_filter",
]

CURRENT_KEY = "snapshot.current"
CLI_ACTOR = "credit-platform（命令行）"
MANIFEST_NAME = "snapshot.json"
FILE_NAME = "snapshot.db"


class SnapshotError(Exception):
    """A snapshot that cannot be published; the message says why (Chinese)."""


def servable_seq(session: Session, cursor: str) -> int | None:
    """The sequence number of ``cursor`` if this database can serve from it, else None."""
    point = resume_point(cursor, *position(session))
    return None if point.reset else point.after


def snapshots_dir(settings: ServerSettings) -> Path:
    """Where published snapshot files are kept."""
    return settings.data_dir / "snapshots"


def file_of(settings: ServerSettings, info: SnapshotInfo) -> Path:
    """The stored file of ``info``."""
    return snapshots_dir(settings) / f"{info.sha256}.db"


def current(session: Session, settings: ServerSettings) -> SnapshotInfo | None:
    """The snapshot to offer now: published, its file present, its cursor still servable."""
    raw = session.get(Meta, CURRENT_KEY)
    if raw is None:
        return None
    info = SnapshotInfo.model_validate_json(raw.value)
    if servable_seq(session, info.cursor) is None or not file_of(settings, info).is_file():
        return None
    return info


def publish(session: Session, settings: ServerSettings, folder: Path, actor: str) -> SnapshotInfo:
    """Check the builder's output in ``folder`` and make it the current snapshot.

    Raises:
        SnapshotError: The manifest or the file is missing or wrong, or its cursor is not
            one this database can serve.
    """
    try:
        info = SnapshotInfo.model_validate_json((folder / MANIFEST_NAME).read_bytes())
    except OSError as exc:
        raise SnapshotError(f"无法读取 {folder / MANIFEST_NAME}：{exc.strerror or exc}") from None
    except ValidationError as exc:
        raise SnapshotError(f"{folder / MANIFEST_NAME} 不是有效的快照清单：{exc}") from None
    source = folder / FILE_NAME
    try:
        size, sha = file_digest(source)
    except OSError as exc:
        raise SnapshotError(f"无法读取 {source}：{exc.strerror or exc}") from None
    if (size, sha) != (info.size, info.sha256):
        raise SnapshotError(f"{source} 与清单不符（大小或 SHA-256 不同），未发布。")
    if servable_seq(session, info.cursor) is None:
        raise SnapshotError(
            "快照的同步位置不属于本平台当前的数据库（或已被压缩），未发布。请重新生成快照。"
        )
    target = file_of(settings, info)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file():
        partial = target.with_suffix(".part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    row = session.get(Meta, CURRENT_KEY)
    text = info.model_dump_json()
    previous = SnapshotInfo.model_validate_json(row.value).sha256 if row is not None else None
    if row is None:
        session.add(Meta(key=CURRENT_KEY, value=text))
    else:
        row.value = text
    audit_log.append(
        session,
        actor=actor,
        action="snapshot.published",
        subject_type="snapshot",
        subject_id=info.sha256,
        details={"entities": info.entities, "size": info.size, "previous": previous},
    )
    return info


def prune(settings: ServerSettings, keep: SnapshotInfo) -> None:
    """Delete every stored snapshot file but ``keep``'s (run once its publication committed).

    A window that had begun downloading an older one starts the current one over at its
    next sync (its part is tagged with the older digest).
    """
    for path in snapshots_dir(settings).iterdir():
        if path != file_of(settings, keep):
            path.unlink(missing_ok=True)


def snapshot_filter(
    snapshot: str | None, epoch: str, min_seq: int, head: int
) -> ColumnElement[bool] | None:
    """What a pull with ``snapshot`` must still send: None when the snapshot is not servable.

    Changes after the snapshot's cursor, and every change of a collection it does not cover.
    ``epoch``, ``min_seq`` and ``head`` are the pull's own reading of the database.
    """
    if not snapshot:
        return None
    point = resume_point(snapshot, epoch, min_seq, head)
    if point.reset:
        return None
    # Keep walking the seq index on SQLite (see scopes.visibility_filter's ``seq_scan``).
    collection = Record.collection.concat(literal_column("''"))
    return or_(Record.seq > point.after, collection.not_in(sorted(SNAPSHOT_COLLECTIONS)))


def cmd_publish(args: argparse.Namespace, settings: ServerSettings) -> int:
    """``credit-platform publish-snapshot FOLDER``."""
    sessions = migrated_sessions(settings.database_url)
    try:
        with transaction(sessions) as session:
            info = publish(session, settings, Path(args.folder), CLI_ACTOR)
    except SnapshotError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        sessions.kw["bind"].dispose()
    prune(settings, info)
    print(f"snapshot {info.sha256[:16]} published: {info.entities} entities, {info.size} bytes")
    return 0


def register(sub: Any) -> None:
    """Add ``publish-snapshot`` to the ``credit-platform`` parser."""
    cmd = sub.add_parser(
        "publish-snapshot", help="offer a snapshot made by sync.snapshot_build to windows"
    )
    cmd.add_argument("folder", help="the builder's output folder (snapshot.db, snapshot.json)")
    cmd.set_defaults(func=cmd_publish)
