"""The pay-paths explorer and the portfolio builder, driven through their controls with no browser; and the lessons that show them."""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

import lessonkit
from lessonkit.errors import LessonkitError, ParameterError
from lessonkit.widgets.pay_paths import PayPathsExplorer, salaried_sentence
from lessonkit.widgets.portfolio import PortfolioBuilder

from .conftest import NOTEBOOKS

BAD_AMOUNTS = [
    ("", "is empty"), ("forty thousand", "is not an amount"), ("-45000", "negative"),
    ("900,000,000", "more than $10,000,000"),
]


@pytest.fixture(autouse=True)
def answers_elsewhere(tmp_path: Path, monkeypatch):
    """Lessons opened here save their answers in a scratch folder, not the learner's."""
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(tmp_path / "answers"))


@pytest.fixture
def pay(course) -> PayPathsExplorer:
    return PayPathsExplorer(course, 40_000, card="music-producer")


@pytest.fixture
def builder(course) -> PortfolioBuilder:
    return PortfolioBuilder(course, 40_000)


def figure_data(fig) -> list[dict]:
    return copy.deepcopy(fig.data)


def listen(widget) -> list[dict]:
    heard: list[dict] = []
    widget.on_change(lambda key, state: heard.append(state))
    return heard


def fill(builder: PortfolioBuilder, stream: str, low: str, likely: str, high: str) -> None:
    for col, value in zip(("low", "likely", "high"), (low, likely, high)):
        builder.controls[f"{stream}.{col}"].value = value


# ---------------------------------------------------------------- pay paths
def test_the_published_points_are_drawn_as_published_with_their_source(pay, course):
    s = course.careers["music-producer"].pay.salaried
    model, points, target, _ = pay.salaried_figure.data
    assert points["x"] == [s.entry, s.median, s.top]
    assert points["text"] == ["Entry $34K", "Median $66K", "Top $105K"]
    # The card ties only the median and the growth to BLS (May 2024); entry and top are its own figures.
    assert points["name"] == "Published points (median: May 2024)"
    assert model["name"].startswith("Model") and model["line"]["dash"] == "dash"
    assert target["x"] == [40_000, 40_000]


def test_the_salaried_summary_dates_only_the_bls_figures_and_gives_the_growth_no_period(pay):
    text = pay.summary()
    assert "a median of about $66K and growth of 11% to 17% expected (as of May 2024" in text
    assert "the card gives no period for the growth" in text
    assert "about $34K at entry and $105K at the top (the card's own figures)" in text


def test_the_artist_path_shows_the_published_range_and_no_curve_until_the_learner_guesses(pay, course):
    a = course.careers["music-producer"].pay.artist
    band, illustration, _, _ = pay.artist_figure.data
    assert min(band["x"]) == a.high_low and max(band["x"]) == a.high_high and "no share given" in band["name"]
    assert illustration["visible"] is False and illustration["x"] == []
    text = pay.summary()
    assert "publishes no share" in text and "most earn modestly" in text and "$150K to $500K and more" in text


def test_the_target_is_placed_in_plain_words(pay, course):
    text = pay.summary()
    assert "In this model, about 8 in 10 salaried audio engineers earn more than $40,000 a year." in text
    assert "between the published entry ($34K) and median ($66K) figures" in text
    assert "growth of 11% to 17%" in text
    people = course.careers["music-producer"].pay.salaried.people
    assert salaried_sentence(0.7, 45_000, people) == f"In this model, about 7 in 10 {people} earn more than $45,000 a year."


def test_a_new_target_moves_both_charts_and_is_saved(pay):
    heard = listen(pay)
    figure = pay.salaried_figure
    pay.controls["target"].value = "$80k"
    assert pay.state["target_income"] == 80_000 and heard[-1]["target_income"] == 80_000 and len(heard) == 1
    assert pay.salaried_figure is figure  # updated in place, never rebuilt
    assert figure.data[2]["x"] == [80_000, 80_000] and pay.artist_figure.data[2]["x"] == [80_000, 80_000]
    assert "earn more than $80,000" in pay.summary() and pay.messages["target"].text == ""


@pytest.mark.parametrize(("typed", "words"), [*BAD_AMOUNTS, ("0", "a target of $0")])
def test_a_bad_target_is_explained_and_the_last_chart_stays(pay, typed, words):
    pay.controls["target"].value = "55k"
    heard, before, summary = listen(pay), figure_data(pay.salaried_figure), pay.summary()
    pay.controls["target"].value = typed
    assert words in pay.messages["target"].text and "still show $55,000" in pay.messages["target"].text
    assert pay.state["target_income"] == 55_000 and heard == []
    assert figure_data(pay.salaried_figure) == before and pay.summary() == summary


def test_the_models_assumption_is_visible_and_adjustable(pay):
    share_before = pay.salaried_figure.data[3]["y"][0]
    pay.controls["entry_percentile"].value = 25
    model, points, _, marker = pay.salaried_figure.data
    assert "25 in 100 below entry" in model["name"] and points["y"][0] == 75 and marker["y"][0] < share_before
    assert pay.state["entry_percentile"] == 25 and "assuming 25 in 100 earn less than the entry" in pay.summary()
    assert "percentile" not in pay.summary() and "percentile" not in model["name"]  # plain words for learners


def test_the_learners_guesses_draw_a_labelled_illustration(pay):
    pay.controls["artist_typical"].value = "25k"
    assert pay.artist_figure.data[1]["visible"] is False and "too" in pay.messages["artist_share"].text
    pay.controls["artist_share"].value = "5"
    illustration = pay.artist_figure.data[1]
    assert illustration["visible"] is True and "your guesses: not data" in illustration["name"]
    assert pay.state["artist_typical"] == 25_000 and pay.state["artist_share_in_100"] == 5
    assert "In your illustration (a typical income of $25,000 and 5 in 100 reaching $150K" in pay.summary()
    pay.controls["artist_typical"].value, pay.controls["artist_share"].value = "", ""
    assert pay.artist_figure.data[1]["visible"] is False and pay.state["artist_typical"] is None


@pytest.mark.parametrize(("field", "typed", "words"), [
    ("artist_typical", "200k", "at or above $150K"), ("artist_typical", "lots", "is not an amount"),
    ("artist_share", "60", "below 50 in 100"), ("artist_share", "some", "is not a number"),
])
def test_bad_guesses_are_explained_and_the_illustration_stays(pay, field, typed, words):
    pay.controls["artist_typical"].value, pay.controls["artist_share"].value = "30k", "4"
    before, state = figure_data(pay.artist_figure), pay.state
    pay.controls[field].value = typed
    assert words in pay.messages[field].text
    assert figure_data(pay.artist_figure) == before and pay.state == state


def test_pay_paths_state_restores_and_ignores_what_is_invalid(pay):
    pay.restore({"target_income": 52_000, "entry_percentile": 20, "top_percentile": 95,
                 "artist_typical": 20_000, "artist_share_in_100": 3})
    assert pay.state == {"target_income": 52_000, "entry_percentile": 20, "top_percentile": 95,
                         "artist_typical": 20_000, "artist_share_in_100": 3}
    assert pay.controls["target"].value == "52,000" and pay.artist_figure.data[1]["visible"] is True
    pay.restore({"target_income": "lots", "entry_percentile": 80, "top_percentile": True,
                 "artist_typical": -5, "artist_share_in_100": 3, "unknown": 1})
    assert pay.state["target_income"] == 52_000 and pay.state["entry_percentile"] == 20
    assert pay.state["top_percentile"] == 95 and pay.state["artist_typical"] == 20_000
    for junk in (None, [], "text", {"target_income": [1, 2]}):
        pay.restore(junk)  # never raises
    json.dumps(pay.state)


def test_the_text_form_of_the_widget_is_its_summary(pay):
    bundle = pay._repr_mimebundle_()
    assert "salaried audio engineers earn more" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_every_control_has_a_visible_label(pay, builder):
    for widget in (pay, builder):
        for control in widget.controls.values():
            assert control.description.strip()


def test_the_lesson_keeps_the_widget_and_checks_the_target():
    lesson = lessonkit.open_lesson("01-music-producer", target_income=45_000)
    widget = lessonkit.pay_paths(lesson, target_income=45_000)
    assert widget in lesson.widgets and widget.state["target_income"] == 45_000
    with pytest.raises(ParameterError, match="target_income = 0"):
        lessonkit.pay_paths(lesson, target_income=0)
    with pytest.raises(ParameterError, match="target_income = 'plenty'"):
        lessonkit.open_lesson("01-music-producer", target_income="plenty")


def test_a_lesson_without_a_career_card_is_told_so_rather_than_given_another_careers_pay():
    lesson = lessonkit.open_lesson("00-start-here")
    with pytest.raises(LessonkitError, match="uses no career card.*uses: {card: <card id>}"):
        lessonkit.pay_paths(lesson)


# ---------------------------------------------------------------- portfolio
def test_the_streams_are_the_lessons_own_plus_other(builder, course):
    guide = course.guides["can-you-make-a-living"]
    assert builder.streams == [(s.id, s.label) for s in guide.income_streams] + [("other", "Other (anything else)")]
    assert len(builder.portfolio_figure.data) == len(builder.streams)
    assert builder.state == {"target_income": 40_000, "shape": "triangular", "streams": {}}
    assert "No streams in your portfolio yet" in builder.summary()


def test_typing_a_streams_amounts_adds_it_to_the_stacked_chart_and_the_simulation(builder):
    heard = listen(builder)
    fill(builder, "mixing", "5k", "$12,000", "25,000")
    assert builder.controls["mixing.include"].value is True
    assert builder.state["streams"] == {"mixing": {"included": True, "low": 5_000, "likely": 12_000, "high": 25_000}}
    assert len(heard) == 1  # the stream joined once its three amounts were valid
    index = [s for s, _ in builder.streams].index("mixing")
    bar = builder.portfolio_figure.data[index]
    assert bar["visible"] is True and bar["x"] == [5_000, 12_000, 25_000]
    assert builder.chance_figure.data[0]["y"] == ["Mixing alone"]
    assert builder.result.draws >= 100_000
    assert "Mixing $12,000 = $12,000 a year, $28,000 short of your target of $40,000" in builder.summary()


def test_adding_and_removing_a_stream_moves_the_chance_and_says_so(builder):
    fill(builder, "production", "2000", "15000", "40000")
    fill(builder, "mixing", "5000", "12000", "25000")
    two = builder.result.chance
    fill(builder, "teaching", "0", "8000", "15000")
    three = builder.result.chance
    assert three > two
    assert f"Your last change (adding Teaching) moved the chance from {round(two * 100)}% to {round(three * 100)}%" \
        in builder.summary()
    assert [c for _, c in builder.result.steps] == sorted(c for _, c in builder.result.steps)
    assert "without Teaching" in builder.summary()
    builder.controls["teaching.include"].value = False
    assert builder.result.chance == two and builder.state["streams"]["teaching"]["included"] is False
    assert "taking out Teaching" in builder.summary()
    teaching = [s for s, _ in builder.streams].index("teaching")
    assert builder.portfolio_figure.data[teaching]["visible"] is False
    builder.controls["teaching.include"].value = True
    assert builder.result.chance == three


@pytest.mark.parametrize(("typed", "words"), [*BAD_AMOUNTS[1:], ("1,2,3", "is not an amount")])
def test_a_bad_amount_is_explained_next_to_its_stream_and_the_last_chart_stays(builder, typed, words):
    fill(builder, "mixing", "5000", "12000", "25000")
    heard, before, chance_before = listen(builder), figure_data(builder.portfolio_figure), figure_data(builder.chance_figure)
    state = builder.state
    builder.controls["mixing.likely"].value = typed
    message = builder.messages["mixing"].text
    assert message.startswith("Mixing: Likely:") and words in message and "last valid amounts" in message
    assert builder.state == state and heard == []
    assert figure_data(builder.portfolio_figure) == before and figure_data(builder.chance_figure) == chance_before


def test_low_above_high_is_explained(builder):
    fill(builder, "teaching", "20000", "8000", "15000")
    assert "Low ($20,000) is above likely ($8,000)" in builder.messages["teaching"].text
    assert builder.state["streams"] == {} and builder.result.steps == []


def test_ticking_a_stream_without_amounts_asks_for_them(builder):
    before = figure_data(builder.chance_figure)
    builder.controls["touring.include"].value = True
    assert "Type low, likely and high amounts for Touring" in builder.messages["touring"].text
    builder.controls["touring.low"].value = "0"
    assert "likely and high too" in builder.messages["touring"].text
    assert figure_data(builder.chance_figure) == before and builder.state["streams"] == {}
    builder.controls["touring.likely"].value, builder.controls["touring.high"].value = "3k", "9k"
    assert builder.state["streams"]["touring"]["included"] is True and builder.messages["touring"].text == ""


@pytest.mark.parametrize(("typed", "words"), [*BAD_AMOUNTS, ("0", "a target of $0")])
def test_a_bad_portfolio_target_is_explained_and_the_last_chart_stays(builder, typed, words):
    fill(builder, "mixing", "5000", "12000", "25000")
    before = figure_data(builder.chance_figure)
    builder.controls["target"].value = typed
    assert words in builder.messages["target"].text and builder.state["target_income"] == 40_000
    assert figure_data(builder.chance_figure) == before


def test_a_new_target_and_a_new_shape_rerun_the_simulation(builder):
    fill(builder, "mixing", "5000", "12000", "25000")
    fill(builder, "teaching", "0", "8000", "15000")
    at_40k = builder.result.chance
    builder.controls["target"].value = "20k"
    assert builder.result.chance > at_40k and builder.portfolio_figure.figure_layout["shapes"][0]["x0"] == 20_000
    triangular = builder.result.chance
    builder.controls["shape"].value = "pert"
    assert builder.state["shape"] == "pert" and builder.result.chance != triangular
    assert "the smooth shape" in builder.summary() and "independent" in builder.summary()
    assert "PERT" not in builder.summary() and "seed" not in builder.summary()  # plain words for learners


def test_portfolio_state_restores_and_ignores_what_is_invalid(builder):
    saved = {"target_income": 60_000, "shape": "pert", "streams": {
        "mixing": {"included": True, "low": 5_000, "likely": 12_000, "high": 25_000},
        "teaching": {"included": False, "low": 0, "likely": 8_000, "high": 15_000},
        "sync-licensing": {"included": True, "low": 9_000, "likely": 1_000, "high": 5_000},  # low above likely
        "lottery": {"included": True, "low": 0, "likely": 1, "high": 2},  # not a stream of the lesson
        "touring": "lots",
    }}
    heard = listen(builder)
    builder.restore(saved)
    assert builder.state == {"target_income": 60_000, "shape": "pert", "streams": {
        "mixing": saved["streams"]["mixing"], "teaching": saved["streams"]["teaching"]}}
    assert builder.controls["mixing.likely"].value == "12,000" and builder.controls["teaching.include"].value is False
    assert [s for s, _ in builder.result.steps] == ["mixing"] and heard == []
    builder.restore({"target_income": 0, "shape": "normal", "streams": []})
    assert builder.state["target_income"] == 60_000 and builder.state["shape"] == "pert"
    for junk in (None, [], {"streams": {"mixing": None}}):
        builder.restore(junk)
    json.dumps(builder.state)


def test_the_portfolio_charts_update_in_place(builder):
    figures = (builder.portfolio_figure, builder.chance_figure)
    names = [t["name"] for t in builder.portfolio_figure.data]
    fill(builder, "mixing", "5000", "12000", "25000")
    fill(builder, "teaching", "0", "8000", "15000")
    assert (builder.portfolio_figure, builder.chance_figure) == figures
    assert [t["name"] for t in builder.portfolio_figure.data] == names
    mixing = [s for s, _ in builder.streams].index("mixing")
    assert builder.portfolio_figure.data[mixing]["x"] == [5_000, 12_000, 25_000]


def test_the_portfolio_builder_joins_its_lesson():
    lesson = lessonkit.open_lesson("02-can-you-make-a-living")
    widget = lessonkit.portfolio_builder(lesson, target_income="45k")
    assert widget in lesson.widgets and widget.state["target_income"] == 45_000


# ---------------------------------------------------------------- the lessons, run as a teacher would
def run(name: str, out: Path, **parameters):
    path = NOTEBOOKS / name
    return pm.execute_notebook(str(path), str(out), parameters=parameters, kernel_name="python3",
                               progress_bar=False, cwd=str(path.parent))


@pytest.mark.parametrize(("name", "cell"), [("01-music-producer.ipynb", "pay-paths"),
                                            ("02-can-you-make-a-living.ipynb", "portfolio")])
def test_executed_lessons_stay_small_and_show_the_summaries(name, cell, tmp_path: Path):
    out = tmp_path / name
    nb = run(name, out, target_income=45_000)
    assert out.stat().st_size < 300_000, f"{name} is {out.stat().st_size:,} bytes after running"
    shown = next(c for c in nb.cells if c.get("id") == cell).outputs[0]["data"]["text/plain"]
    assert "$45,000" in shown


def test_a_bad_target_income_stops_the_first_lesson_cell(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError):
        run("02-can-you-make-a-living.ipynb", tmp_path / "out.ipynb", target_income=0)
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed == [2]
    shown = "\n".join(code[2].outputs[0].traceback)
    assert "target_income = 0" in shown and "Expected the yearly income in US dollars" in shown
    assert "Traceback" not in shown


@pytest.mark.parametrize(("name", "after", "cell"), [
    ("01-music-producer.ipynb", "pay", "pay-paths"),
    ("02-can-you-make-a-living.ipynb", "reading:economic-context", "portfolio"),
    ("02-can-you-make-a-living.ipynb", "reading:your-learning", "pay-paths"),
])
def test_the_widgets_sit_after_the_readings_they_belong_to(name, after, cell):
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    index = next(i for i, c in enumerate(cells) if after in c.metadata.get("lessonkit", {}).get("blocks", []))
    assert cells[index + 1].id == cell and cells[index + 1].metadata["jupyter"]["source_hidden"] is True
    assert "target_income" in next(c for c in cells if c.id == "parameters").source


def test_a_state_put_back_before_display_reaches_the_first_drawing(builder):
    """The lesson restores saved answers before the page draws the chart; the drawing must show them."""
    builder.restore({"target_income": 40_000, "shape": "triangular", "streams": {
        "mixing": {"included": True, "low": 5_000, "likely": 12_000, "high": 25_000}}})
    mixing = [s for s, _ in builder.streams].index("mixing")
    bundle = builder._repr_mimebundle_()
    drawn = builder.portfolio_figure.get_state()["data"]  # what a view made now starts from
    assert drawn[mixing]["x"] == [5_000, 12_000, 25_000] and drawn[mixing]["visible"] is True
    assert builder.chance_figure.get_state()["data"][0]["y"] == ["Mixing alone"]
    assert "Mixing $12,000" in bundle["text/plain"]


def test_each_amount_box_is_named_for_its_stream_and_unit(builder):
    """On the page a box says only "Low"; a screen reader hears which stream's low yearly amount, in US$."""
    import re

    for stream_id, label in builder.streams:
        for col in ("low", "likely", "high"):
            description = builder.controls[f"{stream_id}.{col}"].description
            spoken = html.unescape(re.sub(r"<[^>]+>", "", description))
            assert spoken.startswith(col.capitalize()) and label in spoken and "US$" in spoken
