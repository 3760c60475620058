"""The maths behind the pay-path and portfolio widgets: reading amounts, pay models, the portfolio simulation.

Pure functions of their inputs (numpy only; no widgets, no plotting), so each can be
tested on its own. Every figure a model produces comes from the published points in
``data/`` or from the learner's own guesses, combined under assumptions that the
widgets state in words and let the learner change.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import TYPE_CHECKING

from ..errors import ParameterError

if TYPE_CHECKING:  # numpy is loaded by the simulation only: a lesson showing pay paths never pays for it
    import numpy as np

#: Above this a yearly amount is almost certainly a typo (an extra zero or two).
MAX_AMOUNT = 10_000_000
#: Draws per simulation and the seed: the same inputs always give the same chance.
DRAWS = 100_000
SEED = 2026
SHAPES = ("triangular", "pert")
#: The card does not say which percentiles its entry and top figures are. Pay surveys
#: commonly quote the 10th and 90th; the widget shows this and lets the learner change it.
ASSUMED_ENTRY_PERCENTILE = 10
ASSUMED_TOP_PERCENTILE = 90

_STANDARD = NormalDist()
_NUMBER = re.compile(r"^(\d{1,3}(?:[,_ ]\d{3})+|\d+)?(\.\d+)?$")
_WORDS_FOR_ZERO = {"none", "nothing", "zero", "nil"}
EXAMPLES = "such as 45000, 45,000, $45k or 45k"


class AmountError(ValueError):
    """Text that is not a usable yearly amount; the message says why, in words for a learner."""


# ---------------------------------------------------------------- reading amounts
def parse_amount(text: object, *, allow_zero: bool = True) -> int:
    """A yearly amount in whole dollars from what a learner typed: "45000", "45,000", "$45k", "45k", "1.2m".

    "none" (or "nothing") reads as 0. Raises AmountError saying what is wrong and what is expected.
    """
    if isinstance(text, bool):
        raise AmountError(f"{text!r} is not an amount; type a yearly figure {EXAMPLES}")
    if isinstance(text, (int, float)):
        value = float(text)
        shown = f"{text:,}"
    else:
        shown = str(text).strip()
        value = _read_number(shown)
    if math.isnan(value) or math.isinf(value):
        raise AmountError(f"'{shown}' is not an amount; type a yearly figure {EXAMPLES}")
    if value < 0:
        raise AmountError(f"'{shown}' is negative; an amount cannot be below 0 (type 0 if it might bring nothing)")
    if value > MAX_AMOUNT:
        raise AmountError(f"'{shown}' is more than ${MAX_AMOUNT:,} a year, beyond what this tool models; "
                          "check for an extra zero")
    if value == 0 and not allow_zero:
        raise AmountError("a target of $0 would count any income at all as a living; "
                          f"type the yearly income you would need, {EXAMPLES}")
    return int(round(value))


def _read_number(shown: str) -> float:
    if not shown:
        raise AmountError(f"is empty; type a yearly amount {EXAMPLES}")
    text = shown.lower().replace("us$", "$").replace("usd", "").strip()
    if text in _WORDS_FOR_ZERO:
        return 0.0
    sign = 1.0
    if text[:1] in "-−–":
        sign, text = -1.0, text[1:].strip()
    text = text.removeprefix("$").strip()
    for suffix in ("/year", "/yr", "a year", "per year"):
        text = text.removesuffix(suffix).strip()
    scale = 1.0
    if text[-1:] in ("k", "m"):
        scale = 1_000.0 if text[-1] == "k" else 1_000_000.0
        text = text[:-1].strip()
    match = _NUMBER.match(text)
    if not text or not match or not (match.group(1) or match.group(2)):
        raise AmountError(f"'{shown}' is not an amount; type a yearly figure {EXAMPLES}")
    digits = re.sub(r"[,_ ]", "", match.group(1) or "0") + (match.group(2) or "")
    return sign * float(digits) * scale


def check_target_income(value: object) -> int:
    """The ``target_income`` parameter as whole dollars, or a ParameterError that says what is expected."""
    try:
        return parse_amount(value, allow_zero=False)
    except AmountError as error:
        raise ParameterError(
            "target_income", value,
            f"{error}. Expected the yearly income in US dollars that would count as making a living, "
            f"greater than 0 and at most {MAX_AMOUNT:,}: a whole number such as 40000 (or text such as '40k')",
        ) from None


def money(amount: float) -> str:
    """A learner's or a model's amount, to the dollar: $42,500."""
    return f"${amount:,.0f}"


def share_in_words(share: float) -> str:
    """A share as a learner would say it: "about 7 in 10", "about 3 in 100", "almost none"."""
    if share >= 0.995:
        return "nearly all"
    if share < 0.005:
        return "almost none"
    if share < 0.095 or share > 0.905:
        return f"about {round(share * 100)} in 100"
    return f"about {round(share * 10)} in 10"


# ---------------------------------------------------------------- pay models
@dataclass(frozen=True)
class TwoPieceLognormal:
    """Incomes whose logarithm is normal with a different spread below and above the median.

    Three published points (entry, median, top) fix it exactly once we assume which
    percentiles entry and top are; with equal spreads it is an ordinary lognormal.
    """

    median: float
    sigma_low: float
    sigma_high: float

    def share_above(self, income: float) -> float:
        if income <= 0:
            return 1.0
        z = math.log(income / self.median)
        return 1.0 - _STANDARD.cdf(z / (self.sigma_low if z < 0 else self.sigma_high))

    def quantile(self, p: float) -> float:
        z = _STANDARD.inv_cdf(p)
        return self.median * math.exp(z * (self.sigma_low if z < 0 else self.sigma_high))

    def curve(self, incomes: Iterable[float]) -> list[float]:
        """Share earning more than each income (for a chart)."""
        return [self.share_above(x) for x in incomes]


def salaried_model(entry: float, median: float, top: float, *, entry_percentile: float = ASSUMED_ENTRY_PERCENTILE,
                   top_percentile: float = ASSUMED_TOP_PERCENTILE) -> TwoPieceLognormal:
    """The model through the three published points, given which percentiles entry and top are taken to be."""
    if not 0 < entry < median < top:
        raise ValueError(f"published points must rise: entry ({entry}) < median ({median}) < top ({top})")
    if not (0 < entry_percentile < 50 < top_percentile < 100):
        raise ValueError(f"entry must be a percentile below 50 and top one above 50, got {entry_percentile} "
                         f"and {top_percentile}")
    return TwoPieceLognormal(
        median=median,
        sigma_low=math.log(median / entry) / -_STANDARD.inv_cdf(entry_percentile / 100),
        sigma_high=math.log(top / median) / _STANDARD.inv_cdf(top_percentile / 100),
    )


def artist_illustration(typical: float, share_reaching: float, threshold: float) -> TwoPieceLognormal:
    """An illustration only: a lognormal whose median is the learner's guess of a typical income and in
    which the share they guess reaches ``threshold`` (the start of the published high range)."""
    if not 0 < typical < threshold:
        raise ValueError(f"a typical income must be above 0 and below {money(threshold)}, got {money(typical)}")
    if not 0 < share_reaching < 0.5:
        raise ValueError(f"the share reaching {money(threshold)} must be between 0 and one half, got {share_reaching}")
    sigma = math.log(threshold / typical) / _STANDARD.inv_cdf(1 - share_reaching)
    return TwoPieceLognormal(typical, sigma, sigma)


def parse_share_in_100(text: object) -> float:
    """How many in 100 (a learner's guess, "5", "5%", "0.5") as a share strictly between 0 and 1/2."""
    shown = str(text).strip()
    if not shown:
        raise AmountError("is empty; type how many in 100 you guess, such as 5")
    try:
        value = float(shown.removesuffix("%").replace("in 100", "").strip())
    except ValueError:
        raise AmountError(f"'{shown}' is not a number; type how many in 100 you guess, such as 5") from None
    if not 0 < value < 50:
        raise AmountError(f"'{shown}' must be above 0 and below 50 in 100: the card says only a few reach "
                          "this range, so fewer than half")
    return value / 100


# ---------------------------------------------------------------- the portfolio
@dataclass(frozen=True)
class Guess:
    """A learner's low / likely / high yearly amounts for one income stream."""

    low: int
    likely: int
    high: int

    def problems(self) -> list[str]:
        found = []
        if self.low > self.likely:
            found.append(f"low ({money(self.low)}) is above likely ({money(self.likely)})")
        if self.likely > self.high:
            found.append(f"likely ({money(self.likely)}) is above high ({money(self.high)})")
        if self.low > self.high and not found:
            found.append(f"low ({money(self.low)}) is above high ({money(self.high)})")
        return found


@dataclass(frozen=True)
class PortfolioResult:
    """What the simulation found: the chance of reaching the target, and how streams move it."""

    target: int
    draws: int
    shape: str
    chance: float
    totals: dict[str, int]  # "low", "likely", "high": every stream at that amount
    percentiles: dict[int, float]  # 10, 50, 90 of the simulated yearly total
    steps: list[tuple[str, float]]  # streams added largest-likely first, with the chance so far
    without: dict[str, float]  # the chance with each stream taken out


def stream_draws(stream_id: str, guess: Guess, *, shape: str = "triangular", draws: int = DRAWS,
                 seed: int = SEED) -> np.ndarray:
    """Simulated yearly amounts of one stream (read-only array).

    Each stream has its own random numbers, fixed by the seed and its id, so adding or
    removing another stream never changes this one's years: comparisons show the stream's
    effect, not noise. Results are cached: changing one stream redraws only that stream.
    """
    return _stream_draws(stream_id, guess.low, guess.likely, guess.high, shape, draws, seed)


@lru_cache(maxsize=32)
def _stream_draws(stream_id: str, low: int, likely: int, high: int, shape: str, draws: int, seed: int) -> np.ndarray:
    if shape not in SHAPES:
        raise ValueError(f"unknown shape '{shape}' (known: {', '.join(SHAPES)})")
    import numpy as np

    rng = np.random.default_rng([seed, zlib.crc32(stream_id.encode("utf-8"))])
    if low == high:
        values = np.full(draws, float(low))
    elif shape == "triangular":
        values = rng.triangular(low, likely, high, draws)
    else:  # PERT: a beta distribution on [low, high] whose mode is likely
        alpha = 1 + 4 * (likely - low) / (high - low)
        beta = 1 + 4 * (high - likely) / (high - low)
        values = low + (high - low) * rng.beta(alpha, beta, draws)
    values.flags.writeable = False
    return values


def simulate_portfolio(streams: Mapping[str, Guess], target: float, *, shape: str = "triangular",
                       draws: int = DRAWS, seed: int = SEED, order: Sequence[str] | None = None) -> PortfolioResult:
    """The chance that a year's total from independent streams reaches ``target``.

    Each stream's amount is drawn from a triangular (or PERT) distribution over
    low..high peaking at likely; streams are independent of each other.
    ``order`` sets which stream is added first in ``steps`` (default: largest likely amount first).
    """
    ids = list(order) if order is not None else sorted(streams, key=lambda s: (-streams[s].likely, s))
    totals = {name: sum(getattr(g, name) for g in streams.values()) for name in ("low", "likely", "high")}
    if not ids:
        reached = 1.0 if target <= 0 else 0.0
        return PortfolioResult(int(target), draws, shape, reached, totals, {10: 0.0, 50: 0.0, 90: 0.0}, [], {})
    import numpy as np

    rows = [stream_draws(s, streams[s], shape=shape, draws=draws, seed=seed) for s in ids]
    steps = []
    running = np.zeros(draws)
    for stream_id, row in zip(ids, rows):
        running += row
        steps.append((stream_id, int(np.count_nonzero(running >= target)) / draws))
    total = running
    slack = total - target  # a year still reaches the target without a stream when that stream's amount fits in here
    without = {s: int(np.count_nonzero(row <= slack)) / draws for s, row in zip(ids, rows)}
    cut = np.partition(total, [draws // 10, draws // 2, draws * 9 // 10])
    percentiles = {10: float(cut[draws // 10]), 50: float(cut[draws // 2]), 90: float(cut[draws * 9 // 10])}
    return PortfolioResult(int(target), draws, shape, steps[-1][1], totals, percentiles, steps, without)
