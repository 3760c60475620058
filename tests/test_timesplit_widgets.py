"""The time-split widgets without a browser: set a control's value, then check state, chart data and messages."""

from __future__ import annotations

import html
import json
import re

import pytest

import lessonkit
from lessonkit.models import timesplit as m
from lessonkit.errors import ParameterError
from lessonkit.lesson import Lesson
from lessonkit.widgets.timesplit import IdealWeek, TypicalDay, WorkSplitExplorer

CARD = {"recording": 25, "mixing": 30, "production": 15, "sessions": 10, "business": 20}


@pytest.fixture
def lesson(course) -> Lesson:
    """Lesson 01 with no answers store, so nothing saved elsewhere leaks into these tests."""
    return Lesson(course, course.lesson("01-music-producer"))


def changes(widget) -> list[dict]:
    seen: list[dict] = []
    widget.on_change(lambda key, state: seen.append(state))
    return seen


def text(control) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", control.value))


def json_safe(widget) -> bool:
    return json.loads(json.dumps(widget.state)) == widget.state


# ---------------------------------------------------------------- entry points
def test_entry_points_build_and_attach_each_widget(lesson):
    made = [lessonkit.work_split(lesson, week_hours=35), lessonkit.ideal_week(lesson, week_hours=35),
            lessonkit.typical_day(lesson)]
    assert [type(w) for w in made] == [WorkSplitExplorer, IdealWeek, TypicalDay]
    assert lesson.widgets == made
    assert [w.key for w in made] == ["work-split-explorer", "ideal-week", "typical-day"]
    assert all(json_safe(w) for w in made)


@pytest.mark.parametrize("value", [0, 200, "forty", 12.5])
def test_a_bad_week_length_parameter_says_what_is_expected(lesson, value):
    for entry in (lessonkit.work_split, lessonkit.ideal_week):
        with pytest.raises(ParameterError, match=r"week_hours = .* cannot be used: expected a whole number of hours "
                                                 r"from 1 to 100"):
            entry(lesson, week_hours=value)
    assert lesson.widgets == []


def test_text_output_is_the_charts_summary(lesson):
    bundle = lessonkit.work_split(lesson, week_hours=40)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("The card's shares as hours of a 40-hour week (the week's length is set "
                                           "here, not by the card): Recording & tracking 10 h (25%)")


# ---------------------------------------------------------------- the card's split in hours, and the shift
def test_the_split_is_drawn_in_hours_of_the_chosen_week(lesson):
    widget = lessonkit.work_split(lesson, week_hours=40)
    card, yours = widget.fig.data
    assert card["x"] == [10, 12, 6, 4, 8] and card["y"][0] == "Recording & tracking"
    assert card["text"][1] == "12 h · 30%"
    seen = changes(widget)
    widget.week.box.value = 30
    assert widget.fig.data[0]["x"] == [7.5, 9, 4.5, 3, 6] and widget.state["week_hours"] == 30 and len(seen) == 1
    assert "hours in a 30-hour week" == widget.fig.figure_layout["xaxis"]["title"]["text"]
    assert "Source: Career card: Music Producer (June 2026)" in widget.summary()
    assert "A rough split" in widget.summary()


@pytest.mark.parametrize("value", [0, 200, -3])
def test_an_impossible_week_is_explained_and_the_last_chart_stays(lesson, value):
    widget = lessonkit.work_split(lesson, week_hours=40)
    seen = changes(widget)
    widget.week.box.value = value
    assert "1 to 100" in widget.week.message.text and "last good value (40 hours)" in widget.week.message.text
    assert widget.fig.data[0]["x"] == [10, 12, 6, 4, 8] and widget.state["week_hours"] == 40 and seen == []
    widget.week.box.value = 20
    assert widget.week.message.text == "" and widget.fig.data[0]["x"] == [5, 6, 3, 2, 4]


def test_the_career_stage_moves_time_as_the_learners_scenario(lesson):
    widget = lessonkit.work_split(lesson, week_hours=40)
    card_before = widget.fig.data[0]["x"]
    assert widget.fig.data[1]["x"] == card_before
    widget._stage.value = 0.5
    assert widget.state == {"week_hours": 40, "stage": 0.5, "shift_size": 20}
    assert widget.fig.data[1]["x"] == [8, 10, 8.5, 5.5, 8] and widget.fig.data[0]["x"] == card_before
    assert widget.fig.data[1]["name"] == "Your scenario: halfway"
    widget._size.value = 40
    assert widget.scenario == {"recording": 16, "mixing": 19, "production": 27, "sessions": 18, "business": 20}
    assert "not a published figure" in text(widget._summary) and "20 points of the week (8 h)" in widget.summary()


def test_the_split_widget_restores_what_is_valid_and_ignores_the_rest(lesson):
    widget = lessonkit.work_split(lesson, week_hours=40)
    widget.restore({"week_hours": 25, "stage": 1.0, "shift_size": 10})
    assert widget._stage.value == 1.0 and widget._size.value == 10 and widget.week.box.value == 25
    assert widget.fig.data[1]["x"] == list(m.hours(widget.scenario, 25).values()) != widget.fig.data[0]["x"]
    widget.restore({"week_hours": 0, "stage": 0.3, "shift_size": "big", "junk": 1})
    assert widget.state == {"week_hours": 25, "stage": 1.0, "shift_size": 10}
    widget.restore("not a dict")  # type: ignore[arg-type]
    assert widget.state["week_hours"] == 25


# ---------------------------------------------------------------- the ideal week
def test_moving_a_slider_rebalances_the_others_and_the_chart(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    seen = changes(widget)
    widget._sliders["production"].value = 30
    assert widget.state["shares"] == {"recording": 21, "mixing": 25, "production": 30, "sessions": 8, "business": 16}
    assert [widget._sliders[k].value for k in CARD] == [21, 25, 30, 8, 16]
    assert widget.fig.data[1]["x"] == [8.5, 10, 12, 3, 6.5] and widget.fig.data[0]["x"] == [10, 12, 6, 4, 8]
    assert len(seen) == 1 and seen[0] == widget.state
    assert "You want twice the production & arrangement time the job gives early on" in text(widget._summary)


def test_a_moved_slider_sends_the_chart_before_the_other_sliders_values(lesson, monkeypatch):
    """The page redraws the chart as soon as it arrives: it comes first, the other sliders' values after it."""
    import comm
    from ipywidgets.widgets.widget import _instances

    widget = lessonkit.ideal_week(lesson, week_hours=40)
    sent = []
    real = comm.DummyComm.publish_msg

    def recording(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        sent.append((_instances.get(self.comm_id), sorted((data or {}).get("state", {}))))
        return real(self, msg_type, data, metadata, buffers, **keys)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", recording)
    widget._sliders["production"].set_state({"value": 30})  # as the page's message sets it
    order = [(owner, keys) for owner, keys in sent if keys]
    others = [i for i, (owner, _) in enumerate(order)
              if owner in widget._sliders.values() and owner is not widget._sliders["production"]]
    chart = next(i for i, (owner, keys) in enumerate(order) if owner is widget.fig and "data" in keys)
    assert others and chart < min(others)


def test_sliders_always_add_up_to_100_and_moving_back_restores_the_rest(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    for value in [0, 100, 33, 71, 5, 30]:
        widget._sliders["mixing"].value = value
        assert sum(s.value for s in widget._sliders.values()) == 100
    assert widget.state["shares"] == CARD


def test_a_locked_activity_holds_and_caps_the_others(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    widget._locks["business"].value = True
    widget._locks["recording"].value = True
    assert widget._sliders["business"].disabled and widget.state["locked"] == ["recording", "business"]
    widget._sliders["production"].value = 80
    shares = widget.state["shares"]
    assert shares["business"] == 20 and shares["recording"] == 25 and shares["production"] == 55
    assert widget._sliders["production"].value == 55
    assert "at most 55% while the locked activities hold 45%" in widget.message.text


def test_all_activities_locked_is_explained_and_nothing_moves(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    for lock in widget._locks.values():
        lock.value = True
    assert widget.message.text.startswith("All five activities are locked")
    widget._locks["mixing"].value = False
    assert "Only Mixing & editing is unlocked" in widget.message.text
    before = widget.fig.data[1]["x"]
    widget._sliders["mixing"].value = 50  # as if the learner still dragged it
    assert widget._sliders["mixing"].value == 30 and widget.state["shares"] == CARD
    assert widget.fig.data[1]["x"] == before and "nothing to trade time with" in widget.message.text


def test_the_ideal_week_follows_the_week_length_and_refuses_impossible_ones(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    widget.week.box.value = 200
    assert "200 hours" in widget.week.message.text and widget.state["week_hours"] == 40
    widget.week.box.value = 20
    assert widget.fig.data[0]["x"] == [5, 6, 3, 2, 4] and widget.fig.data[1]["x"] == [5, 6, 3, 2, 4]
    assert "every activity gets the same share of your 20 hours" in widget.summary()


def test_the_ideal_week_restores_valid_state_and_resets(lesson):
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    saved = {"week_hours": 30, "shares": {"recording": 10, "mixing": 20, "production": 40, "sessions": 20,
                                           "business": 10}, "locked": ["sessions", "nope"]}
    widget.restore(saved)
    assert widget.state == {**saved, "locked": ["sessions"]}
    assert widget._sliders["production"].value == 40 and widget._locks["sessions"].value
    widget.restore({"shares": {**CARD, "mixing": 99}, "week_hours": "x", "locked": "all"})
    assert widget.state == {**saved, "locked": ["sessions"]}
    widget._reset.click()
    assert widget.state == {"week_hours": 30, "shares": CARD, "locked": []}


# ---------------------------------------------------------------- a typical day
def test_choosing_a_moment_shows_what_happens_and_why(lesson):
    widget = lessonkit.typical_day(lesson)
    assert [label for label, _ in widget._pick.options] == ["11:00 am", "12:30 pm", "3:00 pm", "5:00 pm", "6:00 pm"]
    seen = changes(widget)
    widget._pick.value = "mix"
    assert widget.state["moment"] == "mix" and len(seen) == 1
    assert "3:00 pm · Mixing and fine-tuning" in widget._detail.value and "Why it matters" in widget._detail.value
    card = widget.fig.data[0]
    assert card["x"] == [11, 12.5, 15, 17, 18]
    assert card["marker"]["symbol"] == ["circle", "circle", "diamond", "circle", "circle"]


def test_learners_blocks_are_drawn_and_bad_ones_explained(lesson):
    widget = lessonkit.typical_day(lesson)
    seen = changes(widget)
    widget._start.value, widget._end.value, widget._activity.value = "13:00", "15:30", "production"
    widget._add.click()
    assert widget.state["blocks"] == [{"start": "13:00", "end": "15:30", "activity": "production"}]
    production = widget.fig.data[1 + widget.ids.index("production")]
    assert production["base"] == [13] and production["x"] == [2.5] and production["showlegend"]
    assert len(seen) == 1 and widget._start.value == ""
    for start, end, expected in [("16:00", "15:00", "before it starts"), ("14:00", "16:00", "overlaps"),
                                 ("19:00", "21:00", "outside your day"), ("25:00", "26:00", "not a time of day")]:
        assert widget.add_block(start, end, "mixing") is False
        assert expected in widget.message.text
    assert len(widget.blocks) == 1 and len(seen) == 1
    assert "2.5 h planned: production & arrangement 2.5 h" in widget.summary()


def test_the_day_cannot_shrink_past_a_block_and_blocks_can_be_removed(lesson):
    widget = lessonkit.typical_day(lesson)
    widget.add_block("08:00", "09:00", "business")
    widget._span.value = (9, 20)
    assert "08:00–09:00 Business & acquisition would fall outside it" in widget.message.text
    assert widget._span.value == (8, 20) and widget.state["day"] == [8, 20]
    widget._list.value = 0
    widget._remove.click()
    assert widget.blocks == [] and widget._remove.disabled
    widget._span.value = (9, 17)
    assert widget.state["day"] == [9, 17] and widget.fig.figure_layout["xaxis"]["range"][0] <= 9


def test_the_day_restores_what_still_fits(lesson):
    widget = lessonkit.typical_day(lesson)
    widget.restore({"moment": "ear", "day": [9, 18], "blocks": [
        {"start": "09:00", "end": "12:00", "activity": "mixing"},
        {"start": "11:00", "end": "13:00", "activity": "business"},
        {"start": "17:00", "end": "19:00", "activity": "sessions"}]})
    assert widget.state == {"moment": "ear", "day": [9, 18],
                            "blocks": [{"start": "09:00", "end": "12:00", "activity": "mixing"}]}
    widget.restore({"moment": "lunch", "day": [20, 5], "blocks": None})
    assert widget.state == {"moment": "ear", "day": [9, 18], "blocks": []}
    assert json_safe(widget)


def test_a_drawn_chart_gets_its_current_data(lesson):
    """A chart inside a box is drawn from its synced state, which holds every change made before the view."""
    widget = lessonkit.ideal_week(lesson, week_hours=40)
    widget._sliders["production"].value = 30
    widget._repr_mimebundle_()
    state = widget.fig.get_state()
    assert state["data"][1]["x"] == [8.5, 10, 12, 3, 6.5]
    assert state["figure_layout"]["xaxis"]["title"]["text"] == "hours in a 40-hour week"


def test_open_lesson_checks_the_week_length_first():
    with pytest.raises(ParameterError, match="week_hours = 200 cannot be used: expected a whole number of hours"):
        lessonkit.open_lesson("01-music-producer", week_hours=200)


def test_a_bad_week_length_stops_the_first_lesson_cell_under_papermill(tmp_path):
    import nbformat
    import papermill as pm

    from .conftest import NOTEBOOKS

    with pytest.raises(pm.PapermillExecutionError, match="week_hours = 0 cannot be used"):
        pm.execute_notebook(str(NOTEBOOKS / "01-music-producer.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"week_hours": 0}, kernel_name="python3", progress_bar=False,
                            cwd=str(NOTEBOOKS))
    code = [c for c in nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed == [2]  # parameters, injected parameters, then the lesson's first cell
    shown = "\n".join(code[2].outputs[0].traceback)
    assert "from 1 to 100" in shown and "Traceback" not in shown


def test_the_view_part_of_the_display_is_the_one_ipywidgets_emits(lesson):
    widget = lessonkit.work_split(lesson, week_hours=40)
    ours, theirs = widget._repr_mimebundle_(), widget.view._repr_mimebundle_()
    view = "application/vnd.jupyter.widget-view+json"
    assert ours[view] == theirs[view] and ours[view]["model_id"] == widget.view.model_id
    assert ours["text/plain"] != theirs["text/plain"]  # the summary, not the widget's repr
