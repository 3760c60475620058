"""open_lesson: the parameters a lesson accepts, and the status line it shows."""

from __future__ import annotations

import datetime as dt

import pytest

import lessonkit
from lessonkit.errors import ParameterError
from lessonkit.lesson import parse_due


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
