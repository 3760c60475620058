"""Keep each lesson notebook's generated Markdown cells equal to what ``data/`` renders.

A cell whose ``metadata.lessonkit.block`` names a block (see :mod:`lessonkit.render`)
is owned by the content: ``sync`` rewrites it, ``drift`` lists where it differs. So are
the ``parameters`` and ``open-lesson`` code cells, written from :mod:`lessonkit.parameters`.
All other cells are left exactly as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from .content import Course
from .errors import LessonkitError, Problem
from .parameters import feature_problems, notebook_sources
from .render import block

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass(frozen=True)
class Drift:
    notebook: str
    cell: int
    block: str

    def __str__(self) -> str:
        return f"{self.notebook} cell {self.cell} ({self.block}) differs from what data/ renders"


def _generated(course: Course, path: Path) -> tuple[nbformat.NotebookNode, list[tuple[int, str, str]]]:
    lesson = next((item for item in course.lessons() if item.notebook == path.name), None)
    if lesson is None:
        raise KeyError(f"{path.name} is not a lesson in course.yaml")
    nb = nbformat.read(path, as_version=4)
    cells = []
    code = dict(zip(("parameters", "open-lesson"), notebook_sources(lesson)))  # from the parameter registry
    for index, cell in enumerate(nb.cells):
        name = cell.get("metadata", {}).get("lessonkit", {}).get("block")
        if name:
            cells.append((index, name, block(course, lesson.id, name)))
        elif cell.get("id") in code:
            cells.append((index, cell["id"], code[cell["id"]]))
    return nb, cells


def drift(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Drift]:
    """Every generated cell that no longer matches the content."""
    check_sync(course, notebooks_dir)
    found = []
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        nb, cells = _generated(course, path)
        found += [Drift(path.name, i, name) for i, name, text in cells if nb.cells[i].source != text.rstrip("\n")]
    return found


def sync(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Rewrite generated cells from the content; returns the notebooks changed."""
    check_sync(course, notebooks_dir)  # every problem first, so no notebook is left half updated
    changed = []
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        nb, cells = _generated(course, path)
        dirty = False
        for index, _name, text in cells:
            if nb.cells[index].source != text.rstrip("\n"):
                nb.cells[index].source = text.rstrip("\n")
                dirty = True
        if dirty:
            nbformat.write(nb, path)
            changed.append(path.name)
    return changed


def problems(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Problem]:
    """Everything ``sync`` needs that is missing: each lesson's notebook, and every block its cells name.

    A reading a cell shows is named by its file in the content folder, and the cell by its field.
    """
    found: list[Problem] = feature_problems(course)  # the features that choose each lesson's parameters
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        try:
            _nb, cells = _cells(course, path)
        except FileNotFoundError:
            found.append(Problem(str(path), "", f"is missing; course.yaml names it as lesson {lesson.id}'s notebook"))
            continue
        except (OSError, ValueError) as error:  # nbformat's read errors are ValueErrors
            found.append(Problem(str(path), "", f"cannot be read as a notebook ({error.__class__.__name__})"))
            continue
        for index, name in cells:
            field = f"cells[{index}].metadata.lessonkit.block"
            kind, _, arg = name.partition(":")
            if kind == "reading" and arg not in course.readings.get(lesson.id, {}):
                found.append(Problem(f"readings/{lesson.id}/{arg}.md", "",
                                     f"is missing; {lesson.notebook} shows it ({field}: {name!r})"))
                continue
            try:
                block(course, lesson.id, name)
            except Exception as error:  # noqa: BLE001 (any failure here is one sync would stop on)
                message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
                found.append(Problem(lesson.notebook, field, f"{name!r} cannot be rendered: {message}"))
    return found


def _cells(course: Course, path: Path) -> tuple[nbformat.NotebookNode, list[tuple[int, str]]]:
    nb = nbformat.read(path, as_version=4)
    return nb, [(index, cell.get("metadata", {}).get("lessonkit", {}).get("block"))
                for index, cell in enumerate(nb.cells) if cell.get("metadata", {}).get("lessonkit", {}).get("block")]


def check_sync(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> None:
    """Raise a LessonkitError naming the content folder and every problem if ``sync`` could not finish."""
    found = problems(course, notebooks_dir)
    if found:
        lines = [f"The lessons cannot be rendered from {course.root} into {notebooks_dir}:", *(f"  {p}" for p in found)]
        raise LessonkitError("\n".join(lines))
