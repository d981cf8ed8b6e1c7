"""The platform benchmark runs end to end at CI size (``--small``) and prints its figures.

It starts two real ``credit-platform serve`` processes on a fresh PostgreSQL database, so
PostgreSQL on 127.0.0.1:5432 is required. Nothing here judges the figures: a loaded CI
machine is not a measurement; the benchmark's own check (every pushed mutation exactly once
in a full pull) decides its exit status.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bench
def test_platform_bench_small_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "platform_bench.py"), "--small"],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    for figure in ("CPUs", "load average", "initial pull", "mutations/s", "p50", "p99"):
        assert figure in out, f"{figure!r} missing from:\n{out}"
    assert "— OK" in out, out
