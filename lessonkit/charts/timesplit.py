"""Lesson 01's time charts: the card's split as hours of a week beside the learner's, and the card's day beside theirs.

Builders take the card's activities and the learner's choices and return plain dicts (traces and
the layout parts that change) and the text beside each chart, as HTML and as plain sentences.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from ..models import timesplit as m
from ..palette import PALETTE, SERIES
from .layout import Layout, Picture, Trace, base_layout, corner_title, wide_legend

CARD, YOU = PALETTE["blue"], PALETTE["orange"]
CHART_WIDTH = 500
#: The typical-day chart's two rows, top to bottom as plotly lists a category axis.
DAY_ROWS = ("Your day", "The card's day")


def short(label: str) -> str:
    """'Mixing & editing' → 'Mixing'."""
    return label.split(" & ")[0]


def signed(value: float, unit: str = " h") -> str:
    return "same" if abs(value) < 1e-9 else f"{'+' if value > 0 else '−'}{m.fmt_hours(abs(value))}{unit}"


def aside(text: str) -> str:
    """The text summary beside a chart (widget HTML otherwise spaces every line a control's height apart)."""
    return f'<div style="font-size: 0.92em; line-height: 1.4">{text}</div>'


# ---------------------------------------------------------------- a week in hours: the card's bars and the learner's
def week_layout(title: str) -> Layout:
    return base_layout(height=380, width=CHART_WIDTH, barmode="group", bargap=0.25,
                       margin={"l": 10, "r": 20, "t": 80, "b": 50}, title=corner_title(title),
                       legend=wide_legend(y=1, yanchor="top", top_offset=True),
                       yaxis={"autorange": "reversed", "automargin": True},
                       xaxis={"title": {"text": "hours"}, "rangemode": "tozero"})


def _bar_text(hours: Mapping[str, float], shares: Mapping[str, int], ids: Sequence[str]) -> list[str]:
    return [f"{m.fmt_hours(hours[k])} h · {shares[k]}%" for k in ids]


def week_traces(ids: Sequence[str], labels: Mapping[str, str], week: int, names: tuple[str, str],
                card: Mapping[str, int], yours: Mapping[str, int]) -> Picture:
    """Two bars per activity, the card's shares and the learner's, as hours of a ``week``-hour week."""
    card_hours, your_hours = m.hours(card, week), m.hours(yours, week)
    top = max([*card_hours.values(), *your_hours.values()])
    y = [labels[k] for k in ids]
    traces = [{"type": "bar", "orientation": "h", "name": name, "marker": {"color": colour}, "textposition": "outside",
               "cliponaxis": False, "hovertemplate": "%{y}: %{text}<extra>%{fullData.name}</extra>",
               "y": y, "x": [hours[k] for k in ids], "text": _bar_text(hours, shares, ids)}
              for name, colour, hours, shares in ((names[0], CARD, card_hours, card), (names[1], YOU, your_hours, yours))]
    return traces, {"xaxis": {"title": {"text": f"hours in a {week}-hour week"}, "range": [0, top * 1.35 + 0.5]}}


# ---------------------------------------------------------------- the card's split and the learner's scenario, in words
def leaving_hours(hours: Mapping[str, float], kinds: Mapping[str, str], shift: m.Shift) -> float:
    """The hours of the kinds of work the card's shift moves time away from."""
    return sum(h for k, h in hours.items() if shift.leaves(kinds[k]))


def in_words(label: str) -> str:
    """An activity's label inside a sentence: 'Production & arrangement' → 'production and arrangement'."""
    words = label.replace(" & ", " and ")
    return words[:1].lower() + words[1:]


def scenario_words(points: float, week: int, moves_from: str, moves_to: str) -> str:
    """The scenario's shift in words; ``moves_from`` and ``moves_to`` are the card's names for the work it moves."""
    if points <= 0:
        return "Move the career stage to try out the shift the card describes."
    return (f"In your scenario, {m.fmt_hours(points)} points of the week "
            f"({m.fmt_hours(points * week / 100)} h) move from {moves_from} to {moves_to}.")


def scenario_html(ids: Sequence[str], labels: Mapping[str, str], kinds: Mapping[str, str], shift: m.Shift, week: int,
                  card: Mapping[str, int], yours: Mapping[str, int], moved: str, moves_from: str) -> str:
    """The table beside the work-split chart: each activity's hours in the card's split and the scenario."""
    card_hours, your_hours = m.hours(card, week), m.hours(yours, week)
    joining = next((k for k in ids if shift.joins(kinds[k])), ids[0])  # the first activity the shift moves time to
    rows = "".join(
        f"<tr><td>{html.escape(labels[k])}</td><td>{m.fmt_hours(card_hours[k])} h</td>"
        f"<td>{m.fmt_hours(your_hours[k])} h</td></tr>" for k in ids)
    leaving = html.escape(moves_from[:1].upper() + moves_from[1:])
    return (f"<p><b>In a {week}-hour week.</b> {leaving} take "
            f"{m.fmt_hours(leaving_hours(card_hours, kinds, shift))} h in the card's split; "
            f"{html.escape(in_words(labels[joining]))} {m.fmt_hours(card_hours[joining])} h.</p>"
            f"<table><tr><th>Activity</th><th>The card</th><th>Your scenario</th></tr>{rows}</table>"
            f"<p>{html.escape(moved)} This is your scenario, not a published figure.</p>")


def scenario_text(ids: Sequence[str], labels: Mapping[str, str], week: int, card: Mapping[str, int],
                  yours: Mapping[str, int], scenario: str, caveat: str, source: str, moved: str) -> str:
    """The work split's text form: both splits in hours, where the week comes from, and the source."""
    card_hours, your_hours = m.hours(card, week), m.hours(yours, week)
    published = "; ".join(f"{labels[k]} {m.fmt_hours(card_hours[k])} h ({card[k]}%)" for k in ids)
    mine = "; ".join(f"{labels[k]} {m.fmt_hours(your_hours[k])} h" for k in ids)
    return (f"The card's shares as hours of a {week}-hour week (the week's length is set here, not by the card): "
            f"{published}. {caveat} Source: {source}.\n"
            f"Your scenario ({scenario}): {mine}. {moved}")


# ---------------------------------------------------------------- the learner's ideal week, in words
def ideal_html(differences: Sequence[m.Difference], reading: Sequence[str]) -> str:
    """The reading and table beside the ideal-week chart."""
    rows = "".join(
        f"<tr><td>{html.escape(d.label)}</td><td>{m.fmt_hours(d.published_hours)} h</td>"
        f"<td>{m.fmt_hours(d.ideal_hours)} h</td><td>{signed(d.hours)}</td></tr>"
        for d in differences)
    said = "".join(f"<p>{html.escape(s)}</p>" for s in reading)
    return (f"{said}<table><tr><th>Activity</th><th>Card</th><th>You</th><th>Change</th></tr>"
            f"{rows}</table>")


def ideal_text(differences: Sequence[m.Difference], reading: Sequence[str], week: int) -> str:
    yours = "; ".join(f"{d.label} {d.ideal:g}% ({m.fmt_hours(d.ideal_hours)} h, {signed(d.points, ' points')} "
                      "against the card)" for d in differences)
    return f"Your ideal {week}-hour week: {yours}.\n" + " ".join(reading)


# ---------------------------------------------------------------- a typical day: the card's moments and the learner's blocks
def day_layout() -> Layout:
    return base_layout(height=350, width=CHART_WIDTH, barmode="overlay", showlegend=True,
                       margin={"l": 10, "r": 20, "t": 50, "b": 100}, title=corner_title("The card's day and yours"),
                       legend=wide_legend(y=0, yanchor="bottom"),
                       uniformtext={"minsize": 10, "mode": "hide"},
                       yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(DAY_ROWS),
                              "automargin": True, "range": [-0.6, 1.6]},
                       xaxis={"tickangle": 0})


def day_traces(moments: Sequence[tuple[str, int, str]], chosen_id: str, ids: Sequence[str],
               labels: Mapping[str, str], blocks: Sequence[m.Block], day: tuple[int, int]) -> Picture:
    """The card's moments (``(id, minutes, title)``) on one row, the chosen one marked, and the learner's blocks on the other."""
    xs = [minutes / 60 for _, minutes, _ in moments]
    chosen = [moment_id == chosen_id for moment_id, _, _ in moments]
    lo = min(day[0] / 60, min(xs), *(b.start / 60 for b in blocks)) - 0.5
    hi = max(day[1] / 60, max(xs) + 1, *(b.end / 60 for b in blocks)) + 0.5
    step = 1 if hi - lo <= 7 else 2
    ticks = list(range(int(lo) + 1, int(hi) + 1, step))
    card: Trace = {
        "type": "scatter", "mode": "lines+markers+text", "name": "The card's moments", "showlegend": False,
        "line": {"color": PALETTE["grey"], "width": 2}, "hovertemplate": "%{hovertext}<extra></extra>",
        "x": xs, "y": [DAY_ROWS[1]] * len(xs),
        "text": [f"<b>{m.fmt_clock(minutes)}</b>" if c else m.fmt_clock(minutes)
                 for (_, minutes, _), c in zip(moments, chosen)],
        "textposition": ["top center" if i % 2 == 0 else "bottom center" for i in range(len(xs))],
        "hovertext": [f"{m.fmt_clock_12(minutes)}: {title}" for _, minutes, title in moments],
        "marker": {"size": [20 if c else 11 for c in chosen], "symbol": ["diamond" if c else "circle" for c in chosen],
                   "color": [PALETTE["sky"] if c else PALETTE["grey"] for c in chosen],
                   "line": {"width": [2 if c else 0 for c in chosen], "color": PALETTE["blue"]}},
    }
    bars: list[Trace] = []
    for i, k in enumerate(ids):
        mine = [b for b in blocks if b.activity == k]
        # Short names ("Mixing"), so the legend fits in two rows and a label fits inside a short block.
        bars.append({"type": "bar", "orientation": "h", "name": short(labels[k]),
                     "marker": {"color": SERIES[i % len(SERIES)]}, "textposition": "inside",
                     "insidetextanchor": "middle", "hovertemplate": "%{hovertext}<extra></extra>",
                     "y": [DAY_ROWS[0]] * len(mine), "base": [b.start / 60 for b in mine], "x": [b.hours for b in mine],
                     "text": [short(labels[k]) for _ in mine], "hovertext": [b.describe(labels) for b in mine],
                     "showlegend": bool(mine)})
    changes = {"xaxis": {"range": [lo, hi], "tickvals": ticks, "ticktext": [m.fmt_clock(h * 60) for h in ticks]}}
    return [card, *bars], changes


def day_words(ids: Sequence[str], labels: Mapping[str, str], blocks: Sequence[m.Block], day: tuple[int, int]) -> str:
    if not blocks:
        return "Your day has no blocks yet."
    totals = m.day_totals(blocks, ids)
    planned = sum(totals.values())
    parts = ", ".join(f"{labels[k].lower()} {m.fmt_hours(h)} h" for k, h in totals.items() if h > 0)
    free = (day[1] - day[0]) / 60 - planned
    return (f"Your day ({m.fmt_clock(day[0])}–{m.fmt_clock(day[1])}) has {m.fmt_hours(planned)} h "
            f"planned: {parts}; {m.fmt_hours(free)} h left open.")


def day_html(moments: Sequence[tuple[str, int, str]], labels: Mapping[str, str], blocks: Sequence[m.Block],
             words: str) -> str:
    """The lists beside the typical-day chart: the card's start times, and the learner's blocks."""
    card = "".join(f"<li>{m.fmt_clock(minutes)} {html.escape(title)}</li>" for _, minutes, title in moments)
    mine = "".join(f"<li>{html.escape(b.describe(labels))}</li>" for b in blocks)
    return (f"<p><b>The card's day</b> (start times):</p><ul>{card}</ul>"
            f"<p><b>Yours.</b> {html.escape(words)}</p>{f'<ul>{mine}</ul>' if mine else ''}")


def afternoon_example(times: Sequence[tuple[str, int]]) -> str:
    """How the card's first afternoon time reads, from (the card's time, minutes after midnight): ' (its 3:00 is
    3 pm)'; empty when the card's day has no afternoon time to explain."""
    card, minutes = next(((c, t) for c, t in times if t >= 13 * 60), ("", 0))
    if not card:
        return ""
    clock = m.fmt_clock_12(minutes).replace(":00 ", " ")
    return f" (its {card} is {clock})"


def moment_html(minutes: int, title: str, what: str, why: str) -> str:
    """The chosen moment of the card's day: what happens then and why it matters."""
    return (f'<div style="border-left: 4px solid {PALETTE["sky"]}; padding: 0.3em 0.8em">'
            f"<b>{m.fmt_clock_12(minutes)} · {html.escape(title)}</b><br>"
            f"<b>What happens:</b> {html.escape(what)}<br><b>Why it matters:</b> {html.escape(why)}</div>")


def moment_choices(moments: Sequence[tuple[str, int, str]]) -> list[tuple[str, str]]:
    """The moment picker's options: each moment's 12-hour time, by id."""
    return [(m.fmt_clock_12(minutes), moment_id) for moment_id, minutes, _ in moments]
