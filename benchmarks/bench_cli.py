"""How long the ``lessonkit`` command takes to start, against a bare Python.

``cli.start_vs_python`` is ``lessonkit --help`` wall time as a ratio to ``python -c pass``:
each sample is a fresh process timed around subprocess.run, the two run alternately so
machine noise falls on both, and the figure is the ratio of the medians. The command
line loads no notebook runtime (ipywidgets, plotly, IPython), so this stays small.
"""

from __future__ import annotations

import sys
from pathlib import Path

from paired import medians

RUNS = 9


def _command() -> list[str]:
    """The installed ``lessonkit`` script beside this Python, or the module when there is none."""
    script = Path(sys.executable).with_name("lessonkit")
    return [str(script), "--help"] if script.exists() else [sys.executable, "-m", "lessonkit.cli", "--help"]


def run() -> list[tuple[str, float, str]]:
    ours_median, python_median = medians(_command(), [sys.executable, "-c", "pass"], RUNS, "lessonkit --help")
    return [
        ("cli.start_vs_python", ours_median / python_median, "ratio"),
        ("cli.start_ms", ours_median * 1000, "ms"),
        ("cli.python_ms", python_median * 1000, "ms"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"BENCH {name} {value:.3f} {unit}")
