"""The class at a glance: a gradebook CSV and a self-contained HTML page made from collected submissions.

Progress and Depth points come from :func:`lessonkit.progress.lesson_progress` (the rule in
``data/prompts/<lesson id>.yaml``), and each learner's answers are laid out by
:func:`lessonkit.handin.sections`, so the report counts and shows exactly what the lessons do.
The page has no script and loads nothing (a Content-Security-Policy forbids both), its charts
are inline SVG, and every piece of learner text is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import handin, kinds
from ..charts import PALETTE
from ..answers_model import AnswersFile
from ..content import Course
from ..errors import LessonkitError
from ..headings import prompt_headings
from ..htmlpage import CSP, esc, link, page  # noqa: F401 (CSP re-exported: the policy the page carries)
from ..models.prompts import filled
from ..progress import LessonProgress, lesson_progress, missing_required, sentence_list
from . import svg
from .collect import AnswersSubmission, Collected
from .files import csv_bytes, inside, write_file
from .roster import Learner

STREAMS_FROM = "guide.income_streams"
CAPACITIES_FROM = "guide.capacities"
TOP_CAPACITIES = 12


@dataclass(frozen=True)
class Row:
    """One learner as the report shows them."""

    learner: str
    name: str
    email: str
    on_roster: bool
    submission: AnswersSubmission | None
    lessons: list[LessonProgress]
    notebooks: list[str]
    late: list[str]
    cells: dict[str, int]  # per answer key with a report column (see lessonkit.kinds): that column's figure
    target: int | None
    missing: dict[str, list[str]] = field(default_factory=dict)  # per lesson id: required prompt ids not answered

    @property
    def complete(self) -> int:
        return sum(p.completed for p in self.lessons)

    @property
    def points(self) -> int:
        return sum(p.depth_points for p in self.lessons)


@dataclass
class ClassView:
    course: Course
    collected: Collected
    rows: list[Row]
    columns: list[tuple[str, str]]  # (answer key, column heading) of every prompt whose kind has a column, in course order
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


# ---------------------------------------------------------------- from records to rows
def prompt_columns(course: Course) -> list[tuple[str, str]]:
    """(answer key, column heading) for every prompt whose kind gives the report a column (words, for text)."""
    return [(f"{lesson.id}/{p.id}", f"{column} {lesson.id}/{p.id}") for lesson in course.lessons()
            for p in course.lesson_prompts(lesson.id) if (column := kinds.get(p.kind).column)]


def _target(doc: AnswersFile) -> int | None:
    """The income target a learner last set in any pay widget (the widgets save it as ``target_income``)."""
    found = []
    for record in doc.widgets.values():
        value = record.state.get("target_income")
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000_000:
            found.append((record.saved_at, value))
    return max(found)[1] if found else None


def _progress(course: Course, doc: AnswersFile | None) -> list[LessonProgress]:
    out = []
    for lesson in course.lessons():
        try:
            out.append(lesson_progress(course, doc, lesson.id))
        except (AttributeError, TypeError, ValueError, KeyError):
            # A value of the wrong shape for its prompt (a hand-edited file): count the lesson as not started.
            out.append(lesson_progress(course, None, lesson.id))
    return out


def _missing(course: Course, collected: Collected, learner: str, answers: dict[str, Any]) -> dict[str, list[str]]:
    """``answers``: the learner's answer values by key."""
    """Per lesson that required prompts of this learner (parameter required_prompts): those not answered."""
    out = {}
    for lesson in course.lessons():
        required = collected.required_for(learner, lesson.id)
        missing = missing_required(course, answers, lesson.id, required) if required else []
        if missing:
            out[lesson.id] = missing
    return out


def build(course: Course, collected: Collected, people: list[Learner] | None = None) -> ClassView:
    """One row per learner: everyone on the class list, then anyone else who handed something in."""
    columns = prompt_columns(course)
    kind_of = {f"{lesson.id}/{p.id}": p.kind for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)}
    listed = {p.id: p for p in people or []}
    ids = [p.id for p in people or []] + [lid for lid in collected.learners if lid not in listed]
    late: dict[str, list[str]] = {}
    for item in collected.late:
        late.setdefault(item.learner, []).append(item.lesson)
    rows = []
    for learner in ids:
        person = listed.get(learner)
        submission = collected.answers.get(learner)
        doc = submission.doc if submission else None
        answers = doc.values() if doc else {}
        rows.append(Row(
            learner=learner, name=person.name if person else "", email=person.email if person else "",
            on_roster=person is not None or not listed, submission=submission, lessons=_progress(course, doc),
            notebooks=sorted(lesson for who, lesson in collected.notebooks if who == learner),
            late=late.get(learner, []),
            cells={key: kinds.get(kind_of[key]).word_count(answers.get(key)) for key, _ in columns},
            target=_target(doc) if doc else None,
            missing=_missing(course, collected, learner, answers) if submission else {}))
    return ClassView(course, collected, rows, columns)


# ---------------------------------------------------------------- the CSV
def csv_report(view: ClassView) -> bytes:
    """One row per learner; numbers in their own columns so a gradebook can import them."""
    lessons = view.course.lessons()
    header = ["learner_id", "name", "email", "on_class_list", "answers_file", "last_change_utc", "lessons_complete",
              "depth_points", "depth_points_possible", "late_lessons", "notebooks_handed_in", "target_income_usd"]
    shape = _lesson_columns(view.course)
    for lesson, (prompts, scored) in zip(lessons, shape):
        n = f"L{lesson.number:02d}"
        header += [f"{n} complete (1=yes)"] + \
            ([f"{n} prompts answered (of {prompts})", f"{n} missing required prompts"] if prompts else []) + \
            ([f"{n} depth points", f"{n} reflection words"] if scored else [])
    header += [heading for _, heading in view.columns]
    rows = []
    for row in view.rows:
        sub = row.submission
        line: list[object] = [
            row.learner, row.name, row.email, "yes" if row.on_roster else "no", sub.label if sub else "",
            f"{sub.last_change:%Y-%m-%d %H:%M}" if sub and sub.last_change else "", row.complete if sub else "",
            row.points if sub else "", sum(p.possible_points for p in row.lessons),
            " ".join(lesson[:2] for lesson in row.late), " ".join(lesson[:2] for lesson in row.notebooks),
            row.target or ""]
        for progress, (prompts, scored) in zip(row.lessons, shape):
            missing = " ".join(row.missing.get(progress.lesson.id, []))
            values = [int(progress.completed)] + ([progress.answered, missing] if prompts else []) + \
                ([progress.depth_points, progress.reflection_words] if scored else [])
            line += values if sub else [""] * len(values)
        line += [row.cells[key] if sub else "" for key, _ in view.columns]
        rows.append(line)
    return csv_bytes(header, rows)


def _lesson_columns(course: Course) -> list[tuple[int, bool]]:
    """Per lesson: how many prompts it asks, and whether it has a Depth points rule (columns only where they mean something)."""
    return [(len(course.lesson_prompts(lesson.id)), lesson.id in course.prompts) for lesson in course.lessons()]


# ---------------------------------------------------------------- chart data
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
    """The career card's published figures: salaried reference lines, and the artist-producer high range."""
    card_id = next((lesson.uses.get("card") for lesson in course.lessons() if lesson.uses.get("card")), None)
    card = course.careers.get(card_id) if card_id else None
    if card is None:
        return [], None
    s, a = card.pay.salaried, card.pay.artist
    lines = [(f"salaried entry ${s.entry // 1000}k", s.entry), (f"median ${s.median // 1000}k", s.median),
             (f"top ${s.top // 1000}k", s.top)]
    band = (f"artist-producer high earners ${a.high_low // 1000}k–${a.high_high // 1000}k"
            + ("+" if a.open_ended else ""), a.high_low, a.high_high)
    return lines, band


# ---------------------------------------------------------------- the page
STYLE = """
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 64em; margin: 1.5em auto;
       padding: 0 1em; line-height: 1.5; color: #1f1f1f; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
h3 { font-size: 1.1em; margin: 1.4em 0 0.3em; } h4 { margin: 1em 0 0.2em; } h5 { margin: 0.8em 0 0.1em; font-size: 1em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.93em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #555; } .answer { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2em 0 0.6em; }
.tag { display: inline-block; border: 1px solid currentColor; border-radius: 0.3em; padding: 0 0.3em; font-size: 0.85em; }
figure { margin: 1em 0 2em; } figcaption { font-size: 0.95em; }
details > summary { cursor: pointer; } code { overflow-wrap: anywhere; }
th[scope="row"], .tag { white-space: nowrap; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; padding: 0; list-style: none; }
a { color: #0b57a4; } :focus { outline: 3px solid #E69F00; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8e8; background: #121212; } thead th { background: #26313c; } th, td { border-color: #555; }
  .muted { color: #aaa; } a { color: #8ab4f8; } h2 { border-color: #555; } }
"""
def _table(caption: str, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [f'<td class="num">{c}</td>' if i + 1 in numeric else f"<td>{c}</td>" for i, c in enumerate(row[1:])]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(chart_id: str, heading: str, chart: str, caption: str, table: str) -> str:
    return (f'<figure aria-labelledby="{chart_id}-h"><h3 id="{chart_id}-h">{esc(heading)}</h3>{chart}'
            f"<figcaption>{esc(caption)}</figcaption><details><summary>The numbers as a table</summary>{table}"
            "</details></figure>")


def charts_html(view: ClassView) -> str:
    n = len(view.rows)
    parts = []
    done = completion(view)
    series = [("marked complete", PALETTE["blue"]), ("started", PALETTE["orange"]), ("not started", PALETTE["grey"])]
    words = "; ".join(f"{label}: {a} complete, {b} started, {c} not started" for label, (a, b, c) in done)
    parts.append(_figure("completion", "Completion per lesson", svg.stacked(
        "completion-chart", "Completion per lesson", f"Out of {n} learners. {words}.", done, series),
        f"Out of {n} learners. 'Started' means at least one answer or some reflection, not marked complete.",
        _table("Completion per lesson", ["Lesson", "Marked complete", "Started", "Not started"],
               [[esc(label), *map(str, parts_)] for label, parts_ in done], {1, 2, 3})))
    found = streams(view)
    if found:
        words = "; ".join(f"{label}: {count}" for label, count in found)
        parts.append(_figure("streams", "Income streams the class found", svg.bars(
            "streams-chart", "Income streams the class found", f"Learners who found each stream: {words}.", found,
            colour=PALETTE["green"], out_of=None),
            "Learners who ticked each stream for at least one of the producers they researched (Capacity Inventory, step 1).",
            _table("Income streams", ["Stream", "Learners"], [[esc(label), str(count)] for label, count in found], {1})))
    named = capacities(view)
    if named:
        words = "; ".join(f"{label}: {count}" for label, count in named)
        parts.append(_figure("capacities", "Capacities named most often", svg.bars(
            "capacities-chart", "Capacities named most often", f"Learners who named each capacity: {words}.", named,
            colour=PALETTE["purple"]),
            f"The {len(named)} capacities most learners named, for a producer or for themselves (steps 3 and 4); "
            "each learner counts once per capacity.",
            _table("Capacities", ["Capacity", "Learners"], [[esc(label), str(count)] for label, count in named], {1})))
    targets = sorted(row.target for row in view.rows if row.target)
    lines, band = published_pay(view.course)
    if targets:
        words = ", ".join(f"${t:,}" for t in targets)
        refs = "; ".join(f"{label}" for label, _ in lines)
        parts.append(_figure("targets", "Target incomes against the published pay", svg.strip(
            "targets-chart", "Target incomes against the published pay",
            f"{len(targets)} learners' yearly targets: {words}. Published figures: {refs}"
            + (f"; {band[0]}" if band else "") + ".", targets, references=lines, band=band,
            colour=PALETTE["blue"], band_colour=PALETTE["yellow"]),
            "Each dot is one learner's yearly target from the pay widgets. Dashed lines: the career card's salaried "
            "figures; shaded: the range it gives for the few high-earning artist-producers.",
            _table("Target incomes", ["Learner", "Target (USD)"],
                   [[esc(row.learner), f"{row.target:,}"] for row in view.rows if row.target], {1})))
    return "".join(parts)


def _gradebook(view: ClassView) -> str:
    rows = []
    for row in view.rows:
        sub = row.submission
        status = "no answers file" if sub is None else f"{row.complete} of {len(row.lessons)}"
        flags = ([] if row.on_roster else ['<span class="tag">not on the class list</span>']) + \
            ([f'<span class="tag">late: {esc(" ".join(x[:2] for x in row.late))}</span>'] if row.late else []) + \
            [f'<span class="tag">{esc(lesson[:2])} required not answered: {esc(", ".join(ids))}</span>'
             for lesson, ids in row.missing.items()]
        rows.append([f'<a href="#learner-{len(rows) + 1}">{esc(row.learner)}</a>', esc(row.name), status,
                     str(row.points) if sub else "—", esc(" ".join(x[:2] for x in row.notebooks)) or "—",
                     " ".join(flags), esc(sub.label) if sub else "—"])
    return _table("One row per learner (class-report.csv has every column)", ["Learner id", "Name", "Lessons complete", "Depth points", "Notebooks",
                                    "Flags", "Answers file"], rows, {3})


def _problems(view: ClassView) -> str:
    problems = view.collected.problems
    if not problems:
        return "<p>Every file was read; none was late or a duplicate.</p>"
    counts = Counter(p.kind for p in problems)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return f"<p>{esc(summary)}.</p>" + _table("Files set aside, late work and notices", ["File", "Kind", "What"],
                                              [[esc(p.label), esc(p.kind), esc(p.message)] for p in problems])


def _answers(view: ClassView, index: int, row: Row) -> str:
    title = esc(row.learner) + (f" · {esc(row.name)}" if row.name else "")
    head = f'<section id="learner-{index}" aria-labelledby="learner-{index}-h"><h3 id="learner-{index}-h" dir="auto">{title}</h3>'
    if row.submission is None:
        return head + '<p class="muted">No answers file was handed in.</p></section>'
    sub = row.submission
    when = f"{sub.last_change:%Y-%m-%d %H:%M} UTC" if sub.last_change else "unknown"
    body = [head, f'<p class="muted">{row.complete} of {len(row.lessons)} lessons complete · {row.points} Depth '
                  f"points · last change {esc(when)} · from <code>{esc(sub.label)}</code></p>",
            *_missing_notes(view.course, row), "<details><summary>Show the answers</summary>"]
    try:
        sections = handin.sections(view.course, sub.doc)
    except (AttributeError, TypeError, ValueError, KeyError):
        return "".join(body) + '<p class="muted">The answers are in a shape this course cannot show.</p></details></section>'
    for section in sections:
        body.append(f"<h4>{esc(section.title)}</h4><p class=\"muted\">{esc(section.status)}</p>")
        for item in section.items:
            if not item.answered:
                continue
            body.append(f'<h5 dir="auto">{esc(item.heading)}</h5>')
            body += [f'<p class="answer" dir="auto">{esc(p)}</p>' for p in item.paragraphs]
            if item.bullets:
                shown = [link(b) if item.links else esc(b) for b in item.bullets]
                body.append("<ul>" + "".join(f'<li dir="auto">{b}</li>' for b in shown) + "</ul>")
        if section.reflection.strip():
            body.append(f'<h5>Reflection</h5><p class="answer" dir="auto">{esc(section.reflection.strip())}</p>')
        missing = [item.heading for item in section.items if not item.answered]
        if missing:
            listed = "; ".join(missing)
            end = "" if listed.endswith((".", "?", "!")) else "."
            body.append(f'<p class="muted" dir="auto">Not answered: {esc(listed)}{end}</p>')
    body.append("</details></section>")
    return "".join(body)


def _missing_notes(course: Course, row: Row) -> list[str]:
    """One visible line per lesson whose required prompts (parameter required_prompts) this learner left unanswered."""
    notes = []
    for lesson_id, ids in row.missing.items():
        entry = course.lesson(lesson_id)
        headings = prompt_headings(course, lesson_id)
        listed = sentence_list([f"{headings.get(i, i)} ({i})" for i in ids])
        notes.append(f'<p class="required" dir="auto"><strong>Lesson {entry.number:02d}: required but not answered:'
                     f"</strong> {esc(listed)}</p>")
    return notes


def html_report(view: ClassView) -> str:
    """The whole page: summary, charts, gradebook, problems, then every learner's answers."""
    c = view.collected
    title = f"Class report · {view.course.map.title}"
    handed = sum(1 for row in view.rows if row.submission)
    facts = [f"{len(view.rows)} learners", f"{handed} answers files used", f"{len(c.notebooks)} notebooks used",
             f"{c.files} files read", f"{len(c.late)} late lessons", f"{len(c.problems)} problems and notices"]
    if c.required:
        facts.append(f"{sum(1 for row in view.rows if row.missing)} learners with required prompts not answered")
    if len(c.deadlines) == len(view.course.lessons()) and len(set(c.deadlines.values())) == 1:
        deadlines = f"every lesson: {next(iter(c.deadlines.values())):%Y-%m-%d %H:%M} UTC"
    else:
        deadlines = "; ".join(f"lesson {lesson[:2]}: {when:%Y-%m-%d %H:%M} UTC" for lesson, when in c.deadlines.items())
    parts = [
        f"<header><h1>{esc(title)}</h1><p class=\"muted\">Made {view.made_at:%Y-%m-%d %H:%M} UTC by lessonkit "
        f"collect. {esc(' · '.join(facts))}.</p>"
        + (f"<p>Deadlines used: {esc(deadlines)}.</p>" if deadlines else "<p>No deadline was given or found, so "
                                                                        "nothing is marked late.</p>")
        + "</header>",
        '<nav aria-label="Sections"><ul><li><a href="#charts">Charts</a></li><li><a href="#gradebook">Every learner</a>'
        '</li><li><a href="#problems">Files set aside</a></li><li><a href="#answers">Answers</a></li></ul></nav>',
        '<main><section id="charts"><h2>The class at a glance</h2>' + charts_html(view) + "</section>",
        '<section id="gradebook"><h2>Every learner</h2>' + _gradebook(view) + "</section>",
        '<section id="problems"><h2>Files set aside, late work and notices</h2>' + _problems(view) + "</section>",
        '<section id="answers"><h2>Answers, learner by learner</h2>'
        + "".join(_answers(view, i, row) for i, row in enumerate(view.rows, start=1)) + "</section></main>",
    ]
    return page(title, "\n".join(parts), style=STYLE)


def write(view: ClassView, out: str | Path) -> tuple[Path, Path]:
    """Write ``class-report.csv`` and ``class-report.html`` into ``out`` (made if missing); returns their paths."""
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise LessonkitError(f"--out {root} is a file; give a folder (it is made if missing).")
    root.mkdir(parents=True, exist_ok=True)
    table, page = inside(root, "class-report.csv"), inside(root, "class-report.html")
    write_file(table, csv_report(view))
    write_file(page, html_report(view).encode("utf-8", "replace"))
    return table, page
