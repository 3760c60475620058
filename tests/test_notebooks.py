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
        (lesson.id, cell.metadata["lessonkit"]["block"].partition(":")[2])
        for lesson in course.lessons()
        for cell in nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4).cells
        if cell.metadata.get("lessonkit", {}).get("block", "").startswith("reading:")
    }
    files = {(p.parent.name, p.stem) for p in (DATA / "readings").rglob("*.md")}
    assert files == used


def test_drift_is_detected_and_sync_repairs_it(data_copy: Path, notebooks_copy: Path):
    from lessonkit.content import load_course

    edit(data_copy / "readings" / "01-music-producer" / "where-its-going.md", "## Where it's going", "## Where it is heading")
    changed = load_course(data_copy)
    (found,) = drift(changed, notebooks_copy)
    assert (found.notebook, found.block) == ("01-music-producer.ipynb", "reading:where-its-going")
    assert sync(changed, notebooks_copy) == ["01-music-producer.ipynb"]
    assert drift(changed, notebooks_copy) == []
    nb = nbformat.read(notebooks_copy / "01-music-producer.ipynb", as_version=4)
    assert any(c.source.startswith("## Where it is heading") for c in nb.cells)
