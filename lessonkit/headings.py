"""A lesson's prompts in reading order, each with the heading learners see (pure; used by progress and hand-in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import Prompt


def ordered_prompts(course: Any, lesson_id: str) -> list[tuple[Prompt, str]]:
    """A lesson's prompts in reading order, each with its heading: per-producer ones grouped by producer."""
    found = course.prompts.get(lesson_id)
    if found is None:
        return []
    expanded = {p.id: p for p in course.lesson_prompts(lesson_id)}
    guide = course.context(lesson_id).get("guide")
    producers = guide.exercise.producers if guide else 1
    out: list[tuple[Prompt, str]] = []
    steps: list[str | None] = list(dict.fromkeys(p.step for p in found.prompts))
    for step in steps:
        group = [p for p in found.prompts if p.step == step]
        for n in range(1, producers + 1):
            for p in (p for p in group if p.each_producer):
                out.append((expanded[f"producer-{n}-{p.id}"], f"Producer {n} · {p.title}"))
        out += [(p, p.title) for p in group if not p.each_producer]
    return out


def prompt_headings(course: Any, lesson_id: str) -> dict[str, str]:
    """Each prompt id of a lesson with the heading learners see (per-producer prompts as "Producer 2 · ...")."""
    return {prompt.id: heading for prompt, heading in ordered_prompts(course, lesson_id)}
