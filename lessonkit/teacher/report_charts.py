"""The class report's charts: what they count (pure), and each as an inline SVG figure with its numbers as a table.

Every chart has a title and description for screen readers, its numbers in words beside it and in a table,
and the Okabe-Ito colours; all text is escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..palette import PALETTE
from ..content import Course
from ..htmlpage import esc
from ..models.prompts import filled
from . import svg
from .classview import ClassView

STREAMS_FROM = "guide.income_streams"
CAPACITIES_FROM = "guide.capacities"
TOP_CAPACITIES = 12


def completion(view: ClassView) -> list[tuple[str, list[int]]]:
    """Per lesson: learners who marked it complete, who started it only, who have not started it."""
    out = []
    for index, lesson in enumerate(view.course.lessons()):
        done = started = 0
        for row in view.rows:
            progress = row.lessons[index]
            if progress.completed:
                done += 1
            elif progress.answered or progress.reflection_words:
                started += 1
        out.append((f"{lesson.number:02d} · {lesson.title}", [done, started, len(view.rows) - done - started]))
    return out


def _prompts_from(course: Course, source: str) -> list[tuple[str, Any]]:
    return [(lesson.id, p) for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)
            if p.options_from == source]


def streams(view: ClassView) -> list[tuple[str, int]]:
    """Each income stream with the number of learners who found it for at least one producer."""
    prompts = _prompts_from(view.course, STREAMS_FROM)
    labels = {o.id: o.label for lesson_id, p in prompts[:1] for o in view.course.prompt_options(lesson_id, p)}
    counts: Counter[str] = Counter()
    others = 0
    for row in view.rows:
        if row.submission is None:
            continue
        answers = row.submission.doc
        found, other = set(), False
        for lesson_id, prompt in prompts:
            value = answers.value(f"{lesson_id}/{prompt.id}")
            if isinstance(value, dict):
                found.update(c for c in value.get("choices") or [] if isinstance(c, str) and c in labels)
                other = other or bool(str(value.get("other") or "").strip())
        counts.update(found)
        others += other
    rows = sorted(((labels[k], v) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    return rows + ([("Other (written in)", others)] if others else [])


def capacities(view: ClassView) -> list[tuple[str, int]]:
    """The capacities learners named most often (each learner counted once per capacity)."""
    prompts = _prompts_from(view.course, CAPACITIES_FROM)
    canonical: dict[str, str] = {}
    for lesson_id, prompt in prompts[:1]:
        for option in view.course.prompt_options(lesson_id, prompt):
            canonical[_fold(option.label)] = option.label
            canonical[_fold(option.id)] = option.label
    counts: Counter[str] = Counter()
    for row in view.rows:
        if row.submission is None:
            continue
        answers = row.submission.doc
        named = set()
        for lesson_id, prompt in prompts:
            value = answers.value(f"{lesson_id}/{prompt.id}")
            for item in filled(value) if isinstance(value, list) else []:
                key = _fold(item)[:80]
                named.add(canonical.setdefault(key, item.strip()[:80]))
        counts.update(named)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:TOP_CAPACITIES]


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", text).casefold().split())


def published_pay(course: Course) -> tuple[list[tuple[str, int]], tuple[str, int, int] | None]:
    """The career card's published figures: salaried reference lines, and the high range of its other path.

    The band's words come from the card (who is on that path), so a card for another career reads right.
    """
    card_id = next((lesson.uses.get("card") for lesson in course.lessons() if lesson.uses.get("card")), None)
    card = course.careers.get(card_id) if card_id else None
    if card is None:
        return [], None
    s, a = card.pay.salaried, card.pay.artist
    lines = [(f"salaried entry ${s.entry // 1000}k", s.entry), (f"median ${s.median // 1000}k", s.median),
             (f"top ${s.top // 1000}k", s.top)]
    band = (f"high earners among {a.people} ${a.high_low // 1000}k–${a.high_high // 1000}k"
            + ("+" if a.open_ended else ""), a.high_low, a.high_high)
    return lines, band


def table(caption: str, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [f'<td class="num">{c}</td>' if i + 1 in numeric else f"<td>{c}</td>" for i, c in enumerate(row[1:])]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(chart_id: str, heading: str, chart: str, caption: str, table: str) -> str:
    return (f'<figure aria-labelledby="{chart_id}-h"><h3 id="{chart_id}-h">{esc(heading)}</h3>{chart}'
            f"<figcaption>{esc(caption)}</figcaption><details><summary>The numbers as a table</summary>{table}"
            "</details></figure>")


def charts_html(view: ClassView) -> str:
    n = len(view.rows)
    parts = []
    done = completion(view)
    series = [("marked complete", PALETTE["blue"]), ("started", PALETTE["orange"]), ("not started", PALETTE["grey"])]
    words = "; ".join(f"{label}: {a} complete, {b} started, {c} not started" for label, (a, b, c) in done)
    parts.append(figure("completion", "Completion per lesson", svg.stacked(
        "completion-chart", "Completion per lesson", f"Out of {n} learners. {words}.", done, series),
        f"Out of {n} learners. 'Started' means at least one answer or some reflection, not marked complete.",
        table("Completion per lesson", ["Lesson", "Marked complete", "Started", "Not started"],
               [[esc(label), *map(str, parts_)] for label, parts_ in done], {1, 2, 3})))
    found = streams(view)
    if found:
        words = "; ".join(f"{label}: {count}" for label, count in found)
        parts.append(figure("streams", "Income streams the class found", svg.bars(
            "streams-chart", "Income streams the class found", f"Learners who found each stream: {words}.", found,
            colour=PALETTE["green"], out_of=None),
            "Learners who ticked each stream for at least one of the producers they researched (Capacity Inventory, step 1).",
            table("Income streams", ["Stream", "Learners"], [[esc(label), str(count)] for label, count in found], {1})))
    named = capacities(view)
    if named:
        words = "; ".join(f"{label}: {count}" for label, count in named)
        parts.append(figure("capacities", "Capacities named most often", svg.bars(
            "capacities-chart", "Capacities named most often", f"Learners who named each capacity: {words}.", named,
            colour=PALETTE["purple"]),
            f"The {len(named)} capacities most learners named, for a producer or for themselves (steps 3 and 4); "
            "each learner counts once per capacity.",
            table("Capacities", ["Capacity", "Learners"], [[esc(label), str(count)] for label, count in named], {1})))
    targets = sorted(row.target for row in view.rows if row.target)
    lines, band = published_pay(view.course)
    if targets:
        words = ", ".join(f"${t:,}" for t in targets)
        refs = "; ".join(f"{label}" for label, _ in lines)
        parts.append(figure("targets", "Target incomes against the published pay", svg.strip(
            "targets-chart", "Target incomes against the published pay",
            f"{len(targets)} learners' yearly targets: {words}. Published figures: {refs}"
            + (f"; {band[0]}" if band else "") + ".", targets, references=lines, band=band,
            colour=PALETTE["blue"], band_colour=PALETTE["yellow"]),
            "Each dot is one learner's yearly target from the pay widgets. Dashed lines: the career card's salaried "
            "figures" + (f"; shaded: the range it gives for {band[0]}." if band else "."),
            table("Target incomes", ["Learner", "Target (USD)"],
                   [[esc(row.learner), f"{row.target:,}"] for row in view.rows if row.target], {1})))
    return "".join(parts)
