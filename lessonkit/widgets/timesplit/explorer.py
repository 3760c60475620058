"""The card's work split as hours of a week the learner picks, beside their own early-to-established scenario."""

from __future__ import annotations

import html
from typing import Any

from ...charts import timesplit as charts
from ...models import timesplit as m
from ..slider import IntSlider, SelectionSlider
from .parts import SLIDER_LABEL, TimeWidget, WeekHours, unobserved

# Short names: a SelectionSlider's readout is narrow.
STAGES = [("Early", 0.0), ("Some way in", 0.25), ("Halfway", 0.5), ("Further on", 0.75), ("Established", 1.0)]


class WorkSplitExplorer(TimeWidget):
    """The card's split as hours of a week the learner picks, beside the learner's own early-to-established scenario."""

    def __init__(self, card: Any, source: str, week_hours: int = 40, key: str = "work-split-explorer") -> None:
        super().__init__(key, card)
        self.caveat = f"{card.work.caveat} {card.work.varies_by}"
        self.source = source
        self.moves = (card.work.moves_from, card.work.moves_to)
        self.stage, self.size = 0.0, 20
        parts = self._kit
        self.week = WeekHours(parts, week_hours, lambda _: self._accept())
        self._stage = SelectionSlider(options=STAGES, value=0.0, description="Career stage",
                                      label="Career stage of your scenario", description_width=SLIDER_LABEL,
                                      layout=parts.wide)
        self._size = IntSlider(value=self.size, min=0, max=50, step=1, description="Size of the shift (points)",
                               unit=" points", description_width=SLIDER_LABEL, layout=parts.wide)
        self._stage.observe(self._moved, names="value")
        self._size.observe(self._moved, names="value")
        self._summary = parts.html(side=True)
        self._render()
        self.view.children = [
            self.week.view,
            parts.note(f"<b>Your scenario.</b> The card says established {html.escape(card.work.people)} "
                       f"{html.escape(card.work.later)}, but gives no numbers "
                       "for it. Choose a stage (Early is the card's split), and how many percentage points of "
                       "the week have moved by the time someone is established."),
            self._stage, self._size,
            parts.chart_row(self.fig, self._summary),
            parts.note(f"<i>{html.escape(self.caveat)}</i> Source: {html.escape(source)}."),
        ]

    # -- the model
    @property
    def scenario(self) -> dict[str, int]:
        return m.shift_split(self.published, self.kinds, self.shift, self.stage, self.size)

    @property
    def state(self) -> dict[str, Any]:
        return {"week_hours": self.week.value, "stage": self.stage, "shift_size": self.size}

    def restore(self, state: dict[str, Any]) -> None:
        state = state if isinstance(state, dict) else {}
        if m.week_hours_problem(state.get("week_hours")) is None:
            self.week.set(int(state["week_hours"]))
        if state.get("stage") in [value for _, value in STAGES]:
            self.stage = float(state["stage"])
        size = state.get("shift_size")
        if isinstance(size, int) and not isinstance(size, bool) and self._size.min <= size <= self._size.max:
            self.size = size
        with unobserved(self._stage, self._moved), unobserved(self._size, self._moved):
            self._stage.value, self._size.value = self.stage, self.size
        self._render()

    def _moved(self, _change: dict[str, Any]) -> None:
        self.stage, self.size = float(self._stage.value), int(self._size.value)
        self._accept()

    def _accept(self) -> None:
        self._render()
        self.changed()

    # -- display
    def _stage_name(self) -> str:
        return next(name for name, value in STAGES if value == self.stage)

    def _moved_words(self) -> str:
        return charts.scenario_words(m.shifted_points(self.published, self.kinds, self.shift, self.stage, self.size),
                                     self.week.value, *self.moves)

    def _render(self) -> None:
        week, scenario = self.week.value, self.scenario
        names = ("The card", f"Your scenario: {self._stage_name().lower()}")
        self._draw(charts.week_layout("The card's shares as hours of your week"),
                   charts.week_traces(self.ids, self.labels, week, names, self.published, scenario))
        self._summary.value = charts.aside(charts.scenario_html(self.ids, self.labels, self.kinds, self.shift, week,
                                                                self.published, scenario, self._moved_words(),
                                                                self.moves[0]))

    def summary(self) -> str:
        return charts.scenario_text(self.ids, self.labels, self.week.value, self.published, self.scenario,
                                    f"{self._stage_name().lower()}, shift of {self.size} points", self.caveat,
                                    self.source, self._moved_words())
