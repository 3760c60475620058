"""What the time-split widgets share: their controls' shared styles, the week's-length box, and the common base."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ...charts.layout import Layout, Trace
from ...errors import LessonkitError
from ...lesson import Lesson
from ...models import timesplit as m
from ..base import LessonWidget, Message
from ..compact import shared_layout, shared_style
from ..figure import Chart

SLIDER_LABEL = "190px"  # the sliders' labels line up in one column


def card_of(lesson: Lesson) -> Any:
    card = lesson.course.context(lesson.id).get("card")
    if card is None:
        raise LessonkitError(f"Lesson {lesson.id} uses no career card, so it has no work split or day to show.")
    return card


def small(text: str) -> str:
    return (f'<div style="font-size: 0.92em; line-height: 1.4; color: var(--jp-content-font-color2, inherit)">'
            f"{text}</div>")


class Kit:
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
    html_style = cached_property(lambda self: shared_style(HTMLStyle))
    field = cached_property(lambda self: shared_style(DescriptionStyle, description_width="initial"))
    text_style = cached_property(lambda self: shared_style(TextStyle, description_width="initial"))
    check = cached_property(lambda self: shared_style(CheckboxStyle))
    button_style = cached_property(lambda self: shared_style(W.ButtonStyle))

    def alive(self) -> bool:
        """False once any shared model has been closed (``Widget.close_all()``): then make new ones."""
        return all(getattr(model, "comm", None) is not None for model in vars(self).values())

    def html(self, value: str = "", side: bool = False) -> W.HTML:
        return W.HTML(value, layout=self.side if side else self.plain, style=self.html_style)

    def note(self, text: str) -> W.HTML:
        return self.html(small(text))

    def button(self, description: str, icon: str) -> W.Button:
        return W.Button(description=description, icon=icon, layout=self.auto, style=self.button_style)

    def message(self) -> Message:
        return Message(layout=self.plain, style=self.html_style)

    def chart_row(self, fig: W.DOMWidget, summary: W.HTML) -> W.HBox:
        """The chart with its text summary beside it (below it on a narrow screen)."""
        return W.HBox([fig, summary], layout=self.wrap)


_KIT: Kit | None = None


def shared_kit() -> Kit:
    global _KIT
    if _KIT is None or not _KIT.alive():
        _KIT = Kit()
    return _KIT


@contextlib.contextmanager
def unobserved(control: W.Widget, handler: Callable[..., None]) -> Iterator[None]:
    """Set a control from the widget's own state without running its handler."""
    control.unobserve(handler, names="value")
    try:
        yield
    finally:
        control.observe(handler, names="value")


class WeekHours:
    """A labelled box for the week's length in hours, with its message; calls ``on_valid`` with good values only."""

    def __init__(self, parts: Kit, value: int, on_valid: Callable[[int], None]) -> None:
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
        with unobserved(self.box, self._typed):
            self.box.value = value


class TimeWidget(LessonWidget):
    """What the three share: the card's activities, a chart drawn from :mod:`lessonkit.charts.timesplit`,
    and a text/plain that is the chart's summary."""

    def __init__(self, key: str, card: Any) -> None:
        super().__init__(key)
        self._kit = shared_kit()
        activities = card.work.activities
        self.ids = [a.id for a in activities]
        self.labels = {a.id: a.label for a in activities}
        self.kinds = {a.id: a.kind for a in activities}
        self.shift = m.Shift.of(card.work)
        self.published = m.whole_shares({a.id: a.share for a in activities})
        self._chart: Chart | None = None

    def _draw(self, layout: Layout, picture: tuple[list[Trace], Layout]) -> None:
        """Draw the chart: built the first time from the whole picture, afterwards sent only what changed."""
        if self._chart is None:
            self._chart = Chart(picture[0], layout, picture[1])
        else:
            self._chart.update(*picture)

    @property
    def fig(self) -> Any:
        """The live chart (built on the first draw)."""
        assert self._chart is not None
        return self._chart.figure
