"""The pure chart builders: what each lesson chart shows, built from the course's data as plain dicts, no widget needed.

Figures are read from the content the builders are given, so editing the card moves the
expected values with it.
"""

from __future__ import annotations

import re

import pytest

from lessonkit.charts import inventory as I
from lessonkit.charts import pay_paths as P
from lessonkit.charts import portfolio as F
from lessonkit.charts import timesplit as T
from lessonkit.models import salary as M
from lessonkit.models import timesplit as m
from lessonkit.palette import OUTLINE, PALETTE, SERIES

COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


def colours(tree: object) -> set[str]:
    """Every hex colour anywhere in a trace or layout."""
    return set(COLOUR.findall(repr(tree)))


@pytest.fixture
def card(course):
    return course.careers["music-producer"]


@pytest.fixture
def activities(card):
    ids = [a.id for a in card.work.activities]
    labels = {a.id: a.label for a in card.work.activities}
    kinds = {a.id: a.kind for a in card.work.activities}
    return ids, labels, kinds, m.whole_shares({a.id: a.share for a in card.work.activities}), m.Shift.of(card.work)


# ---------------------------------------------------------------- a week in hours
def test_week_bars_are_the_cards_shares_and_the_learners_as_hours(activities):
    ids, labels, kinds, published, shift = activities
    yours = m.shift_split(published, kinds, shift, 1.0, 20)
    (card, mine), changes = T.week_traces(ids, labels, 30, ("The card", "Yours"), published, yours)
    assert card["y"] == mine["y"] == [labels[k] for k in ids]
    assert card["x"] == [m.hours(published, 30)[k] for k in ids] and mine["x"] == [m.hours(yours, 30)[k] for k in ids]
    assert card["text"][0] == f"{m.fmt_hours(m.hours(published, 30)[ids[0]])} h · {published[ids[0]]}%"
    assert (card["name"], mine["name"]) == ("The card", "Yours")
    assert (card["marker"]["color"], mine["marker"]["color"]) == (PALETTE["blue"], PALETTE["orange"])
    top = max([*card["x"], *mine["x"]])
    assert changes == {"xaxis": {"title": {"text": "hours in a 30-hour week"}, "range": [0, top * 1.35 + 0.5]}}


def test_the_work_split_summary_names_every_activity_and_says_the_scenario_is_not_published(activities, card):
    ids, labels, kinds, published, shift = activities
    yours = m.shift_split(published, kinds, shift, 0.5, 30)
    w = card.work
    moved = T.scenario_words(m.shifted_points(published, kinds, shift, 0.5, 30), 40, w.moves_from, w.moves_to)
    page = T.scenario_html(ids, labels, kinds, shift, 40, published, yours, moved, w.moves_from)
    assert all(f"<td>{label.replace('&', '&amp;')}</td>" in page for label in labels.values())
    assert "not a published figure" in page and moved in page
    assert f"move from {w.moves_from} to {w.moves_to}." in moved
    leaving = T.leaving_hours(m.hours(published, 40), kinds, shift)
    assert leaving == sum(m.hours(published, 40)[k] for k in ids if kinds[k] in w.moves_from_kinds) > 0
    assert f"{w.moves_from[0].upper()}{w.moves_from[1:]} take {m.fmt_hours(leaving)} h in the card's split" in page
    text = T.scenario_text(ids, labels, 40, published, yours, "halfway", card.work.caveat, "the card", moved)
    assert all(f"{labels[k]} {m.fmt_hours(m.hours(published, 40)[k])} h ({published[k]}%)" in text for k in ids)
    assert T.scenario_words(0, 40, w.moves_from, w.moves_to).startswith("Move the career stage")


def test_an_activity_label_reads_as_words_inside_a_sentence():
    assert T.in_words("Production & arrangement") == "production and arrangement"
    assert T.in_words("Example planning") == "example planning"


def test_the_ideal_week_summary_reads_the_differences(activities, card):
    ids, labels, kinds, published, shift = activities
    mine = dict(published)
    first, second = ids[0], ids[1]
    mine[first], mine[second] = published[first] + 10, published[second] - 10
    differences = m.compare(published, mine, 40, labels, kinds)
    reading = m.plain_reading(differences, 40, card.work.people, shift)
    page = T.ideal_html(differences, reading)
    assert page.count("<tr>") == len(ids) + 1 and "+4 h" in page and "−4 h" in page
    assert T.ideal_text(differences, reading, 40).startswith(f"Your ideal 40-hour week: {labels[first]} {mine[first]}%")


# ---------------------------------------------------------------- a typical day
def test_the_day_marks_the_chosen_moment_and_draws_each_block_in_its_activitys_row(activities, card):
    ids, labels, _, _, _ = activities
    moments = [(mo.id, m.card_time(mo.time), mo.title) for mo in card.day.moments]
    chosen = moments[1][0]
    block = m.make_block("09:00", "10:30", ids[2], [], (8 * 60, 20 * 60), labels)
    (line, *bars), changes = T.day_traces(moments, chosen, ids, labels, [block], (8 * 60, 20 * 60))
    assert line["x"] == [minutes / 60 for _, minutes, _ in moments]
    assert line["marker"]["symbol"] == ["diamond" if moment_id == chosen else "circle" for moment_id, _, _ in moments]
    assert [b["name"] for b in bars] == [T.short(labels[k]) for k in ids]
    drawn = [b for b in bars if b["x"]]
    assert len(drawn) == 1 and drawn[0]["base"] == [9.0] and drawn[0]["x"] == [1.5]
    assert [b["showlegend"] for b in bars] == [k == ids[2] for k in ids]
    lo, hi = changes["xaxis"]["range"]
    assert lo <= 8 and hi >= max(minutes for _, minutes, _ in moments) / 60 + 1
    assert changes["xaxis"]["ticktext"] == [m.fmt_clock(h * 60) for h in changes["xaxis"]["tickvals"]]
    page = T.day_html(moments, labels, [block], T.day_words(ids, labels, [block], (8 * 60, 20 * 60)))
    assert all(title in page for _, _, title in moments) and "1.5 h planned" in page


def test_the_day_explains_the_cards_first_afternoon_time_if_it_has_one():
    assert T.afternoon_example([("11:00", 660), ("3:00", 900), ("5:00", 1020)]) == " (its 3:00 is 3 pm)"
    assert T.afternoon_example([("12:30", 750), ("4:30", 990)]) == " (its 4:30 is 4:30 pm)"
    assert T.afternoon_example([("9:00", 540), ("12:00", 720)]) == ""


# ---------------------------------------------------------------- pay paths
def test_the_salaried_chart_draws_the_published_points_and_the_target(card):
    s = card.pay.salaried
    model = M.salaried_model(s.entry, s.median, s.top, entry_percentile=10, top_percentile=90)
    (curve, points, target, marker), changes = P.salaried_traces(s, model, 50_000, 10, 90, s.as_of)
    assert points["x"] == [s.entry, s.median, s.top] and points["y"] == [90, 50, 10]
    assert target["x"] == [50_000, 50_000] and marker["y"] == [100 * model.share_above(50_000)]
    assert curve["x"][-1] == changes["xaxis"]["range"][1] == max(s.top * 1.5, 50_000 * 1.15)
    assert P.usd_k(s.median) in points["text"][1] and s.as_of in points["name"]
    words = P.salaried_sentences(s, model.share_above(50_000), 50_000, 10, 90)
    assert P.usd_k(s.median) in words[1] and "10 in 100" in words[1] and s.as_of in words[1]
    assert f" {s.people} earn more than $50,000 a year." in words[0]


def test_the_artist_chart_shows_the_published_range_and_a_curve_only_from_guesses(card):
    a = card.pay.artist
    (band, curve, target, marker), _ = P.artist_traces(a, 60_000, None)
    assert band["x"][:2] == [a.high_low, a.high_high] and not curve["visible"] and curve["x"] == []
    illustration = M.artist_illustration(20_000, 0.05, a.high_low)
    (_, curve, _, marker), _ = P.artist_traces(a, 60_000, illustration)
    assert curve["visible"] and "not data" in curve["name"] and marker["visible"]
    most = P.artist_annotations(a)[1]["text"]
    assert most.replace("<br>", " ") == f"{a.typical[0].upper()}{a.typical[1:]} (no figure published)"
    assert all(len(line) <= 10 for line in most.split("<br>"))
    words = P.artist_sentences(a, 60_000, None, None)
    assert "publishes no share" in words[0] and "type your own guesses" in words[1]
    words = P.artist_sentences(a, 60_000, (20_000, 0.05), illustration.share_above(60_000))
    assert f" {a.people} would earn more than $60,000." in words[1]


# ---------------------------------------------------------------- portfolio
def test_the_portfolio_stacks_each_streams_guesses_against_the_target(course):
    guide = course.guides["can-you-make-a-living"]
    streams = [(s.id, s.label) for s in guide.income_streams]
    first, second = streams[0][0], streams[1][0]
    guesses = {first: M.Guess(1_000, 5_000, 9_000), second: M.Guess(0, 2_000, 12_000)}
    traces, changes = F.portfolio_traces(streams, guesses, 30_000)
    assert [t["visible"] for t in traces] == [s in guesses for s, _ in streams]
    assert traces[0]["x"] == [1_000, 5_000, 9_000] and traces[0]["y"] == list(F.ROWS)
    assert changes["shapes"][0]["x0"] == 30_000 and changes["xaxis"]["range"] == [0, max(21_000, 30_000) * 1.12]
    assert changes["annotations"][1]["text"] == ""
    _, empty = F.portfolio_traces(streams, {}, 30_000)
    assert "No streams yet" in empty["annotations"][1]["text"]
    words = F.portfolio_sentences(streams, guesses, 30_000)
    assert M.money(7_000) in words[0] and M.money(23_000) + " short of" in words[0]


def test_the_chance_chart_adds_streams_largest_likely_first():
    streams = [("a", "Alpha"), ("b", "Beta")]
    simulated = M.simulate_portfolio({"a": M.Guess(0, 1_000, 2_000), "b": M.Guess(5_000, 9_000, 20_000)}, 8_000)
    (bars,), _ = F.chance_traces(streams, simulated)
    assert bars["y"][0] == f"{dict(streams)[simulated.steps[0][0]]} alone" and bars["y"][1].startswith("+ ")
    assert bars["x"] == [100 * c for _, c in simulated.steps] and bars["text"] == [F.percent(c) for _, c in simulated.steps]
    assert F.percent(0.001) == "under 1%" and F.percent(0.999) == "over 99%" and F.percent(0.5) == "50%"


def test_every_colour_a_builder_draws_is_the_courses_palette(activities, card):
    """Charts keep to the Okabe-Ito palette (told apart with colour-vision deficiencies) and its outline grey."""
    ids, labels, kinds, published, shift = activities
    moments = [(mo.id, m.card_time(mo.time), mo.title) for mo in card.day.moments]
    s = card.pay.salaried
    model = M.salaried_model(s.entry, s.median, s.top, entry_percentile=10, top_percentile=90)
    drawn = [T.week_traces(ids, labels, 40, ("a", "b"), published, published), T.week_layout("t"),
             T.day_traces(moments, moments[0][0], ids, labels, [], (480, 1200)), T.day_layout(),
             P.salaried_traces(s, model, 50_000, 10, 90, s.as_of), P.pay_layout("t", []),
             F.portfolio_traces([("x", "X")] * 9, {"x": M.Guess(1, 2, 3)}, 10), F.chance_layout(),
             I.inventory_traces(["A"], [30], [70]), I.inventory_layout(3)]
    assert colours(drawn) <= {*PALETTE.values(), *SERIES, OUTLINE}


# ---------------------------------------------------------------- the Capacity Inventory
def test_the_inventory_stacks_each_producers_production_share_against_the_rest():
    """One bar per producer in each trace, labelled with its share; a producer with no estimate gets an empty bar."""
    (production, rest), changes = I.inventory_traces(["A · 2 streams", "B · 1 stream"], [30, None], [70, None])
    assert (production["name"], rest["name"]) == ("Production work", "Everything else") and changes == {}
    assert production["y"] == rest["y"] == ["A · 2 streams", "B · 1 stream"]
    assert production["x"] == [30, None] and production["text"] == ["30%", ""] and rest["text"] == ["70%", ""]
    assert I.inventory_layout(4)["height"] > I.inventory_layout(3)["height"]  # room for each producer
