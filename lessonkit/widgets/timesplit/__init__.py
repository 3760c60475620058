"""The time-split widgets of Lesson 01: the card's work split in hours, the learner's ideal week, and a typical day.

Each widget owns private controls, routes every change through the pure functions
in :mod:`lessonkit.models.timesplit`, and updates its chart in place from the pure
builders of :mod:`lessonkit.charts.timesplit`. Input the model refuses is explained
in a ``Message`` beside the control; the last valid chart stays. ``work_split``,
``ideal_week`` and ``typical_day`` are the entry points a lesson cell calls.

- :mod:`.explorer` the card's split as hours, and the learner's early-to-established scenario
- :mod:`.ideal`    the learner's ideal week (linked sliders and locks)
- :mod:`.day`      the card's typical day, and the learner's own
- :mod:`.parts`    what the three share
"""

from __future__ import annotations

from ...lesson import Lesson
from ...models import timesplit as m
from ...render import cite
from .day import TypicalDay
from .explorer import WorkSplitExplorer
from .ideal import IdealWeek
from .parts import card_of

__all__ = ["IdealWeek", "TypicalDay", "WorkSplitExplorer", "ideal_week", "typical_day", "work_split"]


def work_split(lesson: Lesson, *, week_hours: object = 40) -> WorkSplitExplorer:
    """The card's work split in hours of a ``week_hours`` week, with the early-to-established scenario."""
    hours = m.check_week_hours(week_hours)
    card = card_of(lesson)
    return lesson.attach(WorkSplitExplorer(card, cite(lesson.course, card.work.source), hours))


def ideal_week(lesson: Lesson, *, week_hours: object = 40) -> IdealWeek:
    """The learner's ideal week (five linked sliders) beside the card's split."""
    hours = m.check_week_hours(week_hours)
    card = card_of(lesson)
    return lesson.attach(IdealWeek(card, cite(lesson.course, card.work.source), hours))


def typical_day(lesson: Lesson) -> TypicalDay:
    """The card's early-career day, moment by moment, beside the learner's own day."""
    card = card_of(lesson)
    return lesson.attach(TypicalDay(card, cite(lesson.course, card.day.source)))
