"""Build a first-pull snapshot for windows (run by the platform's operator).

``python -m sync.snapshot_build --platform URL --user NAME --out FOLDER`` brings the builder's
own store (``FOLDER/builder``, kept between builds, so its device stays enrolled and a rebuild
only pulls what changed) up to date with a window account of its own (a hall id no staff uses),
checks that nothing but :data:`sync.protocol.SNAPSHOT_COLLECTIONS` came in, copies it to
``FOLDER/snapshot.db`` under a new random key, empties every table of the builder's own there
(tokens, device key, audit log, its hall's forms, …:
:func:`desktop_app.store.snapshot.strip_device_data`) and writes the manifest
``FOLDER/snapshot.json`` (:class:`sync.protocol.SnapshotInfo`). The operator then runs
``credit-platform publish-snapshot FOLDER`` on the platform's host.

The password comes from ``CREDIT_SNAPSHOT_PASSWORD`` or is asked for.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import shutil
import sys
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.store.database import Store, create_private_file
from desktop_app.store.keys import new_random_key
from desktop_app.store.models import Entity, ReferenceRecord
from desktop_app.store.outbox import SyncStateRepo
from desktop_app.store.snapshot import rekey_file, strip_device_data
from desktop_app.store.state_keys import ROLE_KEY
from sync.credentials import TokenVault, login, restore_session
from sync.engine import SyncEngine
from sync.errors import AuthError, DeviceRevoked, SyncError
from sync.protocol import SNAPSHOT_COLLECTIONS, Role, SnapshotInfo
from sync.protocol.digest import file_digest
from sync.pull import stored_cursor
from sync.transport import Transport

log = logging.getLogger(__name__)

__all__ = ["BuildRefusedError", "build_snapshot", "main"]

PASSWORD_ENV = "CREDIT_SNAPSHOT_PASSWORD"  # noqa: S105 - the variable's name


class BuildRefusedError(Exception):
    """The snapshot would not be one every window may read; the message says why."""


def _check_contents(store: Store) -> int:
    """The entity count, after checking the store holds only what every window sees."""
    with store.read() as s:
        collections = set(s.scalars(select(ReferenceRecord.collection).distinct()))
        graded = s.scalar(select(func.count()).where(Entity.credit_grade.is_not(None)))
        entities = int(s.scalar(select(func.count()).select_from(Entity)) or 0)
    extra = collections - SNAPSHOT_COLLECTIONS
    if extra or graded:
        what = ", ".join(sorted(extra)) or "信用等级"
        raise BuildRefusedError(f"账户看到了窗口不应共享的数据（{what}），未生成快照。")
    return entities


def _builder_store(work: Path) -> tuple[Store, bytes]:
    """The builder's own store in ``work`` (kept between builds), with its key file."""
    work.mkdir(parents=True, exist_ok=True)
    key_file = work / "builder.key"
    if key_file.is_file():
        key = bytes.fromhex(key_file.read_text("ascii").strip())
    else:
        key = new_random_key()
        create_private_file(key_file)
        key_file.write_text(key.hex(), encoding="ascii")
    return Store.open(work / "builder.db", key), key


def _update_copy(
    transport: Transport, username: str, password: str, work: Path, path: Path
) -> tuple[str | None, str | None, int, bytes]:
    """Bring the builder's store up to date and copy it to ``path``.

    Returns:
        Its cursor, schema revision and entity count, and the builder's key (the copy's).
    """
    store, builder_key = _builder_store(work)
    try:
        vault = TokenVault("snapshot-builder", store, use_keyring=False)
        with store.read() as s:
            known = SyncStateRepo(s).get(ROLE_KEY)
        if known is None or not restore_session(store, transport, vault):
            login(store, transport, vault, username, password, device_name="snapshot builder")
        with store.read() as s:
            role = SyncStateRepo(s).get(ROLE_KEY)
        if role != Role.WINDOW.value:
            raise BuildRefusedError(f"快照须用窗口账户生成（{username} 是 {role}）。")
        try:
            SyncEngine(store, transport).sync()
        except AuthError:  # tokens that stopped working (sessions ended, platform rebuilt)
            login(store, transport, vault, username, password, device_name="snapshot builder")
            SyncEngine(store, transport).sync()
        cursor = stored_cursor(store)
        revision = store.revision()
        entities = _check_contents(store)
        store.checkpoint()
        shutil.copyfile(store.path, path)
    finally:
        store.close()
    return cursor, revision, entities, builder_key


def build_snapshot(
    transport: Transport, username: str, password: str, out: Path, work: Path | None = None
) -> SnapshotInfo:
    """Bring the builder's store up to date as ``username``; write a snapshot of it to ``out``.

    The builder's store (``work``, default ``out/builder``) stays from one build to the next:
    its device stays enrolled and a rebuild only pulls what changed (a revoked device: a new
    builder store, pulled from scratch; tokens that stopped working: a new login). Its copy
    ``out/snapshot.db`` is re-encrypted under a new random key and emptied of the builder's own
    data; ``out/snapshot.json`` is the manifest.

    Raises:
        BuildRefusedError: The account is not a window account, or saw more than windows share.
        SyncError: Login or the pull failed.
    """
    out.mkdir(parents=True, exist_ok=True)
    path = out / "snapshot.db"
    manifest = out / "snapshot.json"
    for stale in (path, manifest):
        stale.unlink(missing_ok=True)
    work = work or out / "builder"
    try:
        cursor, revision, entities, builder_key = _update_copy(
            transport, username, password, work, path
        )
    except DeviceRevoked:
        log.warning("the builder's device was revoked: starting a new builder store")
        for name in ("builder.db", "builder.db-wal", "builder.db-shm", "builder.key"):
            (work / name).unlink(missing_ok=True)
        cursor, revision, entities, builder_key = _update_copy(
            transport, username, password, work, path
        )
    if cursor is None or revision is None:
        raise BuildRefusedError("同步没有完成，未生成快照。")
    key = new_random_key()
    rekey_file(path, builder_key, key)
    strip_device_data(path, key)
    size, sha = file_digest(path)
    info = SnapshotInfo(
        cursor=cursor,
        schema_revision=revision,
        size=size,
        sha256=sha,
        key=key.hex(),
        entities=entities,
    )
    create_private_file(manifest)  # it holds the file's key
    manifest.write_text(info.model_dump_json(indent=2), encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sync.snapshot_build``."""
    parser = argparse.ArgumentParser(prog="python -m sync.snapshot_build", description=__doc__)
    parser.add_argument("--platform", required=True, help="the platform's URL")
    parser.add_argument("--user", required=True, help="a window account of its own")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    password = os.environ.get(PASSWORD_ENV) or getpass.getpass(f"{args.user} 的密码：")
    try:
        with Transport(args.platform) as transport:
            info = build_snapshot(transport, args.user, password, args.out)
    except (BuildRefusedError, SyncError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"snapshot of {info.entities} entities, {info.size} bytes: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
