"""Timing two commands against each other: fresh processes, run alternately so machine noise falls on both,
one unmeasured round first to warm the file and bytecode caches; the figures are the two medians."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def seconds(argv: list[str]) -> float:
    """Wall-clock seconds for one run of ``argv``; a failed run stops the benchmark with its error output."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")
    return elapsed


def medians(ours: list[str], baseline: list[str], runs: int, label: str) -> tuple[float, float]:
    """Median seconds of ``ours`` and of ``baseline`` over ``runs`` alternating rounds."""
    seconds(ours), seconds(baseline)
    mine, base = [], []
    for i in range(runs):
        print(f"  {label} round {i + 1}/{runs}", file=sys.stderr, flush=True)
        mine.append(seconds(ours))
        base.append(seconds(baseline))
    return statistics.median(mine), statistics.median(base)
