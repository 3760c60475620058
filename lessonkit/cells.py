"""What each block of a lesson's layout becomes in its notebook: one registry of block kinds.

A block is named ``kind`` or ``kind:argument`` (see :mod:`lessonkit.layouts`). Every kind is
registered here once and makes its cell(s): the readings and panels are Markdown cells from
:mod:`lessonkit.render`; ``parameters`` and ``open-lesson`` come from the lesson's parameters
(:mod:`lessonkit.parameters`); ``widget:<name>`` and ``prompt:<id>`` are one thin call each;
``finish`` is the finish reading and the finish widget together, so no lesson can have one
without the other. Code cells are folded away for learners, as every lesson's are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from . import parameters, render
from .layouts import BlockRef

if TYPE_CHECKING:
    from .content import Course
    from .schema import LessonEntry

FOLDED: dict[str, Any] = {"jupyter": {"source_hidden": True}}


@dataclass(frozen=True)
class Cell:
    """One notebook cell, as the content makes it."""

    cell_type: Literal["markdown", "code"]
    id: str
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Widget:
    """A widget a lesson can show: the call that draws it, and the cell id lessons give it."""

    cell_id: str
    source: str


#: Every widget a layout may name as ``widget:<name>``. The calls use the names the lesson's
#: parameters cell and open-lesson cell define (``lesson``, ``week_hours``...); ``lessonkit check``
#: fails a layout whose cell uses a name no cell before it defines.
WIDGETS: dict[str, Widget] = {
    "course-progress": Widget("course-progress", "lessonkit.course_progress(lesson)"),
    "work-split": Widget("work-split-explorer", "lessonkit.work_split(lesson, week_hours=week_hours)"),
    "ideal-week": Widget("ideal-week", "lessonkit.ideal_week(lesson, week_hours=week_hours)"),
    "typical-day": Widget("typical-day", "lessonkit.typical_day(lesson)"),
    "pay-paths": Widget("pay-paths", "lessonkit.pay_paths(lesson, target_income=target_income)"),
    "portfolio": Widget("portfolio", "lessonkit.portfolio_builder(lesson, target_income=target_income)"),
    "capacity-inventory": Widget("capacity-inventory", "lessonkit.capacity_inventory(lesson)"),
    "track-studio": Widget("studio", "studio = lessonkit.track_studio(lesson, first, export_dir=export_dir, "
                                     "export_at_run=export_at_run)\nstudio.maker"),
    "track-compare": Widget("compare", "studio.compare"),
    "track-mixer": Widget("mixer", "studio.mixer"),
    "track-journal": Widget("journal", "studio.journal"),
    "track-cover": Widget("cover", "studio.cover"),
    "track-export": Widget("export", "studio.exporter"),
}

Maker = Callable[["Course", "LessonEntry", BlockRef], list[Cell]]
KINDS: dict[str, Maker] = {}


def register(kind: str) -> Callable[[Maker], Maker]:
    def wrap(func: Maker) -> Maker:
        KINDS[kind] = func
        return func

    return wrap


def known() -> list[str]:
    """Every block kind a layout may use."""
    return sorted({*KINDS, *render.BLOCKS})


def cells(course: Course, lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    """The cell(s) block ``ref`` makes in ``lesson``'s notebook; KeyError names an unknown block."""
    if ref.kind in KINDS:
        return KINDS[ref.kind](course, lesson, ref)
    if ref.kind in render.BLOCKS:
        return [markdown(course, lesson, ref)]
    raise KeyError(f"unknown block '{ref.kind}' (known: {', '.join(known())})")


def markdown(course: Course, lesson: LessonEntry, ref: BlockRef) -> Cell:
    """A reading or panel: Markdown from :mod:`lessonkit.render`, its block named in the cell's metadata.

    :func:`lessonkit.notebooks.lesson_cells` may join it to the Markdown cell before it (one cell per section),
    so the metadata names a list of blocks.
    """
    return Cell("markdown", ref.cell_id or ref.name.replace(":", "-"),
                render.block(course, lesson.id, ref.name).rstrip("\n"), {"lessonkit": {"blocks": [ref.name]}})


def code(cell_id: str, source: str, **metadata: Any) -> Cell:
    return Cell("code", cell_id, source, {**FOLDED, **metadata})


# ---------------------------------------------------------------- kinds that make code cells
@register("parameters")
def parameters_cell(_course: Course, lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    source, _ = parameters.notebook_sources(lesson)
    return [code(ref.cell_id or "parameters", source, tags=["parameters"])]


@register("open-lesson")
def open_lesson_cell(_course: Course, lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    _, source = parameters.notebook_sources(lesson)
    return [code(ref.cell_id or "open-lesson", source)]


@register("widget")
def widget_cell(_course: Course, _lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    if ref.arg not in WIDGETS:
        raise KeyError(f"unknown widget '{ref.arg}' (known: {', '.join(sorted(WIDGETS))})")
    found = WIDGETS[ref.arg]
    return [code(ref.cell_id or found.cell_id, found.source)]


@register("prompt")
def prompt_cell(course: Course, lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    ids = [prompt.id for prompt in course.lesson_prompts(lesson.id)]
    if ref.arg not in ids:
        raise KeyError(f"no prompt '{ref.arg}' in data/prompts/{lesson.id}.yaml (known: {', '.join(ids) or 'none'})")
    return [code(ref.cell_id or ref.arg, f'lessonkit.prompt(lesson, "{ref.arg}")')]


@register("finish")
def finish_cells(course: Course, lesson: LessonEntry, ref: BlockRef) -> list[Cell]:
    return [markdown(course, lesson, ref), code("finish-lesson", "lessonkit.finish_lesson(lesson)")]
