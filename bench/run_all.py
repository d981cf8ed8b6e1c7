"""Every figure of docs/PERFORMANCE.md's issue-18 table from one run.

Run: ``.venv/bin/python bench/run_all.py [--platform-db FILE] [--province-db FILE] [--small]``

Runs, one after the other (never in parallel: they would measure each other), each bench as
its own process with its output streamed here, then prints the table's lines again together:

1. ``store_bench.py`` — name search p99, 2 and 3+ characters;
2. ``sync_bench.py`` — first pull ÷ insert+index anchor, incremental 300k ÷ 1k, the pull's
   peak RSS, the longest GUI stall (``--platform-db`` reuses a seeded platform file);
3. ``sync_bench.py --province`` — the province's first pull from the platform's snapshot (built
   and published first, timed apart) and its peak RSS (``--province-db``: a seeded file, used
   as it is; without it the 3,000,000-entity seed is made first, which took 20–40 minutes on
   the 2-core project machine);
4. ``platform_bench.py`` — 20 clients × 500 mutations with two ``serve`` workers on PostgreSQL;
5. ``coldstart_bench.py`` — the frozen client's first window ÷ an empty frozen PySide6 window
   (needs Xvfb and xdotool).

``--small`` passes ``--small`` to those that have it (a smoke run, figures meaningless). Before
each part it waits up to two minutes for the load average to fall below 1 (the part before
leaves its load behind; not with ``--small``); each part prints the machine's CPU count and load itself. It asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Before each bench: wait for the load average to fall below this, at most this long.
SETTLE_LOAD = 1.0
SETTLE_SECONDS = 120.0
# The lines that carry the table's figures, by the words each bench prints.
KEYS = (
    "ratio",
    "p99",
    "province",
    "of which",
    "operator's snapshot",
    "mutations/s",
    "peak RSS",
    "longest gap",
    "machine:",
    "load average",
)


def settle(limit: float = SETTLE_LOAD, patience: float = SETTLE_SECONDS) -> float:
    """Wait (at most ``patience`` s) for the 1-minute load average to fall below ``limit``.

    The bench before leaves its processes' load behind (the push bench ends at 2–3 on two
    cores); a bench started at once would measure that. Returns the seconds waited.
    """
    started = time.monotonic()
    while os.getloadavg()[0] >= limit and time.monotonic() - started < patience:
        time.sleep(5)
    return time.monotonic() - started


def run(title: str, args: list[str], figures: list[str], patience: float = SETTLE_SECONDS) -> int:
    """Run one bench, stream its output, keep its figure lines; return its exit code."""
    waited = settle(patience=patience)
    print(
        f"\n=== {title} ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
        f" after waiting {waited:.0f} s for it to settle) ===",
        flush=True,
    )
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        if any(key in line for key in KEYS):
            figures.append(f"[{title}] {line.strip()}")
    code = proc.wait()
    print(f"=== {title}: exit {code} after {time.monotonic() - started:.0f} s ===", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--platform-db", type=Path, help="seeded 300k platform file to reuse")
    parser.add_argument("--province-db", type=Path, help="seeded province platform file")
    parser.add_argument("--small", action="store_true", help="smoke sizes (figures meaningless)")
    parser.add_argument("--skip-coldstart", action="store_true")
    args = parser.parse_args()
    small = ["--small"] if args.small else []
    patience = 0.0 if args.small else SETTLE_SECONDS
    figures: list[str] = []
    codes = []
    codes.append(run("store", [str(HERE / "store_bench.py"), *(["--entities", "3000", "--queries", "50"] if args.small else [])], figures, patience))  # fmt: skip
    sync = [str(HERE / "sync_bench.py"), *small]
    if args.platform_db and not args.small:
        sync += ["--platform-db", str(args.platform_db)]
    codes.append(run("sync", sync, figures, patience))
    province = [str(HERE / "sync_bench.py"), "--province", *small]
    if args.province_db and not args.small:
        province += ["--platform-db", str(args.province_db), "--skip-seed"]
    codes.append(run("province", province, figures, patience))
    codes.append(run("platform", [str(HERE / "platform_bench.py"), *small], figures, patience))
    if not args.skip_coldstart:
        codes.append(run("coldstart", [str(HERE / "coldstart_bench.py"), "--rounds", "3" if args.small else "9"], figures, patience))  # fmt: skip
    print("\n=== the table's figures ===")
    for line in figures:
        print(line)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
