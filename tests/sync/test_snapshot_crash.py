"""A client killed with SIGKILL while it takes a snapshot keeps everything (real processes).

The platform offers a snapshot (built and published as the operator would). Each trial is a
new window device (its own account of 潞州区's hall, so the device limit never interferes):
the client process (``crash_client.py``) types forms offline, then syncs — pushes them, then
downloads the snapshot and takes it as its store — and is killed at a random moment of the
download or the adoption (re-encryption, copy, rename). A second run of the same store must
then finish the sync with the whole registry, every form on the platform exactly once, an
intact store under the profile's key and no leftover download. (Run here: both the old store,
0 entities, and the adopted one, all of them, were found after kills in either phase.)
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.store.keys import new_random_key
from tests.sync.conftest import LiveServer, running_platform
from tests.sync.reliability_checks import mutation_log_count
from tests.sync.reliability_checks import server_forms as hall_forms
from tests.sync.test_crash import RUN_TIMEOUT_S, _env, _finish, _local_state, _start
from tests.sync.test_snapshot import BUILDER, BUILDER_PASSWORD, build_and_publish

TRIALS = 6
FORMS = 3
PASSWORD = "Kuai-Zhao-Beng-Kui-Ce-Shi-4471"  # a test account's
HALL = "hall-140403"  # 潞州区, as window.luzhou.1


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_platform(tmp_path_factory.mktemp("snapshot-crash")) as server:
        for name, hall, password in [(BUILDER, "snapshot", BUILDER_PASSWORD)] + [
            (f"crash.window.{i}", HALL, PASSWORD) for i in range(TRIALS)
        ]:
            made = server.cli(
                "create-user", name, "--role", "window", "--hall", hall, "--password", password
            )
            assert made.returncode == 0, made.stderr
        yield server


@pytest.mark.slow
def test_sigkill_while_taking_the_snapshot_loses_nothing(
    platform: LiveServer, tmp_path: Path
) -> None:
    manifest = build_and_publish(platform, tmp_path / "built", tmp_path / "builder")
    rng = random.Random(18)
    moments: list[str] = []
    for trial in range(TRIALS):
        prefix = f"snapcrash-{trial}-{rng.randrange(1 << 30):x}"
        env = _env(platform, tmp_path / f"t{trial}", new_random_key(), prefix)
        env |= {"CRASH_USER": f"crash.window.{trial}", "CRASH_PASSWORD": PASSWORD}
        env["CRASH_FORMS"] = str(FORMS)
        run = _start(env)
        # Half the trials die in the download, half once the adoption has begun.
        wanted = "event snapshot " if trial % 2 == 0 else "event snapshot_adopt"
        deadline = time.monotonic() + RUN_TIMEOUT_S
        seen: list[str] = []
        while not any(line.startswith(wanted) for line in seen):
            assert time.monotonic() < deadline, seen[-5:]
            got = run.wait_lines(1, RUN_TIMEOUT_S)
            assert got, f"the client ended before {wanted!r}: {seen[-5:]}"
            seen += got
        time.sleep(rng.uniform(0, 0.05))  # a random kill moment, not synchronisation
        run.proc.send_signal(signal.SIGKILL)
        run.proc.communicate(timeout=RUN_TIMEOUT_S)
        moments.append(wanted.strip())

        killed = _local_state(env)  # opens with the key, integrity checked
        mine = {f"{prefix}-{i}" for i in range(FORMS)}
        forms = killed["forms"]
        assert isinstance(forms, dict)
        assert mine <= set(forms), "a form typed before the sync is gone"
        assert killed["entities"] in (0, manifest["entities"]), killed["entities"]

        _lines, again = _finish(env)
        assert again == {"pushed": 0, "pulled": 0}
        after = _local_state(env)
        assert after["device_id"] == killed["device_id"]
        assert after["entities"] == manifest["entities"]
        assert after["statuses"] == ["applied"]
        on_platform = sorted(r for r in hall_forms(platform) if r.startswith(f"{prefix}-"))
        assert on_platform == sorted(f"{prefix}-{i}" for i in range(FORMS))
        assert mutation_log_count(platform, str(after["device_id"])) == FORMS  # each once
        store = Path(env["CRASH_STORE"])
        assert not list(store.parent.glob("*.snapshot*")), "a download was left behind"
    assert set(moments) == {"event snapshot", "event snapshot_adopt"}
