"""Prompt kinds are registered once (lessonkit.kinds): a kind registered here, in the test, is accepted in the
content, counted by progress, shown in the hand-in and in the class report, with no other module changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lessonkit import handin, kinds
from lessonkit.answers_model import typed
from lessonkit.content import load_course
from lessonkit.models.prompts import word_count
from lessonkit.progress import lesson_progress, missing_required
from lessonkit.teacher import report as R
from lessonkit.teacher.collect import collect

from .teacher_builders import answers_doc, write_json


def _stars(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


RATING = kinds.Kind("rating", None, _stars, lambda _where, value: kinds.Shown([f"{'★' * value} ({value} of 5)"]),
                    words=lambda value: 1, column="stars", widget="lessonkit.widgets.prompts:ShortText")


@pytest.fixture
def rating():
    kinds.register(RATING)
    yield RATING
    kinds.unregister(RATING.name)


def _first_lesson_with_prompts(data: Path) -> tuple[str, Path]:
    path = sorted((data / "prompts").glob("*.yaml"))[0]
    return yaml.safe_load(path.read_text(encoding="utf-8"))["lesson"], path


def _add_prompt(path: Path, prompt: dict) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc.setdefault("prompts", []).append(prompt)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


NEW = {"id": "how-sure", "kind": "rating", "title": "How sure are you?", "instructions": "Pick one to five stars.",
       "example": "Four stars."}


def test_an_unregistered_kind_is_refused_by_the_content_check(data_copy: Path):
    lesson_id, path = _first_lesson_with_prompts(data_copy)
    _add_prompt(path, NEW)
    with pytest.raises(Exception, match="'rating' is not allowed"):
        load_course(data_copy)


def test_a_kind_registered_in_one_place_is_answered_counted_and_shown(rating, data_copy: Path, tmp_path: Path):
    lesson_id, path = _first_lesson_with_prompts(data_copy)
    _add_prompt(path, NEW)
    course = load_course(data_copy)
    key = f"{lesson_id}/how-sure"
    assert course.prompt(key).kind == "rating"

    raw = answers_doc("ada", course=course.id)
    before = lesson_progress(course, typed(raw), lesson_id).answered
    assert missing_required(course, typed(raw).values(), lesson_id, ["how-sure"]) == ["how-sure"]
    raw["answers"][key] = {"value": 4, "saved_at": raw["saved_at"]}
    doc = typed(raw)
    assert lesson_progress(course, doc, lesson_id).answered == before + 1
    assert missing_required(course, doc.values(), lesson_id, ["how-sure"]) == []

    markdown, page = handin.to_markdown(course, doc), handin.to_html(course, doc)
    for text in (markdown, page):
        assert "How sure are you?" in text and "★★★★ (4 of 5)" in text

    folder = tmp_path / "in"
    write_json(folder / "ada.json", raw)
    view = R.build(course, collect([folder], course, quiet=True))
    header, row = R.csv_report(view).decode("utf-8-sig").splitlines()[:2]
    columns = header.split(",")
    assert f"stars {key}" in columns
    assert row.split(",")[columns.index(f"stars {key}")] == "1"
    assert "★★★★ (4 of 5)" in R.html_report(view)


def test_an_unanswered_value_of_a_registered_kind_is_shown_as_not_answered(rating, data_copy: Path):
    lesson_id, path = _first_lesson_with_prompts(data_copy)
    _add_prompt(path, NEW)
    course = load_course(data_copy)
    raw = answers_doc("ada", course=course.id)
    raw["answers"][f"{lesson_id}/how-sure"] = {"value": 9, "saved_at": raw["saved_at"]}  # not 1 to 5 stars
    section = next(s for s in handin.sections(course, typed(raw)) if s.items and
                   any(i.heading == "How sure are you?" for i in s.items))
    item = next(i for i in section.items if i.heading == "How sure are you?")
    assert not item.answered


@pytest.mark.parametrize("name", kinds.prompt_kinds())
def test_every_prompt_kind_has_an_empty_value_that_does_not_count(name):
    kind = kinds.get(name)
    assert not kind.is_answered(kind.empty_value())
    assert kind.shown(kinds.Where(None, "", None), kind.empty_value()) is None


def test_every_kind_the_shipped_prompts_use_is_registered(course):
    used = {p.kind for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)}
    assert used <= set(kinds.prompt_kinds())


def test_the_registry_never_imports_widgets():
    """Teacher code asks the registry; the widget behind a kind is imported only when a lesson builds one."""
    code = ("import sys, lessonkit.kinds as k; [k.get(n) for n in k.names()]; "
            "print(any(m.split('.')[0] in ('ipywidgets', 'plotly', 'IPython') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_track_journal_is_handed_in_with_its_lesson(course):
    """The studio's notes (a kind kept in a lesson widget's state) appear under their lesson in the hand-in and the
    report's copy of it; versions without a note, and lessons without a studio, show nothing."""
    from lessonkit.widgets.track import KEY  # the studio's key, as the lesson saves it

    journal = kinds.get("track-journal")
    lesson_id, saved_as = KEY.split("/")
    assert journal.saved_as == saved_as
    raw = answers_doc("ada", course=course.id)
    raw["widgets"][KEY] = {"saved_at": raw["saved_at"], "state": {"versions": [
        {"number": 1, "heard": "The bass is muddy & loud", "change": "cut it <b>below</b> 200 Hz"},
        {"number": 2, "heard": "", "change": ""}]}}
    doc = typed(raw)
    section = next(s for s in handin.sections(course, doc) if s.title.endswith(course.lesson(lesson_id).title))
    (item,) = [i for i in section.items if i.heading == journal.title]
    assert item.bullets == ["Version 1: I hear: The bass is muddy & loud · Change next: cut it <b>below</b> 200 Hz"]
    assert "cut it &lt;b&gt;below&lt;/b&gt; 200 Hz" in handin.to_html(course, doc)
    assert "cut it \\<b\\>below\\</b\\> 200 Hz" in handin.to_markdown(course, doc)
    assert journal.word_count(raw["widgets"][KEY]["state"]) == word_count("The bass is muddy & loud") + word_count(
        "cut it <b>below</b> 200 Hz")
    others = [s for s in handin.sections(course, doc) if s.title != section.title]
    assert not any(i.heading == journal.title for s in others for i in s.items)
    raw["widgets"][KEY]["state"]["versions"].pop(0)  # only a version with no note: nothing to hand in
    assert not any(i.heading == journal.title for s in handin.sections(course, typed(raw)) for i in s.items)


@pytest.mark.parametrize("name", kinds.names())
def test_every_kind_names_a_widget_that_exists(name):
    assert callable(kinds.get(name).widget_factory())


def test_a_lesson_builds_the_widget_its_kind_names(rating, data_copy: Path):
    from lessonkit.widgets.prompts import ShortText, build

    lesson_id, path = _first_lesson_with_prompts(data_copy)
    _add_prompt(path, NEW)
    course = load_course(data_copy)
    widget = build(course, f"{lesson_id}/how-sure")
    assert isinstance(widget, ShortText) and widget.prompt.title == NEW["title"]
