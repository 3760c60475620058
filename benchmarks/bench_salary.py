"""How fast the salary widgets answer a learner: the portfolio simulation, and a change redrawn in place vs rebuilt.

``salary.simulate_100k_ms`` is the pure model: 100,000 simulated years of a full portfolio
(every stream of Lesson 2 plus "other"), each stream drawn afresh (the draw cache emptied
first), median of several runs. ``salary.update_ms`` is one stream's likely amount typed into
the portfolio builder in Python until its simulation, both charts (in place: the changed traits
sent in one message) and summaries are done: the median over many changes, each a new amount so the changed stream
is really redrawn. ``salary.update_vs_rebuild_ratio`` sets that against the same change handled
by rebuilding: the same simulation, then fresh figures built and shown inside an ``Output``
widget (``clear_output(wait=True); display(fig)``), measured in the same run, alternating.
``salary.pay_paths_update_ms`` is a new target typed into the pay-paths explorer.
No browser is attached, so neither side counts drawing in the page.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time

RUNS = 15
CHANGES = 60


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run() -> list[tuple[str, float, str]]:
    import ipywidgets as W
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import clear_output, display

    from lessonkit.content import load_course
    from lessonkit.models import salary as M
    from lessonkit.widgets import pay_paths, portfolio as S
    from lessonkit.widgets.salary import Chart

    InteractiveShell.instance()  # display() and clear_output() go through IPython's display machinery
    course = load_course()
    builder = S.PortfolioBuilder(course, 60_000)
    for i, (stream_id, _) in enumerate(builder.streams):
        for col, amount in zip(("low", "likely", "high"), (1_000 * i, 4_000 + 1_000 * i, 12_000 + 2_000 * i)):
            builder.controls[f"{stream_id}.{col}"].value = str(amount)
    portfolio = builder.portfolio()
    assert len(portfolio) == len(builder.streams)

    print(f"  {RUNS} simulations of a {len(portfolio)}-stream portfolio", file=sys.stderr, flush=True)
    simulate = []
    for _ in range(RUNS):
        M._stream_draws.cache_clear()
        start = time.perf_counter()
        M.simulate_portfolio(portfolio, 60_000, draws=100_000)
        simulate.append(time.perf_counter() - start)

    print(f"  {CHANGES} changes, in place and rebuilt, alternating", file=sys.stderr, flush=True)
    field = builder.controls["mixing.likely"]
    output = W.Output()
    in_place, rebuilt = [], []
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        for i in range(CHANGES + 5):  # the first few warm the code paths on both sides
            start = time.perf_counter()
            field.value = str(9_000 + i)
            in_place.append(time.perf_counter() - start)

            guesses = {**builder.portfolio(), "mixing": M.Guess(portfolio["mixing"].low, 9_500 + i,
                                                                portfolio["mixing"].high)}
            start = time.perf_counter()
            result = M.simulate_portfolio(guesses, 60_000)
            traces, changes = S.portfolio_traces(builder.streams, guesses, 60_000)
            stacked = Chart(traces, S.portfolio_layout(), changes).figure
            traces, changes = S.chance_traces(builder.streams, result)
            chances = Chart(traces, S.chance_layout(), changes).figure
            S.portfolio_sentences(builder.streams, guesses, 60_000)
            S.chance_sentences(builder.streams, result)
            with output:
                clear_output(wait=True)
                display(W.VBox([stacked, chances]))
            rebuilt.append(time.perf_counter() - start)
        pay = pay_paths.PayPathsExplorer(course, 40_000, card="music-producer")
        pay_times = []
        for i in range(CHANGES + 5):
            start = time.perf_counter()
            pay.controls["target"].value = str(40_000 + 500 * i)
            pay_times.append(time.perf_counter() - start)
    in_place, rebuilt, pay_times = in_place[5:], rebuilt[5:], pay_times[5:]
    return [
        ("salary.simulate_100k_ms", _median_ms(simulate), "ms"),
        ("salary.update_ms", _median_ms(in_place), "ms"),
        ("salary.update_vs_rebuild_ratio", statistics.median(in_place) / statistics.median(rebuilt), "ratio"),
        ("salary.pay_paths_update_ms", _median_ms(pay_times), "ms"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"BENCH {name} {value:.3f} {unit}")
