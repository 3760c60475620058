"""How long the ``lessonkit`` command takes to start, against a bare Python.

``cli.start_vs_python`` is ``lessonkit --help`` wall time as a ratio to ``python -c pass``:
each sample is a fresh process timed around subprocess.run, the two run alternately so
machine noise falls on both, and the figure is the ratio of the medians. The command
line loads no notebook runtime (ipywidgets, plotly, IPython), so this stays small.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 9


def _command() -> list[str]:
    """The installed ``lessonkit`` script beside this Python, or the module when there is none."""
    script = Path(sys.executable).with_name("lessonkit")
    return [str(script), "--help"] if script.exists() else [sys.executable, "-m", "lessonkit.cli", "--help"]


def _seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")
    return elapsed


def run() -> list[tuple[str, float, str]]:
    lessonkit, bare = _command(), [sys.executable, "-c", "pass"]
    _seconds(lessonkit), _seconds(bare)  # one unmeasured round warms the file and bytecode caches
    ours, python = [], []
    for i in range(RUNS):
        print(f"  lessonkit --help round {i + 1}/{RUNS}", file=sys.stderr, flush=True)
        ours.append(_seconds(lessonkit))
        python.append(_seconds(bare))
    ours_median, python_median = statistics.median(ours), statistics.median(python)
    return [
        ("cli.start_vs_python", ours_median / python_median, "ratio"),
        ("cli.start_ms", ours_median * 1000, "ms"),
        ("cli.python_ms", python_median * 1000, "ms"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"BENCH {name} {value:.3f} {unit}")
