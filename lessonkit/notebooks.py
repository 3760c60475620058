"""Write each lesson's whole notebook from ``data/``, and say where a notebook has drifted from it.

A lesson's notebook is its layout (:mod:`lessonkit.layouts`) with every block made into its
cell(s) (:mod:`lessonkit.cells`): Markdown and code cells alike, each with a stable id, no
outputs, and the metadata every lesson carries. ``sync`` writes a notebook that differs (or is
missing); ``drift`` names the notebook and the cell of every difference; ``problems`` lists
everything that would stop ``sync``, for ``lessonkit check``.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from . import layouts
from .cells import Cell, cells
from .content import Course
from .errors import LessonkitError, Problem
from .parameters import feature_problems
from .schema import LessonEntry

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK_METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class Drift:
    """One difference between a notebook and what ``data/`` makes of it."""

    notebook: str
    cell: str  # the cell's id; "" for the notebook as a whole
    what: str

    def __str__(self) -> str:
        return f"{self.notebook} cell '{self.cell}': {self.what}" if self.cell else f"{self.notebook}: {self.what}"


# ---------------------------------------------------------------- making a notebook
SECTION_START = re.compile(r"#{1,6}\s")  # a Markdown heading on the block's first line


def lesson_cells(course: Course, lesson: LessonEntry) -> list[Cell]:
    """Every cell of the lesson's notebook, in order: one Markdown cell per section (see :func:`sections`)."""
    return sections([cell for ref in layouts.blocks(lesson) for cell in cells(course, lesson, ref)])


def sections(made: list[Cell]) -> list[Cell]:
    """The cells with every Markdown block that opens without a heading joined to the Markdown cell before it.

    A panel such as the work-split table, the signals list or the course-map links continues the reading
    above it, so it shares that reading's cell (and its heading's fold in JupyterLab) instead of being a cell
    of its own. A block that opens with a heading, or follows a code cell, starts a cell. Fewer cells cost
    every runner less: papermill writes the whole notebook before and after every cell, Markdown ones too.
    """
    joined: list[Cell] = []
    for cell in made:
        before = joined[-1] if joined else None
        if (cell.cell_type == "markdown" and before is not None and before.cell_type == "markdown"
                and not SECTION_START.match(cell.source)):
            blocks = before.metadata["lessonkit"]["blocks"] + cell.metadata["lessonkit"]["blocks"]
            joined[-1] = Cell("markdown", before.id, f"{before.source}\n\n{cell.source}", {"lessonkit": {"blocks": blocks}})
        else:
            joined.append(cell)
    return joined


def build(course: Course, lesson: LessonEntry) -> nbformat.NotebookNode:
    """The lesson's notebook as ``sync`` writes it."""
    nb = nbformat.v4.new_notebook(metadata=NOTEBOOK_METADATA)
    for cell in lesson_cells(course, lesson):
        new = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(new(cell.source, id=cell.id, metadata=cell.metadata))
    return nb


def text(course: Course, lesson: LessonEntry) -> str:
    """The notebook file's exact text, as JupyterLab would save it."""
    return nbformat.writes(build(course, lesson)) + "\n"


# ---------------------------------------------------------------- sync and drift
def sync(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Write every lesson notebook that differs from the content, or is missing; returns their names."""
    check_sync(course)  # every problem first, so no notebook is left half updated
    changed = []
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        wanted = text(course, lesson)
        if _read(path) != wanted:
            _write(path, wanted)
            changed.append(path.name)
    return changed


def drift(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Drift]:
    """Every difference between the lesson notebooks and the content, by notebook and cell."""
    check_sync(course)
    found: list[Drift] = []
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        actual = _read(path)
        if actual is None:
            found.append(Drift(path.name, "", "is missing; `lessonkit sync` writes it"))
        elif actual != text(course, lesson):
            found += _differences(path.name, actual, build(course, lesson))
    return found


def _differences(name: str, actual_text: str, wanted: nbformat.NotebookNode) -> list[Drift]:
    try:
        actual = nbformat.reads(actual_text, as_version=4)
    except Exception as error:  # noqa: BLE001 (nbformat raises several kinds for a broken file)
        return [Drift(name, "", f"cannot be read as a notebook ({error.__class__.__name__}); `lessonkit sync` rewrites it")]
    have = {cell.get("id", ""): cell for cell in actual.cells}
    want_ids = [cell.id for cell in wanted.cells]
    found = []
    for cell in wanted.cells:
        if cell.id not in have:
            found.append(Drift(name, cell.id, "is missing"))
        else:
            found += [Drift(name, cell.id, what) for what in _cell_differences(have[cell.id], cell)]
    found += [Drift(name, cell_id, "is not in the lesson's layout (an extra cell)") for cell_id in have
              if cell_id not in want_ids]
    if not found:
        order = [cell_id for cell_id in have if cell_id in want_ids]
        moved = next((a for a, b in zip(order, want_ids) if a != b), None)
        found.append(Drift(name, moved, "is out of order") if moved else
                     Drift(name, "", "its notebook metadata or formatting differs from what `lessonkit sync` writes"))
    return found


def _cell_differences(have: nbformat.NotebookNode, want: nbformat.NotebookNode) -> list[str]:
    if have.cell_type != want.cell_type:
        return [f"is a {have.cell_type} cell; the layout makes it a {want.cell_type} cell"]
    block = ", ".join(want.metadata.get("lessonkit", {}).get("blocks", []))
    found = []
    if have.source != want.source:
        found.append(f"differs from what data/ renders ({block})" if block else "its code differs from the layout's")
    if have.metadata != want.metadata:
        found.append("its metadata differs from what `lessonkit sync` writes")
    if have.cell_type == "code" and (have.get("outputs") or have.get("execution_count") is not None):
        found.append("holds outputs; lessons are stored without them")
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _write(path: Path, content: str) -> None:
    """Replace the file in one step, so a notebook is never left half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- what sync needs
def problems(course: Course, notebooks_dir: Path | None = None) -> list[Problem]:
    """Everything that would stop ``sync``: each lesson's layout, every block it names, and its cells' names.

    A reading a lesson shows is named by its file in the content folder; anything else by the
    lesson's place in course.yaml. (``notebooks_dir`` is accepted for callers that pass it: a
    missing notebook is not a problem, ``sync`` writes it.)
    """
    found: list[Problem] = feature_problems(course)  # the features that choose each lesson's parameters
    for lesson in course.lessons():
        found += _lesson_problems(course, lesson)
    return found


def _lesson_problems(course: Course, lesson: LessonEntry) -> list[Problem]:
    where = _where(course, lesson)
    try:
        refs = layouts.blocks(lesson)
    except LessonkitError as error:
        return [Problem("course.yaml", f"{where}.template", str(error))]
    origin = f"template {lesson.template}" if lesson.template else "blocks"
    found: list[Problem] = []
    made: list[Cell] = []
    for index, ref in enumerate(refs):
        field = f"{where}.blocks.{index}" if lesson.blocks is not None else f"{where}.template"
        if ref.kind == "reading" and ref.arg not in course.readings.get(lesson.id, {}):
            found.append(Problem(f"readings/{lesson.id}/{ref.arg}.md", "",
                                 f"is missing; lesson {lesson.id} shows it ({origin}: '{ref.name}')"))
            continue
        try:
            made += cells(course, lesson, ref)
        except LessonkitError as error:
            found.append(Problem("course.yaml", field, f"'{ref.name}' cannot be made: {error}"))
        except Exception as error:  # noqa: BLE001 (any failure here is one sync would stop on)
            message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
            found.append(Problem("course.yaml", field, f"'{ref.name}' ({origin}) cannot be made: {message}"))
    seen: set[str] = set()
    for cell in made:
        if cell.id in seen:
            found.append(Problem("course.yaml", where, f"two cells of {lesson.notebook} would have the id "
                                                       f"'{cell.id}'; give one of them its own id"))
        seen.add(cell.id)
    if not found:
        found += _undefined_names(lesson, made, where)
    return found


def _undefined_names(lesson: LessonEntry, made: list[Cell], where: str) -> list[Problem]:
    """A code cell that uses a name no cell before it defines would stop the lesson with a NameError."""
    defined = set(dir(builtins))
    found = []
    for cell in made:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        stores = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        stores |= {alias.asname or alias.name.split(".")[0] for n in ast.walk(tree)
                   if isinstance(n, (ast.Import, ast.ImportFrom)) for alias in n.names}
        loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        for name in sorted(loads - defined - stores):
            found.append(Problem("course.yaml", where, f"cell '{cell.id}' of {lesson.notebook} uses '{name}', "
                                                       "which no cell before it defines; if it is a parameter, "
                                                       "give the lesson the feature that takes it (features: in "
                                                       "course.yaml)"))
        defined |= stores
    return found


def _where(course: Course, lesson: LessonEntry) -> str:
    for ti, track in enumerate(course.map.tracks):
        for mi, module in enumerate(track.modules):
            for li, entry in enumerate(module.lessons):
                if entry.id == lesson.id:
                    return f"tracks.{ti}.modules.{mi}.lessons.{li}"
    return lesson.id


def check_sync(course: Course, notebooks_dir: Path | None = None) -> None:
    """Raise a LessonkitError naming the content folder and every problem if ``sync`` could not finish."""
    found = problems(course)
    if found:
        lines = [f"The lessons cannot be made from {course.root}:", *(f"  {p}" for p in found)]
        raise LessonkitError("\n".join(lines))
