r"""Client releases: the signed manifest of the newest client, published and served as is.

The release manager signs a manifest offline with the **release key** — an Ed25519 key of its
own, never the platform's audit-head key, and never on the platform's machine::

    credit-platform release keygen --out release-2026.pem      # once; .pub goes in the build
    credit-platform release sign --key release-2026.pem --version 0.2.0 \\
        --notes-file notes.md --base-url https://downloads.example.gov.cn/credit-desk/0.2.0 \\
        --file dist/credit-desk_0.2.0_amd64.deb --out manifest.json
    credit-platform release publish manifest.json [--public-key release-2026.pem.pub]

``sign`` needs no database; ``publish`` checks the manifest's format strictly (and, given
``--public-key``, its signature), keeps its canonical text in the ``meta`` row
``release.latest`` (no table of its own) and writes ``release.published`` to the audit log.
``GET /v1/client/latest`` (:mod:`platform_server.routers.releases`) serves that text to anyone.
The platform cannot make a manifest a client accepts: the clients trust only the release
public keys pinned in their build (``resources/release-keys``), see :mod:`sync.updates`.

Exit codes: 0 done; 2 a bad argument, key file, file or manifest (a Chinese message says which).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server import audit_log
from platform_server.db import transaction
from platform_server.migrate import migrated_sessions
from platform_server.models import Meta
from platform_server.settings import ServerSettings
from sync.protocol import release_manifest as rm

__all__ = ["LATEST_KEY", "latest_manifest", "publish", "register"]

LATEST_KEY = "release.latest"
"""The ``meta`` row holding the published manifest's canonical JSON."""
PASSPHRASE_ENV = "CREDIT_RELEASE_KEY_PASSPHRASE"  # noqa: S105 - a variable name
"""An encrypted release key's passphrase (asked for when unset)."""
CLI_ACTOR = "credit-platform（命令行）"


# --- storage ------------------------------------------------------------------------------


def latest_manifest(session: Session) -> bytes | None:
    """The published manifest's canonical JSON, or None when nothing was published."""
    row = session.get(Meta, LATEST_KEY)
    return row.value.encode("utf-8") if row is not None else None


def publish(session: Session, manifest: rm.ReleaseManifest, actor: str = CLI_ACTOR) -> None:
    """Make ``manifest`` what ``GET /v1/client/latest`` serves (audited; caller's transaction)."""
    text = rm.encode(manifest).decode("utf-8")
    row = session.scalars(select(Meta).where(Meta.key == LATEST_KEY).with_for_update()).first()
    previous = ""
    if row is not None:
        try:
            previous = rm.decode(row.value).version
        except rm.ManifestError:
            previous = "?"
    if row is None:
        session.add(Meta(key=LATEST_KEY, value=text))
    else:
        row.value = text
    audit_log.append(
        session,
        actor=actor,
        action="release.published",
        subject_type="client_release",
        subject_id=manifest.version,
        details={
            "version": manifest.version,
            "previous": previous,
            "key_id": manifest.key_id,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        },
    )
    session.flush()


# --- the command --------------------------------------------------------------------------


class _RefusedError(Exception):
    """A Chinese message for the user; the command exits with 2."""


def _load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise _RefusedError(f"无法读取发布密钥文件 {path}：{exc.strerror or exc}") from None
    password: bytes | None = None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError:  # encrypted
        phrase = os.environ.get(PASSPHRASE_ENV) or getpass.getpass("发布密钥口令: ")
        password = phrase.encode("utf-8")
        try:
            key = serialization.load_pem_private_key(pem, password=password)
        except ValueError:
            raise _RefusedError(f"发布密钥 {path} 的口令不正确。") from None
    except ValueError:
        raise _RefusedError(
            f"{path} 不是发布密钥（应为 PEM 格式的 Ed25519 私钥，"
            "可用 credit-platform release keygen 生成）。"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _RefusedError(f"{path} 不是 Ed25519 私钥，发布密钥必须是 Ed25519。")
    return key


def _file_entry(path: Path, base_url: str) -> rm.ReleaseFile:
    if not path.is_file():
        raise _RefusedError(f"找不到要发布的文件 {path}。")
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise _RefusedError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    url = f"{base_url.rstrip('/')}/{quote(path.name)}"
    return rm.ReleaseFile(path.name, size, digest.hexdigest(), url)


def cmd_keygen(args: argparse.Namespace) -> int:
    """Make a release key pair: ``OUT`` (private, 0600) and ``OUT.pub`` (for the build)."""
    out = Path(args.out)
    pub = out.with_name(out.name + ".pub")
    if out.exists() or pub.exists():
        raise _RefusedError(f"{out} 或 {pub} 已存在，不会覆盖现有密钥。")
    key = Ed25519PrivateKey.generate()
    phrase = os.environ.get(PASSPHRASE_ENV)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(phrase.encode("utf-8"))
        if phrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        pub.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    except OSError as exc:
        raise _RefusedError(f"无法写入密钥文件：{exc.strerror or exc}") from None
    key_id = rm.key_id_of(rm.public_key_bytes(key))
    print(f"release key {key_id}: private {out} (keep it offline), public {pub}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign a manifest of ``--file``s with the release key; write it to ``--out`` or stdout."""
    key = _load_private_key(Path(args.key))
    try:
        rm.parse_version(args.version)
    except rm.ManifestError:
        raise _RefusedError(f"版本号 {args.version!r} 无效，应为“主.次.修订”，如 0.2.0。") from None
    day = args.date or date.today().isoformat()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise _RefusedError(f"发布日期 {day!r} 无效，应为 YYYY-MM-DD。") from None
    notes_path = Path(args.notes_file)
    try:
        notes = notes_path.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise _RefusedError(f"无法读取更新说明文件 {notes_path}：{exc}") from None
    files = [_file_entry(Path(p), args.base_url) for p in args.file]
    try:
        manifest = rm.sign(key, version=args.version, date=day, notes=notes, files=files)
    except rm.ManifestError as exc:
        raise _RefusedError(f"无法生成发布清单：{exc}") from None
    text = rm.encode(manifest)
    if args.out:
        try:
            Path(args.out).write_bytes(text + b"\n")
        except OSError as exc:
            raise _RefusedError(f"无法写入 {args.out}：{exc.strerror or exc}") from None
        print(f"manifest of {manifest.version} signed by release key {manifest.key_id}: {args.out}")
    else:
        sys.stdout.write(text.decode("utf-8") + "\n")
    return 0


def cmd_publish(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Check a signed manifest and make it what ``GET /v1/client/latest`` serves."""
    path = Path(args.manifest)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _RefusedError(f"无法读取发布清单 {path}：{exc.strerror or exc}") from None
    try:
        manifest = rm.decode(data)
    except rm.ManifestError as exc:
        raise _RefusedError(f"{path} 不是有效的发布清单：{exc}") from None
    keys = []
    for key_file in args.public_key or ():
        try:
            keys.append(rm.load_public_key(Path(key_file).read_bytes()))
        except (OSError, rm.ManifestError) as exc:
            raise _RefusedError(f"无法读取发布公钥 {key_file}：{exc}") from None
    if keys:
        try:
            rm.verify(manifest, keys)
        except rm.ManifestError:
            raise _RefusedError(
                f"发布清单的签名无法用给定的发布公钥验证（密钥编号 {manifest.key_id}），未发布。"
            ) from None
    sessions = migrated_sessions(settings.database_url)
    try:
        with transaction(sessions) as session:
            publish(session, manifest, args.by or CLI_ACTOR)
    finally:
        sessions.kw["bind"].dispose()
    checked = "signature checked" if keys else "signature NOT checked here (no --public-key)"
    print(f"published client {manifest.version} (release key {manifest.key_id}; {checked})")
    return 0


def cmd_release(args: argparse.Namespace, settings: ServerSettings) -> int:
    """``credit-platform release keygen|sign|publish``."""
    try:
        if args.release_command == "keygen":
            return cmd_keygen(args)
        if args.release_command == "sign":
            return cmd_sign(args)
        return cmd_publish(args, settings)
    except _RefusedError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def register(sub: Any) -> None:
    """Add the ``release`` subcommand to the ``credit-platform`` parser."""
    release = sub.add_parser("release", help="sign and publish the client's release manifest")
    actions = release.add_subparsers(dest="release_command", required=True)
    keygen = actions.add_parser("keygen", help="make a release key pair (keep it offline)")
    keygen.add_argument("--out", required=True, help="private key file; OUT.pub is the public")
    sign = actions.add_parser("sign", help="sign a manifest with the release key (offline)")
    sign.add_argument("--key", required=True, help="the release private key (PEM)")
    sign.add_argument("--version", required=True, help="MAJOR.MINOR.PATCH, e.g. 0.2.0")
    sign.add_argument("--notes-file", required=True, help="release notes (UTF-8 text)")
    sign.add_argument("--file", action="append", required=True, help="a file offered; repeat")
    sign.add_argument("--base-url", required=True, help="where the files can be downloaded")
    sign.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    sign.add_argument("--out", default=None, help="manifest file (default: stdout)")
    publish_ = actions.add_parser("publish", help="serve a signed manifest to the clients")
    publish_.add_argument("manifest", help="the manifest JSON written by release sign")
    publish_.add_argument(
        "--public-key", action="append", help="check the signature with this .pub; repeat"
    )
    publish_.add_argument("--by", default=None, help="who publishes (the audit log's actor)")
    release.set_defaults(func=cmd_release)
