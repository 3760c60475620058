"""The gradebook CSV: one row per learner, numbers in their own columns so a gradebook can import them."""

from __future__ import annotations

from ..content import Course
from .classview import ClassView
from .files import csv_bytes


def csv_report(view: ClassView) -> bytes:
    """One row per learner; numbers in their own columns so a gradebook can import them."""
    lessons = view.course.lessons()
    header = ["learner_id", "name", "email", "on_class_list", "answers_file", "last_change_utc", "lessons_complete",
              "depth_points", "depth_points_possible", "late_lessons", "notebooks_handed_in", "target_income_usd"]
    shape = _lesson_columns(view.course)
    for lesson, (prompts, scored) in zip(lessons, shape):
        n = f"L{lesson.number:02d}"
        header += [f"{n} complete (1=yes)"] + \
            ([f"{n} prompts answered (of {prompts})", f"{n} missing required prompts"] if prompts else []) + \
            ([f"{n} depth points", f"{n} reflection words"] if scored else [])
    header += [heading for _, heading in view.columns]
    rows = []
    for row in view.rows:
        sub = row.submission
        line: list[object] = [
            row.learner, row.name, row.email, "yes" if row.on_roster else "no", sub.label if sub else "",
            f"{sub.last_change:%Y-%m-%d %H:%M}" if sub and sub.last_change else "", row.complete if sub else "",
            row.points if sub else "", sum(p.possible_points for p in row.lessons),
            " ".join(lesson[:2] for lesson in row.late), " ".join(lesson[:2] for lesson in row.notebooks),
            row.target or ""]
        for progress, (prompts, scored) in zip(row.lessons, shape):
            missing = " ".join(row.missing.get(progress.lesson.id, []))
            values = [int(progress.completed)] + ([progress.answered, missing] if prompts else []) + \
                ([progress.depth_points, progress.reflection_words] if scored else [])
            line += values if sub else [""] * len(values)
        line += [row.cells[key] if sub else "" for key, _ in view.columns]
        rows.append(line)
    return csv_bytes(header, rows)


def _lesson_columns(course: Course) -> list[tuple[int, bool]]:
    """Per lesson: how many prompts it asks, and whether it has a Depth points rule (columns only where they mean something)."""
    return [(len(course.lesson_prompts(lesson.id)), lesson.id in course.prompts) for lesson in course.lessons()]
