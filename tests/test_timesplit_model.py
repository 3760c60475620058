"""The time-split model: rebalancing, hours, the shift scenario, the comparison with the card, and day plans."""

from __future__ import annotations

import random

import pytest

from lessonkit.errors import ParameterError
from lessonkit.models import timesplit as m

CARD = {"recording": 25, "mixing": 30, "production": 15, "sessions": 10, "business": 20}
KINDS = {"recording": "technical", "mixing": "technical", "production": "creative", "sessions": "people",
         "business": "business"}
LABELS = {"recording": "Recording & tracking", "mixing": "Mixing & editing", "production": "Production & arrangement",
          "sessions": "Artist/client & sessions", "business": "Business & acquisition"}
IDS = list(CARD)
SHIFT = m.Shift(("technical",), ("creative", "people"))  # the music producer card's
DAY = (8 * 60, 20 * 60)


# ---------------------------------------------------------------- week length
@pytest.mark.parametrize("value", [1, 40, 100, 37.0])
def test_a_week_of_one_to_a_hundred_whole_hours_is_accepted(value):
    assert m.check_week_hours(value) == int(value) and m.week_hours_problem(value) is None


@pytest.mark.parametrize("value", [0, 200, -5, 40.5, "40", None, True])
def test_other_week_lengths_fail_with_what_is_expected(value):
    with pytest.raises(ParameterError, match="whole number of hours from 1 to 100") as error:
        m.check_week_hours(value)
    assert error.value.name == "week_hours" and "1 to 100" in m.week_hours_problem(value)


# ---------------------------------------------------------------- apportioning and rebalancing
def test_apportion_keeps_the_total_and_the_proportions():
    assert m.apportion({"a": 1, "b": 1, "c": 1}, 100) == {"a": 34, "b": 33, "c": 33}
    assert m.apportion({"a": 0, "b": 0}, 5) == {"a": 3, "b": 2}
    assert m.apportion(CARD, 100) == CARD


def test_moving_one_slider_rebalances_the_others_in_proportion():
    move = m.rebalance(CARD, "production", 30)
    assert move.shares == {"recording": 21, "mixing": 25, "production": 30, "sessions": 8, "business": 16}
    assert not move.clamped and move.limit == 100


def test_locked_activities_keep_their_share_and_cap_the_move():
    move = m.rebalance(CARD, "production", 90, locked={"business", "mixing"})
    assert move.shares["business"] == 20 and move.shares["mixing"] == 30
    assert move.shares["production"] == 50 and move.clamped and move.limit == 50
    assert sum(move.shares.values()) == 100


def test_moving_a_slider_back_with_a_fixed_basis_restores_the_others():
    basis = dict(CARD)
    shares = dict(CARD)
    for value in [31, 40, 55, 12, 3, 30]:
        shares = m.rebalance(shares, "mixing", value, basis=basis).shares
    assert shares == CARD


def test_rebalancing_always_adds_up_to_100_over_many_random_moves():
    """Property-style: thousands of random moves and locks never break the total, the locks or the range."""
    rng = random.Random(2026)
    shares = dict(CARD)
    for _ in range(5000):
        locked = {k for k in IDS if rng.random() < 0.3}
        moved = rng.choice(IDS)
        value = rng.uniform(-30, 130)
        before = dict(shares)
        basis = before if rng.random() < 0.5 else dict(CARD)
        try:
            move = m.rebalance(shares, moved, value, locked, basis=basis)
        except m.SplitError:
            assert moved in locked or all(k in locked for k in IDS if k != moved)
            continue
        shares = move.shares
        assert sum(shares.values()) == 100
        assert all(isinstance(v, int) and 0 <= v <= 100 for v in shares.values())
        assert all(shares[k] == before[k] for k in locked)
        assert shares[moved] == min(max(round(value), 0), move.limit)


def test_all_activities_locked_is_explained():
    with pytest.raises(m.SplitError, match="locked"):
        m.rebalance(CARD, "mixing", 40, locked=set(IDS))
    with pytest.raises(m.SplitError, match="nothing to trade time with"):
        m.rebalance(CARD, "mixing", 40, locked=set(IDS) - {"mixing"}, labels=LABELS)
    assert m.lock_problem(IDS, set(IDS)).startswith("All five activities are locked")
    assert "Only Mixing & editing is unlocked" in m.lock_problem(IDS, set(IDS) - {"mixing"}, LABELS)
    assert m.lock_problem(IDS, {"mixing", "business"}) is None


def test_saved_shares_are_checked():
    assert m.shares_problem(CARD, IDS) is None
    assert "add up to 101" in m.shares_problem({**CARD, "mixing": 31}, IDS)
    assert m.shares_problem({"mixing": 100}, IDS) and m.shares_problem("x", IDS)
    assert m.shares_problem({**CARD, "mixing": 30.5, "business": 19.5}, IDS)


# ---------------------------------------------------------------- hours and the shift
def test_hours_follow_the_week_and_add_up_to_it():
    assert m.hours(CARD, 40) == {"recording": 10, "mixing": 12, "production": 6, "sessions": 4, "business": 8}
    for week in range(1, 101):
        assert sum(m.hours(CARD, week).values()) == week


def test_the_shift_scenario_moves_technical_time_to_creative_and_people_work():
    assert m.shift_split(CARD, KINDS, SHIFT, 0, 20) == CARD
    half = m.shift_split(CARD, KINDS, SHIFT, 0.5, 20)
    assert half == {"recording": 20, "mixing": 25, "production": 21, "sessions": 14, "business": 20}
    assert m.shifted_points(CARD, KINDS, SHIFT, 0.5, 20) == 10
    everything = m.shift_split(CARD, KINDS, SHIFT, 1, 100)
    assert everything["recording"] == everything["mixing"] == 0 and everything["business"] == 20
    assert sum(everything.values()) == 100
    with pytest.raises(m.SplitError):
        m.shift_split(CARD, KINDS, SHIFT, 1.5, 20)


def test_the_shift_goes_the_way_the_card_says():
    """Another card's shift (people work giving way to creative and business work) moves other activities."""
    other = m.Shift(("people",), ("creative", "business"))
    moved = m.shift_split(CARD, KINDS, other, 1, 20)
    assert moved["sessions"] == 0 and moved["recording"] == CARD["recording"] and moved["mixing"] == CARD["mixing"]
    assert moved["production"] > CARD["production"] and moved["business"] > CARD["business"]
    assert sum(moved.values()) == 100
    assert m.shifted_points(CARD, KINDS, other, 1, 20) == CARD["sessions"]  # at most the time it moves from
    leaning = {**CARD, "sessions": 0, "business": 30}
    text = " ".join(m.plain_reading(m.compare(CARD, leaning, 40, LABELS, KINDS), 40, "example people", other))
    assert "You lean towards creative and business work" in text
    technical = {**CARD, "sessions": 20, "business": 10}
    text = " ".join(m.plain_reading(m.compare(CARD, technical, 40, LABELS, KINDS), 40, "example people", other))
    assert "You want more people time than the card's split" in text and "technical" not in text


def test_kinds_of_work_read_as_a_list():
    from lessonkit.models.prompts import and_list

    assert and_list(["technical"]) == "technical"
    assert and_list(["creative", "people"]) == "creative and people"
    assert and_list(["creative", "people", "business"]) == "creative, people and business"


# ---------------------------------------------------------------- the ideal week against the card
def test_differences_per_activity_in_points_and_hours():
    ideal = {"recording": 20, "mixing": 25, "production": 30, "sessions": 15, "business": 10}
    diffs = {d.id: d for d in m.compare(CARD, ideal, 40, LABELS, KINDS)}
    assert diffs["production"].points == 15 and diffs["production"].hours == 6
    assert diffs["business"].published_hours == 8 and diffs["business"].ideal_hours == 4


def test_the_plain_reading_says_how_the_week_differs():
    ideal = {"recording": 20, "mixing": 25, "production": 30, "sessions": 15, "business": 10}
    text = " ".join(m.plain_reading(m.compare(CARD, ideal, 40, LABELS, KINDS), 40, "example people", SHIFT))
    assert "You want twice the production & arrangement time the job gives early on" in text
    assert "You want half the business & acquisition time" in text
    assert "business & acquisition would take 8 of your 40 hours, and you would give it 4" in text
    assert "8 of your 40 hours would go to different work" in text
    assert "You lean towards creative and people work: the direction the card says example people move" in text


def test_the_plain_reading_of_the_card_itself_and_of_dropped_work():
    assert "is the job as the card splits it" in m.plain_reading(m.compare(CARD, CARD, 40, LABELS, KINDS), 40, "people", SHIFT)[0]
    ideal = {"recording": 40, "mixing": 40, "production": 10, "sessions": 10, "business": 0}
    text = " ".join(m.plain_reading(m.compare(CARD, ideal, 30, LABELS, KINDS), 30, "people", SHIFT))
    assert "You would drop business & acquisition altogether" in text and "6 of your 30 hours" in text
    assert "more technical time" in text


# ---------------------------------------------------------------- a day
@pytest.mark.parametrize(("card", "clock"), [("11:00", "11:00"), ("12:30", "12:30"), ("3:00", "15:00"),
                                              ("5:00", "17:00"), ("6:00", "18:00"), ("7:15", "07:15"),
                                              ("12:00", "12:00"), ("1:45", "13:45")])
def test_card_times_are_read_as_a_working_day(card, clock):
    assert m.fmt_clock(m.card_time(card)) == clock


def test_twelve_hour_display_is_unambiguous():
    assert [m.fmt_clock_12(m.card_time(t)) for t in ("11:00", "12:30", "3:00")] == ["11:00 am", "12:30 pm", "3:00 pm"]
    assert m.fmt_clock_12(0) == "12:00 am"


@pytest.mark.parametrize(("text", "minutes"), [("09:00", 540), ("9", 540), ("15:30", 930), ("3:30 pm", 930),
                                                ("3pm", 900), ("12 am", 0), ("12:15 PM", 735), ("24:00", 1440),
                                                ("7.45", 465)])
def test_learners_times_are_read_in_24_hour_form_or_with_am_pm(text, minutes):
    assert m.parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["", "25:00", "24:30", "13 pm", "noon", "9:75", "0 am"])
def test_times_that_are_not_times_of_day_say_how_to_write_one(text):
    with pytest.raises(m.SplitError, match="09:00"):
        m.parse_clock(text)


def test_a_block_that_ends_before_it_starts_is_refused():
    with pytest.raises(m.SplitError, match="ends at 13:00, before it starts at 14:00"):
        m.make_block("14:00", "13:00", "mixing", [], DAY, LABELS)
    with pytest.raises(m.SplitError, match="no length"):
        m.make_block("14:00", "14:00", "mixing", [], DAY, LABELS)


def test_blocks_outside_the_day_or_overlapping_are_refused():
    first = m.make_block("09:00", "11:00", "mixing", [], DAY, LABELS)
    with pytest.raises(m.SplitError, match="overlaps your block 09:00–11:00 Mixing & editing"):
        m.make_block("10:30", "12:00", "production", [first], DAY, LABELS)
    with pytest.raises(m.SplitError, match=r"outside your day \(08:00–20:00\)"):
        m.make_block("19:00", "21:00", "business", [first], DAY, LABELS)
    with pytest.raises(m.SplitError, match="Choose an activity"):
        m.make_block("12:00", "13:00", "napping", [first], DAY, LABELS)
    touching = m.make_block("11:00", "12:00", "production", [first], DAY, LABELS)
    assert touching.hours == 1 and touching.to_state() == {"start": "11:00", "end": "12:00", "activity": "production"}


def test_a_day_cannot_shrink_past_its_blocks():
    blocks = [m.Block(9 * 60, 11 * 60, "mixing")]
    assert m.day_problem((10 * 60, 20 * 60), blocks, LABELS).endswith("Remove or move that block first.")
    assert m.day_problem((9 * 60, 11 * 60), blocks) is None
    assert m.day_problem((12 * 60, 12 * 60), [])


def test_saved_blocks_keep_only_those_that_still_fit():
    raw = [{"start": "13:00", "end": "15:00", "activity": "production"},
           {"start": "09:00", "end": "11:00", "activity": "mixing"},
           {"start": "10:00", "end": "12:00", "activity": "business"},   # overlaps the one before
           {"start": "18:00", "end": "23:00", "activity": "sessions"},   # outside the day
           {"start": "oops", "end": "12:00", "activity": "sessions"},
           {"start": "12:00", "end": "13:00", "activity": "sleep"}, "junk", {"start": "12:00"}]
    kept = m.valid_blocks(raw, DAY, IDS)
    assert [b.describe() for b in kept] == ["09:00–11:00 mixing", "13:00–15:00 production"]
    assert m.valid_blocks("not a list", DAY, IDS) == []
    assert m.day_totals(kept, IDS) == {"recording": 0, "mixing": 2, "production": 2, "sessions": 0, "business": 0}
