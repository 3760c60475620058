"""The portfolio builder's charts: the learner's guesses stacked against the target, the chance of reaching it, and their words.

Every amount drawn is the learner's own guess; the builders turn the guesses and the
simulation's result into plain dicts (traces and the layout parts that change) and sentences.
"""

from __future__ import annotations

import html
from typing import Any

from ..models import salary as M
from ..palette import OUTLINE, PALETTE, SERIES
from .layout import CHART_WIDTH, Layout, Picture, base_layout


def percent(chance: float) -> str:
    if 0 < chance < 0.005:
        return "under 1%"
    if 0.995 < chance < 1:
        return "over 99%"
    return f"{chance * 100:.0f}%"


ROWS = ("All low", "All likely", "All high")  # every stream at its low, likely or high amount
_PATTERNS = ("", "/", "x", ".")


def stream_colour(index: int) -> dict[str, Any]:
    """Okabe–Ito colours in turn; past eight streams a hatching keeps repeated colours apart."""
    return {"color": SERIES[index % len(SERIES)], "pattern": {"shape": _PATTERNS[(index // len(SERIES)) % 4]},
            "line": {"color": OUTLINE, "width": 1}}


def portfolio_traces(streams: list[tuple[str, str]], portfolio: dict[str, M.Guess], target: int,
                     ) -> Picture:
    """One stacked bar per stream across the low / likely / high rows, and the target line."""
    traces = []
    for index, (stream_id, label) in enumerate(streams):
        guess = portfolio.get(stream_id)
        traces.append({"type": "bar", "orientation": "h", "y": list(ROWS), "name": label, "visible": guess is not None,
                       "x": [guess.low, guess.likely, guess.high] if guess else [0, 0, 0], "marker": stream_colour(index),
                       "hovertemplate": f"{html.escape(label)}: %{{x:$,.0f}}<extra>%{{y}}</extra>"})
    high = sum(g.high for g in portfolio.values())
    x_max = max(high, target) * 1.12
    empty = "No streams yet:<br>tick one and type<br>its amounts" if not portfolio else ""
    changes = {
        "xaxis": {"range": [0, x_max]},
        "shapes": [{"type": "line", "x0": target, "x1": target, "y0": 0, "y1": 1, "yref": "paper",
                    "line": {"color": PALETTE["vermillion"], "width": 3}}],
        "annotations": [
            {"x": target, "y": 1, "yref": "paper", "yanchor": "bottom", "text": f"Your target {M.money(target)}",
             "xanchor": "right" if target > 0.55 * x_max else "left",
             "showarrow": False, "font": {"color": PALETTE["vermillion"]}},
            {"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "text": empty, "showarrow": False},
        ],
    }
    return traces, changes


def chance_traces(streams: list[tuple[str, str]], result: M.PortfolioResult) -> Picture:
    """The chance of reaching the target as streams are added, largest likely amount first."""
    labels = dict(streams)
    index = {stream_id: i for i, (stream_id, _) in enumerate(streams)}
    names = [(labels[s] + " alone") if i == 0 else f"+ {labels[s]}" for i, (s, _) in enumerate(result.steps)]
    colours = [stream_colour(index[s]) for s, _ in result.steps]
    traces = [{
        "type": "bar", "orientation": "h", "y": names, "x": [100 * c for _, c in result.steps],
        "text": [percent(c) for _, c in result.steps], "textposition": "outside", "cliponaxis": False,
        "marker": {"color": [c["color"] for c in colours], "pattern": {"shape": [c["pattern"]["shape"] for c in colours]},
                   "line": {"color": OUTLINE, "width": 1}},
        "hovertemplate": "%{y}: %{x:.0f}% of simulated years reach the target<extra></extra>", "showlegend": False,
    }]
    empty = "No streams yet" if not result.steps else ""
    changes = {"annotations": [{"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "text": empty,
                                "showarrow": False}]}
    return traces, changes


def portfolio_layout() -> Layout:
    return base_layout(
        title={"text": "Your guesses, stacked, against your target", "x": 0.02, "font": {"size": 15}},
        barmode="stack", width=CHART_WIDTH, height=470, margin={"l": 80, "r": 30, "t": 60, "b": 220},
        xaxis={"tickprefix": "$", "tickformat": "~s"},
        # plotly puts a category axis's first entry at the bottom: reversed, "All low" reads first.
        yaxis={"automargin": True, "type": "category", "categoryorder": "array", "categoryarray": list(ROWS)[::-1]},
        legend={"orientation": "h", "x": -0.25, "y": -0.15, "yanchor": "top", "traceorder": "normal",
                "entrywidth": 170, "font": {"size": 12}},
    )


def chance_layout() -> Layout:
    return base_layout(
        title={"text": "Chance of reaching your target", "x": 0.02, "font": {"size": 15}},
        width=CHART_WIDTH, height=470, margin={"l": 170, "r": 40, "t": 60, "b": 60},
        xaxis={"title": {"text": "Share of simulated years"}, "range": [0, 128], "tickvals": [0, 50, 100],
               # plotly.js leaves ticksuffix off ticks given as tickvals, so the labels are spelled out.
               "ticktext": ["0%", "50%", "100%"]},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"}, showlegend=False,
    )


def portfolio_sentences(streams: list[tuple[str, str]], portfolio: dict[str, M.Guess], target: int) -> list[str]:
    if not portfolio:
        return [f"No streams in your portfolio yet. Tick a stream and type what it might bring in a year (low, likely "
                f"and high). Your target: {M.money(target)}."]
    parts = [f"{label} {M.money(portfolio[s].likely)}" for s, label in streams if s in portfolio]
    likely = sum(g.likely for g in portfolio.values())
    gap = (f"{M.money(target - likely)} short of" if likely < target else
           f"{M.money(likely - target)} above" if likely > target else "exactly")
    return [
        f"Your likely portfolio: {' + '.join(parts)} = {M.money(likely)} a year, {gap} your target of {M.money(target)}.",
        f"If every stream came in low: {M.money(sum(g.low for g in portfolio.values()))}; if every stream came in "
        f"high: {M.money(sum(g.high for g in portfolio.values()))}. Every amount here is your own guess.",
    ]


def chance_sentences(streams: list[tuple[str, str]], result: M.PortfolioResult) -> list[str]:
    labels = dict(streams)
    if not result.steps:
        return ["With no streams there is nothing to simulate yet: the chance of reaching your target is 0."]
    p = result.percentiles
    lines = [
        f"In {result.draws:,} simulated years, the total reached your target of {M.money(result.target)} in "
        f"{percent(result.chance)} of them ({M.share_in_words(result.chance)}).",
        f"Half the simulated years brought more than {M.money(p[50])}; 1 in 10 brought less than {M.money(p[10])} and "
        f"1 in 10 more than {M.money(p[90])}.",
        "Adding streams one at a time, largest likely amount first: "
        + "; ".join(f"{labels[s]} {'alone ' if i == 0 else ''}{percent(c)}" if i == 0 else f"+ {labels[s]} {percent(c)}"
                    for i, (s, c) in enumerate(result.steps)) + ".",
    ]
    if len(result.steps) > 1:
        lines.append("Taking one stream out: " + "; ".join(
            f"without {labels[s]} {percent(c)}" for s, c in result.without.items()) + ".")
    return lines


def model_statement(shape: str) -> str:
    how = ("the straight-sided shape: most often near your likely amount, thinning in straight lines to your low "
           "and high" if shape == "triangular" else
           "the smooth shape: a smooth curve over your low to high, weighted more towards your likely amount")
    return (f"<strong>How the chance is worked out (a model, not a forecast).</strong> Each simulated year draws every "
            f"stream's amount at random between your low and high, from {how}. Streams are treated as independent: a "
            f"weak year in one says nothing about the others. In real careers a slow year often hits several streams "
            f"at once, so the real chance may be lower than shown. The same {M.DRAWS:,} simulated years are drawn "
            f"every time, so the same guesses always give the same answer.")
