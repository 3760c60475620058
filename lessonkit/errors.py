"""The errors lessonkit raises: each carries a message written for a learner or teacher."""

from __future__ import annotations

from dataclasses import dataclass


class LessonkitError(Exception):
    """Base class: its message is complete and is shown instead of a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the course content, with where it is."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(LessonkitError):
    """The course content has problems; every one is listed, one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"The course content has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ParameterError(LessonkitError):
    """A lesson parameter has a value the lesson cannot use."""

    def __init__(self, name: str, value: object, expected: str):
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"The parameter {name} = {value!r} cannot be used: {expected}")
