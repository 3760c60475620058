"""Lesson layouts (templates and block lists) and the registry of what each block becomes in a notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit import cells, layouts
from lessonkit.content import load_course
from lessonkit.notebooks import build, problems, sections

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
        per_block = [cell for ref in layouts.blocks(lesson) for cell in cells.cells(course, lesson, ref)]
        # Every block is in the notebook once, in the layout's order: code cells as they are, Markdown blocks
        # named in the metadata of the cell that holds them.
        assert [c.id for c in made if c.cell_type == "code"] == [c.id for c in per_block if c.cell_type == "code"]
        markdown = [cell for cell in made if cell.cell_type == "markdown"]
        assert [b for cell in markdown for b in cell.metadata["lessonkit"]["blocks"]] == \
            [b for cell in per_block if cell.cell_type == "markdown" for b in cell.metadata["lessonkit"]["blocks"]]
        assert all(cell.source.strip() for cell in markdown)
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


def test_a_block_without_a_heading_continues_the_markdown_cell_before_it():
    def md(name: str, source: str) -> cells.Cell:
        return cells.Cell("markdown", name, source, {"lessonkit": {"blocks": [name]}})

    made = sections([md("reading", "## The work\n\nWords."), md("table", "| a | b |\n|---|---|"),
                     md("list", "**Signs** (2):"), cells.code("widget", "lessonkit.x(lesson)"),
                     md("after-code", "A line under the widget."), md("next", "### A new section"),
                     md("links", "<nav>links</nav>")])
    assert [(c.cell_type, c.id) for c in made] == [("markdown", "reading"), ("code", "widget"),
                                                  ("markdown", "after-code"), ("markdown", "next")]
    assert made[0].source == "## The work\n\nWords.\n\n| a | b |\n|---|---|\n\n**Signs** (2):"
    assert made[0].metadata == {"lessonkit": {"blocks": ["reading", "table", "list"]}}
    assert made[3].metadata == {"lessonkit": {"blocks": ["next", "links"]}}


def test_every_markdown_cell_of_a_lesson_after_another_opens_a_section(course):
    for lesson in course.lessons():
        made = build(course, lesson).cells
        for before, cell in zip(made, made[1:]):
            if before.cell_type == cell.cell_type == "markdown":
                assert cell.source.startswith("#"), (lesson.id, cell.id)
