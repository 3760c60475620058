"""Keep each lesson notebook's generated Markdown cells equal to what ``data/`` renders.

A cell whose ``metadata.lessonkit.block`` names a block (see :mod:`lessonkit.render`)
is owned by the content: ``sync`` rewrites it, ``drift`` lists where it differs.
All other cells are left exactly as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from .content import Course
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
    for index, cell in enumerate(nb.cells):
        name = cell.get("metadata", {}).get("lessonkit", {}).get("block")
        if name:
            cells.append((index, name, block(course, lesson.id, name)))
    return nb, cells


def drift(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Drift]:
    """Every generated cell that no longer matches the content."""
    found = []
    for lesson in course.lessons():
        path = notebooks_dir / lesson.notebook
        nb, cells = _generated(course, path)
        found += [Drift(path.name, i, name) for i, name, text in cells if nb.cells[i].source != text.rstrip("\n")]
    return found


def sync(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Rewrite generated cells from the content; returns the notebooks changed."""
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
