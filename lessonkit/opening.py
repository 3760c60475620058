"""The first call in every lesson: check the content and the lesson's parameters, then return the lesson.

``open_lesson`` fails fast with a message that names the bad value and lists the valid ones; inside IPython
that message is shown on its own, without a Python traceback (lessonkit.friendly).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import engines
from . import parameters as P
from .answer_folder import answers_folder
from .content import load_course
from .friendly import install_friendly_errors
from .identity import learner_for
from .lesson import Lesson
from .quick_exit import freeze_at_exit


def open_lesson(lesson_id: str, **params: Any) -> Lesson:
    """Load and check the course content and the lesson's parameters, then return the lesson.

    Every parameter is read by its definition in :mod:`lessonkit.parameters` (the notebook's
    parameters cell lists the same ones, with their defaults and what each sets); a name this
    lesson does not take is refused with the list of those it does. The lesson displays as one
    short status line.
    """
    install_friendly_errors()
    freeze_at_exit()
    from .locate import content_words

    data_dir = P.get("data_dir").read(params.get("data_dir", P.get("data_dir").default))
    course = load_course(data_dir or None, near=Path.cwd())
    entry = course.lesson(lesson_id)
    P.check_features(course)
    ctx = P.Context(course, entry)
    given = P.parse_for_lesson(params, ctx)
    values = {p.name: given[p.name] if p.name in given else p.read(p.default, ctx) for p in P.for_lesson(entry)}
    learner, named = learner_for(values.get("learner_id", ""))
    visit = not named and engines.is_visitor()
    folder = answers_folder(values.get("answers_dir", ""), visit)
    from .answers_store import open_store  # not lessonkit.answers: that loads the model before any file is read

    store = open_store(folder / f"{learner}.json", course_id=course.id, learner_id=learner)
    first = course.lesson(values["start_with"]) if values.get("start_with") else None
    return Lesson(course, entry, values.get("due_date"), first, tuple(values.get("required_prompts", ())),
                  bool(values.get("open_extensions", False)), store=store, visit=visit,
                  content=content_words(course.root, data_dir or None, near=Path.cwd()),
                  front_end=engines.front_end(), params=values)
