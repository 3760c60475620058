"""The lessons' own sliders keep ipywidgets' Python API, and every slider a lesson shows has a name with its unit."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pytest

from lessonkit.widgets.picture import Picture
from lessonkit.widgets.slider import FloatSlider, IntRangeSlider, IntSlider, SelectionSlider, squeezed


def test_int_slider_clamps_like_ipywidgets_and_reports_changes():
    """A value outside the bounds is clamped, and narrowing the bounds moves the value inside them."""
    slider = IntSlider(value=150, min=130, max=160)
    seen: list[int] = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    slider.value = 200
    assert slider.value == 160
    slider.min, slider.max = 40, 220
    slider.value = 60
    slider.min = 130
    assert slider.value == 130 and seen == [160, 60, 130]


def test_a_value_from_the_page_arrives_as_the_python_type():
    """The browser sends numbers; an IntSlider gets an int, a FloatSlider a float without binary-fraction noise."""
    whole = IntSlider(min=0, max=100)
    whole.set_state({"value": 26.0})
    assert whole.value == 26 and isinstance(whole.value, int)
    pan = FloatSlider(min=-1, max=1, step=0.1)
    pan.set_state({"value": 0.30000000000000004})
    assert pan.value == 0.3


def test_selection_slider_travels_as_an_index_and_reads_as_its_value():
    """The page moves between stop numbers; Python sees the chosen stop's value and its names are shown."""
    stages = [("Early", 0.0), ("Halfway", 0.5), ("Established", 1.0)]
    slider = SelectionSlider(options=stages, value=0.0, description="Career stage")
    seen: list[Any] = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    assert (slider.min, slider.max, slider.names) == (0, 2, ["Early", "Halfway", "Established"])
    slider.set_state({"value": 2})
    assert slider.value == 1.0 and seen == [1.0]
    slider.value = 0.5
    assert slider.get_state()["value"] == 1
    with pytest.raises(Exception, match="not one of"):
        slider.value = 0.3


def test_range_slider_keeps_its_handles_in_order():
    slider = IntRangeSlider(value=(8, 20), min=0, max=24, labels=("Day starts (hour)", "Day ends (hour)"))
    slider.value = (21, 9)
    assert slider.value == (9, 21) and slider.labels == ["Day starts (hour)", "Day ends (hour)"]
    slider.value = (-3, 30)
    assert slider.value == (0, 24)


def test_the_script_is_sent_without_comments_or_indentation():
    """Each slider's state carries its script into an executed notebook: it must stay small and still say the same."""
    code = "let a = 1;  // a note\n// a line of its own\n    const url = 'http://x';\n"
    assert squeezed(code) == "let a = 1; const url = 'http://x';"
    assert len(IntSlider()._esm) < 4_000


def test_the_sliders_look_comes_once_with_the_lessons_ready_line(course):
    """The style is not in each slider's saved state but in the lesson's Ready line, shown once per lesson."""
    from lessonkit.lesson import Lesson
    from lessonkit.widgets.slider import STYLE

    assert not IntSlider().get_state().get("_css")
    assert STYLE in Lesson(course, course.lesson("01-music-producer"))._repr_html_()


def test_the_picture_sends_its_words_with_its_bytes():
    picture = Picture(value=b"\xff\xd8jpeg", format="jpeg", alt="The cover: a title over red circles")
    state = picture.get_state()
    assert state["alt"] == "The cover: a title over red circles" and state["format"] == "jpeg"


# ---------------------------------------------------------------- every slider in the lessons
def _sliders(widget: W.Widget) -> list[Any]:
    found = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, (IntSlider, FloatSlider, SelectionSlider, IntRangeSlider)):
            found.append(w)
        stack.extend(getattr(w, "children", ()))
    return found


def test_every_lesson_slider_is_named_with_its_unit(course, tmp_path):
    """Each handle's accessible name (its own label, else the visible one) says what it sets, and the name or the
    value read aloud carries the unit: a screen reader hears "Mixing & editing: share of your week (%), 30%"."""
    from lessonkit.track.settings import PARTS, check_settings
    from lessonkit.widgets.pay_paths import PayPathsExplorer
    from lessonkit.widgets.timesplit import IdealWeek, TypicalDay, WorkSplitExplorer
    from lessonkit.widgets.track import TrackStudio

    card = course.careers["music-producer"]
    first = check_settings(course.track, mood="hopeful", genre="house", seed=2)
    views = {"work split": WorkSplitExplorer(card, "source").view, "ideal week": IdealWeek(card, "source").view,
             "typical day": TypicalDay(card, "source").view, "pay paths": PayPathsExplorer(course, 40_000, card=card.id).view,
             "track studio": TrackStudio(course.track, first, export_dir=str(tmp_path)).view}
    checked = 0
    for where, view in views.items():
        for slider in _sliders(view):
            handles = 2 if isinstance(slider, IntRangeSlider) else 1
            names = [slider.labels[i] if i < len(slider.labels) and slider.labels[i] else slider.description
                     for i in range(handles)]
            for name in names:
                assert name.strip(), f"{where}: a slider without a name"
                assert "(" in name or slider.unit or isinstance(slider, SelectionSlider), f"{where}: {name!r} says no unit"
            checked += 1
    # Lesson 01: 2 + 5 + 1 sliders; the pay paths 2; the studio's tempo, 4 levels, 4 pans and master
    assert checked == 8 + 2 + 1 + 2 * len(PARTS) + 1
