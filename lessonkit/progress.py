"""Progress across lessons, worked out from an answers file and the course's prompts (pure, no widgets).

A lesson's Depth points follow one rule, stated in ``data/prompts/<lesson id>.yaml``
(``reflection.min_words`` and ``reflection.depth_points``): a reflection of at least
that many words earns that many points; a shorter one earns none. Nothing else scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models.prompts import is_answered, word_count
from .schema import LessonEntry, Reflection


@dataclass(frozen=True)
class LessonProgress:
    lesson: LessonEntry
    completed: bool
    answered: int
    prompts: int
    reflection_words: int
    rule: Reflection | None

    @property
    def depth_points(self) -> int:
        return depth_points(self.rule, self.reflection_words)

    @property
    def possible_points(self) -> int:
        return self.rule.depth_points if self.rule else 0


def depth_points(rule: Reflection | None, words: int) -> int:
    """The Depth points a reflection of ``words`` words earns under ``rule``."""
    return rule.depth_points if rule is not None and words >= rule.min_words else 0


def lesson_field(doc: dict[str, Any], lesson_id: str, name: str) -> Any:
    record = doc.get("lessons", {}).get(lesson_id, {}).get(name)
    return record.get("value") if isinstance(record, dict) else None


def lesson_progress(course: Any, doc: dict[str, Any], lesson_id: str) -> LessonProgress:
    entry = course.lesson(lesson_id)
    prompts = course.lesson_prompts(lesson_id)
    answers = doc.get("answers", {})
    answered = sum(1 for p in prompts
                   if is_answered(p.kind, (answers.get(f"{lesson_id}/{p.id}") or {}).get("value")))
    rules = course.prompts.get(lesson_id)
    return LessonProgress(
        lesson=entry,
        completed=bool(lesson_field(doc, lesson_id, "completed")),
        answered=answered,
        prompts=len(prompts),
        reflection_words=word_count(str(lesson_field(doc, lesson_id, "reflection") or "")),
        rule=rules.reflection if rules else None,
    )


def course_progress(course: Any, doc: dict[str, Any]) -> list[LessonProgress]:
    return [lesson_progress(course, doc, lesson.id) for lesson in course.lessons()]
