"""The course as lessons see it: everything in ``data/``, validated and cross-checked (:mod:`lessonkit.content` loads it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content_view import make
from .errors import ParameterError

if TYPE_CHECKING:  # the course holds views of these models (lessonkit.content_view): read the same way
    from . import schema


@dataclass(frozen=True)
class Course:
    """Everything in ``data/``, validated and cross-checked."""

    root: Path
    map: schema.CourseFile
    sources: dict[str, schema.Source]
    careers: dict[str, schema.CareerCard]
    guides: dict[str, schema.Guide]
    readings: dict[str, dict[str, str]] = field(default_factory=dict)
    prompts: dict[str, schema.PromptsFile] = field(default_factory=dict)
    track: schema.TrackFile | None = None  # the track maker's moods and genres (data/track.yaml)

    @property
    def id(self) -> str:
        """The course id written into learners' answers files."""
        return self.map.id or re.sub(r"[^a-z0-9]+", "-", self.map.title.lower()).strip("-")

    def lessons(self) -> list[schema.LessonEntry]:
        return [lesson for t in self.map.tracks for m in t.modules for lesson in m.lessons]

    def lesson(self, lesson_id: str) -> schema.LessonEntry:
        for lesson in self.lessons():
            if lesson.id == lesson_id:
                return lesson
        valid = ", ".join(item.id for item in self.lessons())
        raise ParameterError("lesson", lesson_id, f"there is no such lesson. Valid lessons: {valid}")

    def place_of(self, lesson_id: str) -> tuple[schema.Track, schema.Module]:
        wanted = self.lesson(lesson_id)  # an unknown id raises the clear error here
        return next((t, m) for t in self.map.tracks for m in t.modules if wanted in m.lessons)

    def neighbours(self, lesson_id: str) -> tuple[schema.LessonEntry | None, schema.LessonEntry | None]:
        order = self.lessons()
        index = [lesson.id for lesson in order].index(self.lesson(lesson_id).id)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        return before, after

    def context(self, lesson_id: str) -> dict[str, Any]:
        """What a lesson's readings may refer to: the course, the lesson, and the content it uses."""
        lesson = self.lesson(lesson_id)
        kinds = {"card": self.careers, "guide": self.guides}
        ctx: dict[str, Any] = {"course": self.map, "lesson": lesson, "sources": list(self.sources.values())}
        for name, content_id in lesson.uses.items():
            ctx[name] = kinds[name][content_id]
        if self.track is not None:
            ctx["track"] = self.track
        return ctx

    def lesson_prompts(self, lesson_id: str) -> list[schema.Prompt]:
        """A lesson's prompts in order, with per-producer prompts expanded to producer-<n>-<id>."""
        found = self.prompts.get(self.lesson(lesson_id).id)
        if found is None:
            return []
        guide = self.context(lesson_id).get("guide")
        producers = guide.exercise.producers if guide else 1
        out = []
        for prompt in found.prompts:
            if prompt.each_producer:
                out += [prompt.model_copy(update={"id": f"producer-{n}-{prompt.id}"}) for n in range(1, producers + 1)]
            else:
                out.append(prompt)
        return out

    def prompt(self, key: str) -> schema.Prompt:
        """The prompt with answer key ``<lesson id>/<prompt id>``."""
        lesson_id, _, prompt_id = key.partition("/")
        for prompt in self.lesson_prompts(lesson_id):
            if prompt.id == prompt_id:
                return prompt
        raise KeyError(f"no prompt '{key}' in data/prompts/")

    def prompt_options(self, lesson_id: str, prompt: schema.Prompt) -> list[schema.Option]:
        """A prompt's own options followed by those of the content list it names."""
        options = list(prompt.options)
        if prompt.options_from:
            name, _, attr = prompt.options_from.partition(".")
            # The list's items were checked with the same id and label rules as an option's.
            options += [make("Option", id=item.id, label=item.label) for item in getattr(self.context(lesson_id)[name], attr)]
        return options
