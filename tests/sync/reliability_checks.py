"""Clients, local edits and end-state checks shared by the reliability tests.

The checks compare what clients hold with what the platform's own database holds (read with
SQLAlchemy on the server's ``DATABASE_URL``: SQLite or PostgreSQL), and look for silent
overwrites in the push results every client recorded.

Each :class:`Client` notes, for every edit and delete, the version its user was looking at
when making it (``seen``): the overwrite check judges a write against THAT version, not the
``base_version`` the sync engine chose to send, so an engine that re-bases a queued edit over
a foreign change cannot hide the overwrite from the check.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

from desktop_app.config import ProfilePaths
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.models import FormRecord, OutboxEntry, SyncConflict, SyncErrorRecord
from desktop_app.store.outbox import Outbox
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import DeviceIdentity, TokenVault, login
from sync.engine import SyncEngine
from sync.events import SyncReport
from sync.transport import Transport
from tests.sync.conftest import LiveServer

COLLECTION = "commitments"
HALL = "hall-140403"  # 潞州区: window.luzhou.1 and window.luzhou.2
CODE = generate_uscc("9", "1", "140403", "00000731")
EDITABLE = ("matter", "text", "note")


def commitment(**over: object) -> dict[str, object]:
    """Valid fields of a new commitment letter."""
    return {
        "uscc": CODE,
        "kind": "notify",
        "status": "draft",  # deletable (a signed letter is withdrawn, never deleted)
        "matter": "食品经营许可",
        **over,
    }


class Client:
    """One desktop profile (own store, device, transport, engine), logged in.

    Args:
        base_url: Where its transport connects (the proxy or the server).
        folder: Its profile folder.
        username: Platform account.
        seed: Seed of its backoff jitter.
        timeout: ``(connect, read)`` seconds (short, so stalls end quickly).
        push_batch: Mutations per push request.
        pull_limit: Changes per pull page.
    """

    def __init__(
        self,
        base_url: str,
        folder: Path,
        username: str,
        *,
        seed: int = 0,
        timeout: tuple[float, float] = (2.0, 2.0),
        push_batch: int = 100,
        pull_limit: int = 5000,
    ) -> None:
        self.name = folder.name
        self.store = StoreUnlocker(ProfilePaths(folder)).unlock()
        self.transport = Transport(
            base_url,
            backoff_base=0.01,
            backoff_cap=0.1,
            max_attempts=4,
            timeout=timeout,
            rng=random.Random(seed),
        )
        login(self.store, self.transport, TokenVault(folder.name), username, DEMO_PASSWORD)
        self.engine = SyncEngine(
            self.store, self.transport, push_batch=push_batch, pull_limit=pull_limit
        )
        self.device_id = DeviceIdentity.load_or_create(self.store).device_id
        self.seen: dict[int, int | None] = {}  # outbox seq → version its user saw

    def sync(self, cancel: threading.Event | None = None) -> SyncReport:
        """One sync run (errors propagate)."""
        return self.engine.sync(cancel=cancel)

    def close(self) -> None:
        """Close transport and store."""
        self.transport.close()
        self.store.close()

    # --- local changes, each with its outbox entry in one transaction ---------------------

    def create(self, record_id: str, fields: dict[str, Any]) -> None:
        """A new form."""
        with self.store.write() as s:
            s.add(
                FormRecord(
                    collection=COLLECTION,
                    record_id=record_id,
                    version=None,
                    data=json.dumps(fields, ensure_ascii=False),
                    deleted=False,
                    dirty=True,
                )
            )
            Outbox(s).add(COLLECTION, record_id, "create", fields)

    def edit(self, record_id: str, changes: dict[str, Any]) -> bool:
        """Change fields of a live local form; False when it is gone."""
        with self.store.write() as s:
            form = s.get(FormRecord, (COLLECTION, record_id))
            if form is None or form.deleted:
                return False
            form.data = json.dumps({**json.loads(form.data), **changes}, ensure_ascii=False)
            form.dirty = True
            entry = Outbox(s).add(COLLECTION, record_id, "update", changes, form.version)
            self.seen[entry.seq] = form.version
            return True

    def delete(self, record_id: str) -> bool:
        """Delete a live local form (a tombstone); False when it is gone already."""
        with self.store.write() as s:
            form = s.get(FormRecord, (COLLECTION, record_id))
            if form is None or form.deleted:
                return False
            form.deleted = True
            form.dirty = True
            entry = Outbox(s).add(COLLECTION, record_id, "delete", {}, form.version)
            self.seen[entry.seq] = form.version
            return True

    def live_ids(self) -> list[str]:
        """Record ids of the live local forms, sorted."""
        with self.store.read() as s:
            stmt = select(FormRecord.record_id).where(
                FormRecord.collection == COLLECTION, FormRecord.deleted.is_(False)
            )
            return sorted(s.scalars(stmt))

    # --- what it holds ----------------------------------------------------------------------

    def forms(self) -> dict[str, tuple[int | None, bool, dict[str, Any] | None, bool]]:
        """``record_id → (version, deleted, data or None when deleted, dirty)``."""
        with self.store.read() as s:
            rows = s.scalars(select(FormRecord).where(FormRecord.collection == COLLECTION))
            return {
                r.record_id: (
                    r.version,
                    r.deleted,
                    None if r.deleted else json.loads(r.data),
                    r.dirty,
                )
                for r in rows
            }

    def outbox(self) -> list[OutboxEntry]:
        """Every outbox entry (detached copies)."""
        with self.store.read() as s:
            entries = list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
            s.expunge_all()
            return entries

    def conflicts(self) -> list[SyncConflict]:
        """Every conflict row (detached copies)."""
        with self.store.read() as s:
            rows = list(s.scalars(select(SyncConflict)))
            s.expunge_all()
            return rows

    def errors(self) -> list[SyncErrorRecord]:
        """Every sync error row (detached copies)."""
        with self.store.read() as s:
            rows = list(s.scalars(select(SyncErrorRecord)))
            s.expunge_all()
            return rows


@dataclass(frozen=True)
class ServerRecord:
    """One record as the platform stores it."""

    version: int
    deleted: bool
    data: dict[str, Any] | None
    created_by_device: str | None


def server_forms(server: LiveServer, hall: str = HALL) -> dict[str, ServerRecord]:
    """The platform's ``commitments`` of ``hall``, straight from its database."""
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT record_id, version, deleted, data, created_by_device FROM records "
                    "WHERE collection = :c AND hall_id = :h"
                ),
                {"c": COLLECTION, "h": hall},
            ).all()
    finally:
        engine.dispose()
    return {
        r[0]: ServerRecord(int(r[1]), bool(r[2]), None if r[2] else json.loads(r[3]), r[4])
        for r in rows
    }


def mutation_log_count(server: LiveServer, device_id: str) -> int:
    """Rows of ``mutation_log`` of one device (one per mutation ever applied/answered)."""
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            value = conn.execute(
                text("SELECT count(*) FROM mutation_log WHERE device_id = :d"), {"d": device_id}
            ).scalar_one()
    finally:
        engine.dispose()
    return int(value)


def assert_converged(server: LiveServer, clients: Iterable[Client]) -> None:
    """After a fault-free sync of every client: the end state the invariants promise.

    * every outbox entry is settled (applied/conflict/rejected), none pending or sending;
    * every mutation reached the platform exactly once (``mutation_log`` rows = entries);
    * every form a client created exists on the platform, made by that device;
    * each client's forms equal the platform's forms of the hall (version, tombstone, data),
      with no unsent local edits left;
    * every push answer with field conflicts left a conflict row per field;
    * no push silently overwrote a field another device had changed since the version its
      user saw;
    * no local change diverged silently: each one reached the platform, or is a conflict
      row, or a sync error the user sees.
    """
    clients = list(clients)
    on_server = server_forms(server)
    for c in clients:
        entries = c.outbox()
        stuck = [(e.seq, e.op, e.status) for e in entries if e.status not in _SETTLED]
        assert not stuck, f"{c.name}: unsettled outbox entries {stuck}"
        # Entries settled locally (queued behind a refused create) were never sent.
        sent = [e for e in entries if e.result is not None]
        assert mutation_log_count(server, c.device_id) == len(sent), c.name
        for e in entries:
            if e.op == "create" and e.status == "applied":
                rec = on_server.get(e.record_id)
                assert rec is not None, f"{c.name}: created {e.record_id} missing on server"
                assert rec.created_by_device == c.device_id
        # A refused create of a record the platform never had stays local (with its sync
        # error, for the user to correct); every other refusal is put back in line with the
        # platform's state (test_reliability.py::test_rejected_change_puts_the_form_back_in_line).
        rejected = _never_on_server(entries)
        local = {k: v for k, v in c.forms().items() if k not in rejected}
        dirty = sorted(k for k, v in local.items() if v[3])
        assert not dirty, f"{c.name}: forms with unsent edits after the settle sync: " + "; ".join(
            f"{k} {local[k]} entries {_history(entries, k)} server {on_server.get(k)}"
            for k in dirty[:3]
        )
        mine = {k: (v[0], v[1], v[2]) for k, v in local.items()}
        theirs = {
            k: (r.version, r.deleted, r.data) for k, r in on_server.items() if k not in rejected
        }
        only_local = sorted(mine.keys() - theirs.keys())
        only_server = sorted(theirs.keys() - mine.keys())
        assert not only_local and not only_server, (c.name, only_local, only_server)
        differ = sorted(k for k in mine if mine[k] != theirs[k])
        assert not differ, f"{c.name}: differs from the server: " + "; ".join(
            f"{k}: local {mine[k]} server {theirs[k]}" for k in differ[:3]
        )
        _assert_conflicts_recorded(c, entries)
        assert_no_silent_divergence(c, entries)
    assert_no_silent_overwrite(clients)


def _never_on_server(entries: list[OutboxEntry]) -> set[str]:
    created: dict[str, str] = {}
    for e in entries:  # in seq order
        if e.op == "create":
            created[e.record_id] = e.status
    return {k for k, status in created.items() if status == "rejected"}


def _history(entries: list[OutboxEntry], record_id: str) -> list[tuple[Any, ...]]:
    return [
        (e.seq, e.op, e.base_version, e.status, e.last_error, (e.result or {}).get("reason"))
        for e in entries
        if e.record_id == record_id
    ]


_SETTLED = frozenset({"applied", "conflict", "rejected"})


def _assert_conflicts_recorded(c: Client, entries: list[OutboxEntry]) -> None:
    rows = {(r.record_id, r.field) for r in c.conflicts()}
    for e in entries:
        if e.status != "conflict" or e.op == "delete":
            continue  # a delete conflict is one whole-record row (assert_no_silent_divergence)
        result = e.result or {}
        fields = {x["field"] for x in result.get("conflicts", [])}
        missing = {(e.record_id, f) for f in fields} - rows
        assert not missing, f"{c.name}: conflict answer without conflict rows {missing}"


@dataclass(frozen=True)
class _Write:
    device: str
    record_id: str
    op: str
    base: int | None
    version: int
    fields: frozenset[str]  # fields this mutation really wrote on the platform
    sent_base: int | None = None  # the base_version the engine sent


def assert_no_silent_divergence(c: Client, entries: list[OutboxEntry]) -> None:
    """Every local edit or delete that did not fully reach the platform is visible.

    An entry answered ``conflict`` has an open conflict row for each field the platform did
    not take (with this device's value), or one whole-record row for a delete conflict; an
    entry answered ``rejected`` has a sync error (its own, or its record's refused create).
    """
    rows = c.conflicts()
    open_rows = {(r.record_id, r.field, r.local_value) for r in rows if r.resolved_at is None}
    whole = {r.record_id for r in rows if r.field == "*" and r.resolved_at is None}
    errors = {e.outbox_seq for e in c.errors()}
    refused_creates = {e.record_id for e in entries if e.op == "create" and e.seq in errors}
    bad: list[str] = []
    for e in entries:
        result = e.result or {}
        if e.status == "conflict":
            if e.op == "delete" or result.get("reason") == "record_deleted":
                if e.record_id not in whole:
                    bad.append(f"{e.seq} {e.op} {e.record_id}: no delete conflict row")
                continue
            for x in result.get("conflicts", []):
                local = json.dumps(x["client_value"], ensure_ascii=False, sort_keys=True)
                if (e.record_id, x["field"], local) not in open_rows:
                    bad.append(f"{e.seq} {e.record_id}.{x['field']}={local}: no open conflict")
        elif e.status == "rejected" and e.seq not in errors and e.record_id not in refused_creates:
            bad.append(f"{e.seq} {e.op} {e.record_id}: rejected without a sync error")
    assert not bad, f"{c.name}: silent divergence:\n" + "\n".join(bad[:5])


def _writes(clients: list[Client]) -> list[_Write]:
    out: list[_Write] = []
    for c in clients:
        for e in c.outbox():
            if not e.result:
                continue
            answered = e.result.get("status")
            if answered == "duplicate":
                answered = e.result.get("original")
            if answered not in ("applied", "conflict"):
                continue  # refused (e.g. the record was deleted): it wrote nothing
            version = e.result.get("version")
            if version is None:
                continue
            lost = {x["field"] for x in e.result.get("conflicts", [])}
            if e.op == "delete":
                written = frozenset({"*"}) if e.status == "applied" else frozenset()
            else:
                written = frozenset(set((e.fields or {}).keys()) - lost)
            # Judge by the version the user saw (see the module docstring).
            base = c.seen.get(e.seq, e.base_version)
            if base is None:
                base = e.base_version  # queued after an unanswered create: nobody else saw it
            out.append(
                _Write(c.device_id, e.record_id, e.op, base, version, written, e.base_version)
            )
    return out


def assert_no_silent_overwrite(clients: list[Client]) -> None:
    """No update/delete wrote a field that another device changed after the writer's base.

    ``U`` (base ``b``, result version ``v``) silently overwrote ``W`` of another device when
    ``b < version(W) < v`` and both wrote a common field (a delete writes every field): the
    platform should have answered ``U`` with a conflict on that field instead.
    """
    writes = _writes(clients)
    by_record: dict[str, list[_Write]] = {}
    for w in writes:
        by_record.setdefault(w.record_id, []).append(w)
    bad: list[str] = []
    for ws in by_record.values():
        for u in ws:
            if u.op == "create" or u.base is None or not u.fields:
                continue
            for w in ws:
                if w.device == u.device or not w.fields:
                    continue
                overlap = (u.fields & w.fields) or ("*" in u.fields or "*" in w.fields)
                if overlap and u.base < w.version < u.version:
                    bad.append(f"{u} overwrote {w}")
    assert not bad, "silent overwrites:\n" + "\n".join(bad[:5])
