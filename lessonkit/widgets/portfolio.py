"""The portfolio-income builder: income streams with low / likely / high guesses, and the chance they reach a target.

The widget owns the controls and the learner's guesses; what its two charts and their summaries
show comes from :mod:`lessonkit.charts.portfolio`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import TextStyle

from ..charts.portfolio import (chance_layout, chance_sentences, chance_traces, model_statement, percent,
                                portfolio_layout, portfolio_sentences, portfolio_traces)
from ..content import Course
from ..models import salary as M
from ..render import cite
from .compact import shared_layout, shared_style
from .base import LessonWidget, Message, named
from .figure import Chart
from .salary import Parts, amount_text, parsed, plain, prose, read_target, small, starting_target, summary_html

OTHER = ("other", "Other (anything else)")


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

        parts = Parts()
        text_style = shared_style(TextStyle, description_width="3.4em")
        text_layout, check_layout = shared_layout(width="10.5em"), shared_layout(width="15em")
        check_style = shared_style(CheckboxStyle, description_width="initial")
        self.controls: dict[str, W.Widget] = {
            "target": parts.target(self._target_value),
            "shape": W.Dropdown(options=[("Straight-sided", "triangular"), ("Smooth curve", "pert")],
                                value=self._shape, description="Shape of each guess:",
                                tooltip="Straight-sided is a triangular distribution; smooth curve is a PERT distribution",
                                style={"description_width": "initial"}, layout=parts.plain),
        }
        self.messages: dict[str, Message] = {"target": parts.message()}
        self.message = self.messages["target"]  # where the answers store reports a problem
        cells: list[W.Widget] = []
        for stream_id, label in self.streams:
            check = W.Checkbox(value=False, description=label, indent=False, layout=check_layout, style=check_style,
                               tooltip=f"Include {label} in your portfolio")
            # the row's stream and the unit are in each box's name (the old tooltip said them to the mouse only)
            fields = [W.Text(**named(col.capitalize(), f" yearly amount from {label} (US$)"),
                             continuous_update=False, style=text_style, layout=text_layout)
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
            parts.html(small(html.escape(starting_target(self._target_value)))),
            grid,
            self.controls["shape"],
            parts.side_by_side(parts.panel(parts.figure_box(self.portfolio_figure), self.portfolio_summary),
                               parts.panel(parts.figure_box(self.chance_figure), self.chance_summary)),
            self.model_note,
            parts.html(small(f"Streams as listed in {html.escape(src)}; every amount is your own guess. "
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
        start = "0" if before is None else percent(before)
        self._last_change = (f"Your last change ({reason}) moved the chance from {start} to {percent(after)}."
                             if start != percent(after) else
                             f"Your last change ({reason}) left the chance at {percent(after)}.")
        self._redraw()
        self.changed()

    def _redraw(self) -> None:
        self._portfolio_chart.update(*portfolio_traces(self.streams, self.portfolio(), self._target_value))
        self._chance_chart.update(*chance_traces(self.streams, self.result))
        self._write_summaries()

    def _write_summaries(self) -> None:
        self.portfolio_summary.value = summary_html(portfolio_sentences(self.streams, self.portfolio(),
                                                                         self._target_value))
        lines = chance_sentences(self.streams, self.result)
        self.chance_summary.value = summary_html(lines + ([self._last_change] if self._last_change else []))
        self.model_note.value = prose(model_statement(self._shape))

    def summary(self) -> str:
        return "\n".join(plain(w.value) for w in (self.portfolio_summary, self.chance_summary, self.model_note))

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
        value = read_target(self, change["new"])
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
            target = parsed(M.parse_amount, state.get("target_income"), allow_zero=False)
            if target is not None:
                self._target_value = target
                c["target"].value = amount_text(self._target_value)
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
                    c[f"{stream_id}.{col}"].value = amount_text(getattr(guess, col))
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
