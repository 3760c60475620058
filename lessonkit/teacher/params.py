"""Which lessons a teacher means, what parameters each lesson takes, and values checked for them.

Which parameters a lesson takes, and how each is read, come from the registry in
:mod:`lessonkit.parameters`, the one ``open_lesson`` uses: a ``--param NAME=VALUE`` is read by
the lesson's own parser, so a bad value is caught when the lessons are handed out, not later
in every learner's notebook. The notebook's ``parameters`` cell is read by papermill
(:func:`papermill.inspect_notebook`) only to make sure it declares what the registry says.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import parameters as P
from ..content import Course
from ..errors import LessonkitError, ParameterError
from ..parameters import TYPE_WORDS, find_lesson, lesson_names
from ..schema import LessonEntry

PER_LEARNER = next(p.name for p in P.all_parameters() if p.per_learner)  # set from the roster, never by --param
__all__ = ["AssignError", "LessonSpec", "Param", "describe", "find_lesson", "lesson_names", "lesson_spec",
           "parse_params", "pick_lessons"]


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # papermill's inferred type name: str, int, float, bool, or "None" when undeclared
    default: str
    help: str


@dataclass(frozen=True)
class LessonSpec:
    entry: LessonEntry
    path: Path
    params: dict[str, Param]

    @property
    def label(self) -> str:
        return f"{self.entry.number:02d}"


class AssignError(LessonkitError):
    """A lesson or parameter the teacher asked for cannot be used; the message lists the valid ones."""


# ---------------------------------------------------------------- lessons
def pick_lessons(course: Course, text: str) -> list[LessonEntry]:
    """The lessons in a comma-separated list (or ``all``), in course order, or an AssignError."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise AssignError(f"No lessons given. Valid lessons: {lesson_names(course)}, or 'all'.")
    if [p.lower() for p in parts] == ["all"]:
        return course.lessons()
    chosen, unknown = [], []
    for part in parts:
        lesson = find_lesson(course, part)
        if lesson is None:
            unknown.append(part)
        elif lesson not in chosen:
            chosen.append(lesson)
    if unknown:
        raise AssignError(f"Unknown lesson{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)}. "
                          f"Valid lessons: {lesson_names(course)}, or 'all'.")
    order = [lesson.id for lesson in course.lessons()]
    return sorted(chosen, key=lambda lesson: order.index(lesson.id))


def lesson_spec(entry: LessonEntry, notebooks: Path) -> LessonSpec:
    """A lesson's notebook and its declared parameters, as papermill reads them."""
    import papermill

    path = notebooks / entry.notebook
    if not path.is_file():
        raise AssignError(f"The notebook for lesson {entry.number:02d} is missing: {path}. Give the folder that "
                          "holds the lesson notebooks with --notebooks.")
    logging.getLogger("papermill").setLevel(logging.ERROR)
    try:
        found = papermill.inspect_notebook(str(path))
    except Exception as error:  # papermill raises several kinds for a broken notebook
        raise AssignError(f"The notebook {path} cannot be read ({error.__class__.__name__}: {error}).") from None
    params = {name: Param(name, str(p.get("inferred_type_name") or "None"), str(p.get("default")),
                          str(p.get("help") or "")) for name, p in found.items()}
    if PER_LEARNER not in params:
        raise AssignError(f"The notebook {path} has no {PER_LEARNER} parameter, so its copies could not tell "
                          "learners apart.")
    return LessonSpec(entry, path, params)


# ---------------------------------------------------------------- values
def describe(specs: list[LessonSpec]) -> str:
    """Every parameter the chosen lessons take, with its type and the lessons that take it."""
    parts = []
    for param in P.all_parameters():
        owners = [spec for spec in specs if param.takes(spec.entry)]
        if param.per_learner or not owners:
            continue
        where = "" if len(owners) == len(specs) else f", lesson {', '.join(o.label for o in owners)} only"
        parts.append(f"{param.name} ({TYPE_WORDS.get(param.type, 'text')}{where})")
    return ", ".join(parts) or "none"


def parse_params(course: Course, specs: list[LessonSpec], pairs: list[str],
                 every: list[LessonSpec] | None = None) -> dict[str, dict[str, Any]]:
    """``NAME=VALUE`` pairs read by the lessons' own parsers, per lesson id, in each notebook's declared type
    (only the parameters each lesson takes).

    ``every`` (all the course's lessons) lets a parameter of a lesson that was not chosen be named as such.
    """
    lessons = ", ".join(spec.label for spec in specs)
    out: dict[str, dict[str, Any]] = {spec.entry.id: {} for spec in specs}
    parsed: dict[str, dict[str, Any]] = {spec.entry.id: {} for spec in specs}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise AssignError(f"--param {pair!r} is not NAME=VALUE (for example --param due_date=2026-12-01).")
        param = P.REGISTRY.params.get(name)
        if param is not None and param.per_learner:
            raise AssignError(f"{name} is set for each learner from the roster; it cannot be given with --param.")
        owners = [spec for spec in specs if param is not None and param.takes(spec.entry)]
        if param is None or not owners:
            known = [p.name for p in P.all_parameters() if not p.per_learner and any(p.takes(s.entry) for s in specs)]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            elsewhere = [spec.label for spec in every or [] if param is not None and param.takes(spec.entry)]
            if elsewhere:
                hint = f" {name} belongs to lesson {', '.join(elsewhere)}, which --lessons does not include."
            raise AssignError(f"Lesson{'s' if len(specs) > 1 else ''} {lessons} take{'' if len(specs) > 1 else 's'} "
                              f"no parameter {name!r}.{hint} Their parameters: {describe(specs)}.")
        for lesson_id, value in _values(course, owners, param, text).items():
            parsed[lesson_id][name] = value
            out[lesson_id][name] = param.dump(value)
    for spec in specs:
        try:
            P.check_together(parsed[spec.entry.id], P.Context(course, spec.entry))
        except ParameterError as error:
            raise AssignError(f"--param {error.name}={error.value!r}: {error.expected}.") from None
    return out


def _values(course: Course, owners: list[LessonSpec], param: P.Parameter, text: str) -> dict[str, Any]:
    """The value read for each lesson (by id) that takes it (a value may fit one lesson and not another)."""
    values: dict[str, Any] = {}
    labels: list[str] = []
    refused: list[tuple[LessonSpec, ParameterError]] = []
    for spec in owners:
        if param.name not in spec.params:
            raise AssignError(f"The notebook {spec.path} does not declare {param.name} in its parameters cell; "
                              "run `lessonkit sync` to bring its cells up to date.")
        try:
            values[spec.entry.id] = param.read(text, P.Context(course, spec.entry))
            labels.append(spec.label)
        except ParameterError as error:
            refused.append((spec, error))
    if refused and len(refused) < len(owners):
        spec, error = refused[0]
        raise AssignError(f"--param {param.name}={text!r} does not fit lesson {spec.label}: {error.expected}. "
                          f"It fits lesson {', '.join(labels)}, so give {param.name} with one "
                          "lesson at a time.")
    if refused:
        raise AssignError(f"--param {param.name}={text!r}: {refused[0][1].expected}.")
    return values
