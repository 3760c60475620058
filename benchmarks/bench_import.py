"""How much a lesson pays to import lessonkit, against the widget libraries it builds on (ipywidgets, anywidget).

Each sample is a fresh interpreter (`sys.executable -c "import ..."`) timed
wall-clock around subprocess.run, so it includes interpreter start-up on both
sides. lessonkit and the dependencies are run alternately so that machine
noise falls on both.
"""

from __future__ import annotations

import sys

from paired import medians

RUNS = 7
LESSONKIT = "import lessonkit"
DEPS = "import ipywidgets, anywidget"


def run() -> list[tuple[str, float, str]]:
    ours_median, deps_median = medians([sys.executable, "-c", LESSONKIT], [sys.executable, "-c", DEPS], RUNS, "import")
    return [
        ("import.lessonkit_vs_deps", ours_median / deps_median, "ratio"),
        ("import.lessonkit_ms", ours_median * 1000, "ms"),
        ("import.deps_ms", deps_median * 1000, "ms"),
    ]
