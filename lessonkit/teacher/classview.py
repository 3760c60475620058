"""The class as the report sees it: one row per learner, worked out from collected submissions and the class list.

Progress and Depth points come from :func:`lessonkit.progress.lesson_progress`, and which prompts get a column
from each kind's entry in :mod:`lessonkit.kinds`, so the report counts exactly what the lessons do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import kinds
from ..answers_model import AnswersFile
from ..content import Course
from ..progress import LessonProgress, lesson_progress, missing_required
from .collect import AnswersSubmission, Collected
from .roster import Learner


@dataclass(frozen=True)
class Row:
    """One learner as the report shows them."""

    learner: str
    name: str
    email: str
    on_roster: bool
    submission: AnswersSubmission | None
    lessons: list[LessonProgress]
    notebooks: list[str]
    late: list[str]
    cells: dict[str, int]  # per answer key with a report column (see lessonkit.kinds): that column's figure
    target: int | None
    missing: dict[str, list[str]] = field(default_factory=dict)  # per lesson id: required prompt ids not answered

    @property
    def complete(self) -> int:
        return sum(p.completed for p in self.lessons)

    @property
    def points(self) -> int:
        return sum(p.depth_points for p in self.lessons)


@dataclass
class ClassView:
    course: Course
    collected: Collected
    rows: list[Row]
    columns: list[tuple[str, str]]  # (answer key, column heading) of every prompt whose kind has a column, in course order
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


def prompt_columns(course: Course) -> list[tuple[str, str]]:
    """(answer key, column heading) for every prompt whose kind gives the report a column (words, for text)."""
    return [(f"{lesson.id}/{p.id}", f"{column} {lesson.id}/{p.id}") for lesson in course.lessons()
            for p in course.lesson_prompts(lesson.id) if (column := kinds.get(p.kind).column)]


def _target(doc: AnswersFile) -> int | None:
    """The income target a learner last set in any pay widget (the widgets save it as ``target_income``)."""
    found = []
    for record in doc.widgets.values():
        value = record.state.get("target_income")
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000_000:
            found.append((record.saved_at, value))
    return max(found)[1] if found else None


def _progress(course: Course, doc: AnswersFile | None) -> list[LessonProgress]:
    out = []
    for lesson in course.lessons():
        try:
            out.append(lesson_progress(course, doc, lesson.id))
        except (AttributeError, TypeError, ValueError, KeyError):
            # A value of the wrong shape for its prompt (a hand-edited file): count the lesson as not started.
            out.append(lesson_progress(course, None, lesson.id))
    return out


def _missing(course: Course, collected: Collected, learner: str, answers: dict[str, Any]) -> dict[str, list[str]]:
    """``answers``: the learner's answer values by key."""
    """Per lesson that required prompts of this learner (parameter required_prompts): those not answered."""
    out = {}
    for lesson in course.lessons():
        required = collected.required_for(learner, lesson.id)
        missing = missing_required(course, answers, lesson.id, required) if required else []
        if missing:
            out[lesson.id] = missing
    return out


def build(course: Course, collected: Collected, people: list[Learner] | None = None) -> ClassView:
    """One row per learner: everyone on the class list, then anyone else who handed something in."""
    columns = prompt_columns(course)
    kind_of = {f"{lesson.id}/{p.id}": p.kind for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)}
    listed = {p.id: p for p in people or []}
    ids = [p.id for p in people or []] + [lid for lid in collected.learners if lid not in listed]
    late: dict[str, list[str]] = {}
    for item in collected.late:
        late.setdefault(item.learner, []).append(item.lesson)
    rows = []
    for learner in ids:
        person = listed.get(learner)
        submission = collected.answers.get(learner)
        doc = submission.doc if submission else None
        answers = doc.values() if doc else {}
        rows.append(Row(
            learner=learner, name=person.name if person else "", email=person.email if person else "",
            on_roster=person is not None or not listed, submission=submission, lessons=_progress(course, doc),
            notebooks=sorted(lesson for who, lesson in collected.notebooks if who == learner),
            late=late.get(learner, []),
            cells={key: kinds.get(kind_of[key]).word_count(answers.get(key)) for key, _ in columns},
            target=_target(doc) if doc else None,
            missing=_missing(course, collected, learner, answers) if submission else {}))
    return ClassView(course, collected, rows, columns)
