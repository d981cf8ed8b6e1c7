"""A client process killed with SIGKILL mid-sync recovers: nothing lost, nothing twice.

Each trial uses a fresh profile: the client (``crash_client.py``) logs in, creates forms and
runs a full sync (a paged pull of the 300-entity registry and reference data, pushes in
small batches). The test kills it after a random number of its progress lines plus a random
few milliseconds, restarts it to finish, then checks the store against the platform.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import FormRecord, OutboxEntry, ReferenceRecord
from sync.credentials import DeviceIdentity
from sync.pull import stored_cursor
from tests.sync.conftest import LiveServer
from tests.sync.reliability_checks import CODE, mutation_log_count
from tests.sync.reliability_checks import server_forms as hall_forms

TRIALS = 20
FORMS = 16
CLIENT = Path(__file__).with_name("crash_client.py")
ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90.0


@dataclass
class Run:
    """One client process and the lines it printed so far."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None]

    def wait_lines(self, n: int, timeout: float) -> list[str]:
        """Collect ``n`` lines (or all, if the process ends first), polling with a deadline."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while len(got) < n:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"client printed only {len(got)} of {n} lines in {timeout} s"
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                break
            got.append(line)
        return got


def _start(env: dict[str, str]) -> Run:
    proc = subprocess.Popen(
        [sys.executable, str(CLIENT)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    return Run(proc, lines)


def _finish(env: dict[str, str]) -> tuple[list[str], dict[str, int]]:
    run = _start(env)
    lines = run.wait_lines(10**6, RUN_TIMEOUT_S)
    _, err = run.proc.communicate(timeout=RUN_TIMEOUT_S)
    assert run.proc.returncode == 0, err[-3000:]
    assert lines and lines[-1].startswith("result "), lines[-5:]
    return lines, json.loads(lines[-1].removeprefix("result "))


def _env(server: LiveServer, folder: Path, key: bytes, prefix: str) -> dict[str, str]:
    folder.mkdir(parents=True)
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        CRASH_STORE=str(folder / "store.db"),
        CRASH_KEY=key.hex(),
        CRASH_URL=server.url,
        CRASH_USER="window.luzhou.1",
        CRASH_FORMS=str(FORMS),
        CRASH_PREFIX=prefix,
        CRASH_USCC=CODE,
    )


def _local_state(env: dict[str, str]) -> dict[str, object]:
    store = Store.open(Path(env["CRASH_STORE"]), bytes.fromhex(env["CRASH_KEY"]))
    try:
        store.integrity_check()
        with store.read() as s:
            entries = list(s.scalars(select(OutboxEntry)))
            forms = list(s.scalars(select(FormRecord)))
            state: dict[str, object] = {
                "entities": EntityRepository(s).count(),
                "reference": int(s.scalar(select(func.count()).select_from(ReferenceRecord)) or 0),
                "statuses": sorted({e.status for e in entries}),
                "entries": [(e.record_id, e.op) for e in entries],
                "forms": {f.record_id: (f.version, f.dirty, f.deleted) for f in forms},
            }
        state["cursor"] = stored_cursor(store)
        state["device_id"] = DeviceIdentity.load_or_create(store).device_id
        return state
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(
    live_server: LiveServer, tmp_path: Path
) -> None:
    rng = random.Random(4242)
    # A calibration run: how many progress lines a complete first sync prints.
    calib = _env(live_server, tmp_path / "calib", os.urandom(32), "calib")
    lines, again = _finish(calib)
    assert again == {"pushed": 0, "pulled": 0}
    total_lines = len(lines)
    reference = _local_state(calib)
    assert reference["entities"] == 300 and total_lines > FORMS + 10

    killed_at: list[int] = []
    for trial in range(TRIALS):
        prefix = f"k{trial}-{rng.getrandbits(32):08x}"
        env = _env(live_server, tmp_path / f"t{trial}", os.urandom(32), prefix)
        run = _start(env)
        k = rng.randrange(1, total_lines)
        seen = run.wait_lines(k, RUN_TIMEOUT_S)
        if rng.random() < 0.5:  # sometimes a few ms later, inside a commit or a request
            time.sleep(rng.uniform(0, 0.03))  # a random kill moment, not synchronisation
        run.proc.send_signal(signal.SIGKILL)
        run.proc.communicate(timeout=30)
        killed_at.append(len(seen))

        _, again = _finish(env)
        assert again == {"pushed": 0, "pulled": 0}, (trial, again)
        state = _local_state(env)
        ids = {f"{prefix}-{i}" for i in range(FORMS)}
        # Local: every form created, each pushed once, applied, clean.
        assert state["statuses"] == ["applied"], (trial, state["statuses"])
        entries = state["entries"]
        assert isinstance(entries, list)
        assert sorted(entries) == sorted((rid, "create") for rid in ids), trial
        forms = state["forms"]
        assert isinstance(forms, dict)
        mine = {k: v for k, v in forms.items() if k.startswith(prefix + "-")}
        assert mine == dict.fromkeys(ids, (1, False, False)), trial
        # Server: exactly those records from this device, one mutation each.
        server = {
            k: r
            for k, r in hall_forms(live_server).items()
            if r.created_by_device == state["device_id"]
        }
        assert set(server) == ids, trial
        assert mutation_log_count(live_server, str(state["device_id"])) == FORMS, trial
        # The pull finished and its cursor is consistent: the caches are complete.
        assert state["cursor"] is not None
        assert state["entities"] == 300, trial
        assert state["reference"] == reference["reference"], trial
    # The kills really landed all over the run.
    assert min(killed_at) < FORMS and max(killed_at) > FORMS + 5, killed_at
