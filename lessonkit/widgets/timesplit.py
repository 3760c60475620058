"""The time-split widgets of Lesson 01: the card's work split in hours, the learner's ideal week, and a typical day.

Each widget owns private controls, routes every change through the pure functions
in :mod:`lessonkit.models.timesplit`, and updates its chart in place. Input the
model refuses is explained in a ``Message`` beside the control; the last valid
chart stays. ``work_split``, ``ideal_week`` and ``typical_day`` are the entry
points a lesson cell calls.
"""

from __future__ import annotations

import contextlib
import html
from functools import cached_property
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..charts import PALETTE, SERIES, LiveFigure, base_layout
from ..errors import LessonkitError
from ..lesson import Lesson
from ..models import timesplit as m
from ..render import cite
from .compact import shared_layout
from .base import LessonWidget, Message
from .slider import IntRangeSlider, IntSlider, SelectionSlider

CARD, YOU = PALETTE["blue"], PALETTE["orange"]
# Short names: a SelectionSlider's readout is narrow.
STAGES = [("Early", 0.0), ("Some way in", 0.25), ("Halfway", 0.5), ("Further on", 0.75), ("Established", 1.0)]
CHART_WIDTH = 500
SLIDER_LABEL = "190px"  # the sliders' labels line up in one column


def _card(lesson: Lesson) -> Any:
    card = lesson.course.context(lesson.id).get("card")
    if card is None:
        raise LessonkitError(f"Lesson {lesson.id} uses no career card, so it has no work split or day to show.")
    return card


def _small(text: str) -> str:
    return (f'<div style="font-size: 0.92em; line-height: 1.4; color: var(--jp-content-font-color2, inherit)">'
            f"{text}</div>")


def _aside(text: str) -> str:
    """The text summary beside a chart (widget HTML otherwise spaces every line a control's height apart)."""
    return f'<div style="font-size: 0.92em; line-height: 1.4">{text}</div>'


class _Kit:
    """Layout and style models shared by the time-split widgets' controls, each made on first use.

    Every ipywidget otherwise gets its own layout and style model, and an executed
    notebook stores each one; sharing them keeps the saved lesson small.
    """

    plain = cached_property(lambda self: shared_layout())
    row = cached_property(lambda self: shared_layout(align_items="center"))
    wrap = cached_property(lambda self: shared_layout(flex_flow="row wrap", align_items="flex-start"))
    auto = cached_property(lambda self: shared_layout(width="max-content"))
    side = cached_property(lambda self: shared_layout(width="320px", padding="0 0 0 12px"))
    wide = cached_property(lambda self: shared_layout(width="540px"))
    short = cached_property(lambda self: shared_layout(width="190px"))
    medium = cached_property(lambda self: shared_layout(width="420px"))
    html_style = cached_property(lambda self: HTMLStyle())
    field = cached_property(lambda self: DescriptionStyle(description_width="initial"))
    text_style = cached_property(lambda self: TextStyle(description_width="initial"))
    check = cached_property(lambda self: CheckboxStyle())
    button_style = cached_property(lambda self: W.ButtonStyle())

    def alive(self) -> bool:
        """False once any shared model has been closed (``Widget.close_all()``): then make new ones."""
        return all(getattr(model, "comm", None) is not None for model in vars(self).values())

    def html(self, value: str = "", side: bool = False) -> W.HTML:
        return W.HTML(value, layout=self.side if side else self.plain, style=self.html_style)

    def note(self, text: str) -> W.HTML:
        return self.html(_small(text))

    def button(self, description: str, icon: str) -> W.Button:
        return W.Button(description=description, icon=icon, layout=self.auto, style=self.button_style)

    def message(self) -> Message:
        return Message(layout=self.plain, style=self.html_style)

    def chart_row(self, fig: LiveFigure, summary: W.HTML) -> W.HBox:
        """The chart with its text summary beside it (below it on a narrow screen)."""
        return W.HBox([fig, summary], layout=self.wrap)


_KIT: _Kit | None = None


def _shared_kit() -> _Kit:
    global _KIT
    if _KIT is None or not _KIT.alive():
        _KIT = _Kit()
    return _KIT


class _WeekHours:
    """A labelled box for the week's length in hours, with its message; calls ``on_valid`` with good values only."""

    def __init__(self, parts: _Kit, value: int, on_valid: Callable[[int], None]) -> None:
        self.value = value
        self.box = W.IntText(value=value, description="Hours in a week", style=parts.field,
                             layout=parts.short)
        self.message = parts.message()
        # The card publishes shares, not hours: the week's length is the course's choice, and the learner's.
        self.note = parts.note(f"The card gives shares, not hours. {value} hours is this lesson's starting value, "
                               "not a figure from the card: type the length of your own week.")
        self.view = W.VBox([W.HBox([self.box, self.message], layout=parts.row), self.note])
        self._on_valid = on_valid
        self.box.observe(self._typed, names="value")

    def _typed(self, change: dict[str, Any]) -> None:
        problem = m.week_hours_problem(change["new"])
        if problem:
            self.message.error(f"{problem} The chart keeps the last good value ({self.value} hours).")
            return
        self.message.clear()
        self.value = int(change["new"])
        self._on_valid(self.value)

    def set(self, value: int) -> None:
        self.value = value
        self.message.clear()
        with _unobserved(self.box, self._typed):
            self.box.value = value


@contextlib.contextmanager
def _unobserved(control: W.Widget, handler: Callable[..., None]) -> Iterator[None]:
    """Set a control from the widget's own state without running its handler."""
    control.unobserve(handler, names="value")
    try:
        yield
    finally:
        control.observe(handler, names="value")


class _TimeWidget(LessonWidget):
    """What the three share: the card's activities, and a text/plain that is the chart's summary."""

    def __init__(self, key: str, card: Any) -> None:
        super().__init__(key)
        self._kit = _shared_kit()
        activities = card.work.activities
        self.ids = [a.id for a in activities]
        self.labels = {a.id: a.label for a in activities}
        self.kinds = {a.id: a.kind for a in activities}
        self.published = m.whole_shares({a.id: a.share for a in activities})



def _title(text: str) -> dict[str, Any]:
    return {"text": text, "x": 0.02, "xref": "container", "y": 0.98, "yref": "container", "yanchor": "top",
            "font": {"size": 15}}


def _legend(y: float, yanchor: str, top_offset: bool = False) -> dict[str, Any]:
    """A legend across the whole chart's width (not only the plot area), under the title or at the bottom."""
    return {"orientation": "h", "xref": "container", "yref": "container", "x": 0.02,
            "y": 0.9 if top_offset else y + 0.02, "yanchor": yanchor}


def _hbar_figure(title: str, names: tuple[str, str]) -> LiveFigure:
    layout = base_layout(height=380, width=CHART_WIDTH, barmode="group", bargap=0.25,
                         margin={"l": 10, "r": 20, "t": 80, "b": 50}, title=_title(title),
                         legend=_legend(y=1, yanchor="top", top_offset=True),
                         yaxis={"autorange": "reversed", "automargin": True},
                         xaxis={"title": {"text": "hours"}, "rangemode": "tozero"})
    bars = [dict(type="bar", orientation="h", name=name, marker={"color": colour}, textposition="outside",
                 cliponaxis=False, hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>")
            for name, colour in zip(names, (CARD, YOU))]
    return LiveFigure(data=bars, layout=layout)


def _bar_text(hours: dict[str, float], shares: dict[str, int], ids: list[str]) -> list[str]:
    return [f"{m.fmt_hours(hours[k])} h · {shares[k]}%" for k in ids]


# ================================================================ the card's split, in hours, and the shift
class WorkSplitExplorer(_TimeWidget):
    """The card's split as hours of a week the learner picks, beside the learner's own early-to-established scenario."""

    def __init__(self, card: Any, source: str, week_hours: int = 40, key: str = "work-split-explorer") -> None:
        super().__init__(key, card)
        self.caveat = f"{card.work.caveat} {card.work.varies_by}"
        self.source = source
        self.stage, self.size = 0.0, 20
        parts = self._kit
        self.week = _WeekHours(parts, week_hours, lambda _: self._accept())
        self._stage = SelectionSlider(options=STAGES, value=0.0, description="Career stage",
                                      label="Career stage of your scenario", description_width=SLIDER_LABEL,
                                      layout=parts.wide)
        self._size = IntSlider(value=self.size, min=0, max=50, step=1, description="Size of the shift (points)",
                               unit=" points", description_width=SLIDER_LABEL, layout=parts.wide)
        self._stage.observe(self._moved, names="value")
        self._size.observe(self._moved, names="value")
        self.fig = _hbar_figure("The card's shares as hours of your week",
                                ("The card", "Your scenario"))
        self._summary = parts.html(side=True)
        self.view.children = [
            self.week.view,
            parts.note("<b>Your scenario.</b> The card says established producers spend more time on creative "
                       "production and artists and hand technical engineering to others, but gives no numbers "
                       "for it. Choose a stage (Early is the card's split), and how many percentage points of "
                       "the week have moved by the time someone is established."),
            self._stage, self._size,
            parts.chart_row(self.fig, self._summary),
            parts.note(f"<i>{html.escape(self.caveat)}</i> Source: {html.escape(source)}."),
        ]
        self._render()

    # -- the model
    @property
    def scenario(self) -> dict[str, int]:
        return m.shift_split(self.published, self.kinds, self.stage, self.size)

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
        with _unobserved(self._stage, self._moved), _unobserved(self._size, self._moved):
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

    def _render(self) -> None:
        week, scenario = self.week.value, self.scenario
        card_hours, your_hours = m.hours(self.published, week), m.hours(scenario, week)
        top = max([*card_hours.values(), *your_hours.values()])
        labels = [self.labels[k] for k in self.ids]
        with self.fig.batch_update():
            card, yours = self.fig.data
            card.y, card.x, card.text = labels, [card_hours[k] for k in self.ids], _bar_text(card_hours, self.published, self.ids)
            yours.y, yours.x, yours.text = labels, [your_hours[k] for k in self.ids], _bar_text(your_hours, scenario, self.ids)
            yours.name = f"Your scenario: {self._stage_name().lower()}"
            self.fig.layout.xaxis.title.text = f"hours in a {week}-hour week"
            self.fig.layout.xaxis.range = [0, top * 1.35 + 0.5]
        self._summary.value = _aside(self._summary_html(card_hours, your_hours, scenario))

    def _moved_words(self) -> str:
        points = m.shifted_points(self.published, self.kinds, self.stage, self.size)
        if points <= 0:
            return "Move the career stage to try out the shift the card describes."
        return (f"In your scenario, {m.fmt_hours(points)} points of the week "
                f"({m.fmt_hours(points * self.week.value / 100)} h) move from recording and mixing to "
                "production and artist work.")

    def _summary_html(self, card_hours: dict[str, float], your_hours: dict[str, float], scenario: dict[str, int]) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(self.labels[k])}</td><td>{m.fmt_hours(card_hours[k])} h</td>"
            f"<td>{m.fmt_hours(your_hours[k])} h</td></tr>" for k in self.ids)
        return (f"<p><b>In a {self.week.value}-hour week.</b> Recording and mixing take "
                f"{m.fmt_hours(self._technical(card_hours))} h in the card's split; production and arrangement "
                f"{m.fmt_hours(card_hours[self._first('creative')])} h.</p>"
                f"<table><tr><th>Activity</th><th>The card</th><th>Your scenario</th></tr>{rows}</table>"
                f"<p>{html.escape(self._moved_words())} This is your scenario, not a published figure.</p>")

    def _technical(self, hours: dict[str, float]) -> float:
        return sum(hours[k] for k in self.ids if self.kinds[k] in m.SHIFT_FROM)

    def _first(self, kind: str) -> str:
        return next((k for k in self.ids if self.kinds[k] == kind), self.ids[0])

    def summary(self) -> str:
        week, scenario = self.week.value, self.scenario
        card_hours, your_hours = m.hours(self.published, week), m.hours(scenario, week)
        card = "; ".join(f"{self.labels[k]} {m.fmt_hours(card_hours[k])} h ({self.published[k]}%)" for k in self.ids)
        yours = "; ".join(f"{self.labels[k]} {m.fmt_hours(your_hours[k])} h" for k in self.ids)
        return (f"The card's shares as hours of a {week}-hour week (the week's length is set here, not by the card): "
                f"{card}. {self.caveat} Source: {self.source}.\n"
                f"Your scenario ({self._stage_name().lower()}, shift of {self.size} points): {yours}. "
                f"{self._moved_words()}")


# ================================================================ the learner's ideal week
class IdealWeek(_TimeWidget):
    """Five linked sliders that always add up to 100%, locks, and the difference from the card's split."""

    def __init__(self, card: Any, source: str, week_hours: int = 40, key: str = "ideal-week") -> None:
        super().__init__(key, card)
        self.source = source
        self.shares = dict(self.published)
        self.locked: set[str] = set()
        self._basis: tuple[str, dict[str, int]] | None = None  # (activity moving, the split before it moved)
        parts = self._kit
        self.week = _WeekHours(parts, week_hours, lambda _: self._accept())
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
        self.fig = _hbar_figure("Your ideal week against the card's split", ("The card's split", "Your ideal week"))
        self._summary = parts.html(side=True)
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
        self._render()

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
        return m.plain_reading(self.differences, self.week.value)

    def _render(self) -> None:
        week = self.week.value
        card_hours, your_hours = m.hours(self.published, week), m.hours(self.shares, week)
        for k in self.ids:
            slider, lock = self._sliders[k], self._locks[k]
            with _unobserved(slider, self._slid), _unobserved(lock, self._locked):
                slider.value, lock.value = self.shares[k], k in self.locked
            slider.disabled = k in self.locked
        top = max([*card_hours.values(), *your_hours.values()])
        labels = [self.labels[k] for k in self.ids]
        with self.fig.batch_update():
            card, yours = self.fig.data
            card.y, card.x, card.text = labels, [card_hours[k] for k in self.ids], _bar_text(card_hours, self.published, self.ids)
            yours.y, yours.x, yours.text = labels, [your_hours[k] for k in self.ids], _bar_text(your_hours, self.shares, self.ids)
            self.fig.layout.xaxis.title.text = f"hours in a {week}-hour week"
            self.fig.layout.xaxis.range = [0, top * 1.35 + 0.5]
        self._summary.value = _aside(self._summary_html())

    def _summary_html(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(d.label)}</td><td>{m.fmt_hours(d.published_hours)} h</td>"
            f"<td>{m.fmt_hours(d.ideal_hours)} h</td><td>{_signed(d.hours)}</td></tr>"
            for d in self.differences)
        reading = "".join(f"<p>{html.escape(s)}</p>" for s in self.reading())
        return (f"{reading}<table><tr><th>Activity</th><th>Card</th><th>You</th><th>Change</th></tr>"
                f"{rows}</table>")

    def summary(self) -> str:
        yours = "; ".join(f"{d.label} {d.ideal:g}% ({m.fmt_hours(d.ideal_hours)} h, {_signed(d.points, ' points')} "
                          "against the card)" for d in self.differences)
        return f"Your ideal {self.week.value}-hour week: {yours}.\n" + " ".join(self.reading())


def _short(label: str) -> str:
    """'Mixing & editing' → 'Mixing'."""
    return label.split(" & ")[0]


def _signed(value: float, unit: str = " h") -> str:
    return "same" if abs(value) < 1e-9 else f"{'+' if value > 0 else '−'}{m.fmt_hours(abs(value))}{unit}"


# ================================================================ a typical day, and the learner's own
class TypicalDay(_TimeWidget):
    """The card's early-career day on a timeline, one moment at a time, beside a day the learner lays out."""

    ROWS = ("Your day", "The card's day")

    def __init__(self, card: Any, source: str, key: str = "typical-day") -> None:
        super().__init__(key, card)
        self.source, self.note = source, card.day.note
        self.moments = list(card.day.moments)
        self.times = {mo.id: m.card_time(mo.time) for mo in self.moments}
        self.moment = self.moments[0].id
        self.day = (8 * 60, 20 * 60)
        self.blocks: list[m.Block] = []
        parts = self._kit
        self._pick = W.ToggleButtons(
            options=[(m.fmt_clock_12(self.times[mo.id]), mo.id) for mo in self.moments], value=self.moment,
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
        self.fig = self._figure()
        self._summary = parts.html(side=True)
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
        self._render()

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
    def _figure(self) -> LiveFigure:
        layout = base_layout(height=350, width=CHART_WIDTH, barmode="overlay", showlegend=True,
                             margin={"l": 10, "r": 20, "t": 50, "b": 100}, title=_title("The card's day and yours"),
                             legend=_legend(y=0, yanchor="bottom"),
                             uniformtext={"minsize": 10, "mode": "hide"},
                             yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(self.ROWS),
                                    "automargin": True, "range": [-0.6, 1.6]},
                             xaxis={"tickangle": 0})
        card = dict(type="scatter", mode="lines+markers+text", name="The card's moments", showlegend=False,
                    line={"color": PALETTE["grey"], "width": 2}, hovertemplate="%{hovertext}<extra></extra>")
        # Short names ("Mixing"), so the legend fits in two rows and a label fits inside a short block.
        bars = [dict(type="bar", orientation="h", name=_short(self.labels[k]), marker={"color": SERIES[i % len(SERIES)]},
                     textposition="inside", insidetextanchor="middle", hovertemplate="%{hovertext}<extra></extra>")
                for i, k in enumerate(self.ids)]
        return LiveFigure(data=[card, *bars], layout=layout)

    def _render(self) -> None:
        with _unobserved(self._pick, self._picked), _unobserved(self._span, self._spanned):
            self._pick.value = self.moment
            self._span.value = (self.day[0] // 60, self.day[1] // 60)
        self._list.options = [(b.describe(self.labels), i) for i, b in enumerate(self.blocks)]
        self._remove.disabled = not self.blocks
        chosen = next(mo for mo in self.moments if mo.id == self.moment)
        self._detail.value = _small(
            "Choose a moment of the card's day to see what happens then and why it matters. "
            "Times are the card's, read as a working day (its 3:00 is 3 pm).") + (
            f'<div style="border-left: 4px solid {PALETTE["sky"]}; padding: 0.3em 0.8em">'
            f"<b>{m.fmt_clock_12(self.times[chosen.id])} · {html.escape(chosen.title)}</b><br>"
            f"<b>What happens:</b> {html.escape(chosen.what)}<br><b>Why it matters:</b> {html.escape(chosen.why)}</div>")
        self._draw()
        self._summary.value = _aside(self._summary_html())

    def _draw(self) -> None:
        xs = [self.times[mo.id] / 60 for mo in self.moments]
        chosen = [mo.id == self.moment for mo in self.moments]
        lo = min(self.day[0] / 60, min(xs), *(b.start / 60 for b in self.blocks)) - 0.5
        hi = max(self.day[1] / 60, max(xs) + 1, *(b.end / 60 for b in self.blocks)) + 0.5
        step = 1 if hi - lo <= 7 else 2
        ticks = list(range(int(lo) + 1, int(hi) + 1, step))
        with self.fig.batch_update():
            card = self.fig.data[0]
            card.x, card.y = xs, [self.ROWS[1]] * len(xs)
            card.text = [f"<b>{m.fmt_clock(self.times[mo.id])}</b>" if c else m.fmt_clock(self.times[mo.id])
                         for mo, c in zip(self.moments, chosen)]
            card.textposition = ["top center" if i % 2 == 0 else "bottom center" for i in range(len(xs))]
            card.hovertext = [f"{m.fmt_clock_12(self.times[mo.id])}: {mo.title}" for mo in self.moments]
            card.marker = {"size": [20 if c else 11 for c in chosen], "symbol": ["diamond" if c else "circle" for c in chosen],
                           "color": [PALETTE["sky"] if c else PALETTE["grey"] for c in chosen],
                           "line": {"width": [2 if c else 0 for c in chosen], "color": PALETTE["blue"]}}
            for k, bar in zip(self.ids, self.fig.data[1:]):
                mine = [b for b in self.blocks if b.activity == k]
                bar.y = [self.ROWS[0]] * len(mine)
                bar.base = [b.start / 60 for b in mine]
                bar.x = [b.hours for b in mine]
                bar.text = [_short(self.labels[k]) for _ in mine]
                bar.hovertext = [b.describe(self.labels) for b in mine]
                bar.showlegend = bool(mine)
            self.fig.layout.xaxis.range = [lo, hi]
            self.fig.layout.xaxis.tickvals = ticks
            self.fig.layout.xaxis.ticktext = [m.fmt_clock(h * 60) for h in ticks]

    def _day_words(self) -> str:
        if not self.blocks:
            return "Your day has no blocks yet."
        totals = m.day_totals(self.blocks, self.ids)
        planned = sum(totals.values())
        parts = ", ".join(f"{self.labels[k].lower()} {m.fmt_hours(h)} h" for k, h in totals.items() if h > 0)
        free = (self.day[1] - self.day[0]) / 60 - planned
        return (f"Your day ({m.fmt_clock(self.day[0])}–{m.fmt_clock(self.day[1])}) has {m.fmt_hours(planned)} h "
                f"planned: {parts}; {m.fmt_hours(free)} h left open.")

    def _summary_html(self) -> str:
        card = "".join(f"<li>{m.fmt_clock(self.times[mo.id])} {html.escape(mo.title)}</li>" for mo in self.moments)
        mine = "".join(f"<li>{html.escape(b.describe(self.labels))}</li>" for b in self.blocks)
        return (f"<p><b>The card's day</b> (start times):</p><ul>{card}</ul>"
                f"<p><b>Yours.</b> {html.escape(self._day_words())}</p>{f'<ul>{mine}</ul>' if mine else ''}")

    def summary(self) -> str:
        card = "; ".join(f"{m.fmt_clock(self.times[mo.id])} {mo.title}" for mo in self.moments)
        chosen = next(mo for mo in self.moments if mo.id == self.moment)
        return (f"The card's early-career day: {card}. Source: {self.source}.\n"
                f"Selected, {m.fmt_clock(self.times[chosen.id])} {chosen.title}: {chosen.what} {chosen.why}\n"
                f"{self._day_words()}")


# ================================================================ entry points for lesson cells
def work_split(lesson: Lesson, *, week_hours: object = 40) -> WorkSplitExplorer:
    """The card's work split in hours of a ``week_hours`` week, with the early-to-established scenario."""
    hours = m.check_week_hours(week_hours)
    card = _card(lesson)
    return lesson.attach(WorkSplitExplorer(card, cite(lesson.course, card.work.source), hours))


def ideal_week(lesson: Lesson, *, week_hours: object = 40) -> IdealWeek:
    """The learner's ideal week (five linked sliders) beside the card's split."""
    hours = m.check_week_hours(week_hours)
    card = _card(lesson)
    return lesson.attach(IdealWeek(card, cite(lesson.course, card.work.source), hours))


def typical_day(lesson: Lesson) -> TypicalDay:
    """The card's early-career day, moment by moment, beside the learner's own day."""
    card = _card(lesson)
    return lesson.attach(TypicalDay(card, cite(lesson.course, card.day.source)))
