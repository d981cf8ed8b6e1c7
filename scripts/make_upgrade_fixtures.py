"""Make the upgrade-test fixture stores with the OLD client code itself (issue 19).

Each fixture is an encrypted store written by a released commit's own store and service API,
not by today's idea of the old schema:

* ``0002-14eb397``: the oldest released store (the first commit, schema head 0002): entities
  from the demo generator, never-sent outbox entries, sync_state values, an audit-log chain
  and attachments with their blobs;
* ``0006-673c6c7``: the first store with drafts (schema 0006): also reference records, client
  forms (commitments, an education session with check-ins, a form pulled from another
  device), drafts of forms being typed, a sync run.

For each, the commit is checked out with ``git worktree add --detach`` into a temporary folder
and a generator snippet runs there with this venv's python and ``PYTHONPATH=<worktree>`` (the
snippet checks that it imported the worktree's ``desktop_app``, not today's). The snippet writes
``store.sqlcipher`` (named so that ``.gitignore``'s ``*.db`` does not hide it), encrypted with
a fixed raw key kept beside it in ``store.key.hex`` — a TEST FIXTURE key, for these files
only — and ``manifest.json``: what the generator wrote (``written``: the inputs it gave the old
API) and every row of every table as the old client's own connection saw it right after
writing (``tables``), so the upgrade test compares with what was written, not with what
today's code reads back.

Usage (from the repository root)::

    .venv/bin/python scripts/make_upgrade_fixtures.py            # both fixtures
    .venv/bin/python scripts/make_upgrade_fixtures.py 0006-673c6c7

The old code runs unchanged with today's venv (no patching was needed when these fixtures
were made); a fixture made again differs in bytes (fresh SQLCipher salt, timestamps, uuids)
but not in content, and its manifest is remade with it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "stores"
STORE_FILE = "store.sqlcipher"
KEY_FILE = "store.key.hex"
MANIFEST_FILE = "manifest.json"
MAX_FIXTURE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Fixture:
    """One fixture: its folder name, the commit whose code writes it, its schema head."""

    name: str
    commit: str
    revision: str
    snippet: str

    @property
    def key(self) -> bytes:
        """The fixture's fixed raw key (derived from its name: a test fixture, not a secret)."""
        return hashlib.sha256(f"credit-desk upgrade fixture {self.name}".encode()).digest()


# Runs inside the old process: open the store with the old Store, check the worktree's code
# is what runs, and dump every table the old connection sees. Shared by both snippets.
_COMMON = r'''
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

WORKTREE, OUT_DB, KEY_HEX, MANIFEST, COMMIT = sys.argv[1:6]

import desktop_app
assert Path(desktop_app.__file__).resolve().is_relative_to(Path(WORKTREE).resolve()), (
    "the old commit's desktop_app must run, not today's: " + desktop_app.__file__
)

from desktop_app.store.database import Store


def _value(v):
    if isinstance(v, (bytes, bytearray, memoryview)):
        b = bytes(v)
        return {"blob_sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
    return v


def dump_tables(store):
    """Every row of every table (virtual tables and their shadow tables left out)."""
    out = {}
    with store.engine.connect() as conn:
        master = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        virtual = [n for n, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL")]
        for name, _sql in master:
            if name in virtual or any(name.startswith(v + "_") for v in virtual):
                continue
            info = conn.exec_driver_sql(f'PRAGMA table_info("{name}")').fetchall()
            columns = [r[1] for r in info]
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            cols = ", ".join(f'"{c}"' for c in columns)
            rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{name}" ORDER BY rowid').fetchall()
            out[name] = {
                "columns": columns,
                "primary_key": pk,
                "rows": [[_value(v) for v in row] for row in rows],
            }
    return out


def finish(store, written):
    revision = store.revision()
    tables = dump_tables(store)
    store.close()
    for suffix in ("-wal", "-shm"):
        left = Path(OUT_DB + suffix)
        assert not left.exists() or left.stat().st_size == 0, left
        left.unlink(missing_ok=True)
    manifest = {
        "made_by": {
            "script": "scripts/make_upgrade_fixtures.py",
            "commit": COMMIT,
            "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "revision": revision,
        "store": Path(OUT_DB).name,
        "key_file": "store.key.hex",
        "written": written,
        "tables": tables,
    }
    Path(MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"{COMMIT}: revision {revision}, " + ", ".join(
        f"{name} {len(t['rows'])}" for name, t in sorted(tables.items())
    ))


def blob(seed, size, head=b""):
    """Deterministic bytes standing in for a scan or photo."""
    out = bytearray(head)
    n = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{n}".encode()).digest()
        n += 1
    return bytes(out[:size])


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n"
PDF = b"%PDF-1.4\n"
'''

# The oldest released store: commit 14eb397 (the first commit; schema head 0002). Its
# services offered entity lookup (cards audited) and USCC overrides (row + outbox + audit);
# forms typed offline went through the store's own Outbox, written with its attachments in
# one unit of work, as that commit's store API allowed.
SNIPPET_14EB397 = (
    _COMMON
    + r"""
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.entities import EntityLookupService
from desktop_app.services.registry import import_entities
from desktop_app.store import audit
from desktop_app.store.attachments import Attachments
from desktop_app.store.entities import EntityRepository
from desktop_app.store.outbox import Outbox, SyncStateRepo

store = Store.open(Path(OUT_DB), bytes.fromhex(KEY_HEX))
entities = list(generate_entities(36, seed=20261127))
import_entities(store, entities)
written = {"entities": entities, "outbox": [], "sync_state": {}, "attachments": [], "audit": []}

ACTOR = "王晓燕"
lookup = EntityLookupService(store, ACTOR)
with store.read() as s:
    ids = {e["uscc"]: EntityRepository(s).get_by_uscc(e["uscc"]).id for e in entities[:5]}
for n, (uscc, entity_id) in enumerate(ids.items()):
    lookup.card(entity_id, purpose="窗口受理核查" if n % 2 == 0 else "")
    written["audit"].append({"action": "entity.viewed", "subject_id": uscc})

# A code from an early pilot whose check digit fails, accepted with a reason.
bad = entities[6]["uscc"][:17] + ("0" if entities[6]["uscc"][17] != "0" else "1")
REASON = "早期试点颁发的营业执照，校验位与现行规则不符，已核对原件。"
code = lookup.record_uscc_override(bad, REASON)
written["uscc_override"] = {"code": code}
written["audit"].append({"action": "uscc.override", "subject_id": code})
written["outbox"].append({
    "collection": "uscc_overrides", "op": "create", "base_version": None,
    "fields": {"uscc": code, "reason": REASON, "actor": ACTOR},
})

forms = [
    ("commitments", "c0a1b2c3d4e5f60718293a4b5c6d7e8f", "create", None, {
        "uscc": entities[0]["uscc"], "entity_name": entities[0]["name"],
        "matter": "低压非居民用户用电报装", "kind": "notify", "status": "signed",
        "applicant_name": "李建国", "applicant_role": "法定代表人",
        "applicant_phone": "13803550123",
        "signed_on": "2026-11-26", "note": "窗口离线受理，网络恢复后上传",
        "history": [{"at": "2026-11-26T09:31:00", "by": ACTOR, "to": "signed"}],
        "materials": [{"name": "用电申请书", "received": True}], "publish": True,
    }),
    ("commitments", "c0a1b2c3d4e5f60718293a4b5c6d7e8f", "update", 3, {
        "status": "fulfilled", "note": "材料已补齐（含“引号”、\\反斜杠与 emoji 🧾）",
    }),
    ("education_sessions", "e1d2c3b4a5968778695a4b3c2d1e0f00", "create", None, {
        "title": "食品经营者诚信经营培训", "held_on": "2026-11-25", "start_time": "09:00",
        "end_time": "11:30", "place": "潞州区政务服务中心三楼培训室", "facilitator": "赵敏",
        "materials": ["《食品安全法》要点", "信用承诺书范本"], "capacity": 40,
    }),
    ("attendance", "a9b8c7d6e5f40312a9b8c7d6e5f40312", "create", None, {
        "session_id": "e1d2c3b4a5968778695a4b3c2d1e0f00", "uscc": entities[1]["uscc"],
        "entity_name": entities[1]["name"], "attendee_name": "张丽", "role": "法定代表人",
        "phone": "", "id_number": "140402********1234",
        "checked_in_at": "2026-11-25T09:05:00+08:00",
    }),
    ("commitments", "d00dfeedd00dfeedd00dfeedd00dfeed", "delete", 2, {}),
]
with store.write() as s:
    outbox = Outbox(s)
    atts = Attachments(s)
    for collection, record_id, op, base, fields in forms:
        entry = outbox.add(collection, record_id, op, fields, base)
        written["outbox"].append({
            "seq": entry.seq, "collection": collection, "record_id": record_id, "op": op,
            "base_version": base, "fields": fields,
        })
    # One entry the client tried to send twice before the network went away.
    entry.status, entry.attempts, entry.last_error = "sending", 2, "无法连接平台（网络不可达）"
    written["outbox"][-1].update(status="sending", attempts=2, last_error=entry.last_error)
    files = [
        (blob("scan-1", 6000, JPEG), "承诺书扫描件.jpg", "image/jpeg", "commitments",
         "c0a1b2c3d4e5f60718293a4b5c6d7e8f"),
        (blob("scan-2", 2500, PDF), "用电申请书.pdf", "application/pdf", "commitments",
         "c0a1b2c3d4e5f60718293a4b5c6d7e8f"),
        (blob("photo-1", 9000, PNG), "培训现场.png", "image/png", "education_sessions",
         "e1d2c3b4a5968778695a4b3c2d1e0f00"),
        # The same scan attached twice: one blob, two attachments.
        (blob("scan-1", 6000, JPEG), "承诺书扫描件（副本）.jpg", "image/jpeg", "attendance",
         "a9b8c7d6e5f40312a9b8c7d6e5f40312"),
    ]
    for content, filename, mime, owner_type, owner_id in files:
        att = atts.add(content, filename, mime, owner_type, owner_id)
        written["attachments"].append({
            "id": att.id, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
            "filename": filename, "mime_type": mime, "owner_type": owner_type,
            "owner_id": owner_id,
        })
    audit.append(s, actor=ACTOR, action="commitment.created", subject_type="commitments",
                 subject_id="c0a1b2c3d4e5f60718293a4b5c6d7e8f",
                 details={"uscc": entities[0]["uscc"], "离线": True, "n": 1})
    written["audit"].append({"action": "commitment.created",
                             "subject_id": "c0a1b2c3d4e5f60718293a4b5c6d7e8f"})
    states = {
        "pull_cursor": "entities:20261126T0800:4711",
        "device_id": "dev-7f3a9c1e",
        "last_sync": "2026-11-26 08:02",
        "role": "window",
        "display_name": ACTOR,
    }
    repo = SyncStateRepo(s)
    for key, value in states.items():
        repo.set(key, value)
    written["sync_state"] = states

with store.read() as s:
    assert audit.verify(s).ok
    written["audit_rows"] = audit.count(s)
finish(store, written)
"""
)

# The first store with drafts: commit 673c6c7 (schema 0006).
SNIPPET_673C6C7 = (
    _COMMON
    + r"""
from datetime import date

from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.demo_data import generate_credit_records, generate_entities
from desktop_app.services.drafts import DraftService
from desktop_app.services.education import EducationService, SessionDraft
from desktop_app.services.entities import EntityLookupService
from desktop_app.services.registry import (
    import_entities,
    import_reference_records,
    seed_demo_catalog,
    seed_demo_checklists,
    seed_demo_tasks,
)
from desktop_app.services.sync_status import SyncStatusService
from desktop_app.store import audit
from desktop_app.store.attachments import Attachments
from desktop_app.store.entities import EntityRepository
from desktop_app.store.outbox import SyncStateRepo
from sync.events import SyncReport
from sync.pull import CURSOR_KEY, apply_page
from sync.transport import PulledChange

store = Store.open(Path(OUT_DB), bytes.fromhex(KEY_HEX))
entities = list(generate_entities(30, seed=20261203))
import_entities(store, entities)
credit = list(generate_credit_records(entities[:4], seed=20261203))
import_reference_records(store, credit)
matters = seed_demo_catalog(store)
checklists = seed_demo_checklists(store)
tasks = seed_demo_tasks(store, entities[:3], today=date(2026, 12, 1))
written = {
    "entities": entities,
    "reference_records": [[c, rid, f] for c, rid, f in credit],
    "reference_counts": {"commitment_catalog": matters, "checklists": checklists,
                         "inspection_tasks": tasks},
    "sync_state": {}, "drafts": [], "forms": [], "attachments": [],
}

# A pull page: a commitment made on another device of the hall, a calendar override and a
# tombstone, applied with the cursor in one transaction as the old sync engine did.
pulled = [
    PulledChange("commitments", "f0e1d2c3b4a5968778695a4b3c2d1e0f", 4, False, {
        "uscc": entities[2]["uscc"], "entity_name": entities[2]["name"],
        "matter_id": "cc-tax-01", "matter": "涉税证明事项告知承诺", "kind": "notify",
        "status": "signed", "applicant_name": "周强", "signed_on": "2026-11-20",
    }),
    PulledChange(
        "calendar_overrides", "2027-01-01", 1, False, {"date": "2027-01-01", "working": False}
    ),
    PulledChange("licences", "lic-gone-0", 2, True, None),
]
with store.write() as s:
    apply_page(s, pulled, SyncReport())
    SyncStateRepo(s).set(CURSOR_KEY, "c:20261203T0700:9001")
written["pulled"] = [list(c) for c in pulled]
written["sync_state"][CURSOR_KEY] = "c:20261203T0700:9001"

ACTOR = "刘芳"
lookup = EntityLookupService(store, ACTOR)
with store.read() as s:
    first_id = EntityRepository(s).get_by_uscc(entities[0]["uscc"]).id
lookup.card(first_id, purpose="容缺受理核查")

commitments = CommitmentService(store, ACTOR)
signed = commitments.create(CommitmentInput(
    uscc=entities[0]["uscc"], matter_id="cc-tax-01", kind="notify",
    applicant_name="李建国", applicant_phone="13803550123", note="窗口离线受理",
))
draft_c = commitments.create(CommitmentInput(
    uscc=entities[1]["uscc"], matter_id="cc-tax-01", kind="notify",
    applicant_name="王芳", applicant_role="委托代理人", sign_now=False,
))
scan = blob("scan-673", 7000, JPEG)
sha = commitments.attach_scan(signed.record_id, scan, "承诺书扫描件.jpg", "image/jpeg")
written["forms"] += [["commitments", signed.record_id], ["commitments", draft_c.record_id]]

education = EducationService(store, ACTOR)
session = education.create_session(SessionDraft(
    title="诚信经营专题培训", held_on="2026-12-02", start_time="14:00", end_time="16:00",
    place="潞州区政务服务中心三楼培训室", facilitator="赵敏",
    materials=["信用承诺书范本", "《优化营商环境条例》摘编"], capacity=30,
))
checkin = education.check_in(session.id, entities[3]["uscc"], "陈静", phone="13912345678")
written["forms"] += [["education_sessions", session.id]]

with store.write() as s:
    photo = blob("photo-673", 5000, PNG)
    att = Attachments(s).add(photo, "签到表.png", "image/png", "education_sessions", session.id)
    written["attachments"] = [
        {"sha256": sha, "size": len(scan), "filename": "承诺书扫描件.jpg",
         "owner_type": "commitments", "owner_id": signed.record_id},
        {"id": att.id, "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo),
         "filename": "签到表.png", "owner_type": "education_sessions", "owner_id": session.id},
    ]

drafts = DraftService(store)
draft_inputs = [
    ("commitment.new", "新建承诺：长治市某商贸有限公司（未保存）", {
        "uscc": entities[5]["uscc"], "matter_id": "cc-power-01", "kind": "tolerance",
        "applicant_name": "孙悦", "publish": False, "deadline_working_days": 5,
        "missing_materials": [{"name": "用电地址产权证明", "form": "复印件"}],
        "note": "多行\n备注，含“引号”与 emoji 📎", "amount": 12.5, "empty": None,
    }),
    ("education.session", "培训登记（未保存）", {
        "title": "预包装食品标签培训", "held_on": "2026-12-09", "materials": [], "capacity": None,
    }),
    ("inspection.result", "检查结果：现场检查（未保存）", {
        "task_id": "t-1", "items": [{"id": "i1", "result": "ok"}, {"id": "i2", "result": "problem",
        "note": "灭火器过期"}], "photos": [], "signed": False,
    }),
]
for key, label, fields in draft_inputs:
    drafts.save(key, fields, label)
    written["drafts"].append({"key": key, "label": label, "fields": fields})

SyncStatusService(store).record_run(
    datetime(2026, 12, 3, 7, 0), "failed", pulled=3, message="无法连接平台，已保留本机数据。"
)
with store.write() as s:
    SyncStateRepo(s).set("role", "window")
    SyncStateRepo(s).set("display_name", ACTOR)
written["sync_state"].update({"role": "window", "display_name": ACTOR})

with store.read() as s:
    assert audit.verify(s).ok
    written["audit_rows"] = audit.count(s)
finish(store, written)
"""
)

FIXTURES = (
    Fixture("0002-14eb397", "14eb397", "0002", SNIPPET_14EB397),
    Fixture("0006-673c6c7", "673c6c7", "0006", SNIPPET_673C6C7),
)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def make(fixture: Fixture) -> Path:
    """Write one fixture folder with the old commit's own code; returns the folder."""
    commit = _git("rev-parse", "--verify", f"{fixture.commit}^{{commit}}")
    target = OUT / fixture.name
    with tempfile.TemporaryDirectory(prefix="upgrade-fixture-") as tmp:
        worktree = Path(tmp) / "src"
        _git("worktree", "add", "--detach", str(worktree), commit)
        try:
            work = Path(tmp) / "out"
            work.mkdir()
            db, manifest = work / STORE_FILE, work / MANIFEST_FILE
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env |= {"PYTHONPATH": str(worktree), "QT_QPA_PLATFORM": "offscreen"}
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    fixture.snippet,
                    str(worktree),
                    str(db),
                    fixture.key.hex(),
                    str(manifest),
                    commit,
                ],
                cwd=worktree,
                env=env,
                check=True,
            )
            size = db.stat().st_size
            if size > MAX_FIXTURE_BYTES:
                raise SystemExit(f"{fixture.name}: {size} bytes is too large for a fixture")
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(db, target / STORE_FILE)
            shutil.copyfile(manifest, target / MANIFEST_FILE)
            (target / KEY_FILE).write_text(fixture.key.hex() + "\n", encoding="ascii")
        finally:
            _git("worktree", "remove", "--force", str(worktree))
    return target


def main(argv: list[str]) -> int:
    """Make the fixtures named in ``argv`` (all when none)."""
    chosen = [f for f in FIXTURES if not argv or f.name in argv]
    if not chosen:
        print("unknown fixture; choose from: " + ", ".join(f.name for f in FIXTURES))
        return 2
    for fixture in chosen:
        folder = make(fixture)
        print(f"wrote {folder.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
