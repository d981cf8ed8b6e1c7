"""The client sync benchmark runs end to end at CI size (``--small``) and prints its figures.

It seeds and serves two real ``credit-platform serve`` processes (SQLite files in a temporary
folder) and pulls into real SQLCipher stores. Nothing here judges the figures — a loaded CI
machine is not a measurement — only that every figure was measured and printed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bench
def test_sync_bench_small_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(
                ROOT / "bench" / "sync_bench.py",
            ),
            "--small",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "failed" not in out, out
    for figure in (
        r"load average \d",
        r"1\. initial pull via SyncEngine: [\d,]+ records",
        r"anchor: bulk insert of the same [\d,]+ rows",
        r"ratio initial pull ÷ insert\+index anchor: [\d.]+ ÷ [\d.]+ = [\d.]+",
        r"2\. incremental sync .* ratio [\d.]+",
        r"3\. peak RSS .* VmHWM \d+ MB",
        r"4\. 10 ms QTimer .* longest gap \d+ ms",
    ):
        assert re.search(figure, out), f"{figure!r} missing from:\n{out}"


@pytest.mark.bench
def test_the_province_bench_at_ci_size_takes_the_snapshot() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sync_bench.py"), "--province", "--small",
         "--province-pages"],
        capture_output=True, text=True, timeout=240, cwd=ROOT, check=False,
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "failed" not in out, out
    for figure in (
        r"5\. province initial pull, page by page \([\d,]+ entities\): [\d,]+ records",
        r"the operator's snapshot: built in [\d.]+ s .* [\d,]+ entities",
        r"5\. province first pull from the snapshot \([\d,]+ entities stored\): .* in [\d.]+ s",
        r"peak RSS \(VmHWM\) of the process that only pulls \d+ MB",
    ):
        assert re.search(figure, out), f"{figure!r} missing from:\n{out}"
