"""The pay-paths explorer: the salaried and artist-producer paths side by side, with the learner's target on both."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from ..charts import PALETTE, base_layout
from ..content import Course
from ..models import salary as M
from ..render import cite
from ..schema import ArtistPath, SalariedPath
from .compact import shared_layout
from .base import LessonWidget
from .slider import IntSlider
from .salary import (CHART_WIDTH, CURVE_POINTS, Chart, Parts, amount_text, parsed, pct, plain, starting_target,
                     read_target, small, summary_html, target_line, usd_k)

# ---------------------------------------------------------------- pay paths: plain words
def salaried_sentence(share: float, target: int) -> str:
    """Where the target falls on the salaried model, in words."""
    return f"In this model, {M.share_in_words(share)} salaried audio engineers earn more than {M.money(target)} a year."


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


def artist_sentences(a: ArtistPath, target: int, guesses: tuple[int, float] | None, share: float | None) -> list[str]:
    """What can and cannot be said about the target on the artist-producer path."""
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
            f"{usd_k(a.high_low)}: your guesses, not data), {M.share_in_words(share)} artist-producers would earn "
            f"more than {M.money(target)}."
        )
    return lines


# ---------------------------------------------------------------- pay paths: charts
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
                    as_of: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
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


def artist_traces(a: ArtistPath, target: int, illustration: M.TwoPieceLognormal | None,
                  ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
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


def _pay_layout(title: str, annotations: list[dict[str, Any]]) -> dict[str, Any]:
    return base_layout(
        title={"text": title, "x": 0.02, "font": {"size": 15}},
        width=CHART_WIDTH, height=420, margin={"l": 60, "r": 20, "t": 40, "b": 120},
        xaxis={"title": {"text": "Yearly income (US$)"}, "tickprefix": "$", "tickformat": "~s", "rangemode": "tozero"},
        yaxis={"title": {"text": "Share earning more"}, "range": [0, 105], "ticksuffix": "%"},
        legend={"orientation": "h", "x": 0, "y": -0.22, "yanchor": "top"},
        annotations=annotations, showlegend=True, hovermode="closest",
    )


# ---------------------------------------------------------------- pay paths: the widget
class PayPathsExplorer(LessonWidget):
    """The salaried and artist-producer paths side by side, with the learner's target drawn on both."""

    def __init__(self, course: Course, target_income: int, *, card: str = "music-producer", key: str = "pay-paths"):
        super().__init__(key)
        pay = course.careers[card].pay
        self._s, self._a = pay.salaried, pay.artist
        self._target_value = M.check_target_income(target_income)
        self._entry_pct, self._top_pct = M.ASSUMED_ENTRY_PERCENTILE, M.ASSUMED_TOP_PERCENTILE
        self._guesses: tuple[int, float] | None = None
        self._hold = False

        parts = Parts()
        # the labels wrap in 15em, so the track keeps room to move in however narrow the column
        slider_layout = shared_layout(width="100%", max_width="36em")
        guess_layout = shared_layout(width="96%", max_width="32em")
        self.controls: dict[str, W.Widget] = {
            "target": parts.target(self._target_value),
            "entry_percentile": IntSlider(value=self._entry_pct, min=1, max=49, continuous_update=False,
                                          description="How many in 100 earn less than the entry figure:",
                                          unit=" in 100", tooltip="The entry figure's percentile",
                                          description_width="15em", layout=slider_layout),
            "top_percentile": IntSlider(value=self._top_pct, min=51, max=99, continuous_update=False,
                                        description="How many in 100 earn less than the top figure:",
                                        unit=" in 100", tooltip="The top figure's percentile",
                                        description_width="15em", layout=slider_layout),
            "artist_typical": W.Text(description="My guess, typical yearly income (US$):",
                                     continuous_update=False, style=parts.wide_text, layout=guess_layout),
            "artist_share": W.Text(description=f"My guess, how many in 100 reach {usd_k(self._a.high_low)}:",
                                   continuous_update=False, style=parts.wide_text, layout=guess_layout),
        }
        self.messages = {name: parts.message() for name in ("target", "artist_typical", "artist_share")}
        self.message = self.messages["target"]  # where the answers store reports a problem
        self.salaried_summary, self.artist_summary = parts.html(), parts.html()

        traces, changes = self._salaried_traces()
        self._salaried_chart = Chart(traces, _pay_layout(self._s.label, []), changes)
        self.salaried_figure = self._salaried_chart.figure
        traces, changes = self._artist_traces()
        self._artist_chart = Chart(traces, _pay_layout(self._a.label, self._artist_annotations()), changes)
        self.artist_figure = self._artist_chart.figure
        self._write_summaries()

        c, m = self.controls, self.messages
        c["target"].observe(self._on_target, "value")
        c["entry_percentile"].observe(self._on_percentile, "value")
        c["top_percentile"].observe(self._on_percentile, "value")
        c["artist_typical"].observe(self._on_guess, "value")
        c["artist_share"].observe(self._on_guess, "value")

        s_src = (f"median and growth: {cite(course, self._s.source)}, named in "
                 f"{cite(course, course.careers[card].source)}; entry and top: {cite(course, self._s.range_source)}, "
                 "which names no source for them")
        a_src = cite(course, self._a.source) + f", named in {cite(course, course.careers[card].source)}"
        salaried = parts.panel(
            parts.figure_box(self.salaried_figure), self.salaried_summary,
            parts.html("<strong>Model assumptions (yours to change).</strong> The card gives three points but not "
                   "how many people in 100 earn less than its entry and top figures; the dashed curve runs through "
                   "the points on the assumption set below."),
            c["entry_percentile"], c["top_percentile"],
            parts.html(small(f"Source of the points: {html.escape(s_src)}. The curve between them is a model.")),
        )
        artist = parts.panel(
            parts.figure_box(self.artist_figure), self.artist_summary,
            parts.html("<strong>Illustration (optional).</strong> The source gives no share or typical figure for this "
                   "path. Type your own guesses to draw one; it is labelled as yours on the chart."),
            c["artist_typical"], m["artist_typical"], c["artist_share"], m["artist_share"],
            parts.html(small(f"Source of the range: {html.escape(a_src)}. Any curve drawn here comes from your "
                              "guesses.")),
        )
        self.view = parts.vbox([
            parts.html("<strong>Where would your target fall?</strong> Type the yearly income that would count as "
                   "making a living for you; both charts and their summaries follow it. "
                   + html.escape(starting_target(self._target_value))),
            parts.hbox([c["target"], m["target"]]),
            parts.side_by_side(salaried, artist),
        ])

    # -- models and drawing
    def _salaried_model(self) -> M.TwoPieceLognormal:
        return M.salaried_model(self._s.entry, self._s.median, self._s.top,
                                entry_percentile=self._entry_pct, top_percentile=self._top_pct)

    def _illustration(self) -> M.TwoPieceLognormal | None:
        if self._guesses is None:
            return None
        return M.artist_illustration(self._guesses[0], self._guesses[1], self._a.high_low)

    def _salaried_traces(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return salaried_traces(self._s, self._salaried_model(), self._target_value, self._entry_pct,
                               self._top_pct, self._s.as_of)

    def _artist_traces(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return artist_traces(self._a, self._target_value, self._illustration())

    def _artist_annotations(self) -> list[dict[str, Any]]:
        mid = (self._a.high_low + self._a.high_high) / 2
        return [
            {"x": mid, "y": 97, "text": "A few reach this<br>(no share published)", "showarrow": False,
             "yanchor": "top"},
            {"x": self._a.high_low / 2, "y": 97, "text": "Most earn<br>modestly<br>(no figure<br>published)",
             "showarrow": False, "yanchor": "top", "bgcolor": "rgba(127, 127, 127, 0.2)"},
        ]

    def _redraw(self) -> None:
        self._salaried_chart.update(*self._salaried_traces())
        self._artist_chart.update(*self._artist_traces())
        self._write_summaries()

    def _write_summaries(self) -> None:
        s, target = self._s, self._target_value
        share = self._salaried_model().share_above(target)
        growth = f"{pct(s.growth_low)} to {pct(s.growth_high)}"
        self.salaried_summary.value = summary_html([
            salaried_sentence(share, target) + " " + position_words(target, s),
            f"Published: a median of about {usd_k(s.median)} and growth of {growth} expected (as of {s.as_of}; "
            f"{'over ' + s.growth_span if s.growth_span else 'the card gives no period for the growth'}); "
            f"about {usd_k(s.entry)} at entry and {usd_k(s.top)} at the top (the card's own figures). The curve is "
            f"a model through those points, assuming {self._entry_pct} in 100 earn less than the entry figure and "
            f"{self._top_pct} in 100 less than the top one.",
        ])
        illustration = self._illustration()
        self.artist_summary.value = summary_html(artist_sentences(
            self._a, target, self._guesses, illustration.share_above(target) if illustration else None))

    def summary(self) -> str:
        """Both summaries as plain text (the widget's text form, for printouts and screen readers)."""
        return "\n".join(plain(w.value) for w in (self.salaried_summary, self.artist_summary))

    # -- handlers
    def _accept(self) -> None:
        if not self._hold:
            self._redraw()
            self.changed()

    def _on_target(self, change: dict[str, Any]) -> None:
        value = read_target(self, change["new"])
        if value is not None and value != self._target_value:
            self._target_value = value
            self._accept()

    def _on_percentile(self, _change: dict[str, Any]) -> None:
        self._entry_pct = int(self.controls["entry_percentile"].value)
        self._top_pct = int(self.controls["top_percentile"].value)
        self._accept()

    def _on_guess(self, _change: dict[str, Any]) -> None:
        typical_text = self.controls["artist_typical"].value.strip()
        share_text = self.controls["artist_share"].value.strip()
        typical = share = None
        if typical_text:
            try:
                typical = M.parse_amount(typical_text, allow_zero=False)
                if typical >= self._a.high_low:
                    raise M.AmountError(f"'{typical_text}' is at or above {usd_k(self._a.high_low)}; the card says most "
                                        f"earn modestly and only a few reach {usd_k(self._a.high_low)}, so type less")
                self.messages["artist_typical"].clear()
            except M.AmountError as error:
                typical = None
                self.messages["artist_typical"].error(f"Typical income: {error}.")
        else:
            self.messages["artist_typical"].clear()
        if share_text:
            try:
                share = M.parse_share_in_100(share_text)
                self.messages["artist_share"].clear()
            except M.AmountError as error:
                self.messages["artist_share"].error(f"How many in 100: {error}.")
        else:
            self.messages["artist_share"].clear()
        if not typical_text and not share_text:
            if self._guesses is not None:  # both cleared: the learner takes the illustration away
                self._guesses = None
                self._accept()
            return
        if typical is None or share is None:
            if (typical_text and typical is None) or (share_text and share is None):
                return  # an error is showing; the chart keeps the last valid guesses
            missing = "artist_share" if share is None else "artist_typical"
            self.messages[missing].info("Type this guess too to draw the illustration.")
            return
        if (typical, share) != self._guesses:
            self._guesses = (typical, share)
            self._accept()

    # -- state
    @property
    def state(self) -> dict[str, Any]:
        typical, share = self._guesses if self._guesses else (None, None)
        return {"target_income": self._target_value, "entry_percentile": self._entry_pct,
                "top_percentile": self._top_pct, "artist_typical": typical,
                "artist_share_in_100": None if share is None else round(share * 100, 6)}

    def restore(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            return
        c = self.controls
        self._hold = True
        try:
            target = parsed(M.parse_amount, state.get("target_income"), allow_zero=False)
            if target is not None:
                c["target"].value = amount_text(target)
            for name, low, high in (("entry_percentile", 1, 49), ("top_percentile", 51, 99)):
                value = state.get(name)
                if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                    c[name].value = value
            typical, share = state.get("artist_typical"), state.get("artist_share_in_100")
            amount = parsed(M.parse_amount, typical, allow_zero=False)
            if typical is None and share is None and "artist_typical" in state:
                c["artist_typical"].value, c["artist_share"].value = "", ""
            elif (amount is not None and amount < self._a.high_low and isinstance(share, (int, float))
                    and not isinstance(share, bool) and parsed(M.parse_share_in_100, share) is not None):
                c["artist_typical"].value = amount_text(amount)
                c["artist_share"].value = f"{share:g}"
        finally:
            self._hold = False
        self._redraw()


def pay_paths(lesson: Any, *, target_income: object = 40_000, card: str | None = None) -> PayPathsExplorer:
    """The pay-paths explorer for a lesson (the card it uses, unless one is named), registered with it so its
    inputs can be saved."""
    target = M.check_target_income(target_income)
    card = card or lesson.course.lesson(lesson.id).uses.get("card") or "music-producer"
    return lesson.attach(PayPathsExplorer(lesson.course, target, card=card))
