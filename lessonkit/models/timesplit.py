"""Where the hours of a career go: rebalancing a week's shares, hours, the early-to-established shift, and day plans.

Pure functions over plain data (activity ids, whole percentages, minutes since
midnight); no ipywidgets, no plotly. Messages are written for the learner, so a
widget can show them as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..errors import ParameterError
from .prompts import and_list

TOTAL = 100
WEEK_HOURS_MIN, WEEK_HOURS_MAX = 1, 100
WEEK_HOURS_EXPECTED = (f"expected a whole number of hours from {WEEK_HOURS_MIN} to {WEEK_HOURS_MAX}, "
                       "such as 40 for a full-time week")


class SplitError(ValueError):
    """A move or an input the model cannot take; the message says why and what would work."""


@dataclass(frozen=True)
class Shift:
    """The card's shift as a career goes on: the kinds of work whose hours shrink, and the kinds they go to.

    Each career card states its own (``work.moves_from_kinds``, ``work.moves_to_kinds``); the card's
    ``moves_from`` and ``moves_to`` are the same two sides in the card's words.
    """

    from_kinds: tuple[str, ...]
    to_kinds: tuple[str, ...]

    @classmethod
    def of(cls, work: object) -> Shift:
        """The shift a card's ``work`` section states."""
        return cls(tuple(work.moves_from_kinds), tuple(work.moves_to_kinds))  # type: ignore[attr-defined]

    def leaves(self, kind: str) -> bool:
        return kind in self.from_kinds

    def joins(self, kind: str) -> bool:
        return kind in self.to_kinds


# ---------------------------------------------------------------- week length
def week_hours_problem(value: object) -> str | None:
    """Why ``value`` cannot be a week's length in hours, or None when it can."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        return f"{value!r} is not a whole number of hours; {WEEK_HOURS_EXPECTED}."
    if not WEEK_HOURS_MIN <= value <= WEEK_HOURS_MAX:
        return f"A week of {value:g} hours cannot be split; {WEEK_HOURS_EXPECTED}."
    return None


def check_week_hours(value: object, name: str = "week_hours") -> int:
    """The week length as an int, or a ParameterError naming the value and what is expected."""
    if week_hours_problem(value) is not None:
        raise ParameterError(name, value, WEEK_HOURS_EXPECTED)
    return int(value)  # type: ignore[call-overload]


# ---------------------------------------------------------------- shares
def apportion(weights: Mapping[str, float], total: int) -> dict[str, int]:
    """Whole numbers in proportion to ``weights`` that add up to exactly ``total`` (largest remainder).

    Items keep their order; equal remainders go to the earlier item. All-zero weights share equally.
    """
    keys = list(weights)
    if not keys:
        return {}
    clean = [max(0.0, float(weights[k])) for k in keys]
    whole = sum(clean)
    if whole <= 0:
        clean, whole = [1.0] * len(keys), float(len(keys))
    exact = [total * w / whole for w in clean]
    parts = [math.floor(e + 1e-9) for e in exact]
    left = total - sum(parts)
    by_remainder = sorted(range(len(keys)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:max(left, 0)]:
        parts[i] += 1
    for i in reversed(by_remainder):  # float noise only: never more than the total
        if left >= 0:
            break
        if parts[i] > 0:
            parts[i], left = parts[i] - 1, left + 1
    return dict(zip(keys, parts))


def whole_shares(shares: Mapping[str, float]) -> dict[str, int]:
    """Published shares as whole percentages adding up to 100 (the card's own are whole already)."""
    return apportion(shares, TOTAL)


def shares_problem(shares: object, ids: Sequence[str]) -> str | None:
    """Why ``shares`` (e.g. from a saved state) is not a split of these activities, or None."""
    if not isinstance(shares, Mapping) or set(shares) != set(ids):
        return f"expected a share for each of {', '.join(ids)}"
    values = list(shares.values())
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= TOTAL for v in values):
        return "expected whole percentages from 0 to 100"
    if sum(values) != TOTAL:
        return f"the shares add up to {sum(values)}, not {TOTAL}"
    return None


def lock_problem(ids: Sequence[str], locked: Collection[str], labels: Mapping[str, str] | None = None) -> str | None:
    """What the locks stop, when fewer than two activities are free to trade time; else None."""
    free = [i for i in ids if i not in locked]
    if not free:
        return (f"All {_count_word(len(ids))} activities are locked, so no time can move. "
                "Unlock at least two to trade time between them.")
    if len(free) == 1:
        return (f"Only {_label(free[0], labels)} is unlocked, and it has nothing to trade time with. "
                "Unlock one more activity to move it.")
    return None


@dataclass(frozen=True)
class Move:
    """The split after one slider move; ``limit`` is the most the moved activity could take."""

    shares: dict[str, int]
    moved: str
    wanted: int
    limit: int

    @property
    def clamped(self) -> bool:
        return self.shares[self.moved] != self.wanted


def rebalance(shares: Mapping[str, int], moved: str, value: float, locked: Collection[str] = (),
              labels: Mapping[str, str] | None = None, basis: Mapping[str, float] | None = None) -> Move:
    """Set ``moved`` to ``value`` percent and resize the other unlocked activities in proportion.

    Locked activities keep their share; the total stays 100. A value beyond what the
    locks leave room for is capped (see ``Move.clamped``). Raises SplitError when the
    move is impossible: the activity is locked, or nothing unlocked can make room.

    The others keep the proportions of ``basis`` (default: ``shares``). A widget passes
    the split from before the learner started moving this slider, so rounding to whole
    percentages cannot creep in step by step, and moving a slider back restores the rest.
    """
    if moved not in shares:
        raise SplitError(f"'{moved}' is not one of the activities ({', '.join(shares)})")
    if sum(shares.values()) != TOTAL:
        raise ValueError(f"shares must add up to {TOTAL}, got {sum(shares.values())}")
    if moved in locked:
        raise SplitError(f"{_label(moved, labels)} is locked; unlock it to change its share.")
    free = [k for k in shares if k != moved and k not in locked]
    wanted = int(round(value))
    if not free:
        problem = lock_problem(list(shares), set(locked), labels)
        raise SplitError(problem or "Nothing unlocked can make room for this move.")
    room = TOTAL - sum(shares[k] for k in shares if k in locked and k != moved)
    target = min(max(wanted, 0), room)
    result = dict(shares)
    result[moved] = target
    weights = basis if basis is not None and all(k in basis for k in free) else shares
    result.update(apportion({k: weights[k] for k in free}, room - target))
    return Move(result, moved, wanted, room)


def hours(shares: Mapping[str, float], week_hours: float, step: float = 0.5) -> dict[str, float]:
    """Each activity's hours in a week, to the nearest ``step``, adding up to the week exactly."""
    units = round(week_hours / step)
    return {k: v * step for k, v in apportion(shares, units).items()}


def shift_split(shares: Mapping[str, float], kinds: Mapping[str, str], shift: Shift, stage: float,
                size: float) -> dict[str, int]:
    """The learner's scenario: ``stage`` (0 early, 1 established) of ``size`` points moved along the card's shift.

    Points leave the activities of the kinds the shift moves from, in proportion to their shares, and
    go to those of the kinds it moves to, in proportion to theirs; every other activity stays as it is.
    The card describes this shift only in words, so the numbers are the learner's.
    """
    if not 0 <= stage <= 1:
        raise SplitError(f"the career stage must be from 0 (early) to 1 (established), got {stage!r}")
    if not 0 <= size <= TOTAL:
        raise SplitError(f"the size of the shift must be from 0 to {TOTAL} points, got {size!r}")
    new = {k: float(v) for k, v in shares.items()}
    sources = [k for k in shares if shift.leaves(kinds.get(k, ""))]
    targets = [k for k in shares if shift.joins(kinds.get(k, ""))]
    source_total = sum(new[k] for k in sources)
    moved = min(stage * size, source_total)
    if moved > 0 and targets:
        target_total = sum(new[k] for k in targets)
        for k in sources:
            new[k] -= moved * new[k] / source_total
        for k in targets:
            new[k] += moved * (shares[k] / target_total if target_total else 1 / len(targets))
    return apportion(new, TOTAL)


def shifted_points(shares: Mapping[str, float], kinds: Mapping[str, str], shift: Shift, stage: float,
                   size: float) -> float:
    """How many percentage points the scenario moves (at most all the time the shift moves from)."""
    return min(stage * size, sum(v for k, v in shares.items() if shift.leaves(kinds.get(k, ""))))


# ---------------------------------------------------------------- ideal week against the card
@dataclass(frozen=True)
class Difference:
    """One activity: the card's share and the learner's, as percentages and as hours."""

    id: str
    label: str
    kind: str
    published: float
    ideal: float
    published_hours: float
    ideal_hours: float

    @property
    def points(self) -> float:
        return self.ideal - self.published

    @property
    def hours(self) -> float:
        return self.ideal_hours - self.published_hours


def compare(published: Mapping[str, float], ideal: Mapping[str, float], week_hours: float,
            labels: Mapping[str, str], kinds: Mapping[str, str]) -> list[Difference]:
    """Per activity, in the card's order: published against ideal, in percent and in hours of the week."""
    card_hours, your_hours = hours(published, week_hours), hours(ideal, week_hours)
    return [Difference(k, labels.get(k, k), kinds.get(k, ""), published[k], ideal[k], card_hours[k], your_hours[k])
            for k in published]


def plain_reading(diffs: Sequence[Difference], week_hours: float, people: str, shift: Shift) -> list[str]:
    """A few plain sentences on how the learner's week differs from the card's, biggest gaps first.

    ``people`` is what the card calls those in the career, plural ("producers"); ``shift`` is the card's
    shift from early-career to established work.
    """
    week = fmt_hours(week_hours)
    if all(abs(d.points) < 1 for d in diffs):
        return [f"Your ideal week is the job as the card splits it: every activity gets the same share of your {week} hours."]
    sentences = []
    more = max(diffs, key=lambda d: (d.points, -diffs.index(d)))
    less = min(diffs, key=lambda d: (d.points, diffs.index(d)))
    if more.points >= 1:
        sentences.append(_more_sentence(more))
    if less.points <= -1:
        sentences.append(_less_sentence(less, week))
    moved = sum(max(d.hours, 0.0) for d in diffs)
    if moved > 0:
        sentences.append(f"All told, {fmt_hours(moved)} of your {week} hours would go to different work "
                         "from where the card's split puts them.")
    drift = sum(d.points for d in diffs if shift.joins(d.kind))
    if drift >= 5:
        sentences.append(f"You lean towards {and_list(list(shift.to_kinds))} work: the direction the card says "
                         f"{people} move as they become established, more than where early-career hours go.")
    elif sum(d.points for d in diffs if shift.leaves(d.kind)) >= 5:
        sentences.append(f"You want more {and_list(list(shift.from_kinds))} time than the card's split, and that is "
                         "where most early-career hours go anyway.")
    return sentences


def _more_sentence(d: Difference) -> str:
    what = f"{d.label.lower()} time"
    ours = f"({fmt_pct(d.ideal)} of your week against {fmt_pct(d.published)})"
    if d.published <= 0:
        return f"You want {fmt_pct(d.ideal)} of your week for {d.label.lower()}, which the card's split gives no time."
    ratio = d.ideal / d.published
    words = {2: "twice", 3: "three times", 4: "four times", 5: "five times"}
    nearest = round(ratio)
    if nearest >= 2 and abs(ratio - nearest) <= 0.1:
        return f"You want {words.get(nearest, f'{nearest} times')} the {what} the job gives early on {ours}."
    if ratio >= 1.25:
        return f"You want {ratio:.1f} times the {what} the job gives early on {ours}."
    return f"You want a little more {what} than the job gives early on {ours}."


def _less_sentence(d: Difference, week: str) -> str:
    what = d.label.lower()
    card = f"in the card's split {what} would take {fmt_hours(d.published_hours)} of your {week} hours"
    if d.ideal <= 0:
        return f"You would drop {what} altogether, though {card}."
    ratio = d.ideal / d.published
    fractions = [(0.5, "half"), (1 / 3, "a third of"), (0.25, "a quarter of")]
    share = next((w for f, w in fractions if abs(ratio - f) <= 0.04), None)
    start = f"You want {share} the {what} time" if share else f"You want less {what} time than"
    return f"{start} the job gives early on: {card}, and you would give it {fmt_hours(d.ideal_hours)}."


# ---------------------------------------------------------------- a day
DAY_END = 24 * 60
_CARD_TIME = re.compile(r"^\s*(1[0-2]|0?[1-9]):([0-5][0-9])\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.h]([0-5][0-9]))?\s*([ap])?\.?\s*(?:m\.?)?\s*$", re.IGNORECASE)


def card_time(text: str) -> int:
    """Minutes after midnight for a card time, which is 12-hour without am or pm.

    The card describes a working day, so 7 to 11 are read as morning, 12 as
    noon and 1 to 6 as afternoon or early evening: 3:00 is 15:00.
    """
    match = _CARD_TIME.match(text)
    if not match:
        raise SplitError(f"'{text}' is not a card time; expected a 12-hour time like 11:00 or 3:00")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour < 7:
        hour += 12
    return hour * 60 + minute


def parse_clock(text: str) -> int:
    """Minutes after midnight for a time the learner types: 24-hour (09:00, 15:30, 24:00) or with am/pm (3:30 pm)."""
    raw = str(text).strip()
    if not raw:
        raise SplitError("A time is missing; write it like 09:00 or 15:30.")
    expected = f"'{raw}' is not a time of day; write it in 24-hour form like 09:00 or 15:30, or with am/pm like 3:30 pm."
    match = _CLOCK.match(raw)
    if not match:
        raise SplitError(expected)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise SplitError(expected)
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 24 or (hour == 24 and minute):
        raise SplitError(expected)
    return hour * 60 + minute


def fmt_clock(minutes: int) -> str:
    """24-hour time: 900 → '15:00'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fmt_clock_12(minutes: int) -> str:
    """12-hour time with am/pm: 900 → '3:00 pm' (the card's style, made unambiguous)."""
    hour = (minutes // 60) % 24
    return f"{(hour % 12) or 12}:{minutes % 60:02d} {'am' if hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Block:
    """A stretch of the learner's day given to one activity, in minutes after midnight."""

    start: int
    end: int
    activity: str

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 60

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        return f"{fmt_clock(self.start)}–{fmt_clock(self.end)} {_label(self.activity, labels)}"

    def to_state(self) -> dict[str, str]:
        return {"start": fmt_clock(self.start), "end": fmt_clock(self.end), "activity": self.activity}


def block_problem(block: Block, others: Sequence[Block], day: tuple[int, int],
                  labels: Mapping[str, str] | None = None) -> str | None:
    """Why ``block`` cannot join ``others`` in a day running ``day`` (start, end minutes), or None."""
    start, end = fmt_clock(block.start), fmt_clock(block.end)
    if block.end < block.start:
        return (f"This block ends at {end}, before it starts at {start}. The end must come later the same day "
                "(a block cannot run past midnight).")
    if block.end == block.start:
        return f"This block starts and ends at {start}, so it has no length; give it an end later than its start."
    if block.start < day[0] or block.end > day[1]:
        return (f"{start}–{end} falls outside your day ({fmt_clock(day[0])}–{fmt_clock(day[1])}). "
                "Move the block inside it, or make your day longer.")
    for other in others:
        if block.start < other.end and other.start < block.end:
            return (f"{start}–{end} overlaps your block {other.describe(labels)}. "
                    "Blocks cannot overlap: change the times, or remove that block first.")
    return None


def make_block(start: str, end: str, activity: str, others: Sequence[Block], day: tuple[int, int],
               labels: Mapping[str, str]) -> Block:
    """A checked block from what the learner typed, or SplitError saying what to change."""
    if activity not in labels:
        raise SplitError(f"Choose an activity for the block (one of {', '.join(labels.values())}).")
    block = Block(parse_clock(start), parse_clock(end), activity)
    problem = block_problem(block, others, day, labels)
    if problem:
        raise SplitError(problem)
    return block


def day_problem(day: tuple[int, int], blocks: Sequence[Block], labels: Mapping[str, str] | None = None) -> str | None:
    """Why the learner's day cannot run ``day`` with these blocks in it, or None."""
    if day[1] <= day[0]:
        return "Your day must end after it starts."
    outside = [b for b in blocks if b.start < day[0] or b.end > day[1]]
    if outside:
        listed = "; ".join(b.describe(labels) for b in outside)
        return (f"Your day cannot run {fmt_clock(day[0])}–{fmt_clock(day[1])}: {listed} would fall outside it. "
                "Remove or move that block first.")
    return None


def valid_blocks(raw: object, day: tuple[int, int], activities: Collection[str]) -> list[Block]:
    """The blocks of a saved state that still make sense together, sorted by start; the rest are dropped."""
    kept: list[Block] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            block = Block(parse_clock(item["start"]), parse_clock(item["end"]), str(item["activity"]))
        except (SplitError, KeyError, TypeError):
            continue
        if block.activity in activities and block_problem(block, kept, day) is None:
            kept.append(block)
    return sorted(kept, key=lambda b: b.start)


def day_totals(blocks: Sequence[Block], activities: Sequence[str]) -> dict[str, float]:
    """Hours per activity in the learner's day, in the card's order."""
    totals = dict.fromkeys(activities, 0.0)
    for block in blocks:
        totals[block.activity] = totals.get(block.activity, 0.0) + block.hours
    return totals


# ---------------------------------------------------------------- small words
def fmt_hours(value: float) -> str:
    """8.0 → '8', 7.5 → '7.5'."""
    return f"{round(value, 1):g}"


def fmt_pct(value: float) -> str:
    return f"{round(value, 1):g}%"


def _label(key: str, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(key, key)


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}.get(n, str(n))
