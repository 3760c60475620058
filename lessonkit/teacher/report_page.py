"""The class report as one self-contained page: summary, charts, gradebook, problems, every learner's answers.

Each learner's answers are laid out by :func:`lessonkit.handin.sections`, as in their own hand-in; the page is
:func:`lessonkit.htmlpage.page` (no script, nothing loaded) and every piece of learner text is escaped.
"""

from __future__ import annotations

from collections import Counter

from .. import handin
from ..content import Course
from ..headings import prompt_headings
from ..htmlpage import esc, link, page
from ..progress import sentence_list
from .classview import ClassView, Row
from .report_charts import charts_html, table

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
    return table("One row per learner (class-report.csv has every column)", ["Learner id", "Name", "Lessons complete", "Depth points", "Notebooks",
                                    "Flags", "Answers file"], rows, {3})


def _problems(view: ClassView) -> str:
    problems = view.collected.problems
    if not problems:
        return "<p>Every file was read; none was late or a duplicate.</p>"
    counts = Counter(p.kind for p in problems)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return f"<p>{esc(summary)}.</p>" + table("Files set aside, late work and notices", ["File", "Kind", "What"],
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
