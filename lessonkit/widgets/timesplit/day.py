"""A typical day: the card's early-career day on a timeline, one moment at a time, beside a day the learner lays out."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from ...charts import timesplit as charts
from ...models import timesplit as m
from ..slider import IntRangeSlider
from .parts import SLIDER_LABEL, TimeWidget, small, unobserved


class TypicalDay(TimeWidget):
    """The card's early-career day on a timeline, one moment at a time, beside a day the learner lays out."""

    ROWS = charts.DAY_ROWS

    def __init__(self, card: Any, source: str, key: str = "typical-day") -> None:
        super().__init__(key, card)
        self.source, self.note = source, card.day.note
        self.moments = list(card.day.moments)
        self.times = {mo.id: m.card_time(mo.time) for mo in self.moments}
        self.moment = self.moments[0].id
        self._afternoon = charts.afternoon_example([(mo.time, self.times[mo.id]) for mo in self.moments])
        self.day = (8 * 60, 20 * 60)
        self.blocks: list[m.Block] = []
        parts = self._kit
        self._pick = W.ToggleButtons(
            options=charts.moment_choices(self._timeline()), value=self.moment,
            description="Moment", tooltips=[mo.title for mo in self.moments], style={"button_width": "auto"},
            layout=parts.plain)
        self._pick.observe(self._picked, names="value")
        self._detail = parts.html()
        self._span = IntRangeSlider(value=(8, 20), min=0, max=24, step=1, description="Your day (from–to hour)",
                                    labels=("Your day starts at (hour, 0 to 24)", "Your day ends at (hour, 0 to 24)"),
                                    unit=":00", description_width=SLIDER_LABEL, layout=parts.wide)
        self._span.observe(self._spanned, names="value")
        self._start = W.Text(description="Start", placeholder="09:00", layout=parts.short, style=parts.text_style)
        self._end = W.Text(description="End", placeholder="11:00", layout=parts.short, style=parts.text_style)
        self._activity = W.Dropdown(options=[(self.labels[k], k) for k in self.ids], description="Activity",
                                    style=parts.field, layout=parts.medium)
        self._add = parts.button("Add block", "plus")
        self._add.on_click(lambda _: self.add_block(self._start.value, self._end.value, self._activity.value))
        self._list = W.Select(options=[], description="Your blocks", rows=5, style=parts.field,
                              layout=parts.medium)
        self._remove = parts.button("Remove selected block", "trash")
        self._remove.on_click(lambda _: self.remove_block(self._list.value))
        self.message = parts.message()
        self._summary = parts.html(side=True)
        self._render()
        self.view.children = [
            self._pick, self._detail,
            parts.note("<b>Your ideal day.</b> Set when your day runs, then add blocks: a start and an end "
                       "(24-hour, like 09:00 or 15:30) and what you would spend them on."),
            self._span,
            W.HBox([self._start, self._end, self._activity, self._add], layout=parts.wrap),
            self.message,
            W.HBox([self._list, self._remove], layout=parts.wrap),
            parts.chart_row(self.fig, self._summary),
            parts.note(f"<i>{html.escape(self.note)}</i> The card gives start times only. "
                       f"Source: {html.escape(source)}."),
        ]

    # -- the model
    @property
    def state(self) -> dict[str, Any]:
        return {"moment": self.moment, "day": [self.day[0] // 60, self.day[1] // 60],
                "blocks": [b.to_state() for b in self.blocks]}

    def restore(self, state: dict[str, Any]) -> None:
        state = state if isinstance(state, dict) else {}
        if state.get("moment") in self.times:
            self.moment = state["moment"]
        day = state.get("day")
        if (isinstance(day, list) and len(day) == 2 and all(isinstance(h, int) and not isinstance(h, bool) for h in day)
                and 0 <= day[0] < day[1] <= 24):
            self.day = (day[0] * 60, day[1] * 60)
        self.blocks = m.valid_blocks(state.get("blocks"), self.day, self.ids)
        self.message.clear()
        self._render()

    def select(self, moment: str) -> None:
        if moment in self.times:
            self.moment = moment
            self._accept()

    def add_block(self, start: str, end: str, activity: str) -> bool:
        """Add a block from what the learner typed; False (with the reason shown) if it cannot go in."""
        try:
            block = m.make_block(start, end, activity, self.blocks, self.day, self.labels)
        except m.SplitError as error:
            self.message.error(str(error))
            return False
        self.blocks = sorted([*self.blocks, block], key=lambda b: b.start)
        self.message.info(f"Added {block.describe(self.labels)}.")
        self._start.value = self._end.value = ""
        self._accept()
        return True

    def remove_block(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.blocks):
            self.message.error("Select a block in the list first, then remove it.")
            return
        gone = self.blocks.pop(index)
        self.message.info(f"Removed {gone.describe(self.labels)}.")
        self._accept()

    def _picked(self, change: dict[str, Any]) -> None:
        self.select(change["new"])

    def _spanned(self, change: dict[str, Any]) -> None:
        day = (change["new"][0] * 60, change["new"][1] * 60)
        problem = m.day_problem(day, self.blocks, self.labels)
        if problem:
            self.message.error(problem)
            self._render()  # the slider goes back to the last day that fits the blocks
            return
        self.day = day
        self.message.clear()
        self._accept()

    def _accept(self) -> None:
        self._render()
        self.changed()

    # -- display
    def _timeline(self) -> list[tuple[str, int, str]]:
        """The card's moments as (id, minutes after midnight, title)."""
        return [(mo.id, self.times[mo.id], mo.title) for mo in self.moments]

    def _render(self) -> None:
        with unobserved(self._pick, self._picked), unobserved(self._span, self._spanned):
            self._pick.value = self.moment
            self._span.value = (self.day[0] // 60, self.day[1] // 60)
        self._list.options = [(b.describe(self.labels), i) for i, b in enumerate(self.blocks)]
        self._remove.disabled = not self.blocks
        chosen = next(mo for mo in self.moments if mo.id == self.moment)
        self._detail.value = small(
            "Choose a moment of the card's day to see what happens then and why it matters. "
            f"Times are the card's, read as a working day{self._afternoon}.") + charts.moment_html(
            self.times[chosen.id], chosen.title, chosen.what, chosen.why)
        timeline = self._timeline()
        self._draw(charts.day_layout(),
                   charts.day_traces(timeline, self.moment, self.ids, self.labels, self.blocks, self.day))
        self._summary.value = charts.aside(charts.day_html(timeline, self.labels, self.blocks, self._day_words()))

    def _day_words(self) -> str:
        return charts.day_words(self.ids, self.labels, self.blocks, self.day)

    def summary(self) -> str:
        card = "; ".join(f"{m.fmt_clock(self.times[mo.id])} {mo.title}" for mo in self.moments)
        chosen = next(mo for mo in self.moments if mo.id == self.moment)
        return (f"The card's early-career day: {card}. Source: {self.source}.\n"
                f"Selected, {m.fmt_clock(self.times[chosen.id])} {chosen.title}: {chosen.what} {chosen.why}\n"
                f"{self._day_words()}")
