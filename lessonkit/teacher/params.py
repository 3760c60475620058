"""Which lessons a teacher means, what parameters each lesson takes, and values checked for them.

A lesson's parameters are read from its notebook's ``parameters`` cell by papermill
(:func:`papermill.inspect_notebook`): names, declared types, defaults and the comments that
explain them. A ``--param NAME=VALUE`` is turned into the declared type, then checked by the
same function the lesson itself uses (when there is one), so a bad value is caught when the
lessons are handed out, not later in every learner's notebook.
"""

from __future__ import annotations

import ast
import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import Course
from ..errors import LessonkitError, ParameterError
from ..schema import LessonEntry

PER_LEARNER = "learner_id"  # set from the roster for each learner, never by --param
TYPE_WORDS = {"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false"}


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
def lesson_names(course: Course) -> str:
    return ", ".join(f"{lesson.number:02d} ({lesson.id})" for lesson in course.lessons())


def find_lesson(course: Course, text: str) -> LessonEntry | None:
    """The lesson a teacher means by ``01``, ``1`` or ``01-music-producer`` (None if there is none)."""
    wanted = text.strip().lower()
    for lesson in course.lessons():
        if wanted in (lesson.id, f"{lesson.number:02d}", str(lesson.number), lesson.notebook.lower()):
            return lesson
    return None


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
def _as_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return True
    if lowered in ("false", "no", "0", "off"):
        return False
    raise ValueError(text)


CONVERT: dict[str, Callable[[str], Any]] = {"str": str, "int": lambda t: int(t.strip()), "float": float,
                                            "bool": _as_bool, "None": str}


def _check_due(course: Course, value: str) -> str:
    from ..lesson import parse_due

    parse_due(value)
    return value.strip()


def _check_week_hours(course: Course, value: str) -> int:
    from ..models.timesplit import check_week_hours

    try:
        number: object = int(value.strip())
    except ValueError:
        number = value
    return check_week_hours(number)


def _check_target_income(course: Course, value: str) -> int:
    from ..models.salary import check_target_income

    return check_target_income(value)


def _check_open_extensions(course: Course, value: str) -> bool:
    from ..lesson import parse_open_extensions

    return parse_open_extensions(value)


def _check_start_with(course: Course, value: str) -> str:
    lesson = find_lesson(course, value)
    if lesson is None:
        raise ParameterError("start_with", value, f"there is no such lesson. Valid lessons: {lesson_names(course)}")
    return lesson.id


# The lessons' own checks, by parameter name; each returns the value in the lesson's type.
CHECKS: dict[str, Callable[[Course, str], Any]] = {
    "due_date": _check_due,
    "week_hours": _check_week_hours,
    "target_income": _check_target_income,
    "start_with": _check_start_with,
    "open_extensions": _check_open_extensions,
}


def _check_required_prompts(course: Course, lesson_id: str, value: str) -> str:
    from ..lesson import parse_required_prompts

    return ",".join(parse_required_prompts(course, lesson_id, value))


# Checks that depend on the lesson (each lesson has its own prompt ids): each lesson that takes the
# parameter is checked on its own, and gets its own value.
LESSON_CHECKS: dict[str, Callable[[Course, str, str], Any]] = {
    "required_prompts": _check_required_prompts,
}


def describe(specs: list[LessonSpec]) -> str:
    """Every parameter the chosen lessons take, with its type and the lessons that take it."""
    names: dict[str, list[LessonSpec]] = {}
    for spec in specs:
        for name in spec.params:
            names.setdefault(name, []).append(spec)
    parts = []
    for name, owners in names.items():
        if name == PER_LEARNER:
            continue
        kind = TYPE_WORDS.get(owners[0].params[name].type, "text")
        where = "" if len(owners) == len(specs) else f", lesson {', '.join(o.label for o in owners)} only"
        parts.append(f"{name} ({kind}{where})")
    return ", ".join(parts) or "none"


def parse_params(course: Course, specs: list[LessonSpec], pairs: list[str],
                 every: list[LessonSpec] | None = None) -> dict[str, dict[str, Any]]:
    """``NAME=VALUE`` pairs as typed, checked values, per lesson id (only the parameters each lesson declares).

    ``every`` (all the course's lessons) lets a parameter of a lesson that was not chosen be named as such.
    """
    lessons = ", ".join(spec.label for spec in specs)
    values: dict[str, Any] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise AssignError(f"--param {pair!r} is not NAME=VALUE (for example --param due_date=2026-12-01).")
        if name == PER_LEARNER:
            raise AssignError(f"{PER_LEARNER} is set for each learner from the roster; it cannot be given with --param.")
        owners = [spec for spec in specs if name in spec.params]
        if not owners:
            known = [n for spec in specs for n in spec.params if n != PER_LEARNER]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            elsewhere = [spec.label for spec in every or [] if name in spec.params]
            if elsewhere:
                hint = f" {name} belongs to lesson {', '.join(elsewhere)}, which --lessons does not include."
            raise AssignError(f"Lesson{'s' if len(specs) > 1 else ''} {lessons} take{'' if len(specs) > 1 else 's'} "
                              f"no parameter {name!r}.{hint} Their parameters: {describe(specs)}.")
        if name in LESSON_CHECKS:
            values[name] = {spec.entry.id: _lesson_value(course, spec, name, text) for spec in owners}
        else:
            values[name] = _value(course, owners[0].params[name], text)
    out = {spec.entry.id: {n: v[spec.entry.id] if n in LESSON_CHECKS else v for n, v in values.items()
                           if n in spec.params} for spec in specs}
    for spec in specs:
        _check_track(course, spec, out[spec.entry.id])
    return out


def _default(param: Param) -> Any:
    try:
        return ast.literal_eval(param.default)
    except (ValueError, SyntaxError):
        return param.default


def _check_track(course: Course, spec: LessonSpec, values: dict[str, Any]) -> None:
    """Lesson 03's first-version settings depend on each other (a tempo within the genre's range): check them
    together, with the lesson's own defaults for those not given."""
    names = [n for n in ("mood", "genre", "tempo", "seed") if n in spec.params]
    if not any(n in values for n in names) or getattr(course, "track", None) is None:
        return
    from ..track.settings import check_settings

    given = {n: values[n] if n in values else _default(spec.params[n]) for n in names}
    try:
        check_settings(course.track, **given)
    except ParameterError as error:
        raise AssignError(f"--param {error.name}={error.value!r}: {error.expected}.") from None


def _lesson_value(course: Course, spec: LessonSpec, name: str, text: str) -> Any:
    try:
        return LESSON_CHECKS[name](course, spec.entry.id, text)
    except ParameterError as error:
        raise AssignError(f"--param {name}={text!r} does not fit lesson {spec.label}: {error.expected}. Prompt ids "
                          f"differ from lesson to lesson, so give {name} with one lesson at a time.") from None


def _value(course: Course, param: Param, text: str) -> Any:
    check = CHECKS.get(param.name)
    try:
        if check is not None:
            value = check(course, text)
        else:
            value = CONVERT.get(param.type, str)(text)
    except ParameterError as error:
        raise AssignError(f"--param {param.name}={text!r}: {error.expected}.") from None
    except ValueError:
        raise AssignError(f"--param {param.name}={text!r}: {param.name} takes "
                          f"{TYPE_WORDS.get(param.type, 'text')} ({param.help or 'see docs/teaching.md'}).") from None
    return value
