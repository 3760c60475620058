"""open_lesson: the parameters a lesson accepts, and the status line it shows."""

from __future__ import annotations

import datetime as dt

import pytest

import lessonkit
from lessonkit.errors import ParameterError
from lessonkit.parameters import parse_due


def test_opening_a_lesson_describes_it():
    lesson = lessonkit.open_lesson("01-music-producer")
    assert lesson.id == "01-music-producer" and lesson.due is None
    assert repr(lesson) == ("Lesson 01 · Music Producer is ready: about 25 minutes, built from 1 source document.")
    assert 'role="status"' in lesson._repr_html_()


def test_the_start_page_points_at_the_chosen_lesson():
    lesson = lessonkit.open_lesson("00-start-here", start_with="02-can-you-make-a-living", due_date="2026-12-01")
    assert lesson.due == dt.date(2026, 12, 1)
    assert 'href="02-can-you-make-a-living.ipynb"' in lesson._repr_html_()


@pytest.mark.parametrize("value", ["2026-13-01", "1 Dec", "tomorrow"])
def test_a_due_date_must_be_a_real_iso_date(value):
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        parse_due(value)


def test_unknown_lesson_ids_list_the_valid_ones():
    with pytest.raises(ParameterError, match="Valid lessons: 00-start-here, 01-music-producer"):
        lessonkit.open_lesson("03-nope")


def test_importing_lessonkit_loads_nothing_heavy():
    import subprocess
    import sys

    code = "import sys, lessonkit; print(sorted(m for m in ('pydantic', 'yaml', 'ipywidgets', 'plotly') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_opening_a_lesson_with_cached_content_parses_no_yaml_and_loads_no_numpy(tmp_path):
    """A returning learner's kernel: the checked content comes from the cache (no YAML parsed, no content model
    built, so no pydantic while there is no answers file to read), and numpy, which only the portfolio simulation
    and the track maker use, is not loaded by opening a lesson."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LESSONKIT_CACHE_DIR": str(tmp_path / "cache")}
    code = ("import sys, lessonkit; lessonkit.open_lesson('01-music-producer', answers_dir=sys.argv[1]); "
            "print(sorted(m for m in ('yaml', 'numpy', 'pydantic', 'lessonkit.schema', 'lessonkit.answers_model') "
            "if m in sys.modules))")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / "answers")], capture_output=True, text=True,
                           check=True, env=env).stdout.strip() for _ in range(2)]
    # the first kernel checks the content in full through the models and fills the cache
    assert runs == ["['lessonkit.schema', 'pydantic', 'yaml']", "[]"]


def test_required_prompts_are_prompt_ids_of_the_lesson(tmp_path):
    """A list of the lesson's prompt ids is kept in order; spaces, blank items and repeats are tolerated."""
    lesson = lessonkit.open_lesson("01-music-producer", answers_dir=str(tmp_path),
                                   required_prompts=" definition-of-success, ,would-you-like-it,definition-of-success,")
    assert lesson.required == ("definition-of-success", "would-you-like-it")
    assert "Before you mark it complete, answer: Your definition of success; Which of these sound like you?" in repr(lesson)
    assert lessonkit.open_lesson("01-music-producer", answers_dir=str(tmp_path), required_prompts=" , ").required == ()
    assert lessonkit.open_lesson("02-can-you-make-a-living", answers_dir=str(tmp_path)).required == ()


def test_an_unknown_required_prompt_is_named_with_the_valid_ones(tmp_path):
    """A bad id (here one of lesson 02's) is named, with every prompt id of the lesson it was given to."""
    with pytest.raises(ParameterError) as error:
        lessonkit.open_lesson("01-music-producer", answers_dir=str(tmp_path),
                              required_prompts="definition-of-success, patterns")
    text = str(error.value)
    assert error.value.name == "required_prompts" and "'patterns' is not a prompt of lesson 01" in text
    assert "Valid prompt ids: would-you-like-it, definition-of-success" in text
    with pytest.raises(ParameterError, match="lesson 00 .* has no prompts"):
        lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path), required_prompts="patterns")


def test_every_text_box_a_lesson_shows_is_set_for_sentences(tmp_path):
    """Browsers default a textarea to monospace; each lesson text box carries the prose class and the
    Ready line the rule for it."""
    import ipywidgets as W

    from lessonkit.render import PROSE_CLASS

    def boxes(widget):
        if isinstance(widget, W.Textarea):
            yield widget
        for child in getattr(widget, "children", ()):
            yield from boxes(child)

    found = []
    lesson = lessonkit.open_lesson("01-music-producer", answers_dir=str(tmp_path))
    assert f".{PROSE_CLASS} textarea" in lesson._repr_html_() and "font-family" in lesson._repr_html_()
    found += boxes(lessonkit.prompt(lesson, "definition-of-success").view)
    found += boxes(lessonkit.finish_lesson(lesson).view)
    track = lessonkit.open_lesson("03-make-a-track", answers_dir=str(tmp_path), open_extensions=True)
    first = lessonkit.start_track(track, mood="dreamy", genre="lofi", export_dir=str(tmp_path / "out"))
    found += boxes(lessonkit.track_studio(track, first, export_dir=str(tmp_path / "out")).journal)
    assert len(found) == 4
    assert all(PROSE_CLASS in box._dom_classes for box in found)


def test_the_saved_line_says_when_in_a_named_zone_and_an_error_in_words(tmp_path, monkeypatch):
    """The finish box tells the learner their answers are saved, at a time whose zone it names (the kernel's,
    which on a hub is the server's), and a failed save as an alert in words."""
    import time

    lesson = lessonkit.open_lesson("01-music-producer", answers_dir=str(tmp_path))
    box = lessonkit.finish_lesson(lesson)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        box._on_saved("2026-11-30T16:04:09.000000Z", None)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "All your answers saved at 17:04:09 CET." in box._saved.value and 'role="status"' in box._saved.value
    box._on_saved(None, "the disk is full")
    assert 'role="alert"' in box._saved.value and "the disk is full" in box._saved.value
