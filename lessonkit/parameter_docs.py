"""The lesson-parameter tables in README.md and docs/teaching.md, written from the registry between two markers.

``lessonkit sync`` rewrites them and ``lessonkit sync --check`` lists a table that drifted, like a notebook cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from . import parameters as P
from .content import Course

BEGIN = "<!-- lesson parameters: written by `lessonkit sync` from lessonkit/course_parameters.py; edit them there -->"
END = "<!-- end of lesson parameters -->"
TYPE_WORDS = {str: "text", int: "whole number", float: "number", bool: "true or false"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def lessons_taking(course: Course, param: P.Parameter) -> str:
    """"all", or the numbers of the lessons that take the parameter ("00, 03")."""
    numbers = [f"{lesson.number:02d}" for lesson in course.lessons() if param.takes(lesson)]
    return "all" if len(numbers) == len(course.lessons()) else ", ".join(numbers) or "none"


def _type(param: P.Parameter) -> str:
    return f"{TYPE_WORDS.get(param.type, param.type_name)} (`{_cell(param.default_source)}`)"


def readme_table(course: Course) -> str:
    rows = ["| Parameter | Lessons | Type (default) | Meaning |", "|---|---|---|---|"]
    rows += [f"| `{p.name}` | {lessons_taking(course, p)} | {_type(p)} | {_cell(p.help)} |" for p in P.all_parameters()]
    return "\n".join(rows)


def teaching_table(course: Course) -> str:
    rows = ["| Parameter | Lessons | Type (default) | What it does | When a teacher sets it |", "|---|---|---|---|---|"]
    rows += [f"| `{p.name}` | {lessons_taking(course, p)} | {_type(p)} | {_cell(p.doc or p.help)} | {_cell(p.when)} |"
             for p in P.all_parameters()]
    return "\n".join(rows)


# Each document that carries a table, relative to the repository, and the table it carries.
TABLES: dict[str, Callable[[Course], str]] = {"README.md": readme_table, "docs/teaching.md": teaching_table}


def _replaced(text: str, table: str, where: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{where} has no lesson-parameter markers ({BEGIN} ... {END})")
    return text[:start + len(BEGIN)] + "\n" + table + "\n" + text[end:]


def _documents(course: Course, root: Path) -> Iterator[tuple[str, Path, str, str | ValueError]]:
    """Each document under ``root`` that exists: its name, path, text, and its text with the table as the
    registry has it (or the error saying its markers are missing)."""
    for name, make in TABLES.items():
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            try:
                yield name, path, text, _replaced(text, make(course), name)
            except ValueError as error:
                yield name, path, text, error


def drift(course: Course, root: Path) -> list[str]:
    """A line for each document under ``root`` whose table differs from the registry (missing documents skipped)."""
    return [str(new) if isinstance(new, ValueError)
            else f"{name}: the lesson-parameter table differs from lessonkit/course_parameters.py"
            for name, _path, text, new in _documents(course, root) if new != text]


def write(course: Course, root: Path) -> list[str]:
    """Rewrite every table under ``root`` that drifted; returns the documents changed."""
    changed = []
    for name, path, text, new in _documents(course, root):
        if isinstance(new, ValueError):
            raise new
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed
