"""The first call in every lesson: check the parameters and content, then greet the learner.

``open_lesson`` fails fast with a message that names the bad value and lists
the valid ones. Inside IPython that message is shown on its own, without a
Python traceback, and the cell still counts as failed (so papermill and nbval stop).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

from .content import Course, load_course
from .errors import LessonkitError, ParameterError
from .schema import LessonEntry


@dataclass(frozen=True)
class Lesson:
    course: Course
    entry: LessonEntry
    due: dt.date | None = None
    start_with: LessonEntry | None = None
    widgets: list[Any] = field(default_factory=list, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.entry.id

    def attach(self, widget: Any) -> Any:
        """Register a lesson widget (a ``LessonWidget``) so the lesson can save and restore its state; returns it."""
        self.widgets.append(widget)
        return widget

    def summary(self) -> str:
        """One plain sentence about the lesson: shown as text and read by screen readers."""
        due = f" Due {self.due:%A %d %B %Y}." if self.due else ""
        start = f" Begin with Lesson {self.start_with.number:02d} · {self.start_with.title}." if self.start_with else ""
        return (f"Lesson {self.entry.number:02d} · {self.entry.title} is ready: about {self.entry.minutes} minutes,"
                f" built from {_count(len(self.entry.based_on), 'source document')}.{due}{start}")

    def _repr_html_(self) -> str:
        text = html.escape(self.summary())
        if self.start_with:
            link = f'<a href="{html.escape(self.start_with.notebook)}" style="color: var(--jp-content-link-color, inherit)">open it</a>'
            text += f" ({link})"
        # Theme variables keep the line readable in light and dark themes alike.
        style = ("border-left: 4px solid var(--jp-success-color1, #2e7d32); padding: 0.5em 0.8em; "
                 "color: var(--jp-content-font-color1, inherit); background: var(--jp-layout-color2, transparent)")
        return f'<div role="status" style="{style}"><strong>✅ Ready.</strong> {text}</div>'

    def __repr__(self) -> str:
        return self.summary()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def parse_due(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError("due_date", value, "expected a date written YYYY-MM-DD, such as 2026-12-01, "
                                               "or an empty string for no due date") from None


def open_lesson(lesson_id: str, *, data_dir: str = "", due_date: str = "", start_with: str = "") -> Lesson:
    """Load and check the course content and the lesson's parameters, then return the lesson.

    The lesson displays as one short status line. ``start_with`` (start page only)
    names the lesson learners should begin with.
    """
    install_friendly_errors()
    course = load_course(data_dir or None)
    entry = course.lesson(lesson_id)
    first = check_lesson_id(course, "start_with", start_with) if start_with else None
    return Lesson(course, entry, parse_due(due_date), first)


def check_lesson_id(course: Course, name: str, value: str) -> LessonEntry:
    """A lesson id given as a parameter, or a ParameterError that lists the valid ones."""
    try:
        return course.lesson(value)
    except ParameterError as error:
        raise ParameterError(name, value, error.expected) from None


# ---------------------------------------------------------------- no tracebacks for learners
def _show_friendly(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 (IPython's signature)
    lines = str(value).splitlines() or [etype.__name__]
    stb = ["\x1b[1;31m⚠ This lesson cannot go on yet.\x1b[0m", *lines,
           "Nothing you wrote was lost. Fix the value above and run the cell again."]
    # IPython ignores what a custom handler returns; publishing is the handler's job.
    # The cell still ends in error, so papermill and nbval stop here.
    shell._showtraceback(etype, value, stb)
    return stb


def install_friendly_errors() -> None:
    """Show LessonkitError messages without a traceback in this IPython session (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and LessonkitError not in getattr(shell, "custom_exceptions", ()):
        shell.set_custom_exc((LessonkitError,), _show_friendly)
