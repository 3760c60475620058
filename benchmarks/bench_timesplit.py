"""How fast the time-split widgets answer a learner: one slider move rebalanced, and a change drawn.

``timesplit.rebalance_ms`` is the pure model alone (one move of the ideal-week sliders
with a lock on). ``timesplit.update_ms`` is a slider's value set in Python until the
widget has rebalanced, updated its controls, chart and summary: the median over many
moves, with no browser attached (the browser's drawing is not counted).
"""

from __future__ import annotations

import statistics
import sys
import time

MOVES = 200


def run() -> list[tuple[str, float, str]]:
    from lessonkit.content import load_course
    from lessonkit.lesson import Lesson
    from lessonkit.models.timesplit import rebalance
    from lessonkit.widgets.timesplit import ideal_week

    course = load_course()
    widget = ideal_week(Lesson(course, course.lesson("01-music-producer")), week_hours=40)
    shares, locked = dict(widget.published), {"business"}

    model = []
    for i in range(2000):
        start = time.perf_counter()
        rebalance(shares, "mixing", i % 71, locked)
        model.append(time.perf_counter() - start)

    print(f"  {MOVES} slider moves through the ideal-week widget", file=sys.stderr, flush=True)
    slider = widget._sliders["production"]
    for value in (20, 15):  # unmeasured: the first moves fill caches (the chart's first update, traitlets' lookups)
        slider.value = value
    drawn = []
    for i in range(MOVES):
        start = time.perf_counter()
        slider.value = 5 + i % 50
        drawn.append(time.perf_counter() - start)
    return [
        ("timesplit.rebalance_ms", statistics.median(model) * 1000, "ms"),
        ("timesplit.update_ms", statistics.median(drawn) * 1000, "ms"),
    ]
