"""Progress across lessons, worked out from a learner's saved records (:class:`Saved`: the typed answers file, or
the copy a lesson's answers store gives) and the course's prompts (pure, no widgets).

A lesson's Depth points follow one rule, stated in ``data/prompts/<lesson id>.yaml``
(``reflection.min_words`` and ``reflection.depth_points``): a reflection of at least
that many words earns that many points; a shorter one earns none. Nothing else scores.

Depth points open extension lessons: a lesson marked ``extension: {depth_points: N}`` in
``course.yaml`` opens once the other lessons' reflections have earned N points (see :func:`access`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from . import kinds
from .headings import prompt_headings  # noqa: F401 (re-exported: callers ask progress for headings)

if TYPE_CHECKING:  # None stands for a file with nothing saved, so progress itself never needs the model
    from .schema import LessonEntry, Reflection


class Saved(Protocol):
    """What progress reads of a learner's records: the typed ``AnswersFile`` a teacher's collect holds, or the copy a
    lesson's store gives (``AnswerStore.saved_if_any``), which needs no model loaded."""

    @property
    def widgets(self) -> Mapping[str, Any]: ...

    def value(self, key: str) -> Any: ...

    def lesson_value(self, lesson_id: str, name: str) -> Any: ...


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


def lesson_progress(course: Any, doc: Saved | None, lesson_id: str) -> LessonProgress:
    """A lesson's progress in the answers file ``doc`` (None: nothing saved yet)."""
    value = doc.value if doc is not None else _nothing
    lesson_value = doc.lesson_value if doc is not None else _nothing
    entry = course.lesson(lesson_id)
    prompts = course.lesson_prompts(lesson_id)
    answered = sum(1 for p in prompts if kinds.get(p.kind).is_answered(value(f"{lesson_id}/{p.id}")))
    rules = course.prompts.get(lesson_id)
    return LessonProgress(
        lesson=entry,
        completed=bool(lesson_value(lesson_id, "completed")),
        answered=answered,
        prompts=len(prompts),
        reflection_words=kinds.get("reflection").word_count(lesson_value(lesson_id, "reflection") or ""),
        rule=rules.reflection if rules else None,
    )


def _nothing(*_names: str) -> None:
    """What an answers file with nothing saved holds under any key or lesson field."""
    return None


def course_progress(course: Any, doc: Saved | None) -> list[LessonProgress]:
    return [lesson_progress(course, doc, lesson.id) for lesson in course.lessons()]


# ---------------------------------------------------------------- extension lessons (course.yaml: extension)
#: Why a lesson is open (or not), as the lesson's Ready line says it.
OPEN_BECAUSE = {
    "core": "part of the core course",
    "teacher": "opened for everyone by your teacher",
    "points": "opened by your Depth points",
    "started": "open because you have already started it (your work in it stays yours)",
    "visit": "open on this page, which has no sign-in to count your Depth points across lessons",
    "locked": "locked",
}
#: The same, as one cell of the course map (filled in from an :class:`Access`).
MAP_WORDS = {
    "core": "✓ part of the core course",
    "teacher": "✓ opened for everyone by your teacher",
    "points": "✓ open: {earned} of the {needs} Depth points it needs",
    "started": "✓ open: you have already started it, and your work in it stays yours",
    "visit": "✓ open on this page (no sign-in to count Depth points)",
    "locked": "🔒 opens at {needs} Depth points: {still_needed} more to go",
}


@dataclass(frozen=True)
class Access:
    """Whether a lesson's activities are open to a learner, and why."""

    lesson: LessonEntry
    needs: int  # Depth points that open it (0: not an extension)
    earned: int  # Depth points the learner has from the other lessons
    reason: str  # a key of OPEN_BECAUSE

    @property
    def is_extension(self) -> bool:
        return self.lesson.extension is not None

    @property
    def open(self) -> bool:
        return self.reason != "locked"

    @property
    def still_needed(self) -> int:
        return max(0, self.needs - self.earned)

    def words(self) -> str:
        """One line for the course map: open and why, or how many more points it needs."""
        return MAP_WORDS[self.reason].format(earned=self.earned, needs=self.needs, still_needed=self.still_needed)


def started(doc: Saved | None, lesson_id: str) -> bool:
    """Whether the learner has saved work in a lesson's activities (widget state under the lesson's id)."""
    return doc is not None and any(key.startswith(f"{lesson_id}/") for key in doc.widgets)


def access(course: Any, doc: Saved | None, lesson_id: str, *, open_all: bool = False,
           visit: bool = False) -> Access:
    """Whether ``lesson_id``'s activities are open for the learner whose answers file is ``doc`` (None: nothing saved).

    An extension opens once the reflections of the other lessons have earned the Depth points it needs,
    or for everyone when the teacher opens extensions (``open_all``). Saved work always keeps it open:
    a lesson never hides what a learner made in it, even if their points fall later. A visitor with no
    name (``visit``: a Voila page without sign-in) has answers that last one visit, so points earned in
    other lessons can never reach this one: there the extension is open.
    """
    entry = course.lesson(lesson_id)
    earned = sum(row.depth_points for row in course_progress(course, doc) if row.lesson.id != entry.id)
    if entry.extension is None:
        return Access(entry, 0, earned, "core")
    needs = entry.extension.depth_points
    reason = ("teacher" if open_all else "points" if earned >= needs else "started" if started(doc, entry.id)
              else "visit" if visit else "locked")
    return Access(entry, needs, earned, reason)


def course_access(course: Any, doc: Saved | None, *, open_all: bool = False) -> list[Access]:
    return [access(course, doc, lesson.id, open_all=open_all) for lesson in course.lessons()]


# ---------------------------------------------------------------- prompts a teacher requires (parameter required_prompts)
def missing_required(course: Any, values: Mapping[str, Any], lesson_id: str, required: Any) -> list[str]:
    """The ids in ``required`` whose answer in ``values`` (answer values by key: :meth:`AnswersFile.values`, or what
    a lesson's prompts hold) does not count yet.

    Ids that are not prompts of the lesson are left out: no answer could ever satisfy them.
    """
    kind_of = {prompt.id: prompt.kind for prompt in course.lesson_prompts(lesson_id)}
    missing = []
    for prompt_id in required:
        if prompt_id not in kind_of:
            continue
        if not kinds.get(kind_of[prompt_id]).is_answered(values.get(f"{lesson_id}/{prompt_id}")):
            missing.append(prompt_id)
    return missing


def sentence_list(items: list[str]) -> str:
    """Items joined with "; " and ended with a full stop, unless the last one already ends a sentence."""
    text = "; ".join(items)
    return text if text.endswith((".", "?", "!")) else text + "."
