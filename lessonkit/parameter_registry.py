"""How lesson parameters are registered, chosen for a lesson, read and written into a notebook's cells.

The course's own parameters are registered in :mod:`lessonkit.course_parameters`; import
:mod:`lessonkit.parameters`, which holds both. Which lessons take a parameter is data: a parameter
names *features*, and a lesson has the features its ``course.yaml`` entry lists under ``features``
(plus ``extension`` for an extension lesson). Pure: no widgets, no plotting, no IPython.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ContentError, ParameterError, Problem

if TYPE_CHECKING:
    from .content import Course
    from .schema import LessonEntry

TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "True or False"}
CELL_HEADER = ("# Parameters: a teacher can set these when assigning the lesson (papermill -p NAME VALUE).\n"
               "# Learners can leave them as they are.")


@dataclass(frozen=True)
class Context:
    """What a parser may need to know: the course (None while ``data_dir`` itself is read) and the lesson."""

    course: Course | None = None
    lesson: LessonEntry | None = None


Parser = Callable[[Any, Context], Any]


def _as_is(value: Any, ctx: Context) -> Any:
    return value


@dataclass(frozen=True)
class Parameter:
    """One lesson parameter. ``parse`` turns text (``--param``, papermill) or a value into the lesson's value;
    ``dump`` turns that back into the notebook's declared type, the value ``assign`` writes into a copy."""

    name: str
    type: type
    default: Any
    help: str  # the comment a teacher reads beside the parameter, and the docs' table
    parse: Parser = _as_is
    dump: Callable[[Any], Any] = lambda value: value
    features: tuple[str, ...] = ()  # empty: every lesson takes it; else lessons with any of these features
    per_learner: bool = False  # set from the roster for each learner, never by --param
    doc: str = ""  # what it does, for the teachers' guide (the help line when empty)
    when: str = ""  # when a teacher sets it, for the teachers' guide
    example: Callable[[Context], str] | None = None  # a valid value other than the default, as a teacher types it

    @property
    def type_name(self) -> str:
        return self.type.__name__

    @property
    def default_source(self) -> str:
        """The default as written in the notebook: "" for text, 40_000 for large whole numbers."""
        if isinstance(self.default, bool):
            return repr(self.default)
        if isinstance(self.default, int):
            return f"{self.default:_}" if abs(self.default) >= 10_000 else str(self.default)
        if isinstance(self.default, str):
            return json.dumps(self.default, ensure_ascii=False)
        return repr(self.default)

    def line(self) -> str:
        """The annotated line of the parameters cell (the form ``papermill --help-notebook`` documents)."""
        return f"{self.name}: {self.type_name} = {self.default_source}  # {self.help}"

    def takes(self, entry: LessonEntry) -> bool:
        return not self.features or bool(set(self.features) & lesson_features(entry))

    def read(self, value: Any, ctx: Context | None = None) -> Any:
        """The lesson's value from text or a value, or a ParameterError naming this parameter."""
        return self.parse(value, ctx or Context())


@dataclass(frozen=True)
class Together:
    """A check of several parameters at once (Lesson 03's tempo must fit its genre); missing ones take defaults."""

    names: tuple[str, ...]
    check: Callable[[Mapping[str, Any], Context], None]


@dataclass
class Registry:
    params: dict[str, Parameter] = field(default_factory=dict)
    together: list[Together] = field(default_factory=list)
    # Lines run after ``open_lesson`` in a lesson's open-lesson cell, each for the lessons with its feature.
    follow_ups: list[tuple[str, str]] = field(default_factory=list)


REGISTRY = Registry()


def register(param: Parameter) -> Parameter:
    """Add a parameter (it goes last in every parameters cell that takes it); a name is registered once."""
    if param.name in REGISTRY.params:
        raise ValueError(f"the lesson parameter {param.name!r} is already registered")
    REGISTRY.params[param.name] = param
    return param


def register_together(names: tuple[str, ...], check: Callable[[Mapping[str, Any], Context], None]) -> None:
    """Check several parameters at once, after each has been read (defaults stand in for those not given)."""
    REGISTRY.together.append(Together(names, check))


def register_follow_up(feature: str, line: str) -> None:
    """A line the open-lesson cell runs after ``open_lesson`` in lessons with ``feature``."""
    REGISTRY.follow_ups.append((feature, line))


def unregister(name: str) -> None:
    REGISTRY.params.pop(name, None)


def get(name: str) -> Parameter:
    return REGISTRY.params[name]


def all_parameters() -> list[Parameter]:
    return list(REGISTRY.params.values())


# ---------------------------------------------------------------- which lessons take what
# Where a lesson's features come from; each source reads the lesson's data, never its id.
FEATURE_SOURCES: list[Callable[[Any], Iterable[str]]] = [
    lambda entry: getattr(entry, "features", None) or (),
    lambda entry: ("extension",) if getattr(entry, "extension", None) is not None else (),
]


def lesson_features(entry: LessonEntry) -> set[str]:
    return {feature for source in FEATURE_SOURCES for feature in source(entry)}


def known_features() -> set[str]:
    """Every feature some parameter or follow-up line belongs to: what ``features`` in course.yaml may name."""
    return ({f for p in REGISTRY.params.values() for f in p.features}
            | {feature for feature, _ in REGISTRY.follow_ups})


def feature_problems(course: Course) -> list[Problem]:
    """A problem for each feature in course.yaml that no parameter goes with (a typo would drop parameters)."""
    known = known_features()
    return [Problem("course.yaml", f"lesson {entry.id}: features",
                    f"{name!r} is not a feature that takes parameters; expected one of {', '.join(sorted(known))}")
            for entry in course.lessons() for name in getattr(entry, "features", None) or () if name not in known]


def check_features(course: Course) -> None:
    """A ContentError listing every unknown feature, so a lesson never opens with parameters silently missing."""
    found = feature_problems(course)
    if found:
        raise ContentError(found)


def for_lesson(entry: LessonEntry) -> list[Parameter]:
    """The parameters a lesson takes, in registry order (the order of its parameters cell)."""
    return [param for param in REGISTRY.params.values() if param.takes(entry)]


def names_for(entry: LessonEntry) -> str:
    return ", ".join(param.name for param in for_lesson(entry))


# ---------------------------------------------------------------- parsing a lesson's parameters
class UnknownParameter(ParameterError):
    """A name the lesson does not take: the message lists the ones it does."""

    def __init__(self, name: str, value: object, message: str):
        super().__init__(name, value, message)
        self.args = (message,)

    def __str__(self) -> str:
        return str(self.args[0])


def unknown_message(entry: LessonEntry, name: str, course: Course | None = None) -> str:
    import difflib

    valid = [p.name for p in for_lesson(entry)]
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    if name in REGISTRY.params:
        owners = [f"{e.number:02d}" for e in course.lessons() if REGISTRY.params[name].takes(e)] if course else []
        hint = f" {name} belongs to lesson {', '.join(owners)}." if owners else f" {name} belongs to other lessons."
    return (f"Lesson {entry.number:02d} ({entry.id}) takes no parameter {name!r}.{hint} "
            f"Its parameters: {', '.join(valid)}.")


def parse_for_lesson(values: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Every given value parsed by its parameter, then the checks of several at once; a ParameterError for the
    first bad value, or an UnknownParameter for a name this lesson does not take."""
    assert ctx.lesson is not None
    taken = {p.name: p for p in for_lesson(ctx.lesson)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in taken:
            raise UnknownParameter(name, value, unknown_message(ctx.lesson, name, ctx.course))
        out[name] = taken[name].read(value, ctx)
    check_together(out, ctx)
    return out


def check_together(parsed: Mapping[str, Any], ctx: Context) -> None:
    assert ctx.lesson is not None
    taken = {p.name: p for p in for_lesson(ctx.lesson)}
    for group in REGISTRY.together:
        if all(n in taken for n in group.names) and any(n in parsed for n in group.names):
            given = {n: parsed[n] if n in parsed else taken[n].read(taken[n].default, ctx) for n in group.names}
            group.check(given, ctx)


# ---------------------------------------------------------------- the notebook's cells
def parameters_cell(entry: LessonEntry) -> str:
    return "\n".join([CELL_HEADER, *(param.line() for param in for_lesson(entry))])


def open_lesson_cell(entry: LessonEntry) -> str:
    args = "".join(f", {p.name}={p.name}" for p in for_lesson(entry))
    features = lesson_features(entry)
    after = [line for feature, line in REGISTRY.follow_ups if feature in features]
    return "\n".join(["import lessonkit", "", f"lesson = lessonkit.open_lesson({json.dumps(entry.id)}{args})",
                      *after, "lesson"])


def notebook_sources(entry: LessonEntry) -> tuple[str, str]:
    """A lesson's ``parameters`` cell and open-lesson cell, as written into its notebook."""
    return parameters_cell(entry), open_lesson_cell(entry)


# ---------------------------------------------------------------- parsers
def as_text(name: str, value: Any) -> str:
    """Text given for ``name``, stripped; None is ""."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ParameterError(name, value, "expected text (write it in quotes)")
    return str(value).strip()


def plain_text(name: str) -> Parser:
    return lambda value, ctx: as_text(name, value)


def parse_due(value: Any, ctx: Context | None = None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError("due_date", value, "expected a date written YYYY-MM-DD, such as 2026-12-01, "
                                                "or an empty string for no due date") from None


TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1", "on"), ("false", "no", "0", "off", "")


def truth(name: str, expected: str) -> Parser:
    """True or False from a bool or the words a teacher may type (yes/no, on/off, 1/0, true/false)."""

    def read(value: Any, ctx: Context) -> bool:
        if isinstance(value, bool):
            return value
        words = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if words in TRUE_WORDS:
            return True
        if words in FALSE_WORDS:
            return False
        raise ParameterError(name, value, expected)

    return read


def whole_number(name: str, low: int, high: int, expected: str) -> Parser:
    def read(value: Any, ctx: Context) -> int:
        number = value
        if isinstance(value, str):
            try:
                number = int(value.strip().replace("_", ""))
            except ValueError:
                raise ParameterError(name, value, expected) from None
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            raise ParameterError(name, value, expected)
        return number

    return read


def split_ids(value: object) -> list[str]:
    """Ids written "a, b," (or given as a list): stripped, blanks dropped, each kept once, in order."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return list(dict.fromkeys(str(part).strip() for part in parts if str(part).strip()))

def find_lesson(course: Course, text_: str) -> LessonEntry | None:
    """The lesson a teacher means by ``01``, ``1`` or ``01-music-producer`` (None if there is none)."""
    wanted = text_.strip().lower()
    for lesson in course.lessons():
        if wanted in (lesson.id, f"{lesson.number:02d}", str(lesson.number), lesson.notebook.lower()):
            return lesson
    return None


def lesson_names(course: Course) -> str:
    return ", ".join(f"{lesson.number:02d} ({lesson.id})" for lesson in course.lessons())
