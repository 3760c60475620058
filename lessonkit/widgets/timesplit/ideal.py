"""The learner's ideal week: five linked sliders that always add up to 100%, locks, and the difference from the card."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from ...charts import timesplit as charts
from ...models import timesplit as m
from ..slider import IntSlider
from .parts import SLIDER_LABEL, TimeWidget, WeekHours, unobserved


class IdealWeek(TimeWidget):
    """Five linked sliders that always add up to 100%, locks, and the difference from the card's split."""

    def __init__(self, card: Any, source: str, week_hours: int = 40, key: str = "ideal-week") -> None:
        super().__init__(key, card)
        self.source, self.people = source, card.work.people
        self.shares = dict(self.published)
        self.locked: set[str] = set()
        self._basis: tuple[str, dict[str, int]] | None = None  # (activity moving, the split before it moved)
        parts = self._kit
        self.week = WeekHours(parts, week_hours, lambda _: self._accept())
        self._sliders: dict[str, IntSlider] = {}
        self._locks: dict[str, W.Checkbox] = {}
        rows = []
        for k in self.ids:
            slider = IntSlider(value=self.shares[k], min=0, max=100, step=1, description=self.labels[k],
                               label=f"{self.labels[k]}: share of your week (%)", unit="%",
                               description_width=SLIDER_LABEL, layout=parts.wide)
            lock = W.Checkbox(value=False, description="Lock", indent=False, tooltip=f"Lock {self.labels[k]}",
                              style=parts.check, layout=parts.auto)
            slider.observe(self._slid, names="value")
            lock.observe(self._locked, names="value")
            self._sliders[k], self._locks[k] = slider, lock
            rows.append(W.HBox([slider, lock], layout=parts.row))
        self.message = parts.message()
        self._reset = parts.button("Start again from the card's split", "undo")
        self._reset.on_click(lambda _: self.reset())
        self._summary = parts.html(side=True)
        self._render()
        self.view.children = [
            self.week.view,
            parts.note("Each slider is the percentage of your week you would like to give that activity. Move "
                       "one and the unlocked others make room in proportion, so the total stays 100%. Tick "
                       "<b>Lock</b> to hold an activity where it is. The sliders start at the card's split."),
            *rows, self.message, self._reset,
            parts.chart_row(self.fig, self._summary),
            parts.note(f"The card's split: <i>{html.escape(card.work.caveat)} {html.escape(card.work.varies_by)}</i> "
                       f"Source: {html.escape(source)}."),
        ]

    # -- the model
    @property
    def state(self) -> dict[str, Any]:
        return {"week_hours": self.week.value, "shares": dict(self.shares),
                "locked": [k for k in self.ids if k in self.locked]}

    def restore(self, state: dict[str, Any]) -> None:
        state = state if isinstance(state, dict) else {}
        if m.week_hours_problem(state.get("week_hours")) is None:
            self.week.set(int(state["week_hours"]))
        if m.shares_problem(state.get("shares"), self.ids) is None:
            self.shares = {k: int(state["shares"][k]) for k in self.ids}
        locked = state.get("locked")
        if isinstance(locked, list):
            self.locked = {k for k in locked if k in self.ids}
        self._basis = None
        self.message.clear()
        self._render()

    def reset(self) -> None:
        self.shares, self.locked, self._basis = dict(self.published), set(), None
        self.message.clear()
        self._accept()

    def move(self, activity: str, value: int) -> None:
        """Set one activity's share, as the slider does; the others rebalance."""
        if self._basis is None or self._basis[0] != activity:
            self._basis = (activity, dict(self.shares))
        try:
            move = m.rebalance(self.shares, activity, value, self.locked, self.labels, basis=self._basis[1])
        except m.SplitError as error:
            self.message.error(str(error))
            self._render()  # the slider goes back to the share it had
            return
        self.shares = move.shares
        if move.clamped:
            held = m.TOTAL - move.limit
            self.message.info(f"{self.labels[activity]} can take at most {move.limit}% while the locked "
                              f"activities hold {held}%. Unlock one to give it more.")
        else:
            self.message.clear()
        self._accept()

    def _slid(self, change: dict[str, Any]) -> None:
        activity = next(k for k, s in self._sliders.items() if s is change["owner"])
        self.move(activity, change["new"])

    def _locked(self, change: dict[str, Any]) -> None:
        activity = next(k for k, c in self._locks.items() if c is change["owner"])
        (self.locked.add if change["new"] else self.locked.discard)(activity)
        self._basis = None
        problem = m.lock_problem(self.ids, self.locked, self.labels)
        if problem:
            self.message.error(problem)
        else:
            self.message.clear()
        self._accept()

    def _accept(self) -> None:
        self._render()
        self.changed()

    # -- display
    @property
    def differences(self) -> list[m.Difference]:
        return m.compare(self.published, self.shares, self.week.value, self.labels, self.kinds)

    def reading(self) -> list[str]:
        return m.plain_reading(self.differences, self.week.value, self.people, self.shift)

    def _render(self) -> None:
        # the chart first: the page redraws it while the other sliders' new values are still on their way
        self._draw(charts.week_layout("Your ideal week against the card's split"),
                   charts.week_traces(self.ids, self.labels, self.week.value, ("The card's split", "Your ideal week"),
                                      self.published, self.shares))
        for k in self.ids:
            slider, lock = self._sliders[k], self._locks[k]
            with unobserved(slider, self._slid), unobserved(lock, self._locked):
                slider.value, lock.value = self.shares[k], k in self.locked
            slider.disabled = k in self.locked
        self._summary.value = charts.aside(charts.ideal_html(self.differences, self.reading()))

    def summary(self) -> str:
        return charts.ideal_text(self.differences, self.reading(), self.week.value)
