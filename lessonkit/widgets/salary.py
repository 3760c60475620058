"""The salary widgets: the two pay paths side by side, and a portfolio-income builder.

Thin layers over :mod:`lessonkit.models.salary`. Each widget owns its controls, keeps the
last accepted inputs as its ``state``, and redraws its charts in place (``batch_update``)
from the same trace functions that built them. Bad input gets a message next to its field
and leaves the last valid chart on screen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle
import plotly.graph_objects as go

from ..charts import PALETTE, SERIES, LiveFigure, base_layout
from ..content import Course
from ..models import salary as M
from ..render import cite
from ..schema import ArtistPath, SalariedPath
from ..templating import FORMATS
from .compact import shared_layout
from .base import LessonWidget, Message

usd_k = FORMATS["usd_k"]
pct = FORMATS["pct"]
CURVE_POINTS = 101
#: plotly draws a FigureWidget 700px wide when it cannot see its box yet; two charts of this
#: width sit side by side in JupyterLab's notebook at 1280px and wrap onto two rows when narrower.
CHART_WIDTH = 400
_TARGET_LABEL = "Making a living, for me (US$ a year):"


def _amount_text(amount: int) -> str:
    return f"{amount:,}"


def _percent(chance: float) -> str:
    if 0 < chance < 0.005:
        return "under 1%"
    if 0.995 < chance < 1:
        return "over 99%"
    return f"{chance * 100:.0f}%"


def _plain(markup: str) -> str:
    """Text without markup: one line per paragraph."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("</p>", "\n"))).strip()


# ipywidgets' HTML sets a 28px line height meant for one-line labels; paragraphs need less.
_PROSE = "line-height: 1.45; max-width: 40em"


def _summary_html(paragraphs: list[str]) -> str:
    body = "".join(f"<p style='margin: 0.35em 0'>{html.escape(p)}</p>" for p in paragraphs)
    return f'<div aria-live="polite" class="lessonkit-summary" style="{_PROSE}">{body}</div>'


def _prose(markup: str) -> str:
    return f'<div style="{_PROSE}">{markup}</div>'


def _small(markup: str) -> str:
    return f'<div style="font-size: 0.85em">{markup}</div>'


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Parts:
    """Makes a widget's parts with one shared layout or style per kind.

    An executed notebook saves every widget model, and ipywidgets gives each control its own
    layout and style models unless handed one; sharing keeps lessons 01 and 02 small.
    """

    def __init__(self) -> None:
        self.plain = shared_layout()
        self.html_style = HTMLStyle()
        self.wide_text = TextStyle(description_width="initial")
        self.panel_layout = shared_layout(flex="1 1 380px", min_width="320px", margin="0 8px 12px 0")
        self.full_width = shared_layout(width="100%")
        self.row_wrap = shared_layout(display="flex", flex_flow="row wrap", width="100%")

    def html(self, value: str = "") -> W.HTML:
        return W.HTML(value=_prose(value) if value else "", layout=self.plain, style=self.html_style)

    def message(self) -> Message:
        return Message(layout=self.plain, style=self.html_style)

    def vbox(self, children: list[W.Widget]) -> W.VBox:
        return W.VBox(children, layout=self.plain)

    def hbox(self, children: list[W.Widget]) -> W.HBox:
        return W.HBox(children, layout=self.plain)

    def panel(self, *children: W.Widget) -> W.VBox:
        return W.VBox(list(children), layout=self.panel_layout)

    def figure_box(self, fig: LiveFigure) -> W.Box:
        # plotly's FigureWidget uses ``layout`` for the chart's own layout, so a box sizes it.
        return W.Box([fig], layout=self.full_width)

    def side_by_side(self, *panels: W.Widget) -> W.Box:
        return W.Box(list(panels), layout=self.row_wrap)

    def target(self, value: int) -> W.Text:
        return W.Text(value=_amount_text(value), description=_TARGET_LABEL, continuous_update=False,
                      style=self.wide_text, layout=shared_layout(width="24em"))


def _target_line(target: int, top: float = 100.0) -> dict[str, Any]:
    return {"x": [target, target], "y": [0, top]}


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
         "name": f"Model (dashed): entry as {ordinal(entry_pct)}, top as {ordinal(top_pct)} percentile",
         "line": {"color": PALETTE["blue"], "dash": "dash", "width": 2.5},
         "hovertemplate": "%{x:$,.0f}: %{y:.0f}% earn more (model)<extra></extra>"},
        {"type": "scatter", "mode": "markers+text", "x": [s.entry, s.median, s.top],
         "y": [100 - entry_pct, 50, 100 - top_pct],
         "text": [f"Entry {usd_k(s.entry)}", f"Median {usd_k(s.median)}", f"Top {usd_k(s.top)}"],
         "textposition": ["middle left", "top right", "bottom left"], "cliponaxis": False,
         "name": f"Published points ({as_of}; source below)",
         "marker": {"symbol": "diamond", "size": 12, "color": PALETTE["orange"]},
         "hovertemplate": "%{text} (published)<extra></extra>"},
        {"type": "scatter", "mode": "lines", **_target_line(target), "name": f"Your target {M.money(target)}",
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
        {"type": "scatter", "mode": "lines", **_target_line(target), "name": f"Your target {M.money(target)}",
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


class Chart:
    """A LiveFigure built once from trace and layout dicts, then sent only what changed.

    The whole first picture goes into the constructor: that is what a browser draws first
    and what an executed notebook saves. Later updates are diffed against what was last
    sent, because plotly re-validates every property it is handed (all of them: ~25 ms a
    change; only the changed ones: a few ms).
    """

    _TRACES = {"scatter": go.Scatter, "bar": go.Bar}

    def __init__(self, traces: list[dict[str, Any]], layout: dict[str, Any], changes: dict[str, Any]):
        data = [self._TRACES[t["type"]](**{k: v for k, v in t.items() if k != "type"}) for t in traces]
        self.figure = LiveFigure(data=data, layout=_merged(layout, changes))
        self._traces, self._layout = traces, _flat(changes)

    def update(self, traces: list[dict[str, Any]], changes: dict[str, Any]) -> None:
        flat = _flat(changes)
        with self.figure.batch_update():
            for trace, new, old in zip(self.figure.data, traces, self._traces):
                changed = {k: v for k, v in new.items() if k != "type" and old.get(k) != v}
                if changed:
                    trace.update(changed)
            for path, value in flat.items():
                if self._layout.get(path, _UNSET) != value:
                    self.figure.layout[path] = value
        self._traces, self._layout = traces, flat


_UNSET = object()


def _read_target(widget: Any, text: str) -> int | None:
    """The target a learner typed, or None after saying next to the field what is wrong (the charts keep theirs)."""
    try:
        value = M.parse_amount(text, allow_zero=False)
    except M.AmountError as error:
        widget.messages["target"].error(f"Target: {error}. The charts still show {M.money(widget._target_value)}.")
        return None
    widget.messages["target"].clear()
    return value


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _flat(tree: Any, path: str = "") -> dict[str, Any]:
    """Layout changes as plotly property paths: {"xaxis.range": ..., "shapes[0].x0": ...}."""
    if isinstance(tree, dict):
        return {k: v for key, value in tree.items() for k, v in _flat(value, f"{path}.{key}" if path else key).items()}
    if isinstance(tree, list) and tree and all(isinstance(item, dict) for item in tree):
        return {k: v for i, item in enumerate(tree) for k, v in _flat(item, f"{path}[{i}]").items()}
    return {path: tree}


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

        parts = _Parts()
        slider_style, slider_layout = W.SliderStyle(description_width="initial"), shared_layout(width="26em")
        guess_layout = shared_layout(width="96%", max_width="32em")
        self.controls: dict[str, W.Widget] = {
            "target": parts.target(self._target_value),
            "entry_percentile": W.IntSlider(value=self._entry_pct, min=1, max=49, continuous_update=False,
                                            description="Entry figure is percentile:", style=slider_style,
                                            layout=slider_layout),
            "top_percentile": W.IntSlider(value=self._top_pct, min=51, max=99, continuous_update=False,
                                          description="Top figure is percentile:", style=slider_style,
                                          layout=slider_layout),
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

        s_src = cite(course, self._s.source) + f", named in {cite(course, course.careers[card].source)}"
        a_src = cite(course, self._a.source) + f", named in {cite(course, course.careers[card].source)}"
        salaried = parts.panel(
            parts.figure_box(self.salaried_figure), self.salaried_summary,
            parts.html("<strong>Model assumptions (yours to change).</strong> The card gives three points, not which "
                   "percentiles entry and top are; the dashed curve runs through them on that assumption."),
            c["entry_percentile"], c["top_percentile"],
            parts.html(_small(f"Source of the points: {html.escape(s_src)}. The curve between them is a model.")),
        )
        artist = parts.panel(
            parts.figure_box(self.artist_figure), self.artist_summary,
            parts.html("<strong>Illustration (optional).</strong> The source gives no share or typical figure for this "
                   "path. Type your own guesses to draw one; it is labelled as yours on the chart."),
            c["artist_typical"], m["artist_typical"], c["artist_share"], m["artist_share"],
            parts.html(_small(f"Source of the range: {html.escape(a_src)}. Any curve drawn here comes from your "
                              "guesses.")),
        )
        self.view = parts.vbox([
            parts.html("<strong>Where would your target fall?</strong> Type the yearly income that would count as "
                   "making a living for you; both charts and their summaries follow it."),
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
        self.salaried_summary.value = _summary_html([
            salaried_sentence(share, target) + " " + position_words(target, s),
            f"Published ({s.as_of}): about {usd_k(s.entry)} at entry, {usd_k(s.median)} median, {usd_k(s.top)} at "
            f"the top; growth of {growth} expected. The curve is a model through those points, assuming entry is the "
            f"{ordinal(self._entry_pct)} percentile and top the {ordinal(self._top_pct)}.",
        ])
        illustration = self._illustration()
        self.artist_summary.value = _summary_html(artist_sentences(
            self._a, target, self._guesses, illustration.share_above(target) if illustration else None))

    def summary(self) -> str:
        """Both summaries as plain text (the widget's text form, for printouts and screen readers)."""
        return "\n".join(_plain(w.value) for w in (self.salaried_summary, self.artist_summary))

    # -- handlers
    def _accept(self) -> None:
        if not self._hold:
            self._redraw()
            self.changed()

    def _on_target(self, change: dict[str, Any]) -> None:
        value = _read_target(self, change["new"])
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
            target = state.get("target_income")
            if _valid(lambda: M.parse_amount(target, allow_zero=False)):
                c["target"].value = _amount_text(M.parse_amount(target, allow_zero=False))
            for name, low, high in (("entry_percentile", 1, 49), ("top_percentile", 51, 99)):
                value = state.get(name)
                if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                    c[name].value = value
            typical, share = state.get("artist_typical"), state.get("artist_share_in_100")
            if typical is None and share is None and "artist_typical" in state:
                c["artist_typical"].value, c["artist_share"].value = "", ""
            elif (_valid(lambda: M.parse_amount(typical, allow_zero=False)) and isinstance(share, (int, float))
                    and not isinstance(share, bool) and _valid(lambda: M.parse_share_in_100(share))
                    and M.parse_amount(typical) < self._a.high_low):
                c["artist_typical"].value = _amount_text(M.parse_amount(typical))
                c["artist_share"].value = f"{share:g}"
        finally:
            self._hold = False
        self._redraw()


def _valid(check: Callable[[], Any]) -> bool:
    try:
        check()
    except (M.AmountError, ValueError, TypeError):
        return False
    return True


def pay_paths(lesson: Any, *, target_income: object = 40_000, card: str = "music-producer") -> PayPathsExplorer:
    """The pay-paths explorer for a lesson, registered with it so its inputs can be saved."""
    target = M.check_target_income(target_income)
    return lesson.attach(PayPathsExplorer(lesson.course, target, card=card))


# ---------------------------------------------------------------- portfolio: charts
ROWS = ("All low", "All likely", "All high")  # every stream at its low, likely or high amount
OTHER = ("other", "Other (anything else)")
_PATTERNS = ("", "/", "x", ".")


def stream_colour(index: int) -> dict[str, Any]:
    """Okabe–Ito colours in turn; past eight streams a hatching keeps repeated colours apart."""
    return {"color": SERIES[index % len(SERIES)], "pattern": {"shape": _PATTERNS[(index // len(SERIES)) % 4]},
            "line": {"color": "#6b6b6b", "width": 1}}


def portfolio_traces(streams: list[tuple[str, str]], portfolio: dict[str, M.Guess], target: int,
                     ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
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


def chance_traces(streams: list[tuple[str, str]], result: M.PortfolioResult) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The chance of reaching the target as streams are added, largest likely amount first."""
    labels = dict(streams)
    index = {stream_id: i for i, (stream_id, _) in enumerate(streams)}
    names = [(labels[s] + " alone") if i == 0 else f"+ {labels[s]}" for i, (s, _) in enumerate(result.steps)]
    colours = [stream_colour(index[s]) for s, _ in result.steps]
    traces = [{
        "type": "bar", "orientation": "h", "y": names, "x": [100 * c for _, c in result.steps],
        "text": [_percent(c) for _, c in result.steps], "textposition": "outside", "cliponaxis": False,
        "marker": {"color": [c["color"] for c in colours], "pattern": {"shape": [c["pattern"]["shape"] for c in colours]},
                   "line": {"color": "#6b6b6b", "width": 1}},
        "hovertemplate": "%{y}: %{x:.0f}% of simulated years reach the target<extra></extra>", "showlegend": False,
    }]
    empty = "No streams yet" if not result.steps else ""
    changes = {"annotations": [{"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "text": empty,
                                "showarrow": False}]}
    return traces, changes


def portfolio_layout() -> dict[str, Any]:
    return base_layout(
        title={"text": "Your guesses, stacked, against your target", "x": 0.02, "font": {"size": 15}},
        barmode="stack", width=CHART_WIDTH, height=470, margin={"l": 80, "r": 30, "t": 60, "b": 220},
        xaxis={"tickprefix": "$", "tickformat": "~s"},
        # plotly puts a category axis's first entry at the bottom: reversed, "All low" reads first.
        yaxis={"automargin": True, "type": "category", "categoryorder": "array", "categoryarray": list(ROWS)[::-1]},
        legend={"orientation": "h", "x": -0.25, "y": -0.15, "yanchor": "top", "traceorder": "normal",
                "entrywidth": 170, "font": {"size": 12}},
    )


def chance_layout() -> dict[str, Any]:
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
        f"{_percent(result.chance)} of them ({M.share_in_words(result.chance)}).",
        f"Half the simulated years brought more than {M.money(p[50])}; 1 in 10 brought less than {M.money(p[10])} and "
        f"1 in 10 more than {M.money(p[90])}.",
        "Adding streams one at a time, largest likely amount first: "
        + "; ".join(f"{labels[s]} {'alone ' if i == 0 else ''}{_percent(c)}" if i == 0 else f"+ {labels[s]} {_percent(c)}"
                    for i, (s, c) in enumerate(result.steps)) + ".",
    ]
    if len(result.steps) > 1:
        lines.append("Taking one stream out: " + "; ".join(
            f"without {labels[s]} {_percent(c)}" for s, c in result.without.items()) + ".")
    return lines


def model_statement(shape: str) -> str:
    how = ("a triangular distribution: most often near your likely amount, thinning in straight lines to your low "
           "and high" if shape == "triangular" else
           "a PERT distribution: a smooth curve over your low to high, weighted more towards your likely amount")
    return (f"<strong>How the chance is worked out (a model, not a forecast).</strong> Each simulated year draws every "
            f"stream's amount at random between your low and high, from {how}. Streams are treated as independent: a "
            f"weak year in one says nothing about the others. In real careers a slow year often hits several streams "
            f"at once, so the real chance may be lower than shown. {M.DRAWS:,} simulated years with a fixed seed, so "
            f"the same guesses always give the same answer.")


# ---------------------------------------------------------------- portfolio: the widget
class PortfolioBuilder(LessonWidget):
    """Income streams with low / likely / high guesses, their stacked total, and the chance it reaches the target."""

    def __init__(self, course: Course, target_income: int, *, guide: str = "can-you-make-a-living",
                 key: str = "portfolio"):
        super().__init__(key)
        source = course.guides[guide]
        self.streams: list[tuple[str, str]] = [(s.id, s.label) for s in source.income_streams] + [OTHER]
        self._labels = dict(self.streams)
        self._target_value = M.check_target_income(target_income)
        self._shape = M.SHAPES[0]
        self._guesses: dict[str, M.Guess] = {}
        self._included: set[str] = set()
        self._hold = False
        self._last_change = ""
        self.result = M.simulate_portfolio({}, self._target_value)

        parts = _Parts()
        text_style = TextStyle(description_width="3.4em")
        text_layout, check_layout = shared_layout(width="10.5em"), shared_layout(width="15em")
        check_style = CheckboxStyle(description_width="initial")
        self.controls: dict[str, W.Widget] = {
            "target": parts.target(self._target_value),
            "shape": W.Dropdown(options=[("Triangular", "triangular"), ("PERT (smoother)", "pert")],
                                value=self._shape, description="Shape of each guess:",
                                style={"description_width": "initial"}, layout=parts.plain),
        }
        self.messages: dict[str, Message] = {"target": parts.message()}
        self.message = self.messages["target"]  # where the answers store reports a problem
        cells: list[W.Widget] = []
        for stream_id, label in self.streams:
            check = W.Checkbox(value=False, description=label, indent=False, layout=check_layout, style=check_style,
                               tooltip=f"Include {label} in your portfolio")
            fields = [W.Text(description=col.capitalize(), continuous_update=False, style=text_style,
                             layout=text_layout, tooltip=f"{label}: {col} yearly amount (US$)")
                      for col in ("low", "likely", "high")]
            self.controls[f"{stream_id}.include"] = check
            for col, field in zip(("low", "likely", "high"), fields):
                self.controls[f"{stream_id}.{col}"] = field
                field.observe(lambda change, s=stream_id: self._on_amount(s), "value")
            check.observe(lambda change, s=stream_id: self._on_include(s, bool(change["new"])), "value")
            self.messages[stream_id] = parts.message()
            cells += [check, *fields, self.messages[stream_id]]

        self.portfolio_summary, self.chance_summary, self.model_note = parts.html(), parts.html(), parts.html()
        traces, changes = portfolio_traces(self.streams, {}, self._target_value)
        self._portfolio_chart = Chart(traces, portfolio_layout(), changes)
        self.portfolio_figure = self._portfolio_chart.figure
        traces, changes = chance_traces(self.streams, self.result)
        self._chance_chart = Chart(traces, chance_layout(), changes)
        self.chance_figure = self._chance_chart.figure
        self._write_summaries()

        self.controls["target"].observe(self._on_target, "value")
        self.controls["shape"].observe(self._on_shape, "value")
        grid = W.GridBox(cells, layout=shared_layout(grid_template_columns="15em 10.5em 10.5em 10.5em minmax(12em, 1fr)",
                                                grid_gap="2px 8px", align_items="center"))
        src = f"{cite(course, source.source)}"
        self.view = parts.vbox([
            parts.html("<strong>Build a portfolio.</strong> Tick each stream you could earn from in a year and type what it "
                   "might bring: <em>low</em> (a poor year; 0 is fine), <em>likely</em> and <em>high</em> (a good year). "
                   "Amounts in US dollars, such as 4000, 4,000 or 4k. Untick a stream to see what it adds."),
            parts.hbox([self.controls["target"], self.messages["target"]]),
            grid,
            self.controls["shape"],
            parts.side_by_side(parts.panel(parts.figure_box(self.portfolio_figure), self.portfolio_summary),
                               parts.panel(parts.figure_box(self.chance_figure), self.chance_summary)),
            self.model_note,
            parts.html(_small(f"Streams as listed in {html.escape(src)}; every amount is your own guess. "
                              "The chance comes from the model described above.")),
        ])

    # -- the portfolio and its drawing
    def portfolio(self) -> dict[str, M.Guess]:
        """The streams in play: ticked, with valid amounts, in the lesson's order."""
        return {s: self._guesses[s] for s, _ in self.streams if s in self._included and s in self._guesses}

    def _recompute(self, reason: str) -> None:
        before = self.result.chance if self.result.steps else None
        self.result = M.simulate_portfolio(self.portfolio(), self._target_value, shape=self._shape)
        after = self.result.chance if self.result.steps else 0.0
        start = "0" if before is None else _percent(before)
        self._last_change = (f"Your last change ({reason}) moved the chance from {start} to {_percent(after)}."
                             if start != _percent(after) else
                             f"Your last change ({reason}) left the chance at {_percent(after)}.")
        self._redraw()
        self.changed()

    def _redraw(self) -> None:
        self._portfolio_chart.update(*portfolio_traces(self.streams, self.portfolio(), self._target_value))
        self._chance_chart.update(*chance_traces(self.streams, self.result))
        self._write_summaries()

    def _write_summaries(self) -> None:
        self.portfolio_summary.value = _summary_html(portfolio_sentences(self.streams, self.portfolio(),
                                                                         self._target_value))
        lines = chance_sentences(self.streams, self.result)
        self.chance_summary.value = _summary_html(lines + ([self._last_change] if self._last_change else []))
        self.model_note.value = _prose(model_statement(self._shape))

    def summary(self) -> str:
        return "\n".join(_plain(w.value) for w in (self.portfolio_summary, self.chance_summary, self.model_note))

    # -- handlers
    def _read_row(self, stream_id: str) -> tuple[M.Guess | None, list[str], list[str]]:
        """The row's guess if complete and valid, else (None, errors, missing fields)."""
        values: dict[str, int] = {}
        errors, missing = [], []
        for col in ("low", "likely", "high"):
            text = self.controls[f"{stream_id}.{col}"].value.strip()
            if not text:
                missing.append(col)
                continue
            try:
                values[col] = M.parse_amount(text)
            except M.AmountError as error:
                errors.append(f"{col.capitalize()}: {error}")
        if errors or missing:
            return None, errors, missing
        guess = M.Guess(**values)
        problems = guess.problems()
        if problems:
            return None, [f"{'; '.join(problems).capitalize()}: keep low ≤ likely ≤ high"], []
        return guess, [], []

    def _on_amount(self, stream_id: str) -> None:
        if self._hold:
            return
        label, message = self._labels[stream_id], self.messages[stream_id]
        guess, errors, missing = self._read_row(stream_id)
        if errors:
            kept = " The chart still uses your last valid amounts for it." if stream_id in self.portfolio() else ""
            message.error(f"{label}: " + "; ".join(errors) + "." + kept)
            return
        if missing:
            if len(missing) < 3 or self.controls[f"{stream_id}.include"].value:
                message.info(f"Type {' and '.join(missing)} too (0 is fine for low).")
            else:
                message.clear()
            return
        message.clear()
        first = stream_id not in self._guesses
        if guess == self._guesses.get(stream_id):
            return
        self._guesses[stream_id] = guess
        check = self.controls[f"{stream_id}.include"]
        if first and not check.value:  # typing a first full set of amounts adds the stream
            self._hold = True
            check.value = True
            self._hold = False
            self._included.add(stream_id)
            self._recompute(f"adding {label}")
        elif stream_id in self._included:
            self._recompute(f"changing {label}'s amounts")
        else:
            self.changed()

    def _on_include(self, stream_id: str, ticked: bool) -> None:
        if self._hold:
            return
        label, message = self._labels[stream_id], self.messages[stream_id]
        if ticked and stream_id not in self._guesses:
            guess, errors, _missing = self._read_row(stream_id)
            if guess is None:
                if not errors:
                    message.info(f"Type low, likely and high amounts for {label} to add it (0 is fine for low).")
                self._included.add(stream_id)  # remembered; it joins once its amounts are valid
                return
            self._guesses[stream_id] = guess
        (self._included.add if ticked else self._included.discard)(stream_id)
        if stream_id in self._guesses:
            self._recompute(f"{'adding' if ticked else 'taking out'} {label}")
        elif not ticked:
            message.clear()

    def _on_target(self, change: dict[str, Any]) -> None:
        value = _read_target(self, change["new"])
        if value is not None and value != self._target_value and not self._hold:
            self._target_value = value
            self._recompute("changing your target")

    def _on_shape(self, change: dict[str, Any]) -> None:
        if change["new"] in M.SHAPES and change["new"] != self._shape and not self._hold:
            self._shape = change["new"]
            self._recompute("changing the shape of your guesses")

    # -- state
    @property
    def state(self) -> dict[str, Any]:
        return {
            "target_income": self._target_value,
            "shape": self._shape,
            "streams": {s: {"included": s in self._included, "low": g.low, "likely": g.likely, "high": g.high}
                        for s, g in self._guesses.items()},
        }

    def restore(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            return
        c = self.controls
        self._hold = True
        try:
            target = state.get("target_income")
            if _valid(lambda: M.parse_amount(target, allow_zero=False)):
                self._target_value = M.parse_amount(target, allow_zero=False)
                c["target"].value = _amount_text(self._target_value)
                self.messages["target"].clear()
            if state.get("shape") in M.SHAPES:
                self._shape = state["shape"]
                c["shape"].value = self._shape
            streams = state.get("streams")
            for stream_id, saved in (streams.items() if isinstance(streams, dict) else ()):
                guess = _saved_guess(saved) if stream_id in self._labels else None
                if guess is None:
                    continue
                self._guesses[stream_id] = guess
                (self._included.add if saved.get("included") is True else self._included.discard)(stream_id)
                for col in ("low", "likely", "high"):
                    c[f"{stream_id}.{col}"].value = _amount_text(getattr(guess, col))
                c[f"{stream_id}.include"].value = stream_id in self._included
                self.messages[stream_id].clear()
        finally:
            self._hold = False
        self.result = M.simulate_portfolio(self.portfolio(), self._target_value, shape=self._shape)
        self._last_change = ""
        self._redraw()


def _saved_guess(saved: Any) -> M.Guess | None:
    if not isinstance(saved, dict):
        return None
    try:
        guess = M.Guess(*(M.parse_amount(saved.get(col)) for col in ("low", "likely", "high")))
    except M.AmountError:
        return None
    return None if guess.problems() else guess


def portfolio_builder(lesson: Any, *, target_income: object = 40_000,
                      guide: str = "can-you-make-a-living") -> PortfolioBuilder:
    """The portfolio-income builder for a lesson, registered with it so its inputs can be saved."""
    target = M.check_target_income(target_income)
    return lesson.attach(PortfolioBuilder(lesson.course, target, guide=guide))
