"""Extension lessons: Depth points open them, a teacher can open them for everyone, and a locked lesson keeps its
readings, questions and saved work. Thresholds and points are read from data/, never typed here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lessonkit
from lessonkit import answers as A
from lessonkit.answers_model import AnswersFile, typed
from lessonkit.content import check
from lessonkit.errors import ParameterError
from lessonkit.parameters import get as parameter
from lessonkit.progress import access
from lessonkit.widgets.locked import LockedStudio
from lessonkit.widgets.progress import course_progress, finish_lesson
from lessonkit.widgets.track import TrackStudio

from .conftest import edit

L3 = "03-make-a-track"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "answers"


def open_(lesson_id: str, folder: Path, **params) -> lessonkit.Lesson:
    return lessonkit.open_lesson(lesson_id, learner_id="ada", answers_dir=str(folder), **params)


def extensions(course) -> list:
    return [lesson for lesson in course.lessons() if lesson.extension is not None]


def core_lessons_by_points(course) -> list[str]:
    """Core lessons with a reflection, the most Depth points first."""
    rules = {lesson_id: f.reflection for lesson_id, f in course.prompts.items()}
    core = [lesson.id for lesson in course.lessons() if lesson.extension is None and lesson.id in rules]
    return sorted(core, key=lambda lesson_id: -rules[lesson_id].depth_points)


def reflect(course, folder: Path, lesson_id: str, short_by: int = 0) -> int:
    """Write a reflection in a lesson (``short_by`` words under its rule); the Depth points it earned."""
    rule = course.prompts[lesson_id].reflection
    box = finish_lesson(open_(lesson_id, folder))
    box.reflection._text.value = "word " * (rule.min_words - short_by)
    box.lesson.store.flush()
    return box.reflection.points


def earn(course, folder: Path, at_least: int) -> int:
    """Reflect in core lessons, fewest points first, until ``at_least`` points are earned; the total."""
    total = 0
    for lesson_id in reversed(core_lessons_by_points(course)):
        if total >= at_least:
            break
        total += reflect(course, folder, lesson_id)
    assert total >= at_least, "the core lessons cannot earn enough points for this test"
    return total


def test_the_course_has_an_extension_the_core_lessons_can_open(course):
    """Lesson 03 (the card's start-here project) is the course's extension; the core reflections can open it."""
    assert [lesson.id for lesson in extensions(course)] == [L3]
    reachable = sum(course.prompts[lesson_id].reflection.depth_points for lesson_id in core_lessons_by_points(course))
    assert course.lesson(L3).extension.depth_points <= reachable


def test_an_extension_no_reflection_could_open_is_a_content_problem(data_copy: Path, course):
    reachable = sum(f.reflection.depth_points for lesson_id, f in course.prompts.items() if lesson_id != L3)
    needs = course.lesson(L3).extension.depth_points
    edit(data_copy / "course.yaml", f"extension: {{ depth_points: {needs} }}",
         f"extension: {{ depth_points: {reachable + 1} }}")
    (problem,) = check(data_copy)
    assert problem.file == "course.yaml" and problem.field.endswith("extension.depth_points")
    assert f"needs {reachable + 1} Depth points" in problem.message and f"at most {reachable}" in problem.message
    assert problem.line is not None


def test_a_new_learner_finds_the_extension_locked_with_its_readings_open(folder: Path, course):
    needs = course.lesson(L3).extension.depth_points
    lesson = open_(L3, folder)
    state = lesson.access
    assert not state.open and state.earned == 0 and state.still_needed == needs
    assert f"its activities open at {needs} Depth points, and you have 0" in repr(lesson)
    first = lessonkit.start_track(lesson, mood="hopeful", genre="lofi", seed=7)
    studio = lessonkit.track_studio(lesson, first)
    assert isinstance(studio, LockedStudio)
    for part in LockedStudio.PARTS:
        text = getattr(studio, part)._repr_mimebundle_()["text/plain"]
        assert f"opens at {needs} Depth points" in text and f"{needs} more to go" in text
    assert studio.export() is None
    # Its questions and its finish box stay open: writing is never locked.
    answer = lessonkit.prompt(lesson, "why-this-one")
    answer._text.value = "The bass finally leaves room."
    finish = finish_lesson(lesson)
    finish.reflection._text.value = "Locked or not, I can write."
    lesson.store.flush()
    saved = json.loads((folder / "ada.json").read_text(encoding="utf-8"))
    assert saved["answers"][f"{L3}/why-this-one"]["value"] == "The bass finally leaves room."
    assert "Locked or not" in saved["lessons"][L3]["reflection"]["value"]
    assert not open_(L3, folder).access.open  # answering its questions does not open its activities


def test_depth_points_from_the_other_lessons_open_the_extension(folder: Path, course):
    needs = course.lesson(L3).extension.depth_points
    biggest = core_lessons_by_points(course)[0]
    reflect(course, folder, biggest, short_by=1)  # one word short: no points
    assert open_(L3, folder).access.still_needed == needs
    earned = earn(course, folder, needs)
    lesson = open_(L3, folder)
    assert lesson.access.open and lesson.access.reason == "points" and lesson.access.earned == earned
    assert "This is an extension lesson, opened by your Depth points." in repr(lesson)
    first = lessonkit.start_track(lesson, mood="hopeful", genre="lofi", seed=7)
    assert isinstance(lessonkit.track_studio(lesson, first), TrackStudio)


def test_the_extensions_own_reflection_does_not_open_it(folder: Path, course):
    reflect(course, folder, L3)
    state = open_(L3, folder).access
    assert not state.open and state.earned == 0


def test_the_teacher_can_open_extensions_for_everyone(folder: Path):
    lesson = open_(L3, folder, open_extensions=True)
    assert lesson.access.open and lesson.access.reason == "teacher"
    assert "opened for everyone by your teacher" in repr(lesson)
    first = lessonkit.start_track(lesson, mood="hopeful", genre="lofi", seed=7)
    assert isinstance(lessonkit.track_studio(lesson, first), TrackStudio)


def test_saved_work_keeps_an_extension_open_when_points_fall(folder: Path, course):
    """A learner who made versions while it was open (here: opened by the teacher) never has them hidden."""
    lesson = open_(L3, folder, open_extensions=True)
    first = lessonkit.start_track(lesson, mood="hopeful", genre="lofi", seed=7)
    studio = lessonkit.track_studio(lesson, first)
    studio._make.click()
    lesson.store.flush()
    again = open_(L3, folder)  # the teacher's parameter is gone, and the learner has no points
    assert again.access.open and again.access.reason == "started" and again.access.earned == 0
    reopened = lessonkit.track_studio(again, first)
    assert isinstance(reopened, TrackStudio) and len(reopened.session.versions) == len(studio.session.versions)


def test_the_course_map_shows_which_extensions_are_open_and_what_they_still_need(folder: Path, course):
    needs = course.lesson(L3).extension.depth_points
    progress = course_progress(open_("00-start-here", folder))
    assert f"Lesson 03 is an extension: 🔒 opens at {needs} Depth points: {needs} more to go." in progress.summary()
    assert "Extension: 🔒 opens at" in progress._table.value and "✓ core lesson" in progress._table.value
    earned = earn(course, folder, needs)
    progress.refresh(reread=True)
    assert f"✓ open: {earned} of the {needs} Depth points it needs" in progress.summary()
    opened = course_progress(open_("00-start-here", folder, open_extensions=True))
    assert "Lesson 03 is an extension: ✓ opened for everyone by your teacher." in opened.summary()


def test_access_is_worked_out_from_an_answers_file_alone(course):
    """The pure rule: a core lesson is always open; an extension by teacher, points or saved work, in that order."""
    assert access(course, None, "01-music-producer").reason == "core"
    assert access(course, None, L3).reason == "locked"
    assert access(course, None, L3, open_all=True).reason == "teacher"
    assert access(course, _with_widget(course, f"{L3}/studio"), L3).reason == "started"
    assert access(course, _with_widget(course, "01-music-producer/ideal-week"), L3).reason == "locked"


def _with_widget(course, key: str) -> AnswersFile:
    doc = A.new_document(course.id, "ada")
    doc["widgets"][key] = {"state": {}, "saved_at": doc["saved_at"]}
    return typed(doc)


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), ("true", True), ("No", False),
                                                 ("", False), (1, True)])
def test_open_extensions_takes_true_or_false(value, expected):
    assert parameter("open_extensions").read(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", None, 1.5])
def test_a_bad_open_extensions_value_says_what_is_expected(value, folder: Path):
    with pytest.raises(ParameterError, match=r"open_extensions.*expected True .* or False"):
        open_(L3, folder, open_extensions=value)


def test_a_visitor_with_no_sign_in_finds_the_extension_open(tmp_path: Path, monkeypatch):
    """A Voila page without sign-in keeps answers for one visit, so no Depth points could ever reach the extension
    there: it opens, and says why, instead of staying locked for good."""
    for name in ("LESSONKIT_ANSWERS", "JUPYTERHUB_USER", "VOILA_KERNEL_ID", "SCRIPT_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    lesson = lessonkit.open_lesson(L3)
    assert lesson.visit and lesson.access.open and lesson.access.reason == "visit"
    assert "no sign-in to count your Depth points" in repr(lesson)
    first = lessonkit.start_track(lesson, mood="hopeful", genre="lofi", seed=7)
    assert isinstance(lessonkit.track_studio(lesson, first), TrackStudio)
    monkeypatch.delenv("SERVER_SOFTWARE")
    assert not open_(L3, tmp_path / "answers").access.open  # a named learner with no points: still locked
