"""Lesson layouts (templates and block lists) and the registry of what each block becomes in a notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit import cells, layouts
from lessonkit.content import load_course
from lessonkit.notebooks import build, problems

from .conftest import edit
from .test_cli import cli


@pytest.mark.parametrize("name", layouts.templates())
def test_every_template_loads_and_names_only_known_blocks(name: str):
    refs = layouts.refs(layouts.template(name).blocks)
    assert refs and all(ref.kind in cells.known() for ref in refs)
    widgets = [ref.arg for ref in refs if ref.kind == "widget"]
    assert set(widgets) <= set(cells.WIDGETS)


def test_every_lesson_is_made_from_its_layout_block_by_block(course):
    for lesson in course.lessons():
        made = build(course, lesson).cells
        expected = [cell.id for ref in layouts.blocks(lesson) for cell in cells.cells(course, lesson, ref)]
        assert [cell.id for cell in made] == expected
        markdown = [cell for cell in made if cell.cell_type == "markdown"]
        assert all(cell.metadata["lessonkit"]["block"] for cell in markdown)
        code = [cell for cell in made if cell.cell_type == "code"]
        assert code[0].id == "parameters" and "parameters" in code[0].metadata["tags"]
        assert all(cell.metadata["jupyter"]["source_hidden"] is True for cell in code)


def test_a_cell_id_given_in_the_layout_replaces_the_default(course):
    lesson = next(lesson for lesson in course.lessons() if lesson.template == "career-card")
    item = next(item for item in layouts.template("career-card").blocks if not isinstance(item, str))
    (ref,) = layouts.refs([item])
    (cell,) = cells.cells(course, lesson, ref)
    assert cell.id == item.id != ref.arg and cell.source == f'lessonkit.prompt(lesson, "{ref.arg}")'


def _problems(data: Path) -> list[str]:
    return [str(p) for p in problems(load_course(data))]


def test_an_unknown_template_is_named_with_the_known_ones(data_copy: Path):
    edit(data_copy / "course.yaml", "template: career-card", "template: carer-card")
    (line,) = _problems(data_copy)
    assert line.startswith("course.yaml: tracks.0.modules.0.lessons.1.template: 'carer-card' is not a lesson template")
    assert all(name in line for name in layouts.templates())


def test_blocks_a_lesson_lists_itself_are_checked_by_field(data_copy: Path):
    edit(data_copy / "course.yaml", "template: start",
         "blocks: [header, parameters, open-lesson, widget:nothing, prompt:nobody, reading:welcome, finish, nav]")
    found = _problems(data_copy)
    assert any(p.startswith("course.yaml: tracks.0.modules.0.lessons.0.blocks.3: 'widget:nothing'")
               and "unknown widget 'nothing'" in p for p in found)
    assert any(p.startswith("course.yaml: tracks.0.modules.0.lessons.0.blocks.4: 'prompt:nobody'")
               and "no prompt 'nobody'" in p for p in found)
    checked = cli("check", str(data_copy))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr + checked.stdout


def test_a_widget_whose_parameter_the_lesson_does_not_take_is_caught_before_it_runs(data_copy: Path):
    edit(data_copy / "course.yaml", "features: [work-split, pay]", "features: [pay]")
    found = _problems(data_copy)
    assert found and all("01-music-producer.ipynb uses 'week_hours'" in p for p in found)


def test_a_lesson_needs_a_template_or_blocks_but_not_both(data_copy: Path):
    edit(data_copy / "course.yaml", "            template: start\n", "")
    checked = cli("check", str(data_copy))
    assert checked.returncode == 1 and "either a template" in checked.stdout


def test_two_cells_with_one_id_are_refused(data_copy: Path):
    edit(data_copy / "course.yaml", "template: start",
         "blocks: [header, parameters, open-lesson, reading:welcome, {block: 'reading:how-to-work', id: header}, "
         "reading:honest-numbers, course-map, finish, sources, nav]")
    (line,) = _problems(data_copy)
    assert "would have the id 'header'" in line
