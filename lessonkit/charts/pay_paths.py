"""The pay-paths charts: the salaried model through the published points, the independent path's range, and words.

Each builder takes the card's figures, the model and the learner's target, and returns plain
dicts (traces and the layout parts that change) or sentences: the text beside each chart.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from ..models import salary as M
from ..palette import PALETTE
from ..templating import FORMATS
from .layout import CHART_WIDTH, Layout, Picture, base_layout

if TYPE_CHECKING:  # annotations only: a lesson's content is read as views of these models
    from ..schema import ArtistPath, SalariedPath

usd_k = FORMATS["usd_k"]
pct = FORMATS["pct"]
CURVE_POINTS = 101


# ---------------------------------------------------------------- plain words
def salaried_sentence(share: float, target: int, people: str) -> str:
    """Where the target falls on the salaried model, in words; ``people`` is who is on the path, plural."""
    return f"In this model, {M.share_in_words(share)} {people} earn more than {M.money(target)} a year."


def position_words(target: int, s: SalariedPath) -> str:
    points = [(s.entry, "entry"), (s.median, "median"), (s.top, "top")]
    for amount, name in points:
        if target == amount:
            return f"Your target is the published {name} figure ({usd_k(amount)})."
    if target < s.entry:
        return f"Your target is below the published entry figure ({usd_k(s.entry)})."
    if target > s.top:
        return f"Your target is above the published top figure ({usd_k(s.top)})."
    (lo, lo_name), (hi, hi_name) = next((a, b) for a, b in zip(points, points[1:]) if a[0] < target < b[0])
    return f"Your target lies between the published {lo_name} ({usd_k(lo)}) and {hi_name} ({usd_k(hi)}) figures."


def salaried_sentences(s: SalariedPath, share: float, target: int, entry_pct: int, top_pct: int) -> list[str]:
    """The text beside the salaried chart: where the target falls, and what is published and what is modelled."""
    growth = f"{pct(s.growth_low)} to {pct(s.growth_high)}"
    return [
        salaried_sentence(share, target, s.people) + " " + position_words(target, s),
        f"Published: a median of about {usd_k(s.median)} and growth of {growth} expected (as of {s.as_of}; "
        f"{'over ' + s.growth_span if s.growth_span else 'the card gives no period for the growth'}); "
        f"about {usd_k(s.entry)} at entry and {usd_k(s.top)} at the top (the card's own figures). The curve is "
        f"a model through those points, assuming {entry_pct} in 100 earn less than the entry figure and "
        f"{top_pct} in 100 less than the top one.",
    ]


def artist_sentences(a: ArtistPath, target: int, guesses: tuple[int, float] | None, share: float | None) -> list[str]:
    """What can and cannot be said about the target on the independent (artist) path."""
    top = usd_k(a.high_high) + (" and more" if a.open_ended else "")
    if target < a.high_low:
        where = f"Your target is below the {usd_k(a.high_low)} where that range starts."
    elif target <= a.high_high:
        where = "Your target is inside that range."
    else:
        where = f"Your target is above {usd_k(a.high_high)}" + (", in the open top of the range." if a.open_ended else ".")
    lines = [
        f"The source publishes no share for this path, so it cannot say how many earn more than {M.money(target)}. "
        f"It says {a.typical}, and {a.high_earners} reach {usd_k(a.high_low)} to {top}, paid {a.paid_by}. {where}",
    ]
    if guesses is None or share is None:
        lines.append("To see an illustration, type your own guesses below: the source gives none.")
    else:
        typical, reaching = guesses
        lines.append(
            f"In your illustration (a typical income of {M.money(typical)} and {reaching * 100:g} in 100 reaching "
            f"{usd_k(a.high_low)}: your guesses, not data), {M.share_in_words(share)} {a.people} would earn "
            f"more than {M.money(target)}."
        )
    return lines


# ---------------------------------------------------------------- traces and layout
def target_line(target: int, top: float = 100.0) -> dict[str, Any]:
    return {"x": [target, target], "y": [0, top]}


def _grid(x_max: float) -> list[int]:
    """Whole-dollar points along the income axis (rounded: the chart's data is saved with the notebook)."""
    return [round(x_max * i / (CURVE_POINTS - 1)) for i in range(CURVE_POINTS)]


def _percents(shares: list[float]) -> list[float]:
    return [round(100 * v, 2) for v in shares]


def _beside(target: int, x_max: float) -> str:
    """Where a label beside the target's marker goes: to the right, unless that runs off the chart."""
    return "top right" if target < 0.55 * x_max else "top left"


def _axis_max(target: int, floor: float) -> float:
    return max(floor, target * 1.15)


def salaried_traces(s: SalariedPath, model: M.TwoPieceLognormal, target: int, entry_pct: int, top_pct: int,
                    as_of: str) -> Picture:
    """The salaried chart's traces and the layout parts that change, from the model and the target."""
    x_max = _axis_max(target, s.top * 1.5)
    xs = _grid(x_max)
    share = model.share_above(target)
    traces = [
        {"type": "scatter", "mode": "lines", "x": xs, "y": _percents(model.curve(xs)),
         "name": f"Model (dashed): {entry_pct} in 100 below entry, {top_pct} below top",
         "line": {"color": PALETTE["blue"], "dash": "dash", "width": 2.5},
         "hovertemplate": "%{x:$,.0f}: %{y:.0f}% earn more (model)<extra></extra>"},
        {"type": "scatter", "mode": "markers+text", "x": [s.entry, s.median, s.top],
         "y": [100 - entry_pct, 50, 100 - top_pct],
         "text": [f"Entry {usd_k(s.entry)}", f"Median {usd_k(s.median)}", f"Top {usd_k(s.top)}"],
         "textposition": ["middle left", "top right", "bottom left"], "cliponaxis": False,
         "name": f"Published points (median: {as_of})",
         "marker": {"symbol": "diamond", "size": 12, "color": PALETTE["orange"]},
         "hovertemplate": "%{text} (published)<extra></extra>"},
        {"type": "scatter", "mode": "lines", **target_line(target), "name": f"Your target {M.money(target)}",
         "line": {"color": PALETTE["vermillion"], "width": 3}, "hovertemplate": "Your target: %{x:$,.0f}<extra></extra>"},
        {"type": "scatter", "mode": "markers+text", "x": [target], "y": [100 * share], "showlegend": False,
         "text": [f"{M.share_in_words(share)} earn more"], "textposition": _beside(target, x_max), "cliponaxis": False,
         "marker": {"color": PALETTE["vermillion"], "size": 10}, "hoverinfo": "skip"},
    ]
    return traces, {"xaxis": {"range": [0, x_max]}}


def artist_traces(a: ArtistPath, target: int, illustration: M.TwoPieceLognormal | None) -> Picture:
    """The independent path's chart: the published range, the learner's illustration if any, and the target."""
    x_max = _axis_max(target, a.high_high * 1.2)
    xs = _grid(x_max)
    top = usd_k(a.high_high) + ("+" if a.open_ended else "")
    shown = illustration is not None
    share = illustration.share_above(target) if illustration else 0.0
    traces = [
        {"type": "scatter", "mode": "lines", "fill": "toself", "x": [a.high_low, a.high_high, a.high_high, a.high_low, a.high_low],
         "y": [0, 0, 100, 100, 0], "fillcolor": "rgba(230, 159, 0, 0.28)", "line": {"width": 0},
         "name": f"Published: a few reach {usd_k(a.high_low)} to {top.removeprefix('$')}<br>(no share given)",
         "hoverinfo": "name"},
        {"type": "scatter", "mode": "lines", "x": xs if shown else [], "y": _percents(illustration.curve(xs)) if shown else [],
         "visible": shown, "name": "Illustration from your guesses: not data",
         "line": {"color": PALETTE["purple"], "dash": "dot", "width": 2.5},
         "hovertemplate": "%{x:$,.0f}: %{y:.0f}% earn more (your illustration)<extra></extra>"},
        {"type": "scatter", "mode": "lines", **target_line(target), "name": f"Your target {M.money(target)}",
         "line": {"color": PALETTE["vermillion"], "width": 3}, "hovertemplate": "Your target: %{x:$,.0f}<extra></extra>"},
        {"type": "scatter", "mode": "markers+text", "x": [target], "y": [100 * share], "visible": shown, "showlegend": False,
         "text": [f"{M.share_in_words(share)} earn more (illustration)"], "textposition": _beside(target, x_max),
         "cliponaxis": False,
         "marker": {"color": PALETTE["vermillion"], "size": 10}, "hoverinfo": "skip"},
    ]
    return traces, {"xaxis": {"range": [0, x_max]}}


def artist_annotations(a: ArtistPath) -> list[dict[str, Any]]:
    """The words on the independent path's chart: where a few reach, and what the card says most earn (narrow lines:
    the label sits left of the range)."""
    mid = (a.high_low + a.high_high) / 2
    return [
        {"x": mid, "y": 97, "text": "A few reach this<br>(no share published)", "showarrow": False,
         "yanchor": "top"},
        {"x": a.high_low / 2, "y": 97, "text": "<br>".join([*textwrap.wrap(a.typical[:1].upper() + a.typical[1:], 9),
                                                             "(no figure", "published)"]),
         "showarrow": False, "yanchor": "top", "bgcolor": "rgba(127, 127, 127, 0.2)"},
    ]


def pay_layout(title: str, annotations: list[dict[str, Any]]) -> Layout:
    """The layout both pay-path charts share: income across, the share earning more up."""
    return base_layout(
        title={"text": title, "x": 0.02, "font": {"size": 15}},
        width=CHART_WIDTH, height=420, margin={"l": 60, "r": 20, "t": 40, "b": 120},
        xaxis={"title": {"text": "Yearly income (US$)"}, "tickprefix": "$", "tickformat": "~s", "rangemode": "tozero"},
        yaxis={"title": {"text": "Share earning more"}, "range": [0, 105], "ticksuffix": "%"},
        legend={"orientation": "h", "x": 0, "y": -0.22, "yanchor": "top"},
        annotations=annotations, showlegend=True, hovermode="closest",
    )
