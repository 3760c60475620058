"""The salary models: reading amounts, the pay models through the published points, and the portfolio simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessonkit.errors import ParameterError
from lessonkit.models import salary as M


# ---------------------------------------------------------------- amounts
@pytest.mark.parametrize(("text", "expected"), [
    ("45000", 45_000), ("45,000", 45_000), ("$45k", 45_000), ("45k", 45_000), ("45K", 45_000),
    (" $45,000 ", 45_000), ("45 000", 45_000), ("1.5m", 1_500_000), ("$2.5k", 2_500), ("0", 0), ("none", 0),
    ("USD 12,000", 12_000), ("12k/year", 12_000), (45_000, 45_000), (45_000.4, 45_000),
])
def test_amounts_are_read_the_ways_learners_type_them(text, expected):
    assert M.parse_amount(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("", "is empty"), ("   ", "is empty"), ("abc", "is not an amount"), ("45,00", "is not an amount"),
    ("1e6", "is not an amount"), ("$", "is not an amount"), ("k", "is not an amount"),
    ("-5000", "negative"), ("−5k", "negative"), ("99,000,000", "more than $10,000,000"), (True, "is not an amount"),
    (float("nan"), "is not an amount"),
])
def test_bad_amounts_say_what_is_wrong_and_what_is_expected(text, words):
    with pytest.raises(M.AmountError) as error:
        M.parse_amount(text)
    assert words in str(error.value)


def test_a_target_of_zero_is_refused_but_a_low_of_zero_is_fine():
    assert M.parse_amount("0") == 0
    with pytest.raises(M.AmountError, match="a target of \\$0"):
        M.parse_amount("0", allow_zero=False)


@pytest.mark.parametrize("value", [0, -40_000, "abc", "", None, True, 50_000_000])
def test_a_bad_target_income_parameter_names_itself_and_lists_what_is_expected(value):
    with pytest.raises(ParameterError) as error:
        M.check_target_income(value)
    message = str(error.value)
    assert "target_income" in message and "Expected the yearly income in US dollars" in message


def test_a_target_income_parameter_may_be_a_number_or_text():
    assert M.check_target_income(40_000) == 40_000 and M.check_target_income("45k") == 45_000


@pytest.mark.parametrize(("share", "words"), [
    (0.835, "about 8 in 10"), (0.7, "about 7 in 10"), (0.5, "about 5 in 10"), (0.03, "about 3 in 100"),
    (0.96, "about 96 in 100"), (0.999, "nearly all"), (0.0, "almost none"), (0.1, "about 1 in 10"),
])
def test_shares_in_plain_words(share, words):
    assert M.share_in_words(share) == words


# ---------------------------------------------------------------- pay models
def test_the_salaried_model_passes_through_the_published_points(course):
    s = course.careers["music-producer"].pay.salaried
    model = M.salaried_model(s.entry, s.median, s.top)
    assert model.quantile(0.10) == pytest.approx(s.entry)
    assert model.quantile(0.50) == pytest.approx(s.median)
    assert model.quantile(0.90) == pytest.approx(s.top)
    assert model.share_above(s.entry) == pytest.approx(0.9)
    assert model.share_above(s.median) == pytest.approx(0.5)
    assert model.share_above(s.top) == pytest.approx(0.1)


def test_the_salaried_model_falls_steadily_and_follows_its_assumption(course):
    s = course.careers["music-producer"].pay.salaried
    model = M.salaried_model(s.entry, s.median, s.top)
    shares = model.curve(range(0, 200_001, 1_000))
    assert shares[0] == 1.0 and all(a >= b for a, b in zip(shares, shares[1:])) and shares[-1] < 0.01
    assert [model.quantile(p) for p in (0.05, 0.25, 0.75, 0.95)] == sorted(model.quantile(p) for p in (0.05, 0.25, 0.75, 0.95))
    # If the entry figure is the 25th percentile, more engineers sit below it: fewer earn more than $40,000.
    wider = M.salaried_model(s.entry, s.median, s.top, entry_percentile=25)
    assert wider.share_above(40_000) < model.share_above(40_000)
    assert wider.share_above(s.entry) == pytest.approx(0.75)


@pytest.mark.parametrize(("points", "percentiles"), [
    ((66_000, 34_000, 105_000), (10, 90)), ((34_000, 66_000, 66_000), (10, 90)),
    ((34_000, 66_000, 105_000), (50, 90)), ((34_000, 66_000, 105_000), (10, 100)),
])
def test_the_salaried_model_refuses_unordered_points_or_percentiles(points, percentiles):
    with pytest.raises(ValueError):
        M.salaried_model(*points, entry_percentile=percentiles[0], top_percentile=percentiles[1])


def test_the_artist_illustration_is_built_from_the_learners_two_guesses():
    model = M.artist_illustration(typical=25_000, share_reaching=0.05, threshold=150_000)
    assert model.share_above(25_000) == pytest.approx(0.5)
    assert model.share_above(150_000) == pytest.approx(0.05)
    with pytest.raises(ValueError):
        M.artist_illustration(typical=150_000, share_reaching=0.05, threshold=150_000)
    with pytest.raises(ValueError):
        M.artist_illustration(typical=25_000, share_reaching=0.6, threshold=150_000)


@pytest.mark.parametrize(("text", "share"), [("5", 0.05), ("5%", 0.05), ("0.5", 0.005), ("12 in 100", 0.12)])
def test_shares_in_100_are_read(text, share):
    assert M.parse_share_in_100(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["", "many", "0", "50", "-3", "120"])
def test_bad_shares_in_100_are_refused(text):
    with pytest.raises(M.AmountError):
        M.parse_share_in_100(text)


# ---------------------------------------------------------------- the portfolio
def test_a_guess_must_run_low_likely_high():
    assert M.Guess(0, 5_000, 9_000).problems() == []
    assert M.Guess(6_000, 5_000, 9_000).problems() == ["low ($6,000) is above likely ($5,000)"]
    assert M.Guess(0, 9_500, 9_000).problems() == ["likely ($9,500) is above high ($9,000)"]


def test_one_triangular_stream_matches_its_known_chance_and_percentiles():
    """A triangle on 0..100 peaking at 0: P(X >= t) = (1 - t/100)^2, and its p-quantile is 100(1 - sqrt(1 - p))."""
    result = M.simulate_portfolio({"teaching": M.Guess(0, 0, 100)}, 50)
    assert result.draws == 100_000
    assert result.chance == pytest.approx(0.25, abs=0.006)  # about 4 standard errors
    for p, value in result.percentiles.items():
        assert value == pytest.approx(100 * (1 - math.sqrt(1 - p / 100)), abs=1.0)


def test_one_pert_stream_matches_its_known_mean_and_symmetry():
    """PERT's mean is (low + 4 likely + high) / 6; a symmetric PERT reaches its middle half the time."""
    draws = M.stream_draws("mixing", M.Guess(0, 20, 100), shape="pert")
    assert draws.mean() == pytest.approx((0 + 4 * 20 + 100) / 6, abs=0.3)
    assert draws.min() >= 0 and draws.max() <= 100
    assert M.simulate_portfolio({"mixing": M.Guess(0, 50, 100)}, 50, shape="pert").chance == pytest.approx(0.5, abs=0.006)


def test_fixed_amounts_reach_the_target_exactly_when_they_add_up_to_it():
    streams = {"teaching": M.Guess(20_000, 20_000, 20_000), "mixing": M.Guess(20_000, 20_000, 20_000)}
    assert M.simulate_portfolio(streams, 40_000).chance == 1.0
    assert M.simulate_portfolio(streams, 40_001).chance == 0.0


def test_the_simulation_is_seeded_and_reproducible():
    streams = {"teaching": M.Guess(0, 8_000, 15_000), "mixing": M.Guess(5_000, 12_000, 25_000)}
    M._stream_draws.cache_clear()
    first = M.simulate_portfolio(streams, 25_000)
    M._stream_draws.cache_clear()
    assert M.simulate_portfolio(streams, 25_000) == first
    assert M.simulate_portfolio(dict(reversed(list(streams.items()))), 25_000).chance == first.chance
    assert M.simulate_portfolio(streams, 25_000, seed=7).chance != first.chance


def test_draws_are_read_only_so_the_cache_cannot_be_spoiled():
    draws = M.stream_draws("teaching", M.Guess(0, 8_000, 15_000))
    with pytest.raises(ValueError):
        draws[0] = 1.0


def test_adding_a_stream_raises_the_chance_and_removing_it_gives_back_the_same_years():
    """Each stream keeps its own random years, so adding one can only add income to every simulated year."""
    base = {"production": M.Guess(2_000, 15_000, 40_000), "mixing": M.Guess(5_000, 12_000, 25_000)}
    more = {**base, "teaching": M.Guess(0, 8_000, 15_000)}
    before, after = M.simulate_portfolio(base, 40_000), M.simulate_portfolio(more, 40_000)
    assert after.chance > before.chance + 0.1
    assert after.without["teaching"] == before.chance
    assert [s for s, _ in after.steps] == ["production", "mixing", "teaching"]  # largest likely amount first
    chances = [c for _, c in after.steps]
    assert chances == sorted(chances) and chances[-1] == after.chance
    assert after.totals == {"low": 7_000, "likely": 35_000, "high": 80_000}


def test_an_empty_portfolio_never_reaches_a_target():
    result = M.simulate_portfolio({}, 40_000)
    assert result.chance == 0.0 and result.steps == [] and result.without == {}


def test_unknown_shapes_are_refused():
    with pytest.raises(ValueError, match="unknown shape"):
        M.stream_draws("teaching", M.Guess(0, 1, 2), shape="normal")


def test_results_are_plain_python_numbers():
    result = M.simulate_portfolio({"teaching": M.Guess(0, 8_000, 15_000)}, 5_000)
    assert type(result.chance) is float and all(type(c) is float for _, c in result.steps)
    assert not isinstance(result.percentiles[50], np.generic)
