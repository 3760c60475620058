"""How much a lesson pays to import lessonkit, against the widgets and plotting it builds on.

Each sample is a fresh interpreter (`sys.executable -c "import ..."`) timed
wall-clock around subprocess.run, so it includes interpreter start-up on both
sides. lessonkit and the dependencies are run alternately so that machine
noise falls on both.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 7
LESSONKIT = "import lessonkit"
DEPS = "import ipywidgets, plotly.graph_objects"


def time_import(statement: str) -> float:
    """Seconds for one fresh interpreter to run `statement`."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", statement], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{statement!r} failed:\n{done.stderr}")
    return elapsed


def run() -> list[tuple[str, float, str]]:
    # One unmeasured round warms the file cache and the bytecode caches.
    time_import(LESSONKIT)
    time_import(DEPS)
    ours, deps = [], []
    for i in range(RUNS):
        print(f"  import round {i + 1}/{RUNS}", file=sys.stderr, flush=True)
        ours.append(time_import(LESSONKIT))
        deps.append(time_import(DEPS))
    ours_median, deps_median = statistics.median(ours), statistics.median(deps)
    return [
        ("import.lessonkit_vs_deps", ours_median / deps_median, "ratio"),
        ("import.lessonkit_ms", ours_median * 1000, "ms"),
        ("import.deps_ms", deps_median * 1000, "ms"),
    ]
