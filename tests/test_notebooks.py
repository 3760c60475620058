"""The lesson notebooks: readable on open, thin, documented parameters, and in step with data/."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from papermill.inspection import inspect_notebook

from lessonkit.notebooks import drift, sync

from .conftest import DATA, NOTEBOOKS, edit

LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_every_lesson_in_the_course_map_has_its_notebook(course):
    assert sorted(lesson.notebook for lesson in course.lessons()) == [p.name for p in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_readings_are_visible_before_anything_runs(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# Lesson")
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) >= 5 and all(c.source.strip() for c in markdown)
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_first_code_cell_is_documented_parameters(path: Path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    params = inspect_notebook(str(path))
    assert {"data_dir", "due_date"} <= set(params)
    for name, info in params.items():
        assert info["inferred_type_name"] not in ("None", ""), f"{name} has no type"
        assert info["help"], f"{name} has no comment explaining it"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_code_cells_are_thin_and_folded_away(path: Path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defs, "notebooks define no functions; that logic belongs in lessonkit"
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        assert len(calls) <= 2


def test_generated_cells_match_data(course):
    assert drift(course) == []


def test_every_reading_file_is_used_by_its_lesson(course):
    used = {
        (lesson.id, block.partition(":")[2])
        for lesson in course.lessons()
        for cell in nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4).cells
        for block in cell.metadata.get("lessonkit", {}).get("blocks", [])
        if block.startswith("reading:")
    }
    files = {(p.parent.name, p.stem) for p in (DATA / "readings").rglob("*.md")}
    assert files == used


def test_drift_is_detected_and_sync_repairs_it(data_copy: Path, notebooks_copy: Path):
    from lessonkit.content import load_course

    edit(data_copy / "readings" / "01-music-producer" / "where-its-going.md", "## Where it's going", "## Where it is heading")
    changed = load_course(data_copy)
    (found,) = drift(changed, notebooks_copy)
    assert (found.notebook, found.cell) == ("01-music-producer.ipynb", "reading-where-its-going")
    assert "reading:where-its-going" in str(found)
    assert sync(changed, notebooks_copy) == ["01-music-producer.ipynb"]
    assert drift(changed, notebooks_copy) == []
    nb = nbformat.read(notebooks_copy / "01-music-producer.ipynb", as_version=4)
    assert any(c.source.startswith("## Where it is heading") for c in nb.cells)


def test_drift_names_every_code_cell_that_is_missing_extra_changed_or_run(course, notebooks_copy: Path):
    """Code cells are generated too: a hand edit, a deleted or added cell, or saved outputs are all drift."""
    path = notebooks_copy / "01-music-producer.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    edited, removed, run = code[-1], code[-2], code[-3]
    edited.source += "\nprint('hand edit')"
    nb.cells.remove(removed)
    run.outputs = [nbformat.v4.new_output("stream", text="stale")]
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1", id="stray"))
    nbformat.write(nb, path)
    found = {(d.notebook, d.cell): d.what for d in drift(course, notebooks_copy)}
    assert found == {
        (path.name, edited.id): "its code differs from the layout's",
        (path.name, removed.id): "is missing",
        (path.name, run.id): "holds outputs; lessons are stored without them",
        (path.name, "stray"): "is not in the lesson's layout (an extra cell)",
    }
    assert sync(course, notebooks_copy) == [path.name]
    assert path.read_bytes() == (NOTEBOOKS / path.name).read_bytes()


def test_cells_in_another_order_are_drift(course, notebooks_copy: Path):
    path = notebooks_copy / "02-can-you-make-a-living.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3], nb.cells[4] = nb.cells[4], nb.cells[3]
    nbformat.write(nb, path)
    (found,) = drift(course, notebooks_copy)
    assert (found.cell, found.what) == (nb.cells[3].id, "is out of order")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_finishes_with_its_finish_widget(path: Path):
    """The finish block makes the finish reading and the widget together, so no lesson ships one without the other."""
    ids = [cell.id for cell in nbformat.read(path, as_version=4).cells]
    assert "finish-lesson" in ids and ids.index("finish-lesson") == ids.index("finish") + 1
