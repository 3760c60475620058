"""lessonkit: the helper package behind the music-production career lessons.

Importing it is cheap: every public name is loaded on first use, so a lesson
pays only for what it calls.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "open_lesson": "lessonkit.opening",
    "Lesson": "lessonkit.lesson",
    "load_course": "lessonkit.content",
    "check": "lessonkit.content",
    "Course": "lessonkit.content",
    "LessonkitError": "lessonkit.errors",
    "ContentError": "lessonkit.errors",
    "ParameterError": "lessonkit.errors",
    "Problem": "lessonkit.errors",
    "pay_paths": "lessonkit.widgets.pay_paths",
    "portfolio_builder": "lessonkit.widgets.portfolio",
    "work_split": "lessonkit.widgets.timesplit",
    "ideal_week": "lessonkit.widgets.timesplit",
    "typical_day": "lessonkit.widgets.timesplit",
    "prompt": "lessonkit.widgets.prompts",
    "capacity_inventory": "lessonkit.widgets.inventory",
    "finish_lesson": "lessonkit.widgets.progress",
    "course_progress": "lessonkit.widgets.progress",
    "answer_files": "lessonkit.widgets.progress",
    "AnswerStore": "lessonkit.answers",
    "open_store": "lessonkit.answers",
    "start_track": "lessonkit.track.settings",
    "track_studio": "lessonkit.widgets.track",
    "export_track": "lessonkit.track.export",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lessonkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
